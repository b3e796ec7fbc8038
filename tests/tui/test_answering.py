"""Each of the six question types answered right and wrong through the real widgets.

The feedback must say right or wrong in words, give the key, the explanation, the objective and its
source; the rating must land in the SQLite file.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from trainer.bank.models import Bank
from trainer.tui.app import TrainerApp
from trainer.tui.screens.done import DoneScreen
from trainer.tui.screens.question import QuestionScreen

from .conftest import logged
from .helpers import answer, feedback_text, screen_text, settle, text_of

QIDS = [
    "mini-q-single",
    "mini-q-multiple",
    "mini-q-true-false",
    "mini-q-order",
    "mini-q-cloze",
    "mini-q-recall",
]


@pytest.mark.parametrize("right", [True, False], ids=["right", "wrong"])
@pytest.mark.parametrize("qid", QIDS)
async def test_answer_each_type(
    app: TrainerApp, db_path: Path, mini_bank: Bank, qid: str, right: bool
) -> None:
    question = mini_bank.question(qid)
    async with app.run_test(size=(80, 24)) as pilot:
        app.start_practice([question], 1, "")
        await settle(pilot)
        assert isinstance(app.screen, QuestionScreen)
        await answer(pilot, qid, right)

        verdict = feedback_text(pilot, "verdict")
        if qid == "mini-q-recall":
            assert "model answer" in verdict
            assert question.model_answer in screen_text(pilot)
        elif right:
            assert verdict == "Correct."
        else:
            assert verdict.startswith("Not correct")
        text = screen_text(pilot)
        assert question.explanation in text
        objective = mini_bank.objectives[question.objectives[0]]
        assert objective.text in text
        assert mini_bank.citation_text(objective.sources[0]) in text
        if question.options:
            assert all(o.why in text for o in question.options)
        # the answer is recorded when graded, with the suggested rating (recall: Good)
        suggested = 3 if right or qid == "mini-q-recall" else 1
        assert [r["rating"] for r in logged(db_path, qid)] == [suggested]

        # Recall is self-rated: 3 (Good) or 1 (Again); others take the suggestion with Enter.
        await pilot.press(("3" if right else "1") if qid == "mini-q-recall" else "enter")
        await settle(pilot)
        rows = logged(db_path, qid)
        assert [(r["rating"], r["correct"], r["mode"]) for r in rows] == [
            (3 if right else 1, int(right), "practice")
        ]
        assert isinstance(app.screen, DoneScreen)
        assert f"{int(right)} of 1 right" in screen_text(pilot)


async def test_wrong_answer_cannot_be_rated_good(
    app: TrainerApp, db_path: Path, mini_bank: Bank
) -> None:
    async with app.run_test(size=(80, 24)) as pilot:
        app.start_practice([mini_bank.question("mini-q-single")], 1, "")
        await settle(pilot)
        await answer(pilot, "mini-q-single", right=False)
        assert [r["rating"] for r in logged(db_path)] == [1]  # recorded when graded
        await pilot.press("3")
        await settle(pilot)
        assert [r["rating"] for r in logged(db_path)] == [1]  # Good refused for a wrong answer
        assert isinstance(app.screen, QuestionScreen)
        await pilot.press("1")
        await settle(pilot)
        assert [r["rating"] for r in logged(db_path)] == [1]


async def test_strike_rules_an_option_out(app: TrainerApp, mini_bank: Bank) -> None:
    from trainer.tui.widgets.choice_answer import ChoiceAnswer
    from trainer.tui.widgets.choice_options import ChoiceOptions

    async with app.run_test(size=(80, 24)) as pilot:
        app.start_practice([mini_bank.question("mini-q-single")], 1, "")
        await settle(pilot)
        await pilot.press("x", "c")
        widget = app.screen.query_one(ChoiceAnswer)
        options = widget.query_one(ChoiceOptions)
        assert widget.struck == {2} and widget.selected == set()
        assert options.struck == {2}
        assert "(ruled out)" in options.body_text(2)
        await pilot.press("a")
        assert widget.selected == {0} and widget.struck == {2}


async def test_enter_without_an_answer_asks_for_one(app: TrainerApp, db_path: Path) -> None:
    async with app.run_test(size=(80, 24), notifications=True) as pilot:
        app.start_practice([app.engine.bank.question("mini-q-multiple")], 1, "")
        await settle(pilot)
        await pilot.press("enter")
        await settle(pilot)
        screen = app.screen
        assert isinstance(screen, QuestionScreen) and not screen.submitted
        assert any("Tick at least one" in n.message for n in app._notifications)


async def test_recall_rated_hard_counts_as_recalled(
    app: TrainerApp, db_path: Path, mini_bank: Bank
) -> None:
    """The session's tally agrees with the log: a recall rated Hard was recalled."""
    async with app.run_test(size=(80, 24)) as pilot:
        app.start_practice([mini_bank.question("mini-q-recall")], 1, "")
        await settle(pilot)
        await pilot.press("space", "2")
        await settle(pilot)
        assert [(r["rating"], r["correct"]) for r in logged(db_path)] == [(2, 1)]
        assert isinstance(app.screen, DoneScreen)
        assert "1 of 1 right" in screen_text(pilot)


async def test_cloze_feedback_lists_what_each_blank_accepts(
    app: TrainerApp, mini_bank: Bank
) -> None:
    async with app.run_test(size=(80, 24)) as pilot:
        app.start_practice([mini_bank.question("mini-q-cloze")], 1, "")
        await settle(pilot)
        await answer(pilot, "mini-q-cloze", False)  # blank 1 wrong, blank 2 right
        assert text_of(pilot, "#blank-result-1") == (
            "Wrong. Accepted: fluoroscopic / fluoroscopy / x-ray"
        )
        assert text_of(pilot, "#blank-result-2") == "Right. Accepted: stimulation"


async def test_rating_row_in_practice_of_a_card_not_due_shows_no_intervals(
    app: TrainerApp, mini_bank: Bank
) -> None:
    """Practice of a card that is not due (a new one here) changes no schedule, so the row says
    so instead of showing intervals that would not apply."""
    question = mini_bank.question("mini-q-true-false")
    async with app.run_test(size=(80, 24)) as pilot:
        app.start_practice([question], 1, "")
        await settle(pilot)
        await answer(pilot, question.id, True)
        row = text_of(pilot, "#ratings")
        assert "not due: schedule kept" in row
        assert "Good 10m" not in row


async def test_rating_row_in_study_shows_each_next_interval(app: TrainerApp) -> None:
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press("s")
        await settle(pilot)
        assert isinstance(app.screen, QuestionScreen) and app.screen.question is not None
        await answer(pilot, app.screen.question.id, True)
        row = text_of(pilot, "#ratings")
        assert "not due" not in row
        assert "Good 10m" in row  # a new card: learning step 10m (Anki's default)
