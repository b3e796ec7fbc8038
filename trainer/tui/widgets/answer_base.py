"""The common face of the per-type answer widgets, so screens can treat them alike."""

from __future__ import annotations

from typing import TYPE_CHECKING

from textual.containers import Vertical

if TYPE_CHECKING:
    from trainer.engine import Grade
    from trainer.engine.grading import Response


class AnswerWidget(Vertical):
    """A widget that collects one response to one question.

    Subclasses implement ``response``, ``is_complete``, ``missing_hint`` and ``show_grade``.
    ``locked`` is set once the answer is submitted; after that keys no longer change it.
    """

    DEFAULT_CSS = """
    AnswerWidget { height: auto; }
    AnswerWidget.-locked .hint { display: none; }
    """

    def __init__(self, *, id: str | None = None, exam: bool = False) -> None:
        super().__init__(id=id)
        self.locked = False
        # In an exam Enter keeps the answer and moves on; elsewhere it submits for marking.
        self.enter_hint = "Enter to keep it and go on" if exam else "Enter to submit"

    def response(self) -> Response:
        raise NotImplementedError

    def is_complete(self) -> bool:
        raise NotImplementedError

    def missing_hint(self) -> str:
        return "Answer the question first."

    def show_grade(self, grade: Grade | None) -> None:
        """Lock the widget and mark what was right and wrong."""
        self.locked = True
        self.add_class("-locked")

    def focus_answer(self) -> None:
        """Give keyboard focus to the part of the widget the trainee types into."""
        self.focus()
