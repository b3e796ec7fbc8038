"""Looking at a file before using it: what is plainly not ours is refused without writing to it.

"Damaged" is said only when SQLite itself reports damage (or the header is impossible); a file
another process is creating or checkpointing at this moment is looked at again before any verdict.
"""

from __future__ import annotations

import sqlite3
import time
from pathlib import Path

from trainer.engine.errors import TrainerDBError
from trainer.engine.store.errors import translate
from trainer.engine.store.schema import APPLICATION_ID, LATEST_VERSION, LOG_TABLES, TABLES_AT

SQLITE_MAGIC = b"SQLite format 3\x00"
# Up to this size the whole file is quick_check'ed on every open (a few ms); above it, every table
# but the review log (so that opening does not slow down as the history grows).
FULL_CHECK_BYTES = 16 * 1024 * 1024
ANKI_NOTE = " (it looks like an Anki collection)"
# SQLite's error for an index in a collation only another application defines (Anki's "unicase")
FOREIGN_COLLATION = "no such collation sequence"


def _read_header(path: Path) -> bytes:
    try:
        with path.open("rb") as f:
            return f.read(100)
    except OSError as exc:
        raise TrainerDBError(
            f"Cannot read the database {path}: {exc.strerror or exc}.", kind="cantopen"
        ) from exc


def _check_header(path: Path, header: bytes) -> None:
    """Refuse, from the file's first 100 bytes alone, what is plainly not ours."""
    if not header.startswith(SQLITE_MAGIC):
        raise TrainerDBError(
            f"{path} is not a trainer database: it is not an SQLite database file. "
            "Move it away or choose another file with --db.",
            kind="foreign",
        )
    if len(header) < 100:
        raise TrainerDBError(f"{path} is damaged: the file is truncated.", kind="damaged")
    page_size = int.from_bytes(header[16:18], "big")
    page_size = 65536 if page_size == 1 else page_size
    if page_size < 512 or page_size & (page_size - 1):
        raise TrainerDBError(f"{path} is damaged: its header is invalid.", kind="damaged")
    app_id = int.from_bytes(header[68:72], "big")
    if app_id not in (0, APPLICATION_ID):
        raise TrainerDBError(
            f"{path} is not a trainer database: it belongs to another application "
            f"(application_id {app_id:#x}). Choose another file with --db.",
            kind="foreign",
        )


def _quick_check(conn: sqlite3.Connection, size: int, tables: set[str]) -> str:
    """SQLite's quick_check: of the whole file when it is small, else of every table but the
    review log (which grows without bound and is read only in bounded ranges; damage found there
    later is still reported as a TrainerDBError, see Store). Returns "ok" or the first problem."""
    if size <= FULL_CHECK_BYTES:
        return str(conn.execute("PRAGMA quick_check").fetchone()[0])
    for table in sorted(tables - LOG_TABLES):
        if not table.replace("_", "").isalnum():
            continue  # not one of ours; refused below
        result = str(conn.execute(f"PRAGMA quick_check({table})").fetchone()[0])
        if result != "ok":
            return result
    return "ok"


def _read_facts(path: Path, size: int) -> tuple[int, int, set[tuple[str, str]], str]:
    """application_id, user_version, schema objects and quick_check, in ONE read transaction (so
    a concurrent creator's commit cannot fall between them)."""
    uri = path.resolve().as_uri() + "?mode=ro"
    try:
        conn = sqlite3.connect(uri, uri=True, timeout=5.0, isolation_level=None)
    except sqlite3.Error as exc:
        raise translate(path, exc) from exc
    try:
        conn.execute("BEGIN")
        app_id = int(conn.execute("PRAGMA application_id").fetchone()[0])
        version = int(conn.execute("PRAGMA user_version").fetchone()[0])
        objects = {
            (str(r[0]), str(r[1]))
            for r in conn.execute(
                "SELECT type, name FROM sqlite_master WHERE name NOT LIKE 'sqlite_%'"
            )
        }
        try:
            check = _quick_check(conn, size, {name for kind, name in objects if kind == "table"})
        except sqlite3.OperationalError as exc:
            if FOREIGN_COLLATION not in str(exc):
                raise
            check = str(exc)  # another application's index (Anki's "unicase"): refused below
        conn.execute("COMMIT")
    except sqlite3.Error as exc:
        raise translate(path, exc) from exc
    finally:
        conn.close()
    return app_id, version, objects, check


def inspect_file(path: Path) -> int:
    """The schema version of an existing file, read without writing to it.

    Returns 0 for an empty SQLite database (ours to initialise). Raises TrainerDBError for a file
    that is not SQLite, is damaged, belongs to another application, or is newer than this version
    knows. A verdict of damage or a foreign file is checked once more after a moment: another
    process may be creating or checkpointing the file right now.
    """
    try:
        return _inspect_once(path)
    except TrainerDBError as exc:
        if exc.kind not in ("damaged", "foreign"):
            raise
        time.sleep(0.2)
        return _inspect_once(path)


def _inspect_once(path: Path) -> int:
    try:
        size = path.stat().st_size
    except OSError as exc:
        raise TrainerDBError(
            f"Cannot read the database {path}: {exc.strerror or exc}.", kind="cantopen"
        ) from exc
    _check_header(path, _read_header(path))
    app_id, version, objects, check = _read_facts(path, size)
    tables = {name for kind, name in objects if kind == "table"}
    foreign_collation = check.startswith(FOREIGN_COLLATION)
    if check != "ok" and not (foreign_collation and app_id == 0 and objects):
        raise TrainerDBError(f"{path} is damaged: SQLite's check says {check!r}.", kind="damaged")
    if app_id == 0:
        # Ours to initialise only if it is a blank SQLite file: no schema, no version stamp.
        if objects:
            names = ", ".join(sorted(tables or {name for _, name in objects})[:5])
            anki = ANKI_NOTE if {"col", "notes", "cards"} <= tables else ""
            raise TrainerDBError(
                f"{path} is not a trainer database{anki}: it holds another application's "
                f"tables or views ({names}). Choose another file with --db.",
                kind="foreign",
            )
        if version != 0:
            raise TrainerDBError(
                f"{path} is not a trainer database: another application marked it with schema "
                f"version {version}. Choose another file with --db.",
                kind="foreign",
            )
        return 0
    if app_id != APPLICATION_ID:  # pragma: no cover - caught from the header already
        raise TrainerDBError(f"{path} is not a trainer database.", kind="foreign")
    if version > LATEST_VERSION:
        raise TrainerDBError(
            f"{path} was written by a newer version of trainer (schema {version}; this version "
            f"knows up to {LATEST_VERSION}). Upgrade trainer to use it.",
            kind="foreign",
        )
    expected = TABLES_AT.get(version, frozenset())
    if not expected <= tables:
        raise TrainerDBError(
            f"{path} is damaged: tables missing ({', '.join(sorted(expected - tables))}).",
            kind="damaged",
        )
    return version
