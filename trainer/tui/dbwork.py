"""Database work off the UI thread: one worker at a time, results posted back as messages.

The app keeps two engines on the same file: ``app.engine`` answers the screens' reads on the UI
thread (SQLite's WAL lets them read while another program holds the write lock), and the sessions'
engine (``DbRunner.engine``), whose calls run here, one at a time, in Textual thread workers. A
call that waits longer than ``BUSY_AFTER`` for the database shows a busy notice; the keys pressed
meanwhile are handled as usual (see SessionScreen). After the engine's lock wait it fails with a
TrainerDBError saying what holds the database; the session is unchanged, so the same input can be
sent again.
"""

from __future__ import annotations

import threading
from collections.abc import Callable
from typing import TYPE_CHECKING, Any

from textual.message_pump import MessagePump

from trainer.engine import TrainerDBError
from trainer.tui.messages import DbDone, DbFailed, DbFatal, DbSettled

if TYPE_CHECKING:
    from trainer.engine import Engine
    from trainer.tui.app import TrainerApp

BUSY_AFTER = 0.2  # seconds before a waiting write shows the busy notice
LOCK_WAIT = 15.0  # seconds a write from the app waits for another program's lock


class DbRunner:
    def __init__(self, app: TrainerApp, engine: Engine) -> None:
        self.app = app
        self.engine = engine
        self._lock = threading.Lock()
        self.pending = 0  # calls queued or running
        self.reads = 0  # of which reads (``run(..., read=True)``): no busy notice of their own
        self.busy_shown = False
        self._running_read = False  # the call running now is a read (set in the worker)

    def run(
        self, requester: MessagePump, tag: str, call: Callable[[], Any], *, read: bool = False
    ) -> None:
        """Run ``call()`` in a worker; post DbDone/DbFailed(tag) to ``requester``.

        A TrainerDBError that says the file is damaged ends the app cleanly (TrainerApp.fail);
        other TrainerDBErrors go to the requester, which keeps the trainee's input. ``read``: a
        read (browse's rows, statistics), which shows no "Saving..." notice (reads are not
        blocked by another program's write lock; a slow one is the screen's to show)."""
        self.pending += 1
        if read:
            self.reads += 1
        else:
            self.app.set_timer(BUSY_AFTER, self._maybe_busy)

        settled = ("read:" if read else "") + tag

        def work() -> None:
            # Only post_message here (thread-safe, never blocks): a blocking call_from_thread
            # would wait forever for an app that is shutting down.
            try:
                with self._lock:
                    self._running_read = read
                    try:
                        result = call()
                    finally:
                        self._running_read = False
            except TrainerDBError as exc:
                self.app.post_message(DbSettled(settled))
                if exc.kind in ("damaged", "foreign"):
                    self.app.post_message(DbFatal(exc))
                else:
                    requester.post_message(DbFailed(tag, exc))
                return
            except Exception as exc:  # a bug: the app shows it and ends (see TrainerApp.fail)
                self.app.post_message(DbSettled(settled))
                self.app.post_message(DbFatal(exc))
                return
            self.app.post_message(DbSettled(settled))
            requester.post_message(DbDone(tag, result))

        self.app.run_worker(work, thread=True, group="db", exit_on_error=False, name=tag)

    def _maybe_busy(self) -> None:
        if self._running_read and self.pending > self.reads:
            # A write waits behind one of our own reads (the engine's warm-up at start, browse's
            # rows): not another program. Look again later.
            self.app.set_timer(BUSY_AFTER, self._maybe_busy)
            return
        if self.pending > self.reads and not self.busy_shown:
            self.busy_shown = True
            self.app.notify(
                "Saving... the database is busy (another program is using it). Keep going: "
                "nothing you typed is lost.",
                title="Waiting for the database",
                timeout=30,
            )

    def settled(self, tag: str = "") -> None:
        """A call finished (TrainerApp.on_db_settled, on the UI thread)."""
        self.pending = max(0, self.pending - 1)
        if tag.startswith("read:"):
            self.reads = max(0, self.reads - 1)
        if not self.pending and self.busy_shown:
            self.busy_shown = False
            self.app.clear_notifications()

    def say_failed(self, error: Exception, *, read: bool = False, hint: str = "") -> None:
        """The one wording of a database call that failed, as an error toast: "Not saved:
        <what went wrong> <hint>" for a write ("Not read: ..." for a read); ``hint``: what the
        trainee can do (the app, the screens and the session screens all say it here)."""
        what = "Not read" if read else "Not saved"
        message = f"{what}: {error} {hint}".rstrip()
        self.app.notify(message, severity="error", timeout=12, markup=False)

    def call_now(self, call: Callable[[], Any]) -> Any:
        """Run ``call()`` on this thread, in turn with the workers (start-up and shutdown only)."""
        with self._lock:
            return call()
