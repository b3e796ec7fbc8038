"""One translation of SQLite's errors into a TrainerDBError a trainee can read."""

from __future__ import annotations

import sqlite3
from pathlib import Path

from trainer.engine.errors import DBErrorKind, TrainerDBError

# SQLite's primary result codes.
_KINDS: dict[int, DBErrorKind] = {
    3: "readonly",  # SQLITE_PERM
    5: "locked",  # SQLITE_BUSY
    6: "locked",  # SQLITE_LOCKED
    8: "readonly",  # SQLITE_READONLY
    10: "io",  # SQLITE_IOERR
    11: "damaged",  # SQLITE_CORRUPT
    13: "full",  # SQLITE_FULL
    14: "cantopen",  # SQLITE_CANTOPEN
    26: "damaged",  # SQLITE_NOTADB
}


def kind_of(exc: sqlite3.Error) -> DBErrorKind:
    code = getattr(exc, "sqlite_errorcode", None)
    if code is not None and code & 0xFF in _KINDS:
        return _KINDS[code & 0xFF]
    msg = str(exc).lower()
    if "malformed" in msg or "not a database" in msg:
        return "damaged"
    if "locked" in msg or "busy" in msg:
        return "locked"
    if "readonly" in msg or "read-only" in msg:
        return "readonly"
    if "disk is full" in msg or "database or disk is full" in msg:
        return "full"
    if "unable to open" in msg:
        return "cantopen"
    if "disk i/o" in msg:
        return "io"
    return "other"


def message(path: Path, kind: DBErrorKind, detail: str) -> str:
    folder = path.parent
    if kind == "locked":
        return (
            f"The database {path} is locked by another program (another trainer, a sqlite3 "
            "shell or a backup holding it open in a transaction); try again when it is done."
        )
    if kind == "readonly":
        return (
            f"The database {path} cannot be written (the file or its folder {folder} is "
            "read-only for you)."
        )
    if kind == "full":
        return f"The disk holding the database {path} is full; free some space and try again."
    if kind == "io":
        return f"The disk refused to read or write the database {path} ({detail})."
    if kind == "cantopen":
        return (
            f"Cannot open the database {path} ({detail}): check that its folder {folder} "
            f"and any {path.name}-wal / {path.name}-shm files beside it are ordinary files "
            "you may read and write."
        )
    if kind == "damaged":
        return f"{path} is damaged ({detail}). {restore_advice(path)}"
    return f"Cannot use the database {path} ({detail})."


def restore_advice(path: Path) -> str:
    return (
        f"To restore a backup, quit trainer, move {path.name}, {path.name}-wal and "
        f"{path.name}-shm away, then copy the newest {path.name}.bak-* file beside them "
        f"to {path.name}."
    )


def translate(path: Path, exc: sqlite3.Error) -> TrainerDBError:
    """The TrainerDBError for ``exc`` met on the database at ``path``."""
    kind = kind_of(exc)
    return TrainerDBError(message(path, kind, str(exc)), kind=kind)


def translate_os(path: Path, exc: OSError, doing: str = "open") -> TrainerDBError:
    """The TrainerDBError for an OSError met while looking at ``path`` or its folder."""
    import errno

    reason = exc.strerror or str(exc)
    if exc.errno in (errno.EACCES, errno.EPERM):
        return TrainerDBError(
            f"Cannot {doing} the database {path}: permission denied on it or its folder "
            f"{path.parent}.",
            kind="cantopen",
        )
    if exc.errno == errno.ENOSPC:
        return TrainerDBError(message(path, "full", reason), kind="full")
    if exc.errno == errno.EROFS:
        return TrainerDBError(message(path, "readonly", reason), kind="readonly")
    return TrainerDBError(f"Cannot {doing} the database {path}: {reason}.", kind="cantopen")
