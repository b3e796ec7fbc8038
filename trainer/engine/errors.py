"""Errors the engine raises for the user to read (never a traceback)."""

from __future__ import annotations


class TrainerDBError(Exception):
    """The review database cannot be used.

    The message is one clear sentence that names the file, fit to print as it is.
    """
