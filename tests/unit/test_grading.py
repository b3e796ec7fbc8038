"""Grading: every question type, partial credit, normalisation, bad responses, the log's JSON."""

from __future__ import annotations

import sys
from dataclasses import replace
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

sys.path.insert(0, str(Path(__file__).parent / "helpers"))
from engine_kit import mini_bank

from trainer.engine import (
    Grade,
    GradingError,
    Rating,
    allowed_ratings,
    grade,
    normalise_answer,
    response_from_json,
    response_to_json,
    suggested_rating,
)

BANK = mini_bank()
Q = {q.id: q for q in BANK.questions}


def test_single_right_and_wrong() -> None:
    q = Q["mini-q-single"]
    right = grade(q, 0)
    assert right.correct and right.score == 1.0
    assert right.option_results == (True, True, True, True)
    wrong = grade(q, 2)
    assert not wrong.correct and wrong.score == 0.0
    # option 0 (the key) was missed, option 2 wrongly chosen; the others rightly left alone
    assert wrong.option_results == (False, True, False, True)
    assert "Motor stimulation" in wrong.detail


def test_multiple_is_all_or_nothing_with_partial_credit() -> None:
    q = Q["mini-q-multiple"]  # options 0 and 1 correct
    assert grade(q, frozenset({0, 1})) == Grade(
        True, 1.0, "2 of 2 correct options chosen, 0 wrong", option_results=(True,) * 4
    )
    half = grade(q, frozenset({0}))
    assert not half.correct and half.score == 0.5
    assert half.detail == "1 of 2 correct options chosen, 0 wrong"
    assert half.option_results == (True, False, True, True)
    mixed = grade(q, frozenset({0, 1, 3}))
    assert not mixed.correct and mixed.score == 0.5
    assert mixed.detail == "2 of 2 correct options chosen, 1 wrong"
    assert grade(q, frozenset({2, 3})).score == 0.0
    assert grade(q, frozenset()).score == 0.0


def test_true_false() -> None:
    q = Q["mini-q-true-false"]  # answer = true
    assert grade(q, True).correct
    g = grade(q, False)
    assert not g.correct and "true" in g.detail


def test_order_all_or_nothing_with_pairwise_partial_credit() -> None:
    q = Q["mini-q-order"]  # 5 steps
    assert grade(q, (0, 1, 2, 3, 4)).correct
    swapped = grade(q, (1, 0, 2, 3, 4))
    assert not swapped.correct
    assert swapped.score == pytest.approx(9 / 10)
    assert swapped.option_results == (False, False, True, True, True)
    assert swapped.detail == (
        "3 of 5 steps in the right place; 9 of 10 pairs of steps in the right order"
    )
    assert grade(q, (4, 3, 2, 1, 0)).score == 0.0


def test_cloze_normalises_and_accepts_alternatives() -> None:
    q = Q["mini-q-cloze"]  # {{fluoroscopic|fluoroscopy|x-ray}} ... {{stimulation}}
    g = grade(q, ("  X-RAY ", "Stimulation."))
    assert g.correct and g.blank_results == (True, True) and g.score == 1.0
    g = grade(q, ("fluoroscopy", "heat"))
    assert not g.correct and g.blank_results == (True, False) and g.score == 0.5
    assert g.detail == "1 of 2 blanks right"


def test_normalise_answer() -> None:
    assert normalise_answer("  Hello,   World!  ") == "hello, world"
    assert normalise_answer("«Straße»") == "strasse"
    assert normalise_answer("...") == ""
    assert normalise_answer("x-ray") == "x-ray"


@pytest.mark.parametrize(
    ("qid", "response"),
    [
        ("mini-q-single", 9),
        ("mini-q-single", True),
        ("mini-q-single", "0"),
        ("mini-q-multiple", {0, 1}),
        ("mini-q-multiple", frozenset({7})),
        ("mini-q-true-false", 1),
        ("mini-q-order", (0, 1, 2)),
        ("mini-q-order", (0, 0, 1, 2, 3)),
        ("mini-q-cloze", ("only one",)),
        ("mini-q-cloze", "fluoroscopy"),
        ("mini-q-recall", None),
    ],
)
def test_bad_responses_are_clear_errors(qid: str, response: object) -> None:
    with pytest.raises(GradingError, match=qid):
        grade(Q[qid], response)  # type: ignore[arg-type]


def test_ratings_follow_the_grade() -> None:
    right = grade(Q["mini-q-true-false"], True)
    wrong = grade(Q["mini-q-true-false"], False)
    assert suggested_rating(right) == Rating.GOOD
    assert suggested_rating(wrong) == Rating.AGAIN
    assert allowed_ratings(right) == (Rating.HARD, Rating.GOOD, Rating.EASY)
    assert allowed_ratings(wrong) == (Rating.AGAIN,)


responses = st.one_of(
    st.none(),
    st.booleans(),
    st.integers(min_value=0, max_value=50),
    st.frozensets(st.integers(min_value=0, max_value=9)),
    st.lists(st.integers(min_value=0, max_value=9)).map(tuple),
    st.lists(st.text(), min_size=1).map(tuple),
)


@given(responses)
def test_response_json_round_trips(response: object) -> None:
    back = response_from_json(response_to_json(response))  # type: ignore[arg-type]
    assert back == response
    assert type(back) is type(response)


@pytest.mark.parametrize(
    "text",
    [
        "",
        "nonsense",
        "[1, 2]",
        '{"index": "x"}',
        '{"zz": 1}',
        '{"set": ["x"]}',
        '{"set": [1.5]}',
        '{"order": [0, true]}',
        '{"text": ["a", 1]}',
    ],
)
def test_response_from_bad_json(text: str) -> None:
    with pytest.raises(GradingError):
        response_from_json(text)


def test_an_empty_cloze_answer_is_never_right() -> None:
    # Even if a blank's only answer is punctuation (the checker refuses that bank), an empty or
    # punctuation-only response does not match it.
    q = replace(Q["mini-q-cloze"], stem="Type {{...}} then {{stimulation}}.")
    for given_text in ("", "   ", "..", "!"):
        g = grade(q, (given_text, "stimulation"))
        assert g.blank_results == (False, True) and not g.correct


def test_one_edit_of_a_long_answer_is_accepted_as_spelling() -> None:
    q = Q["mini-q-cloze"]  # {{fluoroscopic|fluoroscopy|x-ray}} ... {{stimulation}}
    for typo in (
        "flouroscopy",
        "fluoroscpy",
        "fluoroscopyy",
        "fluorascopy",
    ):  # swap, drop, add, sub
        g = grade(q, (typo, "stimulation"))
        assert g.correct and g.blank_results == (True, True), typo
        assert g.spelling == (True, False) and g.accepted_spelling
        assert g.detail == "2 of 2 blanks right; blank 1 accepted (spelling)"
    g = grade(q, ("fluoroscopy", "stimulation"))
    assert g.spelling == () and not g.accepted_spelling and g.detail == "2 of 2 blanks right"


def test_two_edits_or_a_short_answer_are_not_spelling() -> None:
    q = Q["mini-q-cloze"]
    assert not grade(q, ("flouroscpy", "stimulation")).correct  # two edits
    assert not grade(q, ("fluoroscopy", "simulaton")).correct  # two edits
    assert grade(q, ("fluoroscopy", "stimualtion")).spelling == (False, True)
    short = replace(q, stem="The {{facet}} joint and the {{disc}}.")
    assert grade(short, ("facett", "disc")).correct  # "facet": five letters
    assert not grade(short, ("facet", "dsic")).correct  # "disc": four letters, a swap
    assert not grade(short, ("facet", "disk")).correct
    assert not grade(short, ("", "disc")).correct
    xray = replace(q, stem="Under {{x-ray}} then {{stimulation}}.")
    assert not grade(xray, ("x-raw", "stimulation")).correct  # "x-ray": four letters


@pytest.mark.parametrize(
    ("a", "b", "close"),
    [
        ("facet", "facet", True),
        ("facet", "faect", True),
        ("facet", "afcet", True),
        ("facet", "facte", True),
        ("facet", "facets", True),
        ("facet", "acet", True),
        ("facet", "fxcet", True),
        ("facet", "fcaet", True),
        ("facet", "tecaf", False),
        ("facet", "fac", False),
        ("facet", "faxxt", False),
        ("abc", "bca", False),
    ],
)
def test_within_one_edit(a: str, b: str, close: bool) -> None:
    from trainer.engine.grading import within_one_edit

    assert within_one_edit(a, b) is close
    assert within_one_edit(b, a) is close


def test_a_different_real_word_one_edit_away_is_not_a_misspelling() -> None:
    from trainer.engine.grading import CONFUSABLE, within_one_edit

    q = Q["mini-q-cloze"]
    for key, other in (("ileum", "ilium"), ("peroneal nerve", "perineal nerve")):
        mixed = replace(q, stem=f"The {{{{{key}}}}} then {{{{stimulation}}}}.")
        assert not grade(mixed, (other, "stimulation")).correct
        assert grade(mixed, (key, "stimulation")).correct
    sub = replace(q, stem="The {{adductor}} then {{stimulation}}.")
    assert grade(sub, ("aductor", "stimulation")).accepted_spelling  # a typo still passes
    assert not grade(sub, ("abductor", "stimulation")).correct
    # every pair listed is one edit apart (otherwise it would never have passed anyway)
    assert all(within_one_edit(*sorted(pair)) for pair in CONFUSABLE)
