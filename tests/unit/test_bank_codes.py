"""Problem codes: every code is documented in the bank README, and problems carry their code."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from trainer.bank import codes
from trainer.bank.fields import Sink
from trainer.bank.lint import ABSOLUTE_TERMS

README = Path(__file__).resolve().parents[2] / "questions" / "README.md"


def test_every_code_is_documented_in_the_readme() -> None:
    text = README.read_text()
    documented = set(re.findall(r"`([a-z0-9]+(?:-[a-z0-9]+)*)`", text))
    assert set(codes.ERRORS) <= documented
    assert set(codes.WARNINGS) <= documented
    for term in ABSOLUTE_TERMS:
        assert term in text


def test_error_and_warning_codes_are_distinct() -> None:
    assert not set(codes.ERRORS) & set(codes.WARNINGS)
    assert set(codes.IGNORABLE) <= set(codes.WARNINGS)


def test_a_problem_carries_its_code_in_the_message() -> None:
    sink = Sink()
    sink.add("warning", "long-key", "too long", path="b.toml", line=3, id="q", field="f")
    (p,) = sink.problems
    assert p.message == "too long [long-key]"
    assert codes.code_of(p) == "long-key"
    assert p.format() == "b.toml:3: q: f: warning: too long [long-key]"


def test_a_code_of_the_wrong_severity_is_refused() -> None:
    with pytest.raises(ValueError, match="unknown error code 'long-key'"):
        Sink().add("error", "long-key", "x", path="b.toml")
