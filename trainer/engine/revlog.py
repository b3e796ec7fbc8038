"""Portable history: the revlog CSV that FSRS tools read (``trainer reviews export|import``).

Columns ``card_id,review_time,review_rating,review_duration``: the question id, the time of the
answer in ISO 8601 UTC (``2026-11-26T10:00:00.000000Z``), the rating 1-4 and the time taken in ms.
Exported: the answers that rescheduled a card (study answers, practice answers to a due card), the
history FSRS learns from; exam answers and practice answers that did not reschedule are left out.

Import adds each row as a study answer. A row whose card and time (to the microsecond) are
already logged, or repeated in the file, is skipped. Ids that are not questions of the bank are
refused, all listed, and nothing is written. Afterwards each imported card's schedule is
recomputed from its whole history (replay.py). Everything is one transaction.
"""

from __future__ import annotations

import csv
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import TYPE_CHECKING, TextIO

from trainer.engine.records import NewLogEntry
from trainer.engine.replay import REPLAY_SEED, replay, scheduled_answers
from trainer.engine.store import from_us, to_us

if TYPE_CHECKING:
    from trainer.engine.engine import Engine

COLUMNS = ("card_id", "review_time", "review_rating", "review_duration")


class RevlogError(ValueError):
    """The CSV cannot be imported; the message names the file and line, or the unknown ids."""


@dataclass(frozen=True)
class RevlogRow:
    qid: str
    time: datetime
    rating: int
    duration_ms: int


@dataclass(frozen=True)
class ImportReport:
    added: int
    duplicates: int
    cards: int  # cards recomputed


def format_time(t: datetime) -> str:
    return t.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%S.%fZ")


def parse_time(text: str) -> datetime:
    """ISO 8601; a time without a zone is taken as UTC."""
    text = text.strip()
    if not text:
        raise ValueError("review_time is empty")
    try:
        t = datetime.fromisoformat(text)
    except ValueError:
        raise ValueError(
            f"review_time {text!r} is not an ISO 8601 time (e.g. 2026-03-01T09:30:00Z)"
        ) from None
    return t.replace(tzinfo=UTC) if t.tzinfo is None else t.astimezone(UTC)


def export_revlog(engine: Engine, out: TextIO) -> int:
    """Write the bank's rescheduling answers, oldest first; how many rows were written."""
    rows = [
        (t, qid, rating, ms)
        for _id, qid, t, rating, ms, _mode, scheduled in engine.store.review_rows(engine.bank.id)
        if scheduled
    ]
    rows.sort()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(COLUMNS)
    for t, qid, rating, ms in rows:
        writer.writerow((qid, format_time(from_us(t)), rating, ms))
    return len(rows)


def read_revlog(stream: Iterable[str], source: str) -> list[RevlogRow]:
    """Parse the CSV (extra columns are ignored). Raises RevlogError naming the first bad line."""
    reader = csv.DictReader(stream)
    missing = [c for c in COLUMNS if c not in (reader.fieldnames or [])]
    if missing:
        raise RevlogError(
            f"{source}: the header must have the columns {','.join(COLUMNS)}; "
            f"missing {', '.join(missing)}"
        )
    rows: list[RevlogRow] = []
    for record in reader:
        line = reader.line_num
        try:
            qid = (record["card_id"] or "").strip()
            if not qid:
                raise ValueError("card_id is empty")
            time = parse_time(record["review_time"] or "")
            rating = int(record["review_rating"] or "")
            if not 1 <= rating <= 4:
                raise ValueError(f"review_rating must be 1 to 4, not {rating}")
            raw = (record["review_duration"] or "0").strip() or "0"
            duration = round(float(raw))
            if duration < 0:
                raise ValueError(f"review_duration must be >= 0 ms, not {raw}")
        except (ValueError, TypeError) as exc:
            raise RevlogError(f"{source} line {line}: {exc}") from exc
        rows.append(RevlogRow(qid, time, rating, duration))
    return rows


def import_revlog(
    engine: Engine, rows: list[RevlogRow], *, seed: str = REPLAY_SEED
) -> ImportReport:
    """Add ``rows`` to the log and recompute the cards they touch, in one transaction.

    Raises RevlogError listing every unknown id (nothing is written then)."""
    known = {q.id for q in engine.bank.active_questions}
    unknown = sorted({r.qid for r in rows} - known)
    if unknown:
        raise RevlogError(
            f"{len(unknown)} card id{'s' if len(unknown) != 1 else ''} of the file "
            f"{'are' if len(unknown) != 1 else 'is'} not a question of the bank "
            f"{engine.bank.id!r}; nothing was imported: " + ", ".join(unknown)
        )
    bank_id = engine.bank.id
    added = duplicates = 0
    touched: set[str] = set()
    with engine.store.write():
        seen = {(qid, t) for _id, qid, t, *_rest in engine.store.review_rows(bank_id)}
        cards = {row.question_id: row for row in engine.store.cards(bank_id)}
        for r in rows:
            key = (r.qid, to_us(r.time))
            if key in seen:
                duplicates += 1
                continue
            seen.add(key)
            engine.store.insert_review(
                cards[r.qid].id,
                NewLogEntry(
                    time=r.time,
                    rating=r.rating,
                    correct=r.rating > 1,
                    response="null",
                    duration_ms=r.duration_ms,
                    mode="study",
                    scheduled=True,
                ),
            )
            added += 1
            touched.add(r.qid)
        history = scheduled_answers(engine)  # since each card's last reset, if any
        for qid in sorted(touched):
            if qid not in history:
                continue  # every imported answer is older than the card's reset
            card, steps = replay(
                cards[qid], history[qid], engine.settings, seed=seed, bank_id=bank_id
            )
            engine.store.rewrite_history(card, steps)
    engine.reload()
    return ImportReport(added=added, duplicates=duplicates, cards=len(touched))
