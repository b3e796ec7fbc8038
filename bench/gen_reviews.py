"""Build a review database with N reviews for a bank.

    python bench/gen_reviews.py BANK DB N [--api | --direct] [--seed S]

Two ways:

* ``--api`` (the default below 20,000 reviews) answers through the Engine's public API
  (``Engine.open``, ``next_question``, ``answer``) with an injected clock that moves on a day
  whenever nothing is left today. Every answer is its own durable transaction, as in the app, so
  it runs at a few hundred answers a second: fine for thousands, hopeless for a million.
* ``--direct`` (the default from 20,000) creates the database and its cards through
  ``Engine.open`` (so the schema, the migrations and the cards are the engine's own), then writes
  the review log straight into the storage layer's schema (the compact ``revlog`` of schema 5,
  rows packed by the store's own codec: flags, short responses, the card before each answer) with
  sqlite3, in batches of 50,000 per transaction (the schema's triggers keep the statistics'
  counters as they go), and sets each card's final FSRS-like state (review/relearning, stability,
  difficulty, due, reps, lapses, and a learning step on (re)learning cards, which py-fsrs
  requires) consistently with its log. The column lists are checked against
  the live schema first, so a schema change fails loudly here instead of producing a wrong file.

Reviews are spread over the three years before "now" (the real time when the module is imported,
so that the app, which runs on the real clock, sees them in its past), on random cards, with
ratings, modes, responses and card snapshots shaped like the engine's own.
"""

from __future__ import annotations

import argparse
import random
import sqlite3
import sys
import time
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

from support import respond

from trainer.bank.models import Bank

# "Now" is the real time at import: the app, started as a process, runs on the real clock, so the
# history must end in its past (reviews dated in its future would all count as "today").
NOW = datetime.now(UTC).replace(microsecond=0)
DIRECT_FROM = 20_000
BATCH = 50_000
LEARNING_GAP_US = 10 * 60 * 1_000_000  # a (re)learning card: due 10 minutes after its answer
EPOCH = datetime(1970, 1, 1, tzinfo=UTC)

# The compact review log of schema 5 (trainer/engine/store/schema.py): rows are packed with the
# store's own codec (flags, short responses, the card before the answer as numeric columns).
LOG_COLUMNS = (
    "card_id",
    "time",
    "flags",
    "duration_ms",
    "response",
    "step",
    "stability",
    "difficulty",
    "due",
    "last_review",
    "reps",
    "lapses",
)
CARD_COLUMNS = ("state", "step", "stability", "difficulty", "due", "last_review", "reps", "lapses")


@dataclass
class GenInfo:
    method: str
    reviews: int
    seconds: float
    db_bytes: int


def _us(t: datetime) -> int:
    return (t - EPOCH) // timedelta(microseconds=1)


def via_api(bank: Bank, db: Path, n: int, *, seed: int = 0, now: datetime = NOW) -> None:
    from trainer.engine import Engine, Rating, Settings

    clock_now = [now - timedelta(days=max(60, n // 15))]
    rng = random.Random(seed)
    engine = Engine.open(bank, db, clock=lambda: clock_now[0], seed=seed, settings=Settings(tz=UTC))
    try:
        done = 0
        while done < n:
            q = engine.next_question()
            if q is None:
                clock_now[0] += timedelta(days=1)
                continue
            right = rng.random() < 0.8
            rating = rng.choice((Rating.HARD, Rating.GOOD, Rating.GOOD, Rating.EASY))
            engine.answer(
                q.id,
                rating if right else Rating.AGAIN,
                response=respond(q, right),
                duration_ms=rng.randrange(3000, 60000),
            )
            clock_now[0] += timedelta(seconds=rng.randrange(5, 90))
            done += 1
    finally:
        engine.close()
    if clock_now[0] > now:
        print(f"gen_reviews: note: the last answers are dated after {now}", file=sys.stderr)


def _check_schema(con: sqlite3.Connection) -> None:
    def cols(table: str) -> set[str]:
        return {r[1] for r in con.execute(f"PRAGMA table_info({table})")}

    missing_log = set(LOG_COLUMNS) - cols("revlog")
    missing_cards = set(CARD_COLUMNS) - cols("cards")
    if missing_log or missing_cards:
        raise SystemExit(
            "gen_reviews: the storage schema changed (missing "
            f"{sorted(missing_log | missing_cards)}); update bench/gen_reviews.py"
        )


def _snapshot(st: dict[str, Any]) -> tuple[Any, ...]:
    """The card before an answer as the log keeps it (codec.SNAPSHOT_COLUMNS)."""
    return (
        st["step"],
        st["stability"],
        st["difficulty"],
        st["due"],
        st["last_review"],
        st["reps"],
        st["lapses"],
    )


def direct(bank: Bank, db: Path, n: int, *, seed: int = 0, now: datetime = NOW) -> None:
    from trainer.engine import Engine, Settings
    from trainer.engine.grading import response_to_json
    from trainer.engine.store.codec import SNAPSHOT_COLUMNS, pack_flags, pack_response

    assert LOG_COLUMNS[5:] == SNAPSHOT_COLUMNS, "update bench/gen_reviews.py: the snapshot changed"

    start = now - timedelta(days=3 * 365)
    engine = Engine.open(bank, db, clock=lambda: start, seed=seed, settings=Settings(tz=UTC))
    engine.close()
    rng = random.Random(seed)
    con = sqlite3.connect(db, isolation_level=None)
    try:
        _check_schema(con)
        con.execute("PRAGMA journal_mode = WAL")
        con.execute("PRAGMA synchronous = NORMAL")
        rows = con.execute(
            "SELECT id, question_id FROM cards WHERE bank_id = ? AND retired = 0", (bank.id,)
        ).fetchall()
        questions = {q.id: q for q in bank.active_questions}
        cards = [(cid, questions[qid]) for cid, qid in rows if qid in questions]
        if not cards:
            raise SystemExit("gen_reviews: the bank has no active questions")
        # Precompute a right and a wrong response per card (JSON, as the engine logs them).
        answers = {
            cid: (
                pack_response(response_to_json(respond(q, True))),
                pack_response(response_to_json(respond(q, False))),
            )
            for cid, q in cards
        }
        state: dict[int, dict[str, Any]] = {}
        span_us = _us(now - timedelta(days=1)) - _us(start)
        t0 = _us(start)
        insert = f"INSERT INTO revlog ({', '.join(LOG_COLUMNS)}) VALUES ({', '.join('?' * 12)})"
        batch: list[tuple[Any, ...]] = []
        for i in range(n):
            t = t0 + span_us * i // n + rng.randrange(0, max(1, span_us // n))
            cid, _q = cards[rng.randrange(len(cards))]
            st = state.get(cid) or {
                "state": "new",
                "step": None,
                "stability": None,
                "difficulty": None,
                "due": None,
                "last_review": None,
                "reps": 0,
                "lapses": 0,
            }
            before = _snapshot(st)
            state_before = st["state"]
            r = rng.random()
            rating = 1 if r < 0.1 else 2 if r < 0.25 else 3 if r < 0.9 else 4
            m = rng.random()
            mode = "study" if m < 0.85 else "practice" if m < 0.95 else "exam"
            scheduled = mode == "study"
            if scheduled:
                stab = st["stability"] or 1.0
                diff = st["difficulty"] or 5.0
                if rating == 1:
                    st["lapses"] += 1 if state_before == "review" else 0
                    stab = max(0.5, stab * 0.3)
                    diff = min(10.0, diff + 0.8)
                    st["state"] = "relearning" if state_before == "review" else "learning"
                else:
                    stab = min(36500.0, stab * (1.5 + rating * 0.6))
                    diff = max(1.0, diff - 0.3 * (rating - 2))
                    st["state"] = "review"
                st["stability"] = round(stab, 4)
                st["difficulty"] = round(diff, 4)
                st["last_review"] = t
                # py-fsrs needs a learning step on (re)learning cards, and none on review cards;
                # a (re)learning card is due again within minutes, a review card in days.
                if st["state"] == "review":
                    st["step"] = None
                    st["due"] = t + int(stab * 86_400_000_000)
                else:
                    st["step"] = 0
                    st["due"] = t + LEARNING_GAP_US
                st["reps"] += 1
            state[cid] = st
            right = rating > 1
            batch.append(
                (
                    cid,
                    t,
                    pack_flags(rating, mode, scheduled, right, state_before),
                    rng.randrange(3000, 60000),
                    answers[cid][0 if right else 1],
                    *before,
                )
            )
            if len(batch) >= BATCH:
                con.execute("BEGIN IMMEDIATE")
                con.executemany(insert, batch)
                con.execute("COMMIT")
                batch.clear()
        con.execute("BEGIN IMMEDIATE")
        if batch:
            con.executemany(insert, batch)
        # The final schedules: the log's toy model lets stability run away, so set each seen card's
        # interval from how often it was actually reviewed (the mean gap between its reviews,
        # scaled log-normally), due after its last review. About a fifth end up due "now".
        for st in state.values():
            if st["reps"] == 0 or st["state"] != "review":
                continue
            gap_days = 3 * 365 / st["reps"]
            stab = round(gap_days * rng.lognormvariate(0.3, 0.5), 4)
            st["stability"] = stab
            st["due"] = st["last_review"] + int(stab * 86_400_000_000)
        con.executemany(
            "UPDATE cards SET state = ?, step = ?, stability = ?, difficulty = ?, due = ?, "
            "last_review = ?, reps = ?, lapses = ? WHERE id = ?",
            [
                (
                    st["state"],
                    st["step"],
                    st["stability"],
                    st["difficulty"],
                    st["due"],
                    st["last_review"],
                    st["reps"],
                    st["lapses"],
                    cid,
                )
                for cid, st in state.items()
            ],
        )
        con.execute("COMMIT")
        con.execute("PRAGMA wal_checkpoint(TRUNCATE)")
        con.execute("ANALYZE")
    finally:
        con.close()


def generate_reviews(
    bank: Bank, db: Path, n: int, *, seed: int = 0, method: str = "auto", now: datetime = NOW
) -> GenInfo:
    if method == "auto":
        method = "direct" if n >= DIRECT_FROM else "api"
    t = time.perf_counter()
    if method == "api":
        via_api(bank, db, n, seed=seed, now=now)
    elif method == "direct":
        direct(bank, db, n, seed=seed, now=now)
    else:
        raise ValueError(f"unknown method {method!r}")
    size = sum(p.stat().st_size for p in db.parent.glob(db.name + "*"))
    return GenInfo(method, n, time.perf_counter() - t, size)


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description="Build a review database with N reviews.")
    ap.add_argument("bank", type=Path)
    ap.add_argument("db", type=Path)
    ap.add_argument("n", type=int)
    g = ap.add_mutually_exclusive_group()
    g.add_argument("--api", dest="method", action="store_const", const="api")
    g.add_argument("--direct", dest="method", action="store_const", const="direct")
    ap.add_argument("--seed", type=int, default=0)
    args = ap.parse_args(argv)
    from trainer.bank import load_bank

    bank, problems = load_bank(args.bank)
    if bank is None:
        for p in problems:
            print(p.format(), file=sys.stderr)
        return 1
    if args.db.exists():
        print(f"gen_reviews: {args.db} exists; give a new path", file=sys.stderr)
        return 1
    info = generate_reviews(bank, args.db, args.n, seed=args.seed, method=args.method or "auto")
    print(
        f"{args.db}: {info.reviews} reviews via {info.method} in {info.seconds:.1f} s, "
        f"{info.db_bytes / 2**20:.1f} MiB"
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
