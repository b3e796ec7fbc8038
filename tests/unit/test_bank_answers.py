"""Answer-shape rules on variants of the mini bank: what is and is not a combination option,
"all/none of the above", duplicates and blanks."""

from __future__ import annotations

from pathlib import Path

import pytest

from trainer.bank import load_bank
from trainer.bank.codes import code_of
from trainer.bank.models import Problem

DISTRACTOR = "A blood glucose check at the bedside"  # option C of mini-q-single


def with_option_c(mini: Path, tmp: Path, text: str) -> list[Problem]:
    source = mini.read_text()
    assert DISTRACTOR in source
    path = tmp / "bank.toml"
    path.write_text(source.replace(DISTRACTOR, text, 1))
    return load_bank(path)[1]


@pytest.mark.parametrize(
    "text",
    [
        "A and C",
        "Both A and B",
        "A, B and C",
        "A, B, and D",
        "B & D",
        "A or B",
        "Options B and D only",
        "A and B are correct.",
        "Neither A nor B",
    ],
)
def test_combination_options_are_errors(mini_bank_path: Path, tmp_path: Path, text: str) -> None:
    problems = with_option_c(mini_bank_path, tmp_path, text)
    assert [(code_of(p), p.field, p.id) for p in problems] == [
        ("combination-option", "options[3].text", "mini-q-single")
    ]
    assert f"option C combines other options: {text!r}" in problems[0].message


@pytest.mark.parametrize(
    "text",
    [
        "A and E attendance within the hour",
        "Vitamin A and C supplements",
        "A nerve block and a scan",
        "2 or 3 months of physiotherapy",
        "Type B and C fibres",
    ],
)
def test_ordinary_text_is_not_a_combination(
    mini_bank_path: Path, tmp_path: Path, text: str
) -> None:
    assert with_option_c(mini_bank_path, tmp_path, text) == []


@pytest.mark.parametrize(
    "text",
    ["All of the above", "none of these", "Both of the above", "Any of the options"],
)
def test_all_or_none_of_the_above(mini_bank_path: Path, tmp_path: Path, text: str) -> None:
    problems = with_option_c(mini_bank_path, tmp_path, text)
    assert [code_of(p) for p in problems] == ["all-none-above"]  # no absolute-term warning too


def test_duplicate_options_ignore_case_and_spacing(mini_bank_path: Path, tmp_path: Path) -> None:
    problems = with_option_c(mini_bank_path, tmp_path, "  an ULTRASOUND scan   of the kidneys")
    assert [(code_of(p), p.field) for p in problems] == [("duplicate-option", "options[4].text")]
    assert "option D repeats option C" in problems[0].message


def test_empty_option_text_and_why(mini_bank_path: Path, tmp_path: Path) -> None:
    source = mini_bank_path.read_text().replace(DISTRACTOR, " ", 1)
    source = source.replace('why = "Unrelated to the needle position."', 'why = ""', 1)
    path = tmp_path / "bank.toml"
    path.write_text(source)
    bank, problems = load_bank(path)
    assert bank is None
    assert [(code_of(p), p.field) for p in problems] == [
        ("bad-value", "options[3].text"),
        ("bad-value", "options[3].why"),
    ]
    lines = source.splitlines()
    assert problems[0].line is not None and lines[problems[0].line - 1] == 'text = " "'
    assert problems[1].line is not None and lines[problems[1].line - 1] == 'why = ""'


def test_cloze_alternatives_must_not_be_empty(mini_bank_path: Path, tmp_path: Path) -> None:
    source = mini_bank_path.read_text().replace("{{stimulation}}", "{{stimulation|}}", 1)
    path = tmp_path / "bank.toml"
    path.write_text(source)
    problems = load_bank(path)[1]
    assert [(code_of(p), p.id) for p in problems] == [("cloze-empty-blank", "mini-q-cloze")]
    assert "blank 2 ('{{stimulation|}}') has an empty alternative" in problems[0].message
