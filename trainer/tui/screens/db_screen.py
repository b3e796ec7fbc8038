"""What browse, a question's detail, stats and settings share: their database reads and writes run
in the app's database worker (tui/dbwork.py), never on the UI thread, so a key is handled at once
even while another program holds the write lock (the write then lands when it is released).

``run_db(tag, call)`` runs ``call`` (given the sessions' engine, ``app.db.engine``, which belongs to
the worker) and calls ``db_done(tag, result)`` on the UI thread; a write that could not be saved
says so ("Not saved: ..."). ``busy`` counts the calls not yet shown (tests and benchmarks wait for
it to reach 0; the screens may add their own work to it).
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING, Any

from textual.screen import Screen

from trainer.tui.messages import DbDone, DbFailed

if TYPE_CHECKING:
    from trainer.engine import Engine
    from trainer.tui.app import TrainerApp


class DbScreen(Screen[None]):
    app: TrainerApp

    _db_calls = 0  # run_db calls not yet done

    @property
    def busy(self) -> int:
        return self._db_calls

    def run_db(self, tag: str, call: Callable[[Engine], Any], *, read: bool = False) -> None:
        """Run ``call(engine)`` in the database worker; ``db_done(tag, result)`` follows."""
        self._db_calls += 1
        engine = self.app.db.engine
        self.app.db.run(self, tag, lambda: call(engine), read=read)

    def on_db_done(self, message: DbDone) -> None:
        message.stop()
        self._db_calls = max(0, self._db_calls - 1)
        if self.is_attached:
            self.db_done(message.tag, message.result)

    def on_db_failed(self, message: DbFailed) -> None:
        message.stop()
        self._db_calls = max(0, self._db_calls - 1)
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
        what = "Not read" if reading else "Not saved"
        self.notify(f"{what}: {error}", severity="error", timeout=12, markup=False)
