"""What every session shares: the view a screen renders, the end summary, saving its state.

A session is plain Python over an Engine (no Textual). Each method that changes it writes to the
database before it changes anything in memory, so a failed write (a lock, a full disk) leaves the
session as it was: the trainee's input is still there and the same call can be made again.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import TYPE_CHECKING, Any, Literal

from trainer.bank.models import Question
from trainer.engine import Rating

if TYPE_CHECKING:
    from trainer.engine import Engine, Grade
    from trainer.engine.grading import Response

Kind = Literal["study", "practice", "exam"]
KINDS: tuple[Kind, ...] = ("study", "practice", "exam")
STATE_VERSION = 1


class SessionStateError(ValueError):
    """A saved session that this version cannot resume (it is then dropped)."""


@dataclass(frozen=True)
class Marking:
    """A graded answer, already recorded with ``rated`` (the suggested rating until the trainee
    chooses another)."""

    response: Response
    grade: Grade | None  # None for recall (self-rated)
    suggested: Rating
    allowed: tuple[Rating, ...]
    intervals: dict[Rating, timedelta] | None  # None when answering does not schedule the card
    rated: Rating
    log_id: int
    duration_ms: int
    overridden: bool = False  # the trainee said "I was right" (see DeckSession.override)

    @property
    def overridable(self) -> bool:
        """A wrong objective answer the trainee may re-grade as right ("I was right")."""
        return self.grade is not None and not self.grade.correct and not self.overridden


@dataclass(frozen=True)
class Summary:
    """The end of a study or practice session."""

    kind: Kind
    done: int
    correct: int
    description: str = ""


@dataclass
class Progress:
    done: int
    total: int
    correct: int
    left_text: str


@dataclass
class Undone:
    """What undo did: the question shown again (None: nothing, ``refused`` says why)."""

    qid: str | None
    refused: str = ""
    notices: list[str] = field(default_factory=list)


def dump(kind: Kind, state: dict[str, Any]) -> str:
    return json.dumps({"v": STATE_VERSION, "kind": kind, **state}, sort_keys=True)


def load(kind: Kind, text: str) -> dict[str, Any]:
    try:
        data = json.loads(text)
    except ValueError as exc:
        raise SessionStateError(f"the saved {kind} session cannot be read") from exc
    if not isinstance(data, dict) or data.get("v") != STATE_VERSION or data.get("kind") != kind:
        raise SessionStateError(f"the saved {kind} session is from another version")
    return data


def iso(t: datetime) -> str:
    return t.isoformat()


def from_iso(s: str) -> datetime:
    return datetime.fromisoformat(s)


def question_or_none(engine: Engine, qid: str | None) -> Question | None:
    """The active question ``qid`` (None if the bank no longer has it)."""
    if qid is None:
        return None
    try:
        engine.topic_of(qid)
    except KeyError:
        return None
    return engine.bank.question(qid)
