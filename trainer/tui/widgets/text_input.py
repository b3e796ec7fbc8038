"""An Input that follows the app's cursor-blink setting (off in tests, so snapshots are stable)
and drops characters a terminal would act on (ESC, C1, bidi overrides: trainer.safetext) from
what is typed or pasted, so the value shows as typed and never drives the terminal."""

from __future__ import annotations

from textual.widgets import Input

from trainer.safetext import FORBIDDEN


class TextInput(Input):
    def on_mount(self) -> None:
        self.cursor_blink = bool(getattr(self.app, "cursor_blink_enabled", True))

    def insert(self, text: str, index: int) -> None:
        super().insert(FORBIDDEN.sub("", text), index)

    def replace(self, text: str, start: int, end: int) -> None:
        super().replace(FORBIDDEN.sub("", text), start, end)
