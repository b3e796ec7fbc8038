"""What the study, practice and exam screens share: database work off the UI thread (``run_db``
and ``busy``, from DbWorkScreen), and keys kept while it runs.

While a session call runs (see tui/dbwork.py) and until its result is shown, the app hands every
key to the screen's KeyBuffer instead of the focused widget (TrainerApp.on_event asks
``hold_key`` first; Escape and Ctrl+Q still act at once); when the result is shown, the kept keys
are replayed in order, so nothing typed meanwhile is lost or lands on a screen that has gone.
Focus stays where it is: moving it to a buffer and back (as this did before) restyled the screen
and rebuilt the key bar twice per answer, and repainted it in between.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any, ClassVar

from textual import events
from textual.binding import Binding, BindingType
from textual.reactive import Reactive
from textual.widget import Widget

from trainer.tui.messages import DbDone, DbFailed
from trainer.tui.screens.db_screen import DbWorkScreen

if TYPE_CHECKING:
    from trainer.tui.app import TrainerApp

PASS_THROUGH = frozenset({"escape", "ctrl+q"})


def forget_removed_styles() -> None:
    """Let the widgets a screen has removed go, with what they rendered.

    Textual (8.2.8) caches ``StylesCache.get_inner_outer``, an instance method, in an
    ``lru_cache(1024)``: the cache keeps the last 1024 StylesCaches alive, each with its widget's
    rendered lines (Strips, with seven small caches each). A study session that mounts a new
    question and feedback per answer kept ~1,800 more objects per answer for the collector to
    scan, until 1024 were held. Textual issue #6665 (open upstream); clearing the cache when a
    question is replaced costs a few Style objects. Drop this once #6665 is fixed.
    """
    from textual._styles_cache import StylesCache

    StylesCache.get_inner_outer.cache_clear()


class KeyBuffer(Widget):
    """Holds the keys pressed while the screen waits for the database."""

    DEFAULT_CSS = """
    KeyBuffer { width: 0; height: 0; display: none; }
    """

    def __init__(self) -> None:
        super().__init__(id="key-buffer")
        self.keys: list[tuple[str, str | None]] = []

    def take(self) -> list[tuple[str, str | None]]:
        keys, self.keys = self.keys, []
        return keys


class SessionScreen(DbWorkScreen):
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

    # Screen.focused repaints the whole screen (every line of every widget under a changed
    # region is rendered again) whenever the focus moves, which it does twice per answer here
    # (to the rating bar and back); the widgets that gain and lose focus restyle and repaint
    # themselves, which is all a focus change shows.
    focused: Reactive[Widget | None] = Reactive(None, repaint=False)

    _showing = 0  # results being shown (db_done awaits mounts): keys are still kept
    _buffer: KeyBuffer | None = None
    _replaying: set[events.Key] | None = None  # replayed keys the app has not handled yet

    def _key_buffer(self) -> KeyBuffer | None:
        if self._buffer is None:
            found = self.query("#key-buffer")
            self._buffer = found.first(KeyBuffer) if found else None
        return self._buffer

    def hold_key(self, event: events.Key) -> bool:
        """True when ``event`` is kept for later (TrainerApp.on_event asks before any binding or
        widget sees it): while a call runs or its result is being shown, and while replayed keys
        are on their way (a key that overtook them waits for them: the order is kept)."""
        if event.key in PASS_THROUGH:
            return False
        buffer = self._key_buffer()
        if buffer is None:
            return False
        replaying = self._replaying or set()
        if event in replaying:
            replaying.discard(event)
            if self.busy or self._showing:  # a replayed key started another call
                buffer.keys.append((event.key, event.character))
                return True
            if not replaying and buffer.keys:
                self.release_keys()  # keys that overtook the replayed ones: after this one
            return False
        if self.busy or self._showing or replaying:
            buffer.keys.append((event.key, event.character))
            return True
        return False

    async def on_db_done(self, message: DbDone) -> None:
        message.stop()
        self.db_returned()
        self._showing += 1
        try:
            await self.db_done(message.tag, message.result)
        finally:
            self._showing -= 1
        self._release()

    async def on_db_failed(self, message: DbFailed) -> None:
        message.stop()
        self.db_returned()
        self.app.db.say_failed(message.error, hint=self.retry_hint(message.tag))
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
        inputs = self.answer_inputs()
        if not inputs:
            return
        focused = self.focused
        here = inputs.index(focused) if focused in inputs else -1
        if here < 0:
            self.set_focus(inputs[0])
        elif len(inputs) > 1:
            self.set_focus(inputs[(here + step) % len(inputs)])

    def _release(self) -> None:
        if not self.busy and not self._showing:
            self.release_keys()

    def release_keys(self) -> None:
        """Replay the kept keys to the app, in order (the result is on screen, focused)."""
        buffer = self._key_buffer()
        if buffer is None or not buffer.keys or self._replaying:
            return
        replaying: set[events.Key] = set()
        for key, character in buffer.take():
            event = events.Key(key, character)
            event.set_sender(self.app)  # as the driver sends a key
            replaying.add(event)
            self.app.post_message(event)
        self._replaying = replaying
