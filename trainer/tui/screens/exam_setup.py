"""Start an exam: how many questions (default 20)."""

from __future__ import annotations

from typing import TYPE_CHECKING, ClassVar

from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Horizontal, Vertical
from textual.screen import ModalScreen
from textual.widgets import Button, Input, Static

from trainer.tui.widgets.text_input import TextInput

if TYPE_CHECKING:
    from trainer.tui.app import TrainerApp

DEFAULT_EXAM_SIZE = 20


class ExamSetupScreen(ModalScreen[None]):
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape", "cancel", "Cancel", id="exam-setup-cancel", tooltip="Back to home"),
    ]

    app: TrainerApp

    def compose(self) -> ComposeResult:
        available = len(self.app.engine.bank.active_questions)
        default = min(DEFAULT_EXAM_SIZE, available)
        with Vertical(id="exam-setup-box"):
            yield Static("Exam", classes="panel-title", markup=False)
            yield Static(
                f"How many questions? (1-{available}). No feedback until you submit; a timer runs.",
                markup=False,
            )
            yield TextInput(value=str(default), id="exam-size", restrict=r"[0-9]*", max_length=4)
            with Horizontal(id="exam-setup-buttons"):
                yield Button("Cancel", id="exam-cancel")
                yield Button("Start (Enter)", id="exam-start", variant="primary")

    def on_mount(self) -> None:
        self.query_one("#exam-size", Input).focus()

    def on_input_submitted(self, event: Input.Submitted) -> None:
        event.stop()
        self.start()

    def on_button_pressed(self, event: Button.Pressed) -> None:
        if event.button.id == "exam-start":
            self.start()
        else:
            self.action_cancel()

    def action_cancel(self) -> None:
        self.dismiss(None)

    def start(self) -> None:
        engine = self.app.engine
        available = len(engine.bank.active_questions)
        text = self.query_one("#exam-size", Input).value.strip()
        if not text.isdigit() or not 1 <= int(text) <= available:
            self.notify(f"Enter a number from 1 to {available}.", severity="warning")
            return
        seed = self.app.next_seed()
        questions = engine.exam_questions(int(text), seed)
        if not questions:
            self.notify("There are no questions to examine.", severity="warning")
            return
        self.app.start_exam(list(questions), seed)
