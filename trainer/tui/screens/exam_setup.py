"""Start an exam (a QBank block): how many questions, which topics, timed or untimed, tutor or
block mode."""

from __future__ import annotations

from typing import TYPE_CHECKING, ClassVar

from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Horizontal, Vertical
from textual.screen import ModalScreen
from textual.widgets import Button, Checkbox, Input, SelectionList, Static

from trainer.bank.models import topic_title
from trainer.tui.plain import plain_content
from trainer.tui.widgets.text_input import TextInput

if TYPE_CHECKING:
    from trainer.tui.app import TrainerApp

DEFAULT_EXAM_SIZE = 20
DEFAULT_SECONDS = 90  # per question, as a QBank block


class ExamSetupScreen(ModalScreen[None]):
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape", "cancel", "Cancel", id="exam-setup-cancel", tooltip="Back to home"),
        Binding(
            "enter",
            "enter",
            "Start",
            id="exam-setup-start",
            tooltip="Start the block (Space ticks a box)",
            priority=True,
        ),
    ]

    app: TrainerApp

    def compose(self) -> ComposeResult:
        bank = self.app.engine.bank
        available = len(bank.active_questions)
        default = min(DEFAULT_EXAM_SIZE, available)
        counts: dict[str, int] = {}
        for q in bank.active_questions:
            counts[bank.topic_of(q)] = counts.get(bank.topic_of(q), 0) + 1
        with Vertical(id="exam-setup-box"):
            yield Static("Exam block", classes="panel-title", markup=False)
            with Horizontal(classes="setup-row"):
                yield Static(f"Questions (1-{available})", classes="setup-label", markup=False)
                yield TextInput(
                    value=str(default),
                    id="exam-size",
                    restrict=r"[0-9]*",
                    max_length=4,
                    compact=True,
                )
            with Horizontal(classes="setup-row"):
                yield Static("Seconds each (0: untimed)", classes="setup-label", markup=False)
                yield TextInput(
                    value=str(DEFAULT_SECONDS),
                    id="exam-seconds",
                    restrict=r"[0-9]*",
                    max_length=4,
                    compact=True,
                )
            yield Checkbox("Tutor mode: feedback after each question", id="exam-tutor")
            yield SelectionList[str](
                *(
                    (plain_content(f"{topic_title(t)} ({counts[t]})"), t, True)
                    for t in bank.topics
                    if t in counts
                ),
                id="exam-topics",
            )
            yield Static(
                "Block mode (Tutor unticked): no feedback until you submit; time up submits "
                "the block. Tutor mode: the feedback after each question. "
                "Tab moves between fields; Space ticks; Enter starts.",
                classes="hint",
                markup=False,
            )
            with Horizontal(id="exam-setup-buttons"):
                yield Button("Cancel", id="exam-cancel")
                yield Button("Start (Enter)", id="exam-start", variant="primary")

    def on_mount(self) -> None:
        self.query_one("#exam-topics", SelectionList).border_title = "Topics"
        self.query_one("#exam-size", Input).focus()

    def on_input_submitted(self, event: Input.Submitted) -> None:
        event.stop()
        self.start()

    def action_enter(self) -> None:
        """Enter starts from any field (Space ticks the boxes); on Cancel it cancels."""
        focused = self.focused
        if isinstance(focused, Button) and focused.id == "exam-cancel":
            self.action_cancel()
        else:
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
        topics: list[str] = list(self.query_one("#exam-topics", SelectionList).selected)
        if not topics:
            self.notify("Tick at least one topic.", severity="warning")
            return
        available = len(engine.bank.active_questions)
        text = self.query_one("#exam-size", Input).value.strip()
        if not text.isdigit() or not 1 <= int(text) <= available:
            self.notify(f"Enter a number from 1 to {available}.", severity="warning")
            return
        seconds = self.query_one("#exam-seconds", Input).value.strip() or "0"
        if not seconds.isdigit():
            self.notify("Enter the seconds per question (0 for untimed).", severity="warning")
            return
        seed = self.app.next_seed()
        questions = engine.exam_questions(int(text), seed, topics)
        if not questions:
            self.notify("There are no questions to examine.", severity="warning")
            return
        tutor = self.query_one("#exam-tutor", Checkbox).value
        self.app.start_exam(list(questions), seed, seconds=int(seconds), tutor=tutor)
