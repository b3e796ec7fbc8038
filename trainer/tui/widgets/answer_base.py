"""The common face of the per-type answer widgets, so screens can treat them alike."""

from __future__ import annotations

from typing import TYPE_CHECKING

from textual.binding import Binding
from textual.containers import Vertical
from textual.widget import Widget

if TYPE_CHECKING:
    from trainer.engine import Grade
    from trainer.engine.grading import Response


def enter_bindings(submit_tooltip: str) -> list[Binding]:
    """Enter submits for marking; in an exam the same key keeps the answer and moves on, and the
    footer says which (``AnswerWidget.check_action`` shows the one that applies)."""
    return [
        Binding("enter", "submit", "Submit", id="submit-answer", tooltip=submit_tooltip),
        Binding(
            "enter",
            "keep",
            "Keep",
            id="keep-answer",
            tooltip="Keep this answer and go to the next question",
        ),
    ]


class AnswerWidget(Vertical):
    """A widget that collects one response to one question.

    Subclasses implement ``response``, ``is_complete``, ``missing_hint`` and ``show_grade``.
    ``locked`` is set once the answer is submitted; after that keys no longer change it.
    """

    DEFAULT_CSS = """
    AnswerWidget { height: auto; }
    """

    def __init__(self, *, id: str | None = None, exam: bool = False) -> None:
        super().__init__(id=id)
        self.locked = False
        self.exam = exam
        # In an exam Enter keeps the answer and moves on; elsewhere it submits for marking.
        self.enter_hint = "Enter to keep it and go on" if exam else "Enter to submit"

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        if action in ("submit", "keep"):
            return not self.locked and (action == "keep") == self.exam
        return not self.locked

    def action_submit(self) -> None:
        raise NotImplementedError

    def action_keep(self) -> None:
        self.action_submit()

    def response(self) -> Response:
        raise NotImplementedError

    def is_complete(self) -> bool:
        raise NotImplementedError

    def missing_hint(self) -> str:
        return "Answer the question first."

    def show_grade(self, grade: Grade | None) -> None:
        """Lock the widget and mark what was right and wrong.

        The hints are hidden directly, not by a class on this widget: a class restyles the
        widget's whole subtree, on every submit."""
        self.locked = True
        for hint in self.query(".hint"):
            hint.display = False

    def focus_answer(self) -> None:
        """Give keyboard focus to the part of the widget the trainee types into."""
        self.focus()

    def input_widget(self) -> Widget:
        """The part of the widget the trainee types into (see focus_answer)."""
        return self
