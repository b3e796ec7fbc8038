"""From one choice question to the next, the study screen asks the new one in the same widgets
(QuestionScreen._show, ChoiceAnswer.show_question): nothing of the last question may be left on
them, and the new answer is graded as shown."""

from __future__ import annotations

from trainer.tui.app import TrainerApp
from trainer.tui.screens.question import QuestionScreen
from trainer.tui.widgets.choice_answer import ChoiceAnswer
from trainer.tui.widgets.choice_options import ChoiceOptions

from .helpers import CHOICE_KEYS, choice_keys, feedback_text, settle, text_of


def shown_options(widget: ChoiceAnswer) -> list[str]:
    options = widget.query_one(ChoiceOptions)
    return [options.body_text(i) for i in range(len(options.texts))]


async def test_a_kept_choice_widget_shows_only_the_new_question(app: TrainerApp) -> None:
    bank = app.engine.bank
    choices = [q for q in bank.active_questions if q.id in CHOICE_KEYS]
    assert {q.type for q in choices} == {"single", "multiple", "true_false"}
    async with app.run_test(size=(100, 40)) as pilot:
        app.start_practice(choices * 3, 7, "")
        await settle(pilot)
        screen = app.screen
        assert isinstance(screen, QuestionScreen)
        widgets: set[int] = set()
        answered = 0
        while screen.question is not None:
            question = screen.question
            widget = screen._answer
            assert isinstance(widget, ChoiceAnswer)
            widgets.add(id(widget))
            if question.type == "true_false":
                expected = ["True", "False"]
            else:
                expected = [question.options[i].text for i in widget.order]
                assert sorted(widget.order) == list(range(len(question.options)))
            assert shown_options(widget) == expected  # no row left over, no verdict
            assert text_of(pilot, "#stem") == question.stem
            assert not widget.locked and not widget.selected and not widget.struck
            options = widget.query_one(ChoiceOptions)
            assert not options.selected and not options.struck and not options.verdicts
            hint = text_of(pilot, "#choice-hint")
            assert hint.startswith("Press") and widget.query_one("#choice-hint").display
            await pilot.press(*choice_keys(pilot, question.id, True), "enter")
            await settle(pilot)
            assert feedback_text(pilot, "verdict") == "Correct.", question.id
            answered += 1
            await pilot.press("enter")
            await settle(pilot)
        assert answered == len(choices) * 3
        assert len(widgets) == 1  # the one ChoiceAnswer, kept throughout
