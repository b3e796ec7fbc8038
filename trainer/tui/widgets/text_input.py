"""An Input that follows the app's cursor-blink setting (off in tests, so snapshots are stable)
and drops characters a terminal would act on (ESC, C1, bidi overrides: trainer.safetext) from
what is typed or pasted, so the value shows as typed and never drives the terminal.

It also unsubscribes from its screen's ``text_selection_started_signal`` when it is removed. Textual
(8.2.8) subscribes every Input, on mount, with a callback that closes over the Input, and keeps
the subscriptions in a WeakKeyDictionary keyed by the Input: the value refers to its own key, so
the entry (and the Input, with its styles and timer) lives as long as the screen, until a mouse
text selection publishes the signal (the only place that prunes it). On the study screen, which
lives for the whole session, every cloze blank ever shown stayed alive; no upstream issue found
when this was written (the same pattern as Textual issue #6666, which is about watchers)."""

from __future__ import annotations

from textual.screen import Screen
from textual.widgets import Input

from trainer.safetext import FORBIDDEN


class TextInput(Input):
    _signal_screen: Screen[object] | None = None

    def on_mount(self) -> None:
        self.cursor_blink = bool(getattr(self.app, "cursor_blink_enabled", True))
        self._signal_screen = self.screen

    def on_unmount(self) -> None:
        screen, self._signal_screen = self._signal_screen, None
        if screen is not None:
            screen.text_selection_started_signal.unsubscribe(self)

    def insert(self, text: str, index: int) -> None:
        super().insert(FORBIDDEN.sub("", text), index)

    def replace(self, text: str, start: int, end: int) -> None:
        super().replace(FORBIDDEN.sub("", text), start, end)
