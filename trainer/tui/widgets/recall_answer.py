"""Free recall: answer in your head, Space reveals the model answer, then rate yourself."""

from __future__ import annotations

from typing import TYPE_CHECKING, ClassVar

from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.reactive import var
from textual.widgets import Static

from trainer.bank.models import Question
from trainer.tui.messages import AnswerSubmitted
from trainer.tui.widgets.answer_base import AnswerWidget

if TYPE_CHECKING:
    from trainer.engine import Grade
    from trainer.engine.grading import Response


class RecallAnswer(AnswerWidget, can_focus=True):
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding(
            "space,enter",
            "reveal",
            "Reveal",
            key_display="Space",
            id="reveal-answer",
            tooltip="Show the model answer, then rate how well you recalled it",
        ),
    ]

    revealed = var(False)

    def __init__(
        self,
        question: Question,
        *,
        initial: Response = None,
        revealed: bool = False,
        exam: bool = False,
    ):
        super().__init__(id="answer", exam=exam)
        self.question = question
        self.set_reveal = revealed

    def compose(self) -> ComposeResult:
        yield Static(
            "Answer in your head, then press Space to reveal the model answer.",
            id="recall-hint",
            classes="hint",
            markup=False,
        )
        yield Static(
            f"Model answer: {self.question.model_answer}",
            id="model-answer",
            markup=False,
        )

    def on_mount(self) -> None:
        self.revealed = self.set_reveal

    def watch_revealed(self, revealed: bool) -> None:
        # shown and hidden directly: a class on this widget would restyle its subtree
        for hint in self.query("#recall-hint"):
            hint.display = not revealed
        for model in self.query("#model-answer"):
            model.display = revealed

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        return not self.revealed

    def action_reveal(self) -> None:
        self.revealed = True
        self.post_message(AnswerSubmitted())

    def is_complete(self) -> bool:
        return self.revealed

    def missing_hint(self) -> str:
        return "Press Space to reveal the model answer first."

    def response(self) -> Response:
        return None

    def show_grade(self, grade: Grade | None) -> None:
        super().show_grade(grade)
        self.revealed = True
