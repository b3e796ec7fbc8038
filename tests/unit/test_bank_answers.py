"""Answer-shape rules on variants of the mini bank: what is and is not a combination option,
"all/none of the above", duplicates and blanks."""

from __future__ import annotations

import sys
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).parent / "helpers"))
from bank_kit import edited, problems_of

from trainer.bank import load_bank
from trainer.bank.codes import code_of
from trainer.bank.models import Problem

DISTRACTOR = "A blood glucose check at the bedside"  # option C of mini-q-single


def with_option_c(mini: Path, tmp: Path, text: str) -> list[Problem]:
    return problems_of(mini, tmp, (DISTRACTOR, text))


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
    path = edited(
        mini_bank_path,
        tmp_path,
        (DISTRACTOR, " "),
        ('why = "Unrelated to the needle position."', 'why = ""'),
    )
    source = path.read_text()
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
    problems = problems_of(mini_bank_path, tmp_path, ("{{stimulation}}", "{{stimulation|}}"))
    assert [(code_of(p), p.id) for p in problems] == [("cloze-empty-blank", "mini-q-cloze")]
    assert "blank 2 ('{{stimulation|}}') has an empty alternative" in problems[0].message


@pytest.mark.parametrize("text", ["All the above", "none of the options above", "ALL ABOVE"])
def test_all_the_above_without_of_is_an_error(
    mini_bank_path: Path, tmp_path: Path, text: str
) -> None:
    problems = with_option_c(mini_bank_path, tmp_path, text)
    assert [code_of(p) for p in problems] == ["all-none-above"]


@pytest.mark.parametrize("text", ["All above the age of 65", "None of the patients above 80"])
def test_above_in_ordinary_text_is_not_all_of_the_above(
    mini_bank_path: Path, tmp_path: Path, text: str
) -> None:
    problems = with_option_c(mini_bank_path, tmp_path, text)
    assert [code_of(p) for p in problems] == ["absolute-term"]  # a warning, not the error


@pytest.mark.parametrize("text", ["Both a and b", "a, b and d", "options b and d"])
def test_combinations_in_lower_case_are_errors(
    mini_bank_path: Path, tmp_path: Path, text: str
) -> None:
    problems = with_option_c(mini_bank_path, tmp_path, text)
    assert [code_of(p) for p in problems] == ["combination-option"]


@pytest.mark.parametrize("blank", ["{{...}}", "{{stimulation|?}}", "{{ - }}"])
def test_a_cloze_answer_of_punctuation_alone_is_empty(
    mini_bank_path: Path, tmp_path: Path, blank: str
) -> None:
    # Grading ignores surrounding punctuation, so such an answer would accept an empty blank.
    problems = problems_of(mini_bank_path, tmp_path, ("{{stimulation}}", blank))
    assert [(code_of(p), p.id, p.field) for p in problems] == [
        ("cloze-empty-blank", "mini-q-cloze", "stem")
    ]
    assert "blank 2" in problems[0].message


def test_an_empty_step_is_reported_once_with_the_true_step_count(
    mini_bank_path: Path, tmp_path: Path
) -> None:
    step = '"Numb the skin with local anaesthetic",'
    problems = problems_of(mini_bank_path, tmp_path, (step, '"  ",'))
    assert [(code_of(p), p.field, p.message) for p in problems] == [
        ("bad-value", "steps", "steps item 2 is empty [bad-value]")
    ]


def test_type_errors_name_the_type_with_the_right_article(
    mini_bank_path: Path, tmp_path: Path
) -> None:
    problems = problems_of(
        mini_bank_path,
        tmp_path,
        ('version = "1.0"', "version = 1"),
        ("difficulty = 2", "difficulty = []"),
    )
    assert sorted(p.message for p in problems) == [
        "difficulty must be an integer, not an array [wrong-type]",
        "version must be a string, not an integer [wrong-type]",
    ]
