"""Focus and keys: Tab never leaves the answer (it moves between a cloze's blanks and does nothing
on a choice question or the rating bar), letters typed in a blank always go into a blank, ctrl+c
quits (asking first when a session is in progress, saying it is kept), and after a wrong answer
only Again is shown, with "o I was right"."""

from __future__ import annotations

import json
from pathlib import Path

from trainer.bank.models import Bank
from trainer.engine.grading import is_override
from trainer.tui.app import TrainerApp
from trainer.tui.screens.confirm import ConfirmScreen
from trainer.tui.screens.done import DoneScreen
from trainer.tui.screens.question import QuestionScreen
from trainer.tui.widgets.choice_answer import ChoiceAnswer
from trainer.tui.widgets.cloze_answer import BlankInput
from trainer.tui.widgets.rating_bar import RatingBar

from .conftest import AppFactory, logged
from .helpers import answer, choice_keys, feedback_text, settle, text_of, type_blanks


async def test_tab_moves_between_the_blanks_and_letters_always_land_in_one(
    app: TrainerApp, mini_bank: Bank, db_path: Path
) -> None:
    async with app.run_test(size=(80, 24)) as pilot:
        app.start_practice([mini_bank.question("mini-q-cloze")], 1, "")
        await settle(pilot)
        blanks = list(app.screen.query(BlankInput))
        assert len(blanks) == 2 and app.focused is blanks[0]
        await pilot.press("tab")
        assert app.focused is blanks[1]
        await pilot.press("tab")  # past the last blank: back to the first, not off the answer
        assert app.focused is blanks[0]
        await pilot.press("shift+tab")
        assert app.focused is blanks[1]
        await pilot.press("tab", "f", "u")  # would flag and undo if they left the blanks
        assert blanks[0].value == "fu"
        assert logged(db_path) == []
        assert not app.engine.is_flagged("mini-q-cloze")


async def test_tab_does_nothing_on_a_choice_question_graded_or_not(
    app: TrainerApp, mini_bank: Bank
) -> None:
    async with app.run_test(size=(80, 24)) as pilot:
        app.start_practice([mini_bank.question("mini-q-single")], 1, "")
        await settle(pilot)
        widget = app.screen.query_one(ChoiceAnswer)
        await pilot.press("tab", "tab", "shift+tab")
        assert app.focused is widget
        await pilot.press(*choice_keys(pilot, "mini-q-single", True))  # letters still choose
        assert widget.selected
        await pilot.press("enter")
        await settle(pilot)
        assert app.screen.query_one(RatingBar).display
        await pilot.press("tab", "shift+tab")
        assert app.focused is widget  # graded: the answer keeps the focus, the ratings apply
        await pilot.press("3")
        await settle(pilot)
        assert isinstance(app.screen, DoneScreen)


async def test_after_a_wrong_answer_only_again_shows_and_other_ratings_are_silent(
    app: TrainerApp, mini_bank: Bank, db_path: Path
) -> None:
    async with app.run_test(size=(80, 24)) as pilot:
        app.start_practice([mini_bank.question("mini-q-single")], 1, "")
        await settle(pilot)
        await answer(pilot, "mini-q-single", False)
        await settle(pilot)
        bar = text_of(pilot, "#ratings")
        assert "1 Again" in bar and "o I was right" in bar
        assert "Hard" not in bar and "Good" not in bar and "Easy" not in bar
        await pilot.press("3")
        await settle(pilot)
        assert isinstance(app.screen, QuestionScreen) and not list(app._notifications)
        assert [r["rating"] for r in logged(db_path)] == [1]


async def test_i_was_right_reschedules_as_right_and_is_logged_as_an_override(
    app: TrainerApp, mini_bank: Bank, db_path: Path
) -> None:
    async with app.run_test(size=(80, 24)) as pilot:
        app.start_practice([mini_bank.question("mini-q-cloze")], 1, "")
        await settle(pilot)
        await type_blanks(pilot, ["Flouroscopyy", "stimulation"])  # two typos: graded wrong
        await pilot.press("enter")
        await settle(pilot)
        assert feedback_text(pilot, "verdict").startswith("Not correct")
        await pilot.press("o")
        await settle(pilot)
        bar = text_of(pilot, "#ratings")
        assert "Overridden" in bar and "Hard" in bar and "Easy" in bar
        assert "Again" not in bar and "I was right" not in bar
        await pilot.press("4")
        await settle(pilot)
        assert isinstance(app.screen, DoneScreen)
    [row] = logged(db_path, "mini-q-cloze")
    assert (row["rating"], row["correct"]) == (4, 1)
    assert is_override(row["response"])
    assert json.loads(row["response"])["text"] == ["Flouroscopyy", "stimulation"]


async def test_ctrl_c_asks_during_a_session_and_says_it_is_kept(
    app: TrainerApp, mini_bank: Bank
) -> None:
    async with app.run_test(size=(80, 24)) as pilot:
        app.start_practice([mini_bank.question("mini-q-cloze")], 1, "")
        await settle(pilot)
        await pilot.press("ctrl+c")
        await pilot.pause()
        assert isinstance(app.screen, ConfirmScreen)
        assert "kept for next time" in text_of(pilot, "#confirm-detail")
        await pilot.press("n")
        await pilot.pause()
        assert isinstance(app.screen, QuestionScreen)
        await pilot.press("ctrl+c", "y")
        await settle(pilot)
    assert app.return_code == 0 and not app.is_running


async def test_ctrl_c_quits_at_once_with_nothing_in_progress(app: TrainerApp) -> None:
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press("ctrl+c")
        await pilot.pause()
        assert not app.is_running


async def test_a_rating_remapped_onto_flag_leaves_flag_working_while_answering(
    new_app: AppFactory, mini_bank: Bank, tmp_path: Path
) -> None:
    """The rating keys are the body's and the bar's, not the screen's: a [keys] remap of one
    never takes a key from the screen's own bindings (Textual's keymap drops a binding whose
    key another binding of the same namespace is given)."""
    (tmp_path / "config.toml").write_text('[keys]\nrate-good = "3,f"\n')
    app = new_app()
    async with app.run_test(size=(80, 24)) as pilot:
        app.start_practice([mini_bank.question("mini-q-single")], 1, "")
        await settle(pilot)
        await pilot.press("f")  # answering: f flags
        await settle(pilot)
        assert app.engine.is_flagged("mini-q-single")
        await answer(pilot, "mini-q-single", True)
        await pilot.press("f")  # graded: f is Good, as remapped
        await settle(pilot)
        assert isinstance(app.screen, DoneScreen)


async def test_a_remapped_more_key_scrolls_the_question_while_answering(
    new_app: AppFactory, mini_bank: Bank, tmp_path: Path
) -> None:
    (tmp_path / "config.toml").write_text('[keys]\nquestion-page-down = "j"\n')
    app = new_app()
    async with app.run_test(size=(40, 12)) as pilot:
        app.start_practice([mini_bank.question("mini-q-order")], 1, "")
        await settle(pilot)
        body = app.screen.query_one("#body")
        assert body.max_scroll_y > 0 and body.scroll_y == 0
        await pilot.press("j")
        await settle(pilot)
        assert body.scroll_y > 0


async def test_the_answer_keeps_the_focus_after_i_was_right(
    app: TrainerApp, mini_bank: Bank
) -> None:
    async with app.run_test(size=(80, 24)) as pilot:
        app.start_practice([mini_bank.question("mini-q-single")], 1, "")
        await settle(pilot)
        await answer(pilot, "mini-q-single", False)
        await pilot.press("o")
        await settle(pilot)
        assert "Overridden" in text_of(pilot, "#ratings")
        assert isinstance(app.focused, ChoiceAnswer)  # asked anew, graded: not the bar
        await pilot.press("3")
        await settle(pilot)
        assert isinstance(app.screen, DoneScreen)


async def test_a_wrapped_verdict_is_scrolled_into_view_whole(
    app: TrainerApp, mini_bank: Bank
) -> None:
    from trainer.tui.widgets.feedback import Feedback

    async with app.run_test(size=(50, 16)) as pilot:
        app.start_practice([mini_bank.question("mini-q-recall")], 1, "")
        await settle(pilot)
        await pilot.press("space")
        await settle(pilot)
        body = app.screen.query_one("#body")
        feedback = app.screen.query_one(Feedback)
        verdict = feedback.first_line_region()
        assert verdict.height >= 3  # margin, border, and a verdict that wraps at this width
        assert body.scroll_y <= verdict.y
        assert verdict.bottom <= body.scroll_y + body.scrollable_content_region.height
