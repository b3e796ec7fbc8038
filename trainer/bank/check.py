"""``trainer check``: load a bank, print every problem and a summary, exit 1 on any error.

``check_bank`` is the same check as a value, for other code (the UI refuses to start on errors).
``trainer check`` never uses the parsed-bank cache: an author editing a bank gets the real check
every time (and `check` touches no user directory). Other callers may use it (the result is the
same either way).
"""

from __future__ import annotations

import json
import sys
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path
from typing import TextIO

from trainer.bank import codes
from trainer.bank.coverage import uncovered
from trainer.bank.files import display
from trainer.bank.loader import HasProblems, read_bank
from trainer.bank.models import QUESTION_KINDS, QUESTION_TYPES, Bank, Problem


@dataclass(frozen=True)
class CheckReport(HasProblems):
    """The result of checking a bank.

    ``bank`` is None when there are errors; ``summary`` holds the counts that ``--json`` prints:
    ``questions`` counts every question, ``active`` and ``retired`` split them; ``by_type``,
    ``by_topic`` and ``by_kind`` count active questions only; ``application_share`` is the share
    of active questions with kind = "application".
    """

    bank: Bank | None
    problems: tuple[Problem, ...]
    summary: dict[str, object] = field(default_factory=dict)

    @property
    def ok(self) -> bool:
        return not self.errors

    def summary_line(self) -> str:
        s = self.summary
        return (
            f"{s['questions']} questions, {s['objectives']} objectives, "
            f"{len(self.errors)} errors, {len(self.warnings)} warnings"
        )

    def to_dict(self) -> dict[str, object]:
        return {
            **self.summary,
            "errors": len(self.errors),
            "warnings": len(self.warnings),
            "problems": [{**p.to_dict(), "code": codes.code_of(p)} for p in self.problems],
        }


def application_share(bank: Bank) -> float:
    """The share of active questions with kind = "application" (0.0 for none), to 3 places."""
    active = bank.active_questions
    if not active:
        return 0.0
    return round(sum(q.kind == "application" for q in active) / len(active), 3)


def _sort_key(p: Problem) -> tuple[str, int]:
    return (p.path, p.line or 0)


def check_bank(path: Path, *, use_cache: bool = True) -> CheckReport:
    result = read_bank(path, use_cache=use_cache)
    problems = tuple(sorted(result.problems, key=_sort_key))
    bank = result.bank
    summary: dict[str, object] = {
        "bank": display(Path(path)),
        "id": bank.id if bank else "",
        "questions": 0,
        "active": 0,
        "retired": 0,
        "objectives": 0,
        "by_type": {},
        "by_topic": {},
        "by_kind": {},
        "application_share": 0.0,
        "sources_cited": [],
        "uncovered": [],
    }
    if bank is not None:
        active = bank.active_questions
        by_type = Counter(q.type for q in active)
        by_topic = Counter(bank.topic_of(q) for q in active)
        by_kind: Counter[str] = Counter(q.kind or "missing" for q in active)
        kinds: dict[str, int] = {k: by_kind[k] for k in QUESTION_KINDS}
        if by_kind["missing"]:
            kinds["missing"] = by_kind["missing"]
        summary.update(
            questions=len(bank.questions),
            active=len(active),
            retired=len(bank.questions) - len(active),
            objectives=len(bank.active_objectives),
            retired_objectives=len(bank.objectives) - len(bank.active_objectives),
            by_type={t: by_type[t] for t in QUESTION_TYPES if by_type[t]},
            by_topic={
                **{t: by_topic[t] for t in bank.topics if by_topic[t]},
                **{t: n for t, n in sorted(by_topic.items()) if t not in bank.topics},
            },
            by_kind=kinds,
            application_share=application_share(bank),
            sources_cited=sorted({c for o in bank.active_objectives.values() for c in o.sources}),
            uncovered=uncovered(bank),
        )
    return CheckReport(None if result.errors else bank, problems, summary)


def run_check(bank_path: Path, as_json: bool, out: TextIO | None = None) -> int:
    """Print the check of the bank at ``bank_path``; 0 when it has no errors, else 1."""
    stream = out if out is not None else sys.stdout
    report = check_bank(bank_path, use_cache=False)
    if as_json:
        stream.write(json.dumps(report.to_dict(), indent=2, ensure_ascii=False) + "\n")
    else:
        for problem in report.problems:
            stream.write(problem.format() + "\n")
        stream.write(f"{report.summary['bank']}: {report.summary_line()}\n")
    return 0 if report.ok else 1
