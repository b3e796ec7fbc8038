"""Messages: from the answering widgets up to their screen, and from database work back to the
screen that asked for it."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from textual.message import Message

from trainer.engine import Rating


class AnswerSubmitted(Message):
    """The trainee pressed Enter on a complete answer (or revealed a recall answer)."""


class AnswerIncomplete(Message):
    """The trainee pressed Enter before answering; ``hint`` says what is missing."""

    def __init__(self, hint: str) -> None:
        super().__init__()
        self.hint = hint


class RatingChosen(Message):
    """The trainee chose how well they knew it."""

    def __init__(self, rating: Rating) -> None:
        super().__init__()
        self.rating = rating


class OverrideChosen(Message):
    """The trainee says the wrong answer was right ("I was right")."""


@dataclass
class DbDone(Message):
    """Database work asked for with ``tag`` finished; ``result`` is what it returned."""

    tag: str
    result: Any


@dataclass
class DbFailed(Message):
    """Database work asked for with ``tag`` failed with ``error`` (a TrainerDBError: nothing it
    was to write was written; the input is still in the session to try again)."""

    tag: str
    error: Exception


@dataclass
class DbSettled(Message):
    """Database work asked for with ``tag`` is over (done or failed): sent to the app."""

    tag: str


@dataclass
class DbFatal(Message):
    """Database work met damage (or a bug): the app ends with ``error``'s message."""

    error: Exception
