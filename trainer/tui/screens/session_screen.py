"""What the study, practice and exam screens share: database work off the UI thread, and keys
kept while it runs.

While a session call runs (see tui/dbwork.py), keyboard focus sits on an invisible KeyBuffer that
keeps every key (Escape still goes home at once); when the call is done and the screen shows its
result, the kept keys are replayed in order, so nothing typed meanwhile is lost or lands on a
screen that has gone.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING, Any

from textual import events
from textual.screen import Screen
from textual.widget import Widget

from trainer.tui.messages import DbDone, DbFailed

if TYPE_CHECKING:
    from trainer.tui.app import TrainerApp

PASS_THROUGH = frozenset({"escape", "ctrl+q"})


class KeyBuffer(Widget, can_focus=True):
    """Holds keys while the screen waits for the database."""

    DEFAULT_CSS = """
    KeyBuffer { width: 0; height: 0; }
    """

    def __init__(self) -> None:
        super().__init__(id="key-buffer")
        self.keys: list[tuple[str, str | None]] = []

    def on_key(self, event: events.Key) -> None:
        if event.key in PASS_THROUGH:
            return
        event.stop()
        event.prevent_default()
        self.keys.append((event.key, event.character))

    def take(self) -> list[tuple[str, str | None]]:
        keys, self.keys = self.keys, []
        return keys


class SessionScreen(Screen[None]):
    app: TrainerApp

    busy = 0  # session calls running for this screen

    def run_db(self, tag: str, call: Callable[[], Any]) -> None:
        """Run ``call`` off the UI thread; ``db_done(tag, result)`` or ``db_failed`` follows."""
        self.busy += 1
        buffer = self.query("#key-buffer")
        if buffer:
            buffer.first(KeyBuffer).focus()
        self.app.db.run(self, tag, call)

    async def on_db_done(self, message: DbDone) -> None:
        message.stop()
        self.busy = max(0, self.busy - 1)
        await self.db_done(message.tag, message.result)
        self._release()

    async def on_db_failed(self, message: DbFailed) -> None:
        message.stop()
        self.busy = max(0, self.busy - 1)
        self.notify(
            f"Not saved: {message.error} {self.retry_hint(message.tag)}",
            severity="error",
            timeout=12,
            markup=False,
        )
        self._release()

    async def db_done(self, tag: str, result: Any) -> None:
        """Show what the session call ``tag`` returned."""

    def retry_hint(self, tag: str) -> str:
        return "Your answer is kept here: press the same key again to try once more."

    def focus_input(self) -> None:
        """Give focus back to where the trainee types (the answer, or the rating bar)."""

    def _release(self) -> None:
        if self.busy:
            return
        self.focus_input()
        buffer = self.query("#key-buffer")
        if buffer:
            for key, character in buffer.first(KeyBuffer).take():
                self.app.post_message(events.Key(key, character))
