"""A cloze answer accepted as a misspelling says so in the feedback ("accepted (spelling)")."""

from __future__ import annotations

from textual.app import App, ComposeResult

from trainer.bank.models import Bank
from trainer.engine import grade
from trainer.tui.widgets.feedback import Feedback


class FeedbackApp(App[None]):
    def __init__(self, feedback: Feedback) -> None:
        super().__init__()
        self.feedback = feedback

    def compose(self) -> ComposeResult:
        yield self.feedback


async def test_the_feedback_says_a_misspelling_was_accepted(mini_bank: Bank) -> None:
    q = mini_bank.question("mini-q-cloze")
    g = grade(q, ("flouroscopy", "stimulation"))
    assert g.correct
    app = FeedbackApp(Feedback(mini_bank, q, g))
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        feedback = app.query_one(Feedback)
        verdict, detail = feedback.text("verdict"), feedback.text("detail")
    assert verdict == "Correct."
    assert detail == "2 of 2 blanks right; blank 1 accepted (spelling)"
