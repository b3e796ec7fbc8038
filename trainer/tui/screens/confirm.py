"""A yes/no question in a small dialog (used to submit an exam)."""

from __future__ import annotations

from typing import ClassVar

from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Horizontal, Vertical
from textual.screen import ModalScreen
from textual.widgets import Button, Static


class ConfirmScreen(ModalScreen[bool]):
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("y", "answer(True)", "Yes", id="confirm-yes", tooltip="Yes"),
        Binding("n,escape", "answer(False)", "No", id="confirm-no", tooltip="No, go back"),
    ]

    def __init__(
        self,
        question: str,
        detail: str = "",
        *,
        yes: str = "Yes",
        no: str = "No",
        id: str | None = None,
    ):
        super().__init__(id=id)
        self.question = question
        self.detail = detail
        self.yes = yes
        self.no = no

    def compose(self) -> ComposeResult:
        with Vertical(id="confirm-box"):
            yield Static(self.question, id="confirm-question", markup=False)
            if self.detail:
                yield Static(self.detail, id="confirm-detail", classes="hint", markup=False)
            with Horizontal(id="confirm-buttons"):
                yield Button(f"{self.no} (n)", id="confirm-no-button")
                yield Button(f"{self.yes} (y)", id="confirm-yes-button", variant="primary")

    def on_mount(self) -> None:
        self.query_one("#confirm-yes-button", Button).focus()

    def on_button_pressed(self, event: Button.Pressed) -> None:
        self.dismiss(event.button.id == "confirm-yes-button")

    def action_answer(self, yes: bool) -> None:
        self.dismiss(yes)
