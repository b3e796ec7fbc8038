"""How records are stored: times as UTC microseconds, cards as columns, snapshots as JSON."""

from __future__ import annotations

import json
import sqlite3
from datetime import UTC, datetime, timedelta
from typing import Any

from trainer.engine.errors import TrainerDBError
from trainer.engine.records import CardCols, CardRow
from trainer.engine.scheduler import CARD_STATES, CardSchedule, utc

EPOCH = datetime(1970, 1, 1, tzinfo=UTC)
# The range of times a stored value may hold (years 1..9999 in microseconds around the epoch).
_MIN_US = (datetime(1, 1, 2, tzinfo=UTC) - EPOCH) // timedelta(microseconds=1)
_MAX_US = (datetime(9999, 12, 30, tzinfo=UTC) - EPOCH) // timedelta(microseconds=1)

CARD_COLUMNS = (
    "id, question_id, state, step, stability, difficulty, due, last_review, reps, lapses, "
    "suspended, flagged, leech, retired"
)

# Writes a card's answer columns: from the card after an answer, or from a snapshot on undo.
SET_ANSWER_COLUMNS = (
    "UPDATE cards SET state = :state, step = :step, stability = :stability, "
    "difficulty = :difficulty, due = :due, last_review = :last_review, reps = :reps, "
    "lapses = :lapses, suspended = :suspended, leech = :leech WHERE id = :id"
)


def to_us(t: datetime) -> int:
    """UTC microseconds since the epoch (exact)."""
    return (utc(t) - EPOCH) // timedelta(microseconds=1)


def from_us(us: int) -> datetime:
    """The time ``us`` (UTC microseconds) stands for; a value no trainer writes (out of range, not
    a number: a hand-edited or damaged row) is a TrainerDBError, not an OverflowError."""
    try:
        return EPOCH + timedelta(microseconds=us)
    except (OverflowError, TypeError, ValueError):
        raise TrainerDBError(
            f"a stored time ({us!r}) is not one trainer writes: the database was edited or is "
            "damaged",
            kind="damaged",
        ) from None


def opt_us(t: datetime | None) -> int | None:
    return None if t is None else to_us(t)


def card_cols(row: CardRow) -> CardCols:
    """The stored form of ``row`` (the inverse of card_from_cols)."""
    s = row.schedule
    return CardCols(
        row.id,
        row.question_id,
        s.state,
        s.step,
        s.stability,
        s.difficulty,
        opt_us(s.due),
        opt_us(s.last_review),
        s.reps,
        s.lapses,
        int(row.suspended),
        int(row.flagged),
        int(row.leech),
        int(row.retired),
    )


def checked_cols(r: tuple[Any, ...] | sqlite3.Row) -> CardCols:
    """A card's columns as read, checked for values no trainer writes (a hand-edited or damaged
    row): a clear TrainerDBError rather than an OverflowError or TypeError later."""
    c = CardCols(*tuple(r)[:14])
    ok = (
        isinstance(c.id, int)
        and isinstance(c.question_id, str)
        and c.state in CARD_STATES
        and (c.step is None or isinstance(c.step, int))
        and all(v is None or _finite(v) for v in (c.stability, c.difficulty))
        and all(
            v is None or (isinstance(v, int) and _MIN_US <= v <= _MAX_US)
            for v in (c.due, c.last_review)
        )
        and all(isinstance(v, int) for v in (c.reps, c.lapses, c.suspended, c.flagged, c.leech))
        and (c.stability is None or c.stability > 0)
        and (c.state not in ("learning", "relearning") or c.step is not None)
    )
    if not ok:
        raise TrainerDBError(
            f"card {c.question_id!r} holds values trainer never writes (state {c.state!r}, "
            f"due {c.due!r}, stability {c.stability!r}): the database was edited or is damaged",
            kind="damaged",
        )
    return c


def _finite(v: Any) -> bool:
    return isinstance(v, int | float) and not isinstance(v, bool) and -1e12 < v < 1e12


def card_from_cols(c: CardCols) -> CardRow:
    return CardRow(
        id=c.id,
        question_id=c.question_id,
        schedule=CardSchedule(
            state=c.state,
            step=c.step,
            stability=c.stability,
            difficulty=c.difficulty,
            due=None if c.due is None else EPOCH + timedelta(microseconds=c.due),
            last_review=None
            if c.last_review is None
            else EPOCH + timedelta(microseconds=c.last_review),
            reps=c.reps,
            lapses=c.lapses,
        ),
        suspended=bool(c.suspended),
        flagged=bool(c.flagged),
        leech=bool(c.leech),
        retired=bool(c.retired),
    )


def answer_columns(card: CardRow) -> dict[str, Any]:
    """Everything an answer can change, as the ``cards`` columns hold it."""
    s = card.schedule
    return {
        "state": s.state,
        "step": s.step,
        "stability": s.stability,
        "difficulty": s.difficulty,
        "due": opt_us(s.due),
        "last_review": opt_us(s.last_review),
        "reps": s.reps,
        "lapses": s.lapses,
        "suspended": int(card.suspended),
        "leech": int(card.leech),
    }


def snapshot(card: CardRow) -> str:
    """The card's answer columns as JSON, kept in the log for an exact undo."""
    return json.dumps(answer_columns(card), sort_keys=True)
