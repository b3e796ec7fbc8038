"""Each kind of bank error, from tests/data/broken/<kind>: the Python API and the real CLI agree on
code, id, field, line and message, exit 1, and never print a traceback."""

from __future__ import annotations

import json
import sys
from dataclasses import dataclass
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).parent / "helpers"))
from check_cli import run_check

from trainer.bank import load_bank
from trainer.bank.codes import ERRORS, code_of
from trainer.bank.models import Problem

REPO = Path(__file__).resolve().parents[2]
BROKEN = REPO / "tests" / "data" / "broken"


@dataclass(frozen=True)
class Expected:
    code: str
    id: str
    field: str
    line: int | None
    text: str  # a part of the message
    file: str = "bank.toml"


CASES: dict[str, list[Expected]] = {
    "syntax": [Expected("toml-syntax", "", "", 21, "TOML syntax error: Illegal character")],
    "unknown-key": [
        Expected("unknown-key", "", "author", 6, "unknown key 'author' in [bank]"),
        Expected("unknown-key", "notes", "url", 10, "unknown key 'url' in source 'notes'"),
        Expected("unknown-key", "", "extra", 13, "unknown top-level key 'extra'"),
        Expected("unknown-key", "b-o-one", "notes", 21, "unknown key 'notes' in an objective"),
        Expected("unknown-key", "b-q-unknown", "hint", 29, "unknown key 'hint' in a question"),
        Expected(
            "unknown-key",
            "b-q-unknown",
            "options[2].weight",
            39,
            "unknown key 'weight' in an option",
        ),
    ],
    "missing-field": [
        Expected("missing-field", "b-o-two", "topic", 17, "missing required field 'topic'"),
        Expected("missing-field", "b-q-missing", "explanation", 22, "'explanation'"),
        Expected(
            "missing-field", "b-q-no-why", "options[3].why", 46, "missing required field 'why'"
        ),
    ],
    "wrong-type": [
        Expected("wrong-type", "b-q-types", "objectives", 20, "must be an array of strings"),
        Expected("wrong-type", "b-q-types", "answer", 22, "answer must be true or false"),
        Expected("wrong-type", "b-q-types", "difficulty", 23, "must be an integer, not a string"),
    ],
    "bad-value": [
        Expected("bad-value", "b-q-values", "difficulty", 21, "must be 1, 2 or 3, not 4"),
        Expected("bad-value", "b-q-values", "stem", 22, "stem must not be empty"),
        Expected("bad-value", "bad id with spaces", "id", 27, "must be 1-100 letters"),
    ],
    "duplicate-id": [
        Expected(
            "duplicate-id",
            "b-o-one",
            "id",
            4,
            "objective id 'b-o-one' is already used at",
            "20-more.toml",
        ),
        Expected(
            "duplicate-id",
            "b-q-dup",
            "id",
            10,
            "question id 'b-q-dup' is already used at",
            "20-more.toml",
        ),
    ],
    "unknown-type": [Expected("unknown-type", "b-q-essay", "type", 19, "unknown type 'essay'")],
    "field-not-for-type": [
        Expected("field-not-for-type", "b-q-answer", "answer", 23, "not used by single questions")
    ],
    "no-correct": [
        Expected("correct-count", "b-q-none-correct", "options", 17, "exactly one correct"),
        Expected("correct-count", "b-q-two-correct", "options", 44, "this one has 2"),
    ],
    "multiple-correct": [
        Expected("correct-count", "b-q-one-right", "options", 17, "at least two correct"),
        Expected("correct-count", "b-q-all-right", "options", 44, "at least one wrong option"),
    ],
    "option-count": [
        Expected("option-count", "b-q-three", "options", 17, "need 4-5 options, this one has 3"),
        Expected("option-count", "b-q-seven", "options", 39, "need 4-6 options, this one has 7"),
    ],
    "duplicate-option": [
        Expected("duplicate-option", "b-q-dup-option", "options[4].text", 40, "repeats option B")
    ],
    "all-none-above": [
        Expected("all-none-above", "b-q-above", "options[4].text", 40, "'All of the above'"),
        Expected("all-none-above", "b-q-none-above", "options[4].text", 67, "'None of these'"),
    ],
    "combination": [
        Expected("combination-option", "b-q-combo", "options[3].text", 35, "'A and C'"),
        Expected("combination-option", "b-q-combo", "options[4].text", 40, "'Both A and B'"),
        Expected("combination-option", "b-q-combo2", "options[4].text", 67, "'A, B and C'"),
    ],
    "cloze-blank": [
        Expected("cloze-empty-blank", "b-q-empty-blank", "stem", 21, "blank 1 ('{{}}') has no"),
        Expected("cloze-empty-blank", "b-q-pipe-blank", "stem", 28, "('{{ | }}') has no answer"),
        Expected("cloze-no-blank", "b-q-no-blank", "stem", 35, "needs at least one {{blank}}"),
        Expected("cloze-unclosed", "b-q-unclosed", "stem", 42, "unmatched '{{' or '}}'"),
    ],
    "duplicate-key": [
        Expected(
            "duplicate-key",
            "broken",
            "topics",
            5,
            "topic 'procedure' is listed twice",
            "10-bank.toml",
        ),
        Expected(
            "duplicate-key", "notes", "", 3, "source 'notes' is defined twice", "20-more.toml"
        ),
        Expected("duplicate-key", "R-ONE", "R-ONE", 8, "(first at ", "20-more.toml"),
    ],
    "order-steps": [
        Expected("step-count", "b-q-two-steps", "steps", 22, "need 3-7 steps, not 2"),
        Expected("duplicate-step", "b-q-same-steps", "steps", 30, "step 3 repeats"),
    ],
    "unknown-objective": [
        Expected("unknown-objective", "b-q-orphan", "objectives", 20, "'b-o-missing'")
    ],
    "retired-objective": [
        Expected("retired-objective", "b-q-stale", "objectives", 28, "'b-o-old' is retired")
    ],
    "unknown-source": [
        Expected("unknown-reference", "thermal-rhizotomy", "sections", 9, "'R-MISSING'"),
        Expected("unknown-section", "b-o-cites", "sources", 15, "has no section 'P7'"),
        Expected("unknown-source", "b-o-cites", "sources", 15, "unknown source 'nosuch'"),
        Expected("bad-value", "b-o-cites", "sources", 15, "must look like 'source:section'"),
    ],
    "unknown-topic": [Expected("unknown-topic", "b-o-topic", "topic", 19, "'surgery'")],
    "empty-file": [Expected("empty-file", "", "", 1, "file is empty")],
    "comments-only": [Expected("empty-file", "", "", 1, "defines nothing")],
    "binary-file": [Expected("binary-file", "", "", 3, "contains NUL bytes")],
    "not-utf8": [Expected("binary-file", "", "", 18, "not UTF-8 text (byte 0xe9")],
    "no-header": [
        Expected("no-header", "", "", None, "no [bank] header", ""),
        Expected("unknown-source", "b-o-one", "sources", 5, "(known: none", "questions.toml"),
    ],
    "extra-header": [
        Expected("extra-header", "", "bank", 1, "a second [bank] header", "20-bank.toml")
    ],
    "lint-code": [
        Expected("unknown-lint-code", "b-q-ignore", "lint_ignore", 23, "'absolute-terms'")
    ],
    "lint-ignore": [
        Expected("missing-field", "b-q-ignores", "lint_ignore", 25, "item 1 has no reason"),
        Expected("missing-field", "b-q-ignores", "lint_ignore", 25, "item 2 has no other"),
        Expected("bad-value", "b-q-ignores", "lint_ignore", 25, "item 3: other is only for code"),
        Expected("unknown-key", "b-q-ignores", "lint_ignore", 25, "'note' in lint_ignore item 5"),
        Expected("wrong-type", "b-q-ignores", "lint_ignore", 25, "item 6 must be a table"),
        Expected("unknown-question", "b-q-ignores", "lint_ignore", 25, "question 'b-q-missing'"),
    ],
    "control-char": [
        Expected("control-char", "broken", "title", 3, "U+001B (escape (ESC)"),
        Expected("control-char", "b-q-chars", "options[2].text", 30, "U+202E (right-to-left"),
        Expected("control-char", "b-q-chars", "options[2].why", 32, "U+0085 (a C1 control"),
    ],
    "over-limit": [
        Expected("over-limit", "b-q-long", "explanation", 23, "5,001 characters"),
        Expected("over-limit", "b-q-cloze", "stem", 49, "11 blanks; the limit is 8"),
        Expected("over-limit", "b-q-alternatives", "stem", 56, "11 answers; the limit is 10"),
        Expected("over-limit", "b-q-tags", "tags", 66, "101 items; the limit is 100"),
    ],
}


def _matches(p: dict[str, object], e: Expected, root: Path) -> bool:
    want_path = (root / e.file) if e.file else root
    return (
        Path(str(p["path"])).resolve() == want_path.resolve()
        and p["line"] == e.line
        and p["id"] == e.id
        and p["field"] == e.field
        and p["severity"] == "error"
        and e.text in str(p["message"])
        and str(p["message"]).endswith(f"[{e.code}]")
    )


def _as_dict(p: Problem) -> dict[str, object]:
    return p.to_dict()


def test_every_broken_folder_has_a_case() -> None:
    assert sorted(p.name for p in BROKEN.iterdir()) == sorted(CASES)


def test_every_error_code_is_exercised() -> None:
    exercised = {e.code for cases in CASES.values() for e in cases}
    # reached only through the file system, tested in test_bank_check.py
    untested_here = {"path-missing", "no-toml", "unreadable", "file-too-large", "toml-nesting"}
    assert set(ERRORS) - exercised == untested_here


@pytest.mark.parametrize("kind", sorted(CASES))
def test_api_reports_the_error(kind: str) -> None:
    root = BROKEN / kind
    bank, problems = load_bank(root)
    assert bank is None
    found = [_as_dict(p) for p in problems]
    for e in CASES[kind]:
        assert any(_matches(p, e, root) for p in found), (e, [p.format() for p in problems])
    # nothing unexpected: every error is one the case lists
    errors = [p for p in problems if p.severity == "error"]
    assert len(errors) == len(CASES[kind]), [p.format() for p in errors]
    for p in problems:
        assert p.path and p.message and code_of(p)


_cli = run_check


@pytest.mark.parametrize("kind", sorted(CASES))
def test_cli_text_reports_the_error(kind: str) -> None:
    root = BROKEN / kind
    run = _cli("--bank", str(root))
    assert run.returncode == 1
    assert "Traceback" not in run.stdout + run.stderr
    lines = run.stdout.splitlines()
    for e in CASES[kind]:
        rel = (root / e.file).relative_to(REPO) if e.file else root.relative_to(REPO)
        where = f"{rel}:{e.line}" if e.line else str(rel)
        prefix = f"{where}: {e.id or '-'}: {e.field or '-'}: error: "
        assert any(
            line.startswith(prefix) and e.text in line and line.endswith(f"[{e.code}]")
            for line in lines
        ), (prefix, run.stdout)
    n = len(CASES[kind])
    assert lines[-1].startswith(f"{root.relative_to(REPO)}: ")
    assert f", {n} errors, " in lines[-1]


@pytest.mark.parametrize("kind", sorted(CASES))
def test_cli_json_reports_the_error(kind: str) -> None:
    root = BROKEN / kind
    run = _cli("--bank", str(root), "--json")
    assert run.returncode == 1
    assert "Traceback" not in run.stdout + run.stderr
    report = json.loads(run.stdout)
    assert report["errors"] == len(CASES[kind])
    problems = report["problems"]
    assert report["warnings"] == sum(p["severity"] == "warning" for p in problems)
    for e in CASES[kind]:
        found = [p for p in problems if _matches(p, e, REPO / root.relative_to(REPO))]
        assert found, (e, problems)
        assert found[0]["code"] == e.code
