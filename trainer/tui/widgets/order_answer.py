"""Ordering: the steps shown shuffled; the trainee moves them into order."""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING, ClassVar

from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Horizontal
from textual.widgets import Static

from trainer.bank.models import Question
from trainer.tui.messages import AnswerSubmitted
from trainer.tui.widgets.answer_base import AnswerWidget, enter_bindings

if TYPE_CHECKING:
    from trainer.engine import Grade
    from trainer.engine.grading import Response


class OrderAnswer(AnswerWidget, can_focus=True):
    """Up/down moves the cursor; shift+up/down moves the step under it; Enter submits."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("up", "cursor(-1)", "Up", show=False, id="order-cursor-up", tooltip="Cursor up"),
        Binding(
            "down", "cursor(1)", "Down", show=False, id="order-cursor-down", tooltip="Cursor down"
        ),
        Binding(
            "shift+up",
            "move(-1)",
            "Move up",
            key_display="⇧↑",
            id="order-move-up",
            tooltip="Move the step under the cursor up",
        ),
        Binding(
            "shift+down",
            "move(1)",
            "Move down",
            key_display="⇧↓",
            id="order-move-down",
            tooltip="Move the step under the cursor down",
        ),
        *enter_bindings("Submit this order"),
    ]

    def __init__(
        self,
        question: Question,
        *,
        arrangement: Sequence[int] = (),
        initial: Response = None,
        exam: bool = False,
    ) -> None:
        super().__init__(id="answer", exam=exam)
        self.question = question
        count = len(question.steps)
        if isinstance(initial, tuple) and sorted(map(int, initial)) == list(range(count)):
            self.arrangement = [int(i) for i in initial]
            self.touched = True
        else:
            valid = sorted(arrangement) == list(range(count))
            self.arrangement = [int(i) for i in arrangement] if valid else list(range(count))
            self.touched = False  # moved at least one step (an untouched order is no answer)
        self.cursor = 0
        self.verdicts: list[str] = []

    def compose(self) -> ComposeResult:
        for _pos in range(len(self.arrangement)):
            with Horizontal(classes="step-row"):
                yield Static("", classes="key", markup=False)
                yield Static("", classes="text", markup=False)
        yield Static(
            f"↑/↓ choose a step, Shift+↑/↓ move it, {self.enter_hint}.",
            classes="hint",
            id="order-hint",
            markup=False,
        )

    def on_mount(self) -> None:
        self._refresh_rows()

    def _refresh_rows(self) -> None:
        rows = list(self.query(".step-row").results(Horizontal))
        for pos, row in enumerate(rows):
            here = pos == self.cursor and not self.locked
            pointer = ">" if here else " "
            row.set_class(here, "-cursor")
            row.query_one(".key", Static).update(f" {pointer} {pos + 1}.")
            text = self.question.steps[self.arrangement[pos]]
            if self.verdicts:
                text += f"  <- {self.verdicts[pos]}"
                row.set_class(self.arrangement[pos] == pos, "-correct")
                row.set_class(self.arrangement[pos] != pos, "-wrong")
            row.query_one(".text", Static).update(text)
        if self.locked:
            self.query_one("#order-hint", Static).update("")

    def action_cursor(self, delta: int) -> None:
        self.cursor = (self.cursor + delta) % len(self.arrangement)
        self._refresh_rows()

    def action_move(self, delta: int) -> None:
        target = self.cursor + delta
        if 0 <= target < len(self.arrangement):
            a = self.arrangement
            a[self.cursor], a[target] = a[target], a[self.cursor]
            self.cursor = target
            self.touched = True
            self._refresh_rows()

    def action_submit(self) -> None:
        self.post_message(AnswerSubmitted())

    def is_complete(self) -> bool:
        return self.touched

    def response(self) -> Response:
        return tuple(self.arrangement)

    def show_grade(self, grade: Grade | None) -> None:
        super().show_grade(grade)
        self.verdicts = [
            "right place" if step == pos else f"belongs at {step + 1}"
            for pos, step in enumerate(self.arrangement)
        ]
        self._refresh_rows()
