"""Item-writing warnings (NBME guide): each fires on a variant of the mini bank, at its threshold,
and can be accepted per question with lint_ignore."""

from __future__ import annotations

import sys
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).parent / "helpers"))
from bank_kit import variant

from trainer.bank import load_bank
from trainer.bank.codes import code_of
from trainer.bank.lint import (
    KEY_SHARE_MIN_QUESTIONS,
    LONG_KEY_RATIO,
    UNFOCUSED,
    absolute_terms,
    lead_in,
)
from trainer.bank.models import Problem
from trainer.bank.words import is_common_word

KEY = "Motor stimulation at about 2 Hz, watching for a leg twitch"
LONGEST_DISTRACTOR = "A contrast injection to outline the epidural space"  # 50 characters


def codes(problems: list[Problem]) -> list[str]:
    return [code_of(p) for p in problems]


def test_mini_bank_has_no_warnings(mini_bank_path: Path) -> None:
    assert load_bank(mini_bank_path)[1] == []


def test_long_key_threshold(mini_bank_path: Path, tmp_path: Path) -> None:
    limit = int(LONG_KEY_RATIO * len(LONGEST_DISTRACTOR))  # 75: not more than 1.5x
    at_limit = "x" * limit
    _, problems = variant(mini_bank_path, tmp_path, (KEY, at_limit))
    assert problems == []
    _, problems = variant(mini_bank_path, tmp_path, (KEY, at_limit + "y"))
    assert codes(problems) == ["long-key"]
    p = problems[0]
    assert (p.id, p.field, p.severity) == ("mini-q-single", "options", "warning")
    assert "correct option A is 76 characters" in p.message
    assert "longest distractor (50)" in p.message


def test_short_options_are_not_long_keys(mini_bank_path: Path, tmp_path: Path) -> None:
    # 3x longer but under the minimum length: length differences of short options mean little
    _, problems = variant(
        mini_bank_path,
        tmp_path,
        (KEY, "Motor stimulation test"),
        (LONGEST_DISTRACTOR, "Contrast"),
        ("A blood glucose check at the bedside", "Glucose"),
        ("An ultrasound scan of the kidneys", "Ultrasound"),
    )
    assert problems == []


def test_long_key_can_be_accepted_with_lint_ignore(mini_bank_path: Path, tmp_path: Path) -> None:
    _, problems = variant(
        mini_bank_path,
        tmp_path,
        (KEY, "y" * 90),
        (
            'difficulty = 2\ntags = ["stimulation"]',
            'difficulty = 2\nlint_ignore = [{ code = "long-key", reason = "must be long" }]',
        ),
    )
    assert problems == []


def test_old_string_lint_ignore_still_accepts_but_asks_for_a_reason(
    mini_bank_path: Path, tmp_path: Path
) -> None:
    path, problems = variant(
        mini_bank_path,
        tmp_path,
        (KEY, "y" * 90),
        ('difficulty = 2\ntags = ["stimulation"]', 'difficulty = 2\nlint_ignore = ["long-key"]'),
    )
    assert codes(problems) == ["lint-ignore-reason"]
    p = problems[0]
    assert (p.id, p.field, p.severity) == ("mini-q-single", "lint_ignore", "warning")
    assert "lint_ignore entry 'long-key' gives no reason" in p.message
    assert p.line is not None
    assert path.read_text().splitlines()[p.line - 1].startswith("lint_ignore = ")
    bank = load_bank(path)[0]
    assert bank is not None
    assert bank.question("mini-q-single").lint_ignore == ("long-key",)


@pytest.mark.parametrize(
    ("text", "terms"),
    [
        ("Always motor stimulation first", "always"),
        ("It is NEVER needed, not in all cases", "all, never"),
        ("Only a sensory test", "only"),
        ("None needed", "none"),
    ],
)
def test_absolute_terms_in_options(
    mini_bank_path: Path, tmp_path: Path, text: str, terms: str
) -> None:
    _, problems = variant(mini_bank_path, tmp_path, ("A blood glucose check at the bedside", text))
    assert codes(problems) == ["absolute-term"]
    assert problems[0].id == "mini-q-single"
    assert f"option C uses the absolute term(s) {terms}:" in problems[0].message


def test_absolute_terms_match_whole_words_only(mini_bank_path: Path, tmp_path: Path) -> None:
    _, problems = variant(
        mini_bank_path,
        tmp_path,
        ("A blood glucose check at the bedside", "An allowance for overall everyday nonesuch"),
    )
    assert problems == []


def test_absolute_term_accepted_with_lint_ignore(mini_bank_path: Path, tmp_path: Path) -> None:
    _, problems = variant(
        mini_bank_path,
        tmp_path,
        ("Loss of hearing on the treated side", "Loss of all hearing"),
        (
            '  { code = "keys-first",',
            '  { code = "absolute-term", reason = "all is the point" },\n  { code = "keys-first",',
        ),
    )
    assert problems == []


def test_negative_lead_in_in_capitals(mini_bank_path: Path, tmp_path: Path) -> None:
    _, problems = variant(
        mini_bank_path,
        tmp_path,
        ("Which check should be made", "Which check is NOT made"),
    )
    assert codes(problems) == ["negative-lead-in"]
    assert (problems[0].id, problems[0].field) == ("mini-q-single", "stem")
    assert "(NOT)" in problems[0].message


def test_negative_word_in_lead_in_but_not_in_vignette(mini_bank_path: Path, tmp_path: Path) -> None:
    _, problems = variant(
        mini_bank_path,
        tmp_path,
        (
            "The needle is in place",
            "His pain has not responded to physiotherapy. The needle is in place",
        ),
    )
    assert problems == []
    _, problems = variant(
        mini_bank_path,
        tmp_path,
        ("Which check should be made before", "Which check is least useful before"),
    )
    assert codes(problems) == ["negative-lead-in"]


def test_open_lead_in_on_single(mini_bank_path: Path, tmp_path: Path) -> None:
    _, problems = variant(
        mini_bank_path,
        tmp_path,
        (
            "Which check should be made before the lesion is heated?",
            "Choose the check before heating.",
        ),
    )
    assert codes(problems) == ["open-lead-in"]
    assert problems[0].line is not None
    text = (tmp_path / "bank.toml").read_text().splitlines()
    assert text[problems[0].line - 1].startswith("stem = ")


def test_retired_questions_are_not_linted(mini_bank_path: Path, tmp_path: Path) -> None:
    _, problems = variant(
        mini_bank_path,
        tmp_path,
        ("Which check should be made before the lesion is heated?", "Choose the check."),
        ('id = "mini-q-single"\n', 'id = "mini-q-single"\nretired = true\n'),
    )
    assert "open-lead-in" not in codes(problems)


def test_lead_in_is_the_last_question() -> None:
    assert lead_in("A man, 58. He is prone. Which test? Select all that apply.") == "Which test?"
    assert lead_in("A statement. Another one.") == "Another one."
    assert lead_in("") == ""


SINGLE = """
[[questions]]
id = "kb-{n}"
type = "single"
kind = "recall"
objectives = ["mini-o-guidance"]
stem = "Which option is right in case {n}?"
explanation = "Because."
{options}"""


def _singles(keys: list[int]) -> str:
    out = []
    for n, key in enumerate(keys):
        options = "".join(
            f'\n[[questions.options]]\ntext = "Choice {c} of {n}"\n'
            f'correct = {"true" if c == key else "false"}\nwhy = "Why {c}."\n'
            for c in range(4)
        )
        out.append(SINGLE.format(n=n, options=options))
    return "".join(out)


def test_key_balance_one_letter_over_40_percent(mini_bank_path: Path, tmp_path: Path) -> None:
    # with the mini bank's own single (key A): 6 singles, keys A A A B C D -> A holds 50%
    extra = _singles([0, 0, 1, 2, 3])
    path = tmp_path / "bank.toml"
    path.write_text(mini_bank_path.read_text() + extra)
    bank, problems = load_bank(path)
    assert bank is not None
    assert codes(problems) == ["key-balance"]
    assert "option A is the key of 3 of 6 4-option single questions" in problems[0].message
    assert problems[0].id == "mini"


def test_key_balance_needs_enough_questions(mini_bank_path: Path, tmp_path: Path) -> None:
    # with the mini bank's single: 4 singles, keys A A A B (75% A, but too few to judge)
    extra = _singles([0] * (KEY_SHARE_MIN_QUESTIONS - 3) + [1])
    path = tmp_path / "bank.toml"
    path.write_text(mini_bank_path.read_text() + extra)
    assert load_bank(path)[1] == []


def test_key_balance_letter_never_the_key(mini_bank_path: Path, tmp_path: Path) -> None:
    # 10 singles: keys A B C A B C A B C + mini's A -> D never, A holds 40% (not more)
    extra = _singles([0, 1, 2, 0, 1, 2, 1, 2, 0])
    path = tmp_path / "bank.toml"
    path.write_text(mini_bank_path.read_text() + extra)
    bank, problems = load_bank(path)
    assert bank is not None
    assert codes(problems) == ["key-balance"]
    assert "option D is never the key of the 10 4-option single questions" in problems[0].message


@pytest.mark.parametrize(
    ("text", "terms"),
    [
        ("The pain is gone for good", ["for good"]),
        ("Relief lasts for good, and then fades", ["for good"]),
        ("Good relief for good reasons", []),  # "for good" only at the end of a clause
        ("A fixed six-month course", ["fixed"]),
        ("There is no need for review", ["no need"]),
        ("There is no chance of recurrence", ["no chance"]),
        ("It cannot return; you can't drive", ["can't", "cannot"]),
        ("It must be repeated", ["must"]),
        ("Imaging alone decides", ["alone"]),
        ("Guidance agrees on it, and the societies agree", ["agree", "agrees"]),
        ("The same relief in each patient", ["same ... each"]),
        ("The same relief. Each patient differs", []),  # not within one clause
        ("It only works completely", ["completely", "only"]),
        ("It carries no risk", ["no risk"]),
        ("Blocks are no longer used", ["no longer"]),
        ("Nothing is felt, whatever the level", ["nothing", "whatever"]),
        ("Mustard, aloneness and fixedness", []),
    ],
)
def test_absolute_term_list(text: str, terms: list[str]) -> None:
    assert absolute_terms(text) == terms


@pytest.mark.parametrize(
    ("stem", "unfocused"),
    [
        ("A man asks about it. Which statement is most accurate?", True),
        ("Which statement is most appropriate?", True),
        ("Which of the following is true?", True),
        ("Which of these statements is correct?", True),
        ("Which is correct?", True),
        ("Which reply is most accurate?", True),
        ("Which answer is most accurate?", True),
        ("Under ASRA guidance, which statement about a repeat ablation is most accurate?", True),
        ("Which statement about his pacemaker is most accurate?", True),
        ("What is the most appropriate next step?", False),
        ("Which is the most appropriate next step?", False),
        ("Which is the most likely explanation?", False),
        ("Which explanation is most accurate?", False),  # names what the options explain
        ("Which advice is most appropriate?", False),
        ("Which imaging does the guideline recommend?", False),
    ],
)
def test_unfocused_lead_ins(stem: str, unfocused: bool) -> None:
    assert bool(UNFOCUSED.search(lead_in(stem))) is unfocused


@pytest.mark.parametrize(
    ("answer", "common"),
    [
        ("pain", True),
        ("Heat", True),
        ("weeks", True),
        ("same", True),
        ("three", True),
        ("fluoroscopy", False),
        ("parallel", False),
        ("medial branch", False),
        ("24", False),
        ("non-surgical", False),
    ],
)
def test_common_cloze_words(answer: str, common: bool) -> None:
    assert is_common_word(answer) is common


def test_cloze_blank_with_alternatives_or_a_term_is_fine(
    mini_bank_path: Path, tmp_path: Path
) -> None:
    stem = "then tested with {{stimulation}}."
    _, problems = variant(mini_bank_path, tmp_path, (stem, "then tested with {{pain|ache}}."))
    assert problems == []
    _, problems = variant(mini_bank_path, tmp_path, (stem, "then tested with {{pain}}."))
    assert codes(problems) == ["cloze-common-word"]
    assert (problems[0].id, problems[0].field) == ("mini-q-cloze", "stem")
    assert "blank 2 accepts only 'pain'" in problems[0].message


def test_keys_first_and_hedged_key_on_a_multiple(mini_bank_path: Path, tmp_path: Path) -> None:
    # the mini multiple accepts keys-first (its options are A, B right, C, D wrong); without that
    # entry it warns; with the correct options interleaved it does not
    ignore = (
        '  { code = "keys-first", reason = "tests across the project address options A and B as'
        ' the correct ones; the app shuffles options" },\n'
    )
    _, problems = variant(mini_bank_path, tmp_path, (ignore, ""))
    assert codes(problems) == ["keys-first"]
    assert "(A, B) all come before the wrong ones (C, D)" in problems[0].message
    _, problems = variant(
        mini_bank_path,
        tmp_path,
        (ignore, ""),
        ("Permanent paralysis of the legs", "Paralysis that lasts for good"),
        ("Loss of hearing on the treated side", "Loss of hearing that must be treated"),
    )
    assert codes(problems) == ["absolute-term", "absolute-term", "hedged-key", "keys-first"]
    hedged = problems[2]
    assert (hedged.id, hedged.field) == ("mini-q-multiple", "options[1].text")
    assert "the key (A, B) has none" in hedged.message
