"""What the study, practice and exam screens share: database work off the UI thread, and keys
kept while it runs.

While a session call runs (see tui/dbwork.py), keyboard focus sits on an invisible KeyBuffer that
keeps every key (Escape still goes home at once); when the call is done and the screen shows its
result, the kept keys are replayed in order, so nothing typed meanwhile is lost or lands on a
screen that has gone.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING, Any, ClassVar

from textual import events
from textual.binding import Binding, BindingType
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
        screen = self.screen
        if isinstance(screen, SessionScreen) and not screen.busy:
            screen.release_keys()  # the work finished while this key was on its way

    def take(self) -> list[tuple[str, str | None]]:
        keys, self.keys = self.keys, []
        return keys


class SessionScreen(Screen[None]):
    """Tab and shift+Tab never leave the answer: they move between its inputs (a cloze's
    blanks) and do nothing where it has one (a choice question, the rating bar)."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding(
            "tab",
            "cycle(1)",
            "Next blank",
            show=False,
            priority=True,
            id="session-next-input",
            tooltip="Move to the next blank of a cloze (Tab never leaves the answer)",
        ),
        Binding(
            "shift+tab",
            "cycle(-1)",
            "Previous blank",
            show=False,
            priority=True,
            id="session-prev-input",
            tooltip="Move to the previous blank of a cloze",
        ),
    ]

    app: TrainerApp

    busy = 0  # session calls running for this screen
    _focus_before: Widget | None = None  # focused when the call started

    def run_db(self, tag: str, call: Callable[[], Any]) -> None:
        """Run ``call`` off the UI thread; ``db_done(tag, result)`` or ``db_failed`` follows."""
        self.busy += 1
        buffer = self.query("#key-buffer")
        if buffer:
            if not isinstance(self.focused, KeyBuffer):
                self._focus_before = self.focused
            self.set_focus(buffer.first(KeyBuffer))
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

    def input_widget(self) -> Widget | None:
        """Where the trainee types now (the answer, or the rating bar)."""
        return None

    def answer_inputs(self) -> list[Widget]:
        """The focusable parts of the answer on screen (one for all but a cloze)."""
        target = self.input_widget()
        if target is None:
            return []
        answers = self.query("#answer")
        if not answers or (
            target is not answers.first() and answers.first() not in target.ancestors
        ):
            return [target]  # the rating bar
        answer = answers.first()
        found = [w for w in answer.query("*") if w.focusable]
        return found or ([answer] if answer.focusable else [target])

    def action_cycle(self, step: int) -> None:
        focused = self.focused
        if isinstance(focused, KeyBuffer):  # keep it with the other keys, in order
            focused.keys.append(("tab" if step > 0 else "shift+tab", "\t" if step > 0 else None))
            return
        inputs = self.answer_inputs()
        if not inputs:
            return
        here = inputs.index(focused) if focused in inputs else -1
        if here < 0:
            self.set_focus(inputs[0])
        elif len(inputs) > 1:
            self.set_focus(inputs[(here + step) % len(inputs)])

    def _release(self) -> None:
        if not self.busy:
            self.release_keys()

    def release_keys(self) -> None:
        """Focus the input again (at once) and replay the kept keys to it, in order."""
        target = self.input_widget()
        before = self._focus_before
        self._focus_before = None
        if target is not None and before is not None and before.is_attached and before.focusable:
            answer = self.query("#answer")
            if answer and (before is answer.first() or answer.first() in before.ancestors):
                target = before  # the same input is still there (e.g. a cloze's second blank)
        if target is not None:
            self.set_focus(target)
        buffer = self.query("#key-buffer")
        if not buffer or isinstance(self.focused, KeyBuffer):
            return  # nothing to type into (yet): the keys stay kept
        for key, character in buffer.first(KeyBuffer).take():
            event = events.Key(key, character)
            event.set_sender(self.app)  # as the driver sends a key
            self.app.post_message(event)
