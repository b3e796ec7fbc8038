"""Ordering: the steps shown shuffled; the trainee moves them into order."""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING, ClassVar

from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.widgets import Static

from trainer.bank.models import Question
from trainer.tui.messages import AnswerSubmitted
from trainer.tui.widgets.answer_base import AnswerWidget, enter_bindings
from trainer.tui.widgets.choice_options import KeyedRows

if TYPE_CHECKING:
    from trainer.engine import Grade
    from trainer.engine.grading import Response


class StepRows(KeyedRows):
    """The steps as arranged now: `` > 1.  Step text`` (the cursor's row highlighted), and once
    marked each step's place in words. One widget for all the steps (as ChoiceOptions)."""

    key_width = 7

    COMPONENT_CLASSES: ClassVar[set[str]] = {
        "step-rows--cursor",
        "step-rows--correct",
        "step-rows--wrong",
    }

    DEFAULT_CSS = """
    StepRows { height: auto; width: 1fr; }
    StepRows > .step-rows--cursor { background: $boost; text-style: bold; }
    StepRows > .step-rows--correct { color: $text-success; }
    StepRows > .step-rows--wrong { color: $text-error; }
    """

    def __init__(self, answer: OrderAnswer) -> None:
        super().__init__(id="order-steps")
        self.answer = answer

    def row_count(self) -> int:
        return len(self.answer.arrangement)

    def row(self, index: int) -> tuple[str, str, tuple[str, ...], tuple[str, ...]]:
        answer = self.answer
        here = index == answer.cursor and not answer.locked
        step = answer.arrangement[index]
        text = answer.question.steps[step]
        classes: list[str] = []
        if here:
            classes.append("step-rows--cursor")
        if answer.verdicts:
            text += f"  <- {answer.verdicts[index]}"
            classes.append("step-rows--correct" if step == index else "step-rows--wrong")
        key = f" {'>' if here else ' '} {index + 1}."
        return key, text, tuple(classes), tuple(classes)


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
        yield StepRows(self)
        yield Static(
            f"↑/↓ choose a step, Shift+↑/↓ move it, {self.enter_hint}.",
            classes="hint",
            id="order-hint",
            markup=False,
        )

    def _refresh_rows(self) -> None:
        rows = self.query("#order-steps")
        if rows:
            rows.first(StepRows).redraw()
        if self.locked:
            hint = self.query("#order-hint")
            if hint:
                hint.first(Static).display = False

    def action_cursor(self, delta: int) -> None:
        self.cursor = (self.cursor + delta) % len(self.arrangement)
        self._refresh_rows()

    def on_keyed_rows_clicked(self, event: KeyedRows.Clicked) -> None:
        """A click on a step puts the cursor on it (then Shift+arrows move it)."""
        event.stop()
        if not self.locked and 0 <= event.index < len(self.arrangement):
            self.cursor = event.index
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
