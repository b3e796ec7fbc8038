"""Errors the engine raises for the user to read (never a traceback)."""

from __future__ import annotations

from typing import Literal

# What went wrong, for a client that reacts differently (a lock is worth waiting for, a read-only
# file is not): "locked", "readonly", "full", "io", "cantopen", "damaged", "foreign", "other".
DBErrorKind = Literal["locked", "readonly", "full", "io", "cantopen", "damaged", "foreign", "other"]


class TrainerDBError(Exception):
    """The review database cannot be used.

    The message is one clear sentence that names the file, fit to print as it is. ``kind`` says
    what went wrong (see DBErrorKind).
    """

    def __init__(self, message: str, kind: DBErrorKind = "other") -> None:
        super().__init__(message)
        self.kind: DBErrorKind = kind

    @property
    def retryable(self) -> bool:
        """Whether trying again later may work (a lock, a full disk, a passing I/O error)."""
        return self.kind in ("locked", "full", "io")
