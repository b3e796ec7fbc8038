"""The study screen keeps its stem, feedback and rating bar for the whole session and fills them in
again for each question (QuestionScreen._show, Feedback.show_question): whatever the order of
question types, the feedback shows only the question just answered, hidden while the next one is
answered, and the key bar shows the keys that apply (the ones it has no use for are hidden)."""

from __future__ import annotations

from textual.widgets import Static
from textual.widgets._footer import FooterKey

from trainer.tui.app import TrainerApp
from trainer.tui.screens.question import QuestionScreen
from trainer.tui.widgets.feedback import Feedback
from trainer.tui.widgets.key_bar import KeyBar
from trainer.tui.widgets.rating_bar import RatingBar

from .helpers import answer, drawn_text, feedback_text, settle


def shown_keys(screen: QuestionScreen) -> list[str]:
    keys = screen.query_one(KeyBar).query(FooterKey).exclude(".-command-palette")
    return [k.description for k in keys if k.display]


def bound_keys(screen: QuestionScreen) -> list[str]:
    """What the key bar should show: one key per action (Enter and Space take the suggestion)."""
    by_action = {
        b.action: b.description for (_, b, _, _) in screen.active_bindings.values() if b.show
    }
    return list(by_action.values())


async def test_the_kept_feedback_shows_only_the_question_just_answered(app: TrainerApp) -> None:
    bank = app.engine.bank
    questions = sorted(bank.active_questions, key=lambda q: q.id)
    # every type after every other: choice after recall, cloze after choice, ...
    order = questions + questions[::-1]
    async with app.run_test(size=(100, 40)) as pilot:
        app.start_practice(order, 7, "")
        await settle(pilot)
        screen = app.screen
        assert isinstance(screen, QuestionScreen)
        feedbacks: set[int] = set()
        bars: set[int] = set()
        stems: set[int] = set()
        answered = 0
        while screen.question is not None:
            question = screen.question
            stem = screen.query_one("#stem", Static)
            stems.add(id(stem))
            assert all(not f.display for f in screen.query(Feedback)), question.id
            assert all(not b.display for b in screen.query(RatingBar)), question.id
            assert shown_keys(screen) == bound_keys(screen), question.id
            assert "Suggested" not in shown_keys(screen)
            answer_widget = screen.query_one("#answer")
            assert [h.display for h in answer_widget.query(".hint")] == [True], question.id
            if question.type == "recall":
                assert not answer_widget.query_one("#model-answer").display
            if question.type == "cloze":
                assert not any(r.display for r in answer_widget.query(".blank-result"))
            await answer(pilot, question.id, answered % 2 == 0)
            feedback = screen.query_one(Feedback)
            bar = screen.query_one(RatingBar)
            feedbacks.add(id(feedback))
            bars.add(id(bar))
            assert feedback.display and bar.display
            # the answer keeps the focus (the screen's rating keys apply), but a cloze's
            # blanks are disabled: the bar takes it
            keeper = bar if question.type == "cloze" else answer_widget
            assert app.focused is keeper, question.id
            # the answer, locked: its hints hidden, what it reveals shown
            answer_widget = screen.query_one("#answer")
            assert all(not h.display for h in answer_widget.query(".hint")), question.id
            if question.type == "recall":
                assert answer_widget.query_one("#model-answer").display
            if question.type == "cloze":
                results = answer_widget.query(".blank-result")
                assert results and all(r.display for r in results)
            assert feedback.question is question
            text = feedback_text(pilot, "main")
            # what is drawn, not only what the widget holds: this question's, not a kept one's
            drawn = drawn_text(feedback)
            assert drawn.startswith(" ".join(feedback_text(pilot, "verdict").split())), drawn
            assert " ".join(f"Explanation: {question.explanation}".split()) in drawn, question.id
            assert f"Explanation: {question.explanation}" in text, question.id
            why = feedback_text(pilot, "why")
            assert bool(why) == bool(question.options), question.id
            for option in question.options:
                assert option.why in why
            for oid in question.objectives:
                assert bank.objectives[oid].text in feedback_text(pilot, "objective")
            assert shown_keys(screen) == bound_keys(screen)
            assert "Suggested" in shown_keys(screen)
            answered += 1
            await pilot.press("enter")
            await settle(pilot)
        assert answered == len(order)
        # one feedback, one rating bar and one stem for the whole session
        assert len(feedbacks) == len(bars) == len(stems) == 1
