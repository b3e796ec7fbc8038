"""Messages the answering widgets send up to their screen."""

from __future__ import annotations

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
