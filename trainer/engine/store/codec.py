"""How records are stored: times as UTC microseconds, cards as columns, and the review log in
its compact form (schema 5): the small facts of an entry packed into one integer (``flags``), the
response in a short tagged form, and the card before the answer as a few numeric columns."""

from __future__ import annotations

import json
import sqlite3
from collections.abc import Sequence
from datetime import UTC, datetime, timedelta
from typing import Any, NamedTuple

from trainer.engine.errors import TrainerDBError
from trainer.engine.records import CardCols, CardRow
from trainer.engine.scheduler import CARD_STATES, CardSchedule, CardStateName

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


_ONE_US = timedelta(microseconds=1)


def to_us(t: datetime) -> int:
    """UTC microseconds since the epoch (exact). Naive datetimes are refused (as utc() does)."""
    if t.tzinfo is None or t.utcoffset() is None:
        raise ValueError(f"expected a timezone-aware datetime, got {t!r}")
    return (t - EPOCH) // _ONE_US  # aware arithmetic: the same as utc(t) - EPOCH


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


# -- the review log (table ``revlog``) -------------------------------------------------------------
#
# ``flags`` bits: 0-1 rating - 1; 2-3 mode; 4 scheduled; 5-6 correct (0 not graded, 1 wrong,
# 2 right); 7-8 the card's state before the answer; 9 suspended before; 10 leech before. The usual
# answer to a new card fits in 7 bits (one byte on disk). The SQL forms below are the one place
# that reads them in SQL (the counters' triggers, the ``review_log`` view).

MODES: tuple[str, ...] = ("study", "practice", "exam")
STATE_CODE: dict[str, int] = {name: i for i, name in enumerate(CARD_STATES)}
_CORRECT_CODE = {None: 0, False: 1, True: 2}
_CORRECT_OF = (None, False, True)

# The card before an answer, as the revlog holds it (with the state, suspended and leech bits of
# ``flags``); reps IS NULL: no snapshot (an imported answer whose card was never replayed).
SNAPSHOT_COLUMNS = ("step", "stability", "difficulty", "due", "last_review", "reps", "lapses")


def pack_flags(
    rating: int,
    mode: str,
    scheduled: bool,
    correct: bool | None,
    state_before: str,
    suspended: bool = False,
    leech: bool = False,
) -> int:
    if not 1 <= rating <= 4:
        raise ValueError(f"a rating is 1 to 4, not {rating!r}")
    return (
        (rating - 1)
        | MODES.index(mode) << 2
        | int(scheduled) << 4
        | _CORRECT_CODE[correct] << 5
        | STATE_CODE[state_before] << 7
        | int(suspended) << 9
        | int(leech) << 10
    )


class Flags(NamedTuple):
    rating: int
    mode: str
    scheduled: bool
    correct: bool | None
    state_before: CardStateName
    suspended: bool
    leech: bool


def unpack_flags(f: int) -> Flags:
    try:
        return Flags(
            (f & 3) + 1,
            MODES[(f >> 2) & 3],
            bool(f >> 4 & 1),
            _CORRECT_OF[(f >> 5) & 3],
            CARD_STATES[(f >> 7) & 3],
            bool(f >> 9 & 1),
            bool(f >> 10 & 1),
        )
    except (IndexError, TypeError):
        raise TrainerDBError(
            f"a review log entry holds flags trainer never writes ({f!r}): the database was "
            "edited or is damaged",
            kind="damaged",
        ) from None


# SQL over a revlog row ``l``: the same facts as unpack_flags.
RATING_SQL = "((l.flags & 3) + 1)"
SCHEDULED_SQL = "((l.flags >> 4) & 1)"
MODE_SQL = "(CASE (l.flags >> 2) & 3 WHEN 0 THEN 'study' WHEN 1 THEN 'practice' ELSE 'exam' END)"
CORRECT_SQL = "(CASE (l.flags >> 5) & 3 WHEN 0 THEN NULL WHEN 1 THEN 0 ELSE 1 END)"
STATE_SQL = (
    "(CASE (l.flags >> 7) & 3 WHEN 0 THEN 'new' WHEN 1 THEN 'learning' WHEN 2 THEN 'review' "
    "ELSE 'relearning' END)"
)
# right: graded right, or (not graded: self-rated) not rated Again
RIGHT_SQL = (
    "(CASE (l.flags >> 5) & 3 WHEN 0 THEN (l.flags & 3) > 0 ELSE (l.flags >> 5) & 3 = 2 END)"
)
# counted for true retention: scheduled, the card in the review state
REVIEWED_SQL = "((l.flags & 400) = 272)"  # 400 = 0b110010000 (bits 4, 7, 8); 272 = bit 4 + 2 << 7
PASSED_SQL = f"({REVIEWED_SQL} AND (l.flags & 3) > 0)"

# Responses (grading.response_to_json's JSON) in a short form that gives back the same text:
# "null" -> NULL; {"index": n} -> n; {"K": V} -> a one-letter tag for K then V's JSON as it
# stood (upper case when "override": true follows); anything else verbatim after "=".
_TAGS = {"bool": "b", "index": "i", "set": "s", "order": "o", "text": "t"}
_KINDS = {v: k for k, v in _TAGS.items()}
_RESPONSE_MEMO: dict[str, str | int | None] = {}


def _decoded_tagged(v: str) -> str | None:
    kind = _KINDS.get(v[:1].lower())
    if kind is None:
        return None
    tail = ', "override": true}' if v[:1].isupper() else "}"
    return f'{{"{kind}": {v[1:]}{tail}'


def pack_response(text: str) -> str | int | None:
    """The short form of a logged response (exactly reversible: see unpack_response)."""
    memo = _RESPONSE_MEMO.get(text, ...)
    if memo is not ...:
        return memo
    packed = _pack_response(text)
    if len(_RESPONSE_MEMO) < 4096:
        _RESPONSE_MEMO[text] = packed
    return packed


def _pack_response(text: str) -> str | int | None:
    if text == "null":
        return None
    try:
        data = json.loads(text)
    except ValueError:
        return "=" + text
    if isinstance(data, dict) and 1 <= len(data) <= 2:
        items = list(data.items())
        override = len(items) == 2 and items[1] == ("override", True)
        if len(items) == 1 or override:
            kind, value = items[0]
            plain_index = (
                kind == "index"
                and not override
                and type(value) is int
                and -(2**63) <= value < 2**63  # what SQLite's INTEGER holds
            )
            if plain_index and json.dumps({"index": value}) == text:
                return value  # type: ignore[no-any-return]
            tag = _TAGS.get(kind)
            if tag is not None:
                packed = (tag.upper() if override else tag) + json.dumps(value)
                if _decoded_tagged(packed) == text:
                    return packed
    return "=" + text


def unpack_response(v: str | int | None) -> str:
    if v is None:
        return "null"
    if isinstance(v, int):
        return f'{{"index": {v}}}'
    if isinstance(v, str):
        if v.startswith("="):
            return v[1:]
        decoded = _decoded_tagged(v)
        if decoded is not None:
            return decoded
    raise TrainerDBError(
        f"a review log entry holds a response trainer never writes ({v!r}): the database was "
        "edited or is damaged",
        kind="damaged",
    )


# The same in SQL (the review_log view), over a revlog row ``l``.
RESPONSE_SQL = (
    "(CASE WHEN l.response IS NULL THEN 'null' "
    "WHEN typeof(l.response) = 'integer' THEN '{\"index\": ' || l.response || '}' "
    "WHEN substr(l.response, 1, 1) = '=' THEN substr(l.response, 2) "
    "ELSE '{\"' || CASE lower(substr(l.response, 1, 1)) WHEN 'b' THEN 'bool' WHEN 'i' THEN 'index' "
    "WHEN 's' THEN 'set' WHEN 'o' THEN 'order' ELSE 'text' END || '\": ' || substr(l.response, 2) "
    "|| CASE WHEN substr(l.response, 1, 1) = upper(substr(l.response, 1, 1)) "
    "THEN ', \"override\": true}' ELSE '}' END END)"
)


def snapshot_values(card: CardRow) -> tuple[Any, ...]:
    """The card before an answer as the revlog's SNAPSHOT_COLUMNS (for an exact undo)."""
    s = card.schedule
    return (
        s.step,
        s.stability,
        s.difficulty,
        opt_us(s.due),
        opt_us(s.last_review),
        s.reps,
        s.lapses,
    )


def snapshot_columns(flags: Flags, values: Sequence[Any]) -> dict[str, Any] | None:
    """The answer columns (as answer_columns gives them) the snapshot restores, or None if the
    entry holds none."""
    step, stability, difficulty, due, last_review, reps, lapses = values
    if reps is None:
        return None
    return {
        "state": flags.state_before,
        "step": step,
        "stability": stability,
        "difficulty": difficulty,
        "due": due,
        "last_review": last_review,
        "reps": reps,
        "lapses": lapses,
        "suspended": int(flags.suspended),
        "leech": int(flags.leech),
    }
