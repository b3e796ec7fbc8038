"""What every screen with database work shares (DbWorkScreen), and what browse, a question's
detail, stats and settings share (DbScreen).

Their database reads and writes run in the app's database worker (tui/dbwork.py), never on the
UI thread, so a key is handled at once even while another program holds the write lock (the
write then lands when it is released). ``run_db(tag, call)`` runs ``call`` there and the screen's
``on_db_done`` / ``on_db_failed`` handle the result on the UI thread; ``busy`` counts the calls not
yet returned (tests and benchmarks wait for it to reach 0; a screen may add its own work to it).
A call that failed is told in one wording (``DbRunner.say_failed``: "Not saved: ...").

The session screens (SessionScreen, tui/screens/session_screen.py) build on DbWorkScreen too:
they keep the keys pressed meanwhile and await what they show.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING, Any

from textual.screen import Screen

from trainer.tui.messages import DbDone, DbFailed

if TYPE_CHECKING:
    from trainer.engine import Engine
    from trainer.tui.app import TrainerApp


class DbWorkScreen(Screen[None]):
    """``run_db`` and the count of its calls not yet returned (``busy``)."""

    app: TrainerApp

    _db_calls = 0  # run_db calls not yet returned

    @property
    def busy(self) -> int:
        return self._db_calls

    def run_db(self, tag: str, call: Callable[[], Any], *, read: bool = False) -> None:
        """Run ``call()`` in the database worker; DbDone(tag) or DbFailed(tag) follows, to this
        screen. ``read``: a read, which shows no "Saving..." notice (see DbRunner.run)."""
        self._db_calls += 1
        self.app.db.run(self, tag, call, read=read)

    def db_returned(self) -> None:
        """A call's DbDone or DbFailed has arrived."""
        self._db_calls = max(0, self._db_calls - 1)


class DbScreen(DbWorkScreen):
    """A screen whose calls are given the sessions' engine (``run_engine``), the one that belongs
    to the worker (``app.engine`` answers the UI thread's reads)."""

    def run_engine(self, tag: str, call: Callable[[Engine], Any], *, read: bool = False) -> None:
        """Run ``call(engine)`` in the database worker; ``db_done(tag, result)`` follows."""
        engine = self.app.db.engine
        self.run_db(tag, lambda: call(engine), read=read)

    def on_db_done(self, message: DbDone) -> None:
        message.stop()
        self.db_returned()
        if self.is_attached:
            self.db_done(message.tag, message.result)

    def on_db_failed(self, message: DbFailed) -> None:
        message.stop()
        self.db_returned()
        self.db_failed(message.tag, message.error)

    def db_done(self, tag: str, result: Any) -> None:
        """Show what the call ``tag`` returned."""

    def db_failed(self, tag: str, error: Exception) -> None:
        """A write that failed says so (nothing was written: the same key tries again). A read
        that failed ends the app with its one-line message, as reads on the UI thread did
        (TrainerApp.read), unless trying again later may work (a lock, a full disk)."""
        from trainer.engine import TrainerDBError

        reading = tag.startswith("read")
        if reading and not (isinstance(error, TrainerDBError) and error.retryable):
            self.app.fail(error)
            return
        self.app.db.say_failed(error, read=reading)
