"""The end of a study or practice session: 'All done for today' and when the next review is due."""

from __future__ import annotations

from typing import TYPE_CHECKING, ClassVar

from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Vertical
from textual.screen import Screen
from textual.widgets import Static

from trainer.sessions import Summary
from trainer.tui.formatting import format_due, format_when
from trainer.tui.widgets.key_bar import KeyBar

if TYPE_CHECKING:
    from trainer.tui.app import TrainerApp


def next_due_text(app: TrainerApp) -> str:
    engine = app.engine
    now = engine.now()
    nxt = app.read(engine.next_due)  # from the cards_due index: not every card read
    if nxt is None:
        return "Nothing is scheduled yet."
    return f"Next review due {format_due(nxt, now)} ({format_when(nxt)})."


class DoneScreen(Screen[None]):
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape,enter,h", "app.home", "Home", id="done-home", tooltip="Back to home"),
    ]

    app: TrainerApp

    def __init__(self, summary: Summary) -> None:
        super().__init__()
        self.summary = summary

    def compose(self) -> ComposeResult:
        deck = self.summary
        with Vertical(id="done-box", classes="panel"):
            if deck.kind == "study":
                yield Static("All done for today", id="done-title", markup=False)
                answered = f"You answered {deck.done} question{'s' if deck.done != 1 else ''}"
                yield Static(f"{answered}, {deck.correct} right.", markup=False)
                yield Static(next_due_text(self.app), id="next-due", markup=False)
            else:
                yield Static("Practice finished", id="done-title", markup=False)
                yield Static(
                    f"{deck.correct} of {deck.done} right. {deck.description}".strip(),
                    markup=False,
                )
            yield Static("Press Enter to go home.", classes="hint", markup=False)
        yield KeyBar()
