"""Each item-writing warning added for issue 9, from tests/data/warnings/<kind>: the Python API and
the real CLI (text and --json) agree on code, id, field, line and message; the bank still loads
(exit 0) and nothing else is reported."""

from __future__ import annotations

import json
import sys
from dataclasses import dataclass
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).parent / "helpers"))
from check_cli import run_check

from trainer.bank import load_bank
from trainer.bank.codes import WARNINGS, code_of

REPO = Path(__file__).resolve().parents[2]
WARN = REPO / "tests" / "data" / "warnings"


@dataclass(frozen=True)
class Expected:
    code: str
    id: str
    field: str
    line: int
    text: str  # a part of the message


CASES: dict[str, list[Expected]] = {
    "keys-first": [
        Expected("keys-first", "w-q-first", "options", 28, "correct options (A, B) all come before")
    ],
    "key-position": [
        Expected(
            "key-position",
            "warn",
            "options",
            3,
            "all 3 5-option single questions have the key E (w-q-e1, w-q-e2, w-q-e3)",
        )
    ],
    "key-balance": [
        Expected(
            "key-balance",
            "warn",
            "options",
            3,
            "option E is the key of 3 of 5 5-option single questions (more than 40%",
        )
    ],
    "hedged-key": [
        Expected("absolute-term", "w-q-hedged", "options", 27, "option A uses the absolute "),
        Expected("absolute-term", "w-q-hedged", "options", 27, "term(s) no need:"),
        Expected("absolute-term", "w-q-hedged", "options", 27, "term(s) every, must:"),
        Expected(
            "hedged-key",
            "w-q-hedged",
            "options[3].text",
            46,
            "every distractor has an absolute term and the key (C) has none",
        ),
    ],
    "cross-cue": [
        Expected(
            "cross-cue",
            "w-q-cueing",
            "stem",
            59,
            "stem of w-q-cueing gives away the key (option B) of w-q-key "
            "('Sensory stimulation at 50 Hz'); both test w-o-one",
        )
    ],
    "unfocused-lead-in": [
        Expected(
            "unfocused-lead-in",
            "w-q-unfocused",
            "stem",
            32,
            "unfocused lead-in 'Which statement is most accurate?'",
        )
    ],
    "cloze-common-word": [
        Expected(
            "cloze-common-word", "w-q-cloze", "stem", 32, "blank 2 accepts only 'heat', a common"
        )
    ],
    "missing-kind": [
        Expected("missing-kind", "w-q-no-kind", "kind", 27, 'add kind = "application"')
    ],
    "lint-ignore-reason": [
        Expected(
            "lint-ignore-reason",
            "w-q-old-ignore",
            "lint_ignore",
            34,
            "lint_ignore entry 'absolute-term' gives no reason",
        )
    ],
}

# warnings made before issue 9, tested on variants of the mini bank (test_bank_lint.py,
# test_bank_coverage.py)
OLDER = {
    "long-key",
    "absolute-term",
    "negative-lead-in",
    "open-lead-in",
    "thin-objective",
    "one-type",
    "uncited-section",
    "empty-topic",
}


def _matches(p: dict[str, object], e: Expected, root: Path) -> bool:
    return (
        Path(str(p["path"])).resolve() == (root / "bank.toml").resolve()
        and p["line"] == e.line
        and p["id"] == e.id
        and p["field"] == e.field
        and p["severity"] == "warning"
        and e.text in str(p["message"])
        and str(p["message"]).endswith(f"[{e.code}]")
    )


def test_every_warnings_folder_has_a_case() -> None:
    assert sorted(p.name for p in WARN.iterdir()) == sorted(CASES)


def test_every_new_warning_code_is_exercised() -> None:
    exercised = {e.code for cases in CASES.values() for e in cases}
    assert set(WARNINGS) - exercised == OLDER - exercised


@pytest.mark.parametrize("kind", sorted(CASES))
def test_api_reports_the_warning(kind: str) -> None:
    root = WARN / kind
    bank, problems = load_bank(root)
    assert bank is not None, [p.format() for p in problems]
    found = [p.to_dict() for p in problems]
    for e in CASES[kind]:
        assert any(_matches(p, e, root) for p in found), (e, [p.format() for p in problems])
    # nothing else: every problem is one the case lists
    assert len(problems) == len(CASES[kind]), [p.format() for p in problems]
    assert all(code_of(p) for p in problems)


_cli = run_check


@pytest.mark.parametrize("kind", sorted(CASES))
def test_cli_text_reports_the_warning(kind: str) -> None:
    root = WARN / kind
    run = _cli("--bank", str(root))
    assert run.returncode == 0
    assert "Traceback" not in run.stdout + run.stderr
    lines = run.stdout.splitlines()
    for e in CASES[kind]:
        prefix = f"{(root / 'bank.toml').relative_to(REPO)}:{e.line}: {e.id}: {e.field}: warning: "
        assert any(
            line.startswith(prefix) and e.text in line and line.endswith(f"[{e.code}]")
            for line in lines
        ), (prefix, run.stdout)
    assert lines[-1].endswith(f", 0 errors, {len(CASES[kind])} warnings")


@pytest.mark.parametrize("kind", sorted(CASES))
def test_cli_json_reports_the_warning(kind: str) -> None:
    root = WARN / kind
    run = _cli("--bank", str(root), "--json")
    assert run.returncode == 0
    report = json.loads(run.stdout)
    assert (report["errors"], report["warnings"]) == (0, len(CASES[kind]))
    for e in CASES[kind]:
        found = [p for p in report["problems"] if _matches(p, e, REPO / root.relative_to(REPO))]
        assert found, (e, report["problems"])
        assert found[0]["code"] == e.code
