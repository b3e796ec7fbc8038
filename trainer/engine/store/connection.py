"""Opening the review database, and the one place that runs a statement or a transaction.

SQLite in WAL mode with ``synchronous=FULL`` (every committed answer is on disk) and foreign keys
on. A new database is built under a temporary name and linked into place, so another process never
sees it half made. The schema is migrated through the numbered scripts in ``schema.py`` under
``PRAGMA user_version``; before an existing database is migrated it is copied to a backup beside it
(written to a temporary name, fsynced, renamed). Every SQLite error leaves this module as a
TrainerDBError (see errors.py); a write that finds the database locked is retried until the
connection's ``lock_wait`` has passed.
"""

from __future__ import annotations

import contextlib
import errno
import os
import random
import secrets
import sqlite3
import threading
import time
from collections import deque
from collections.abc import Callable, Iterable, Iterator, Sequence
from datetime import datetime
from pathlib import Path
from typing import Any, Self

from trainer.engine.errors import TrainerDBError
from trainer.engine.scheduler import utc
from trainer.engine.store.errors import message, translate, translate_os
from trainer.engine.store.inspect import inspect_file
from trainer.engine.store.schema import APPLICATION_ID, LATEST_VERSION, MIGRATIONS

COMPACT_LOG_VERSION = 5  # the migration to it frees the old log's pages: VACUUM after it

LOCK_WAIT = 60.0  # seconds a write waits for another program's lock (the CLI; the app passes less)
BUSY_TIMEOUT_MS = 250  # SQLite's own wait per attempt; write() retries until lock_wait
# A write waiting for another's tries BEGIN IMMEDIATE again every POLL seconds (jittered by
# +-50%), not in SQLite's busy handler (see _begin_immediate).
POLL = 0.001
# A writer that has made TURN_COMMITS commits in a row (no other connection's between them, as
# PRAGMA data_version tells) while other writers are about (seen twice, committing or holding the
# lock this one waited for, in the last OTHERS_SEEN seconds) gives a waiting writer its turn:
# before its next BEGIN it waits until another connection has committed, for at most TURN_WAIT
# seconds (a single writer never waits).
TURN_COMMITS = 16
TURN_WAIT = 0.05
OTHERS_SEEN = 2.0
# Less free space than this in the database's folder at open: the disk is called full.
MIN_FREE_BYTES = 256 * 1024
# Errors that are bugs, not the database's state: raised as they are.
_BUGS = (sqlite3.ProgrammingError, sqlite3.InterfaceError, sqlite3.IntegrityError)


def backup_path(path: Path, now: datetime) -> Path:
    """``trainer.db.bak-20261126T101500Z`` beside ``path`` (a counter is added if taken)."""
    stamp = utc(now).strftime("%Y%m%dT%H%M%SZ")
    candidate = path.with_name(f"{path.name}.bak-{stamp}")
    n = 1
    while candidate.exists():
        n += 1
        candidate = path.with_name(f"{path.name}.bak-{stamp}-{n}")
    return candidate


def _fsync(path: Path) -> None:
    fd = os.open(path, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


def _fsync_dir(folder: Path) -> None:
    with contextlib.suppress(OSError):  # not every file system can fsync a folder
        _fsync(folder)


def _statements(script: str) -> Iterable[str]:
    """Split a migration script into statements (the scripts hold no ';' inside literals)."""
    return (s.strip() for s in script.split(";") if s.strip())


def _remove(*paths: Path) -> None:
    for p in paths:
        with contextlib.suppress(OSError):
            p.unlink()


def _is_locked(exc: sqlite3.Error) -> bool:
    code = getattr(exc, "sqlite_errorcode", None)
    if code is not None:
        return code & 0xFF in (5, 6)
    msg = str(exc).lower()
    return "locked" in msg or "busy" in msg


class Connection:
    """An open review database: statements, transactions and error translation.

    Usable from one thread at a time (any thread: the app runs writes in worker threads)."""

    def __init__(self, path: Path, conn: sqlite3.Connection, *, lock_wait: float) -> None:
        self.path = path
        self._conn = conn
        self.lock_wait = lock_wait
        self.backup: Path | None = None  # set when opening made a pre-migration backup
        self.read_only_reason: str | None = None  # set for a read-only in-memory copy
        # A read-only copy's one connection is shared by two engines (Engine.twin) on two
        # threads: SQLite's data_version does not change for a connection's own commits, so the
        # commits are counted here (data_version adds them), and a transaction is one thread's
        # at a time (the connection's transaction state is shared).
        self.shared = False
        self.commits = 0
        self._txn = threading.RLock()
        # turn-taking between writing processes (see write): this connection's commits in a row,
        # when other writers were last seen (time.monotonic, the last two), the data_version
        # last read, and SQLite's own busy wait outside BEGIN IMMEDIATE (Aggregates can set it)
        self._streak = 0
        self._seen: deque[float] = deque(maxlen=2)
        self.busy_timeout_ms = BUSY_TIMEOUT_MS
        self._version: int | None = None

    # -- opening -------------------------------------------------------------------------------

    @classmethod
    def open(
        cls,
        path: Path,
        *,
        now: datetime,
        target_version: int = LATEST_VERSION,
        lock_wait: float = LOCK_WAIT,
        notice: Callable[[str], None] | None = None,
    ) -> Self:
        """Open (creating or migrating) the database at ``path``.

        ``target_version`` is for tests that need an old schema; normal callers leave it alone.
        ``notice`` is told, in one sentence, before an existing database is upgraded (a backup and
        a migration that can take a while on a long history), so the trainee is not left waiting
        in silence.
        """
        path = Path(path)
        try:
            exists = path.exists()
            if exists and not path.is_file():
                raise TrainerDBError(
                    f"{path} is not a file, so it cannot be the database.", kind="cantopen"
                )
            size = path.stat().st_size if exists else 0
        except OSError as exc:
            raise translate_os(path, exc) from exc
        if not exists or size == 0:
            _create(path, target_version, replace=exists)
        version = inspect_file(path)
        conn = cls._connect(path)
        store = cls(path, conn, lock_wait=lock_wait)
        try:
            store._configure()
            if 0 < version < target_version:
                if notice is not None:
                    notice(
                        f"upgrading the review database {path} to this version's format "
                        "(once; a backup is made first; a long history can take a minute)..."
                    )
                store.backup = store._backup(now)
            if version < target_version:
                store._migrate(target_version)
                if 0 < version < COMPACT_LOG_VERSION <= target_version:
                    store._vacuum()
        except BaseException:
            conn.close()
            raise
        return store

    @classmethod
    def connect(cls, path: Path, *, lock_wait: float = LOCK_WAIT) -> Self:
        """Another connection to a database this process has opened (and migrated) already."""
        store = cls(path, cls._connect(path), lock_wait=lock_wait)
        try:
            store._configure()
        except BaseException:
            store.close()
            raise
        return store

    @classmethod
    def open_read_only_copy(
        cls, path: Path, reason: str, *, target_version: int = LATEST_VERSION
    ) -> Self:
        """An in-memory copy of the database at ``path`` (an empty one if it cannot be read):
        for an app that must run without saving. Nothing written to it reaches the file."""
        mem = sqlite3.connect(":memory:", isolation_level=None, check_same_thread=False)
        mem.row_factory = sqlite3.Row
        try:
            uri = path.resolve().as_uri()
        except (OSError, ValueError):
            uri = ""
        for tail in ("?mode=ro", "?mode=ro&immutable=1"):
            if not uri:
                break
            try:
                src = sqlite3.connect(uri + tail, uri=True)
                try:
                    app_id = src.execute("PRAGMA application_id").fetchone()[0]
                    version = src.execute("PRAGMA user_version").fetchone()[0]
                    if app_id == APPLICATION_ID and 0 < version <= target_version:
                        src.backup(mem)
                finally:
                    src.close()
                break
            except sqlite3.Error:
                continue
        store = cls(path, mem, lock_wait=1.0)
        store.read_only_reason = reason
        mem.execute("PRAGMA foreign_keys = ON")
        store._migrate(target_version)
        return store

    @staticmethod
    def _connect(path: Path) -> sqlite3.Connection:
        try:
            conn = sqlite3.connect(
                str(path),
                timeout=BUSY_TIMEOUT_MS / 1000,
                isolation_level=None,
                check_same_thread=False,
            )
        except sqlite3.Error as exc:
            raise translate(path, exc) from exc
        conn.row_factory = sqlite3.Row
        return conn

    def _configure(self) -> None:
        c = self._conn
        self._x("PRAGMA foreign_keys = ON")
        mode = self._retrying(lambda: c.execute("PRAGMA journal_mode = WAL").fetchone()[0])
        if str(mode).lower() != "wal":
            raise TrainerDBError(
                f"Cannot use the database {self.path}: write-ahead logging is not available there.",
                kind="cantopen",
            )
        self._x("PRAGMA synchronous = FULL")
        # the baseline: another connection's commit from now on means other writers are about
        self._version = int(self._x("PRAGMA data_version").fetchone()[0])

    def writable(self) -> str | None:
        """None if the database can be written now, else one sentence saying why not."""
        if self.read_only_reason is not None:
            return self.read_only_reason
        try:
            free = os.statvfs(self.path.parent)
            if free.f_bavail * free.f_frsize < MIN_FREE_BYTES:
                return message(self.path, "full", "")
        except (OSError, AttributeError):
            pass
        try:
            with self.write():
                self._x("INSERT OR REPLACE INTO settings (key, value) VALUES ('~probe', '')")
                raise _Probe
        except _Probe:
            return None
        except TrainerDBError as exc:
            if exc.kind == "locked":
                return None  # writable, just busy: a write will wait for it
            return str(exc)

    def _backup(self, now: datetime) -> Path:
        """A consistent copy under a temporary name, fsynced, then renamed into place."""
        for stale in self.path.parent.glob(f"{self.path.name}.bak-*.part*"):
            _remove(stale)
        target = backup_path(self.path, now)
        part = target.with_name(target.name + ".part")
        try:
            dest = sqlite3.connect(str(part))
            try:
                self._conn.backup(dest)
            finally:
                dest.close()
            _fsync(part)
            os.replace(part, target)
            _fsync_dir(target.parent)
        except sqlite3.Error as exc:
            _remove(part, part.with_name(part.name + "-journal"))
            raise translate(part, exc) from exc
        except OSError as exc:
            _remove(part, part.with_name(part.name + "-journal"))
            raise translate_os(part, exc, "write the backup of") from exc
        return target

    def _vacuum(self) -> None:
        """Give back the pages a migration freed (the old review log): the file shrinks. Not part
        of the migration (already committed); if it cannot be done now (a full disk, another
        reader), the file just stays larger until SQLite reuses the pages."""
        with contextlib.suppress(sqlite3.Error):
            self._conn.execute("VACUUM")
            self._conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")

    def _migrate(self, target_version: int) -> None:
        """All the steps up to ``target_version`` in one transaction: all of them or none."""
        with self.write():
            try:
                _migrate(self._conn, self.path, target_version)
            except _BUGS:
                raise
            except sqlite3.Error as exc:
                raise translate(self.path, exc) from exc

    def close(self) -> None:
        with contextlib.suppress(sqlite3.Error):
            self._conn.close()

    # -- transactions --------------------------------------------------------------------------

    def _retrying(self, step: Any) -> Any:
        """Run ``step()`` again while the database is locked, until lock_wait has passed; any
        SQLite error comes out as a TrainerDBError."""
        deadline = time.monotonic() + self.lock_wait
        attempt = 0
        while True:
            try:
                return step()
            except _BUGS:
                raise
            except sqlite3.Error as exc:
                if not _is_locked(exc) or time.monotonic() >= deadline:
                    raise translate(self.path, exc) from exc
            attempt += 1
            time.sleep(min(0.05 * attempt, 0.25))

    def _begin_immediate(self) -> None:
        """BEGIN IMMEDIATE, tried again about every millisecond (jittered) while another
        connection holds the write lock, until lock_wait has passed (then the "locked"
        TrainerDBError, as before).

        Not in SQLite's busy handler (off from the first attempt), whose sleeps grow to 100 ms: a
        writer committing flat out takes the lock again a moment after its commit, so sleepers
        kept missing their turn (runs of hundreds of commits by one writer, waits of seconds;
        bench/bench_writers.py)."""
        c = self._conn
        started = time.monotonic()
        deadline = started + self.lock_wait
        c.execute("PRAGMA busy_timeout = 0")
        waited = False
        try:
            while True:
                try:
                    c.execute("BEGIN IMMEDIATE")
                    return
                except _BUGS:
                    raise
                except sqlite3.Error as exc:
                    if not _is_locked(exc) or time.monotonic() >= deadline:
                        raise translate(self.path, exc) from exc
                now = time.monotonic()
                if not waited:  # another writer holds the lock: seen once per wait
                    waited = True
                    self._saw_others(now)
                # a lock held long (another program's): every 20 ms after the first half second
                pause = POLL if now - started < 0.5 else 20 * POLL
                time.sleep(pause * random.uniform(0.5, 1.5))
        finally:
            with contextlib.suppress(sqlite3.Error):
                c.execute(f"PRAGMA busy_timeout = {self.busy_timeout_ms}")

    def _saw_others(self, at: float) -> None:
        """Another writer was about at ``at`` (time.monotonic): it committed, or held the lock
        this connection waited for."""
        self._seen.append(at)

    def _others_about(self) -> bool:
        """Whether other writers are about: seen twice in the last OTHERS_SEEN seconds (once is
        not enough: one commit by the app's other connection, then a burst of this one's, would
        make a lone writer wait for a turn nobody takes)."""
        return len(self._seen) == 2 and time.monotonic() - self._seen[0] < OTHERS_SEEN

    def _others_committed(self) -> bool:
        """Whether another connection committed since this was last asked (PRAGMA data_version,
        which this connection's own commits leave alone); if so, other writers are about."""
        try:
            version = int(self._conn.execute("PRAGMA data_version").fetchone()[0])
        except sqlite3.Error:
            return True  # cannot tell: no turn given
        if version == self._version:
            return False
        if self._version is not None:
            self._saw_others(time.monotonic())
        self._version = version
        return True

    def _give_turn(self) -> None:
        """Wait until another connection commits (a waiting writer had its turn), at most
        TURN_WAIT seconds."""
        deadline = time.monotonic() + TURN_WAIT
        while time.monotonic() < deadline:
            time.sleep(POLL / 2)
            if self._others_committed():
                return

    @contextlib.contextmanager
    def write(self) -> Iterator[None]:
        """One write transaction (BEGIN IMMEDIATE ... COMMIT), retried while the db is locked.

        Writers take turns: one that made TURN_COMMITS commits in a row while other writers are
        about first lets another commit (_give_turn; a single writer never waits)."""
        c = self._conn
        with self._txn:
            if c.in_transaction:  # a write within a write: part of the outer one
                yield
                return
            if self._streak >= TURN_COMMITS:
                self._streak = 0
                if self._others_about():
                    self._give_turn()
            self._begin_immediate()
            try:
                if self._others_committed():  # a run of this connection's commits starts
                    self._streak = 0
                yield
                self._retrying(lambda: c.execute("COMMIT"))
                self.commits += 1
                self._streak += 1
            except BaseException:
                with contextlib.suppress(sqlite3.Error):
                    c.execute("ROLLBACK")
                raise

    @contextlib.contextmanager
    def read(self) -> Iterator[None]:
        """A consistent snapshot for several reads (within one already open: that one)."""
        c = self._conn
        with self._txn:
            if c.in_transaction:
                yield
                return
            self._x("BEGIN")
            try:
                yield
            finally:
                with contextlib.suppress(sqlite3.Error):
                    c.execute("COMMIT")

    def _x(self, sql: str, params: Sequence[Any] | dict[str, Any] = ()) -> sqlite3.Cursor:
        """Execute one statement; a SQLite error becomes a clear TrainerDBError."""
        try:
            return self._conn.execute(sql, params)
        except _BUGS:
            raise
        except sqlite3.Error as exc:
            raise translate(self.path, exc) from exc

    def _q(self, sql: str, params: Sequence[Any] | dict[str, Any] = ()) -> list[sqlite3.Row]:
        try:
            return self._conn.execute(sql, params).fetchall()
        except _BUGS:
            raise
        except sqlite3.Error as exc:
            raise translate(self.path, exc) from exc

    def _tuples(self, sql: str, params: Sequence[Any] = ()) -> list[tuple[Any, ...]]:
        """Rows as plain tuples (the cheapest form, for whole-bank reads)."""
        try:
            cur = self._conn.cursor()
            cur.row_factory = None
            return cur.execute(sql, params).fetchall()
        except _BUGS:
            raise
        except sqlite3.Error as exc:
            raise translate(self.path, exc) from exc


class _Probe(Exception):
    """Rolls back the write that checked the database can be written."""


def _migrate(c: sqlite3.Connection, path: Path, target_version: int) -> None:
    version = int(c.execute("PRAGMA user_version").fetchone()[0])
    if version == 0:
        tables = c.execute(
            "SELECT count(*) FROM sqlite_master WHERE name NOT LIKE 'sqlite_%'"
        ).fetchone()[0]
        if tables:
            raise TrainerDBError(f"{path} is not a trainer database.", kind="foreign")
        c.execute(f"PRAGMA application_id = {APPLICATION_ID}")
    for v in range(version, target_version):
        step = MIGRATIONS[v]
        if isinstance(step, str):
            for statement in _statements(step):
                c.execute(statement)
        else:
            step(c)
        c.execute(f"PRAGMA user_version = {v + 1}")


def _create(path: Path, target_version: int, *, replace: bool) -> None:
    """Build a new database under a temporary name and link it into place, so that no other
    process ever sees it half made (if another one got there first, its database is kept).
    ``replace``: ``path`` is an empty file, ours to initialise."""
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise translate_os(path, exc, "create the folder for") from exc
    tmp = path.with_name(f".{path.name}.new-{os.getpid()}-{secrets.token_hex(4)}")
    side = [tmp.with_name(tmp.name + s) for s in ("-wal", "-shm", "-journal")]
    try:
        conn = sqlite3.connect(str(tmp), isolation_level=None)
        try:
            conn.execute("PRAGMA journal_mode = WAL")
            conn.execute("BEGIN IMMEDIATE")
            _migrate(conn, path, target_version)
            conn.execute("COMMIT")
        finally:
            conn.close()  # the last close checkpoints the log into the file
        _fsync(tmp)
        if replace:
            os.replace(tmp, path)
        else:
            try:
                os.link(tmp, path)
            except FileExistsError:
                pass  # another process created it meanwhile: use theirs
            except OSError as exc:
                if exc.errno not in (errno.EPERM, errno.ENOTSUP, errno.EOPNOTSUPP, errno.EXDEV):
                    raise
                if not path.exists():  # a file system without hard links
                    os.replace(tmp, path)
        _fsync_dir(path.parent)
    except sqlite3.Error as exc:
        raise translate(path, exc) from exc
    except OSError as exc:
        raise translate_os(path, exc, "create") from exc
    finally:
        _remove(tmp, *side)
