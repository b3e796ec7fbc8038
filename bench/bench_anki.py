"""Anchor: the engine against Anki's own Rust backend (the ``anki`` package) on the same collection.

    python bench/bench_anki.py            # 10,000 questions + 1,000,000 reviews
    python bench/bench_anki.py --quick    # 10,000 questions + 100,000 reviews

The trainer database comes from gen_reviews.py; the Anki collection is built from it: one Basic
note per question, each card in the same state (new / learning / review / relearning, due date,
reps, lapses; review intervals from the FSRS stability), one revlog row per review-log row. Both
use their default daily limits (20 new, 200 reviews). Then, alternately (ABBA), each side:

- open: ``Engine.open`` on the file (the bank already loaded) and close, against ``Collection()``
  and close;
- next card after an answer: answer the shown card (untimed), then time the next card
  (``next_question`` / ``sched.get_queued_cards``);
- counts after an answer: answer (untimed), then time ``counts`` / ``sched.counts``;
- commit: one answer written (the engine's durable commit / ``sched.answer_card``).

Anki's cards carry no FSRS memory state (its scheduler previews are not compared): only queue
building, counting, opening and writing are. Bench is not a test; pytest never runs it.
"""

from __future__ import annotations

import argparse
import shutil
import sqlite3
import sys
import time
from collections.abc import Callable
from datetime import UTC
from pathlib import Path

import harness
from gen_reviews import NOW, generate_reviews
from harness import Result, interleave
from support import respond
from workspace import generated_bank, work_dir

from trainer.bank import load_bank
from trainer.bank.models import Bank
from trainer.engine import Engine, Rating, Settings

SETTINGS = Settings(tz=UTC)
DAY = 86_400


def build_anki(bank: Bank, db: Path, out: Path) -> None:
    """An Anki collection at ``out`` with the cards and the log of the trainer database ``db``."""
    from anki.collection import AddNoteRequest, Collection

    col = Collection(str(out))
    try:
        model = col.models.by_name("Basic")
        assert model is not None
        deck_id = col.decks.id("trainer")
        assert deck_id is not None
        col.decks.select(deck_id)
        requests = []
        for q in bank.questions:
            note = col.new_note(model)
            note["Front"] = q.stem
            note["Back"] = q.explanation or q.id
            requests.append(AddNoteRequest(note=note, deck_id=deck_id))
        col.add_notes(requests)
        card_ids = col.db.list("select id from cards order by nid")
        qids = [q.id for q in bank.questions]
        by_qid = dict(zip(qids, card_ids, strict=True))
        src = sqlite3.connect(f"file:{db}?mode=ro", uri=True)
        today, now = col.sched.today, NOW.timestamp()
        updates = []
        ours: dict[int, int] = {}  # our card id -> Anki's
        for cid, qid, state, due, stab, reps, lapses in src.execute(
            "SELECT id, question_id, state, due, stability, reps, lapses FROM cards"
        ):
            acid = by_qid.get(qid)
            if acid is None:
                continue
            ours[cid] = acid
            if state == "new" or due is None:
                continue
            secs = due / 1e6
            if state == "review":
                ctype, queue, adue = 2, 2, today + int((secs - now) // DAY)
            else:
                ctype, queue, adue = (1 if state == "learning" else 3), 1, int(secs)
            ivl = max(1, round(stab or 1)) if state == "review" else 0
            updates.append((ctype, queue, adue, ivl, reps, lapses, acid))
        for i in range(0, len(updates), 20_000):
            col.db.executemany(
                "update cards set type=?, queue=?, due=?, ivl=?, reps=?, lapses=?, left=1 "
                "where id=?",
                updates[i : i + 20_000],
            )
        rows = []
        base = int(now * 1000) - 10_000_000_000
        for n, (card_id, t, rating, ms) in enumerate(
            src.execute("SELECT card_id, time, rating, duration_ms FROM review_log ORDER BY id")
        ):
            acid = ours.get(card_id)
            if acid is None:
                continue
            rows.append((max(base + n, t // 1000), acid, -1, rating, 1, 0, 2500, ms, 1))
            if len(rows) >= 50_000:
                col.db.executemany("insert or ignore into revlog values (?,?,?,?,?,?,?,?,?)", rows)
                rows = []
        if rows:
            col.db.executemany("insert or ignore into revlog values (?,?,?,?,?,?,?,?,?)", rows)
        src.close()
    finally:
        col.close()


class Ours:
    def __init__(self, bank: Bank, db: Path) -> None:
        self.bank, self.db = bank, db
        self.engine = Engine.open(bank, db, settings=SETTINGS, seed=1)

    def answer(self) -> None:
        q = self.engine.next_question()
        assert q is not None, "nothing left to study"
        self.engine.answer(q.id, Rating.GOOD, response=respond(q, True), duration_ms=5000)

    def open_close(self) -> None:
        Engine.open(self.bank, self.db, settings=SETTINGS, seed=1).close()

    def next_card(self) -> object:
        return self.engine.next_question()

    def counts(self) -> object:
        return self.engine.counts()


class Anki:
    def __init__(self, path: Path) -> None:
        from anki.collection import Collection

        self.path = path
        self.col = Collection(str(path))

    def answer(self) -> None:
        from anki.cards import Card
        from anki.scheduler.v3 import CardAnswer

        queued = self.col.sched.get_queued_cards(fetch_limit=1)
        assert queued.cards, "nothing left to study in Anki"
        top = queued.cards[0]
        card = Card(self.col, backend_card=top.card)
        card.start_timer()
        sched = self.col.sched
        sched.answer_card(sched.build_answer(card=card, states=top.states, rating=CardAnswer.GOOD))

    def open_close(self) -> None:
        from anki.collection import Collection

        self.col.close()
        t = time.perf_counter()
        Collection(str(self.path)).close()
        self._open_s = time.perf_counter() - t
        self.col = Collection(str(self.path))

    def next_card(self) -> object:
        return self.col.sched.get_queued_cards(fetch_limit=1)

    def counts(self) -> object:
        return self.col.sched.counts()


def _after_answer(side: Ours | Anki, op: Callable[[], object]) -> Callable[[], float]:
    def run() -> float:
        side.answer()
        t = time.perf_counter()
        op()
        return time.perf_counter() - t

    return run


def _timed_answer(side: Ours | Anki) -> Callable[[], float]:
    def run() -> float:
        t = time.perf_counter()
        side.answer()
        return time.perf_counter() - t

    return run


def _timed_open(side: Ours | Anki) -> Callable[[], float]:
    def run() -> float:
        if isinstance(side, Anki):
            side.open_close()  # reopens its working collection untimed
            return side._open_s
        t = time.perf_counter()
        side.open_close()
        return time.perf_counter() - t

    return run


def run(quick: bool = False) -> list[Result]:
    reviews = 100_000 if quick else 1_000_000
    rounds = 10 if quick else 30
    bank_path = generated_bank(10_000)
    bank, problems = load_bank(bank_path)
    assert bank is not None, problems
    base = work_dir() / f"anki-{reviews}"
    base.mkdir(exist_ok=True)
    db = base / "trainer.db"
    if not db.exists():
        generate_reviews(bank, db, reviews)
    anki_path = base / "collection.anki2"
    if not anki_path.exists():
        build_anki(bank, db, anki_path)
    work_db, work_anki = base / "work.db", base / "work.anki2"
    shutil.copyfile(db, work_db)
    shutil.copyfile(anki_path, work_anki)
    ours, anki = Ours(bank, work_db), Anki(work_anki)
    scale = f"10k q, {reviews:,} reviews"
    results = []
    try:
        for name, make in (
            ("open", _timed_open),
            ("next card after an answer", lambda s: _after_answer(s, s.next_card)),
            ("counts after an answer", lambda s: _after_answer(s, s.counts)),
            ("commit (one answer)", _timed_answer),
        ):
            b, s = interleave(make(anki), make(ours), rounds)
            results.append(
                Result(
                    f"anki anchor: {name} ({scale})",
                    f"trainer: {name}",
                    f"Anki's Rust backend: {name}",
                    "s",
                    s,
                    b,
                    note="same collection; a ratio, not a goal (issue 11 reports it every run)",
                )
            )
    finally:
        ours.engine.close()
        anki.col.close()
    return results


if __name__ == "__main__":
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    ap.add_argument("--quick", action="store_true")
    args = ap.parse_args()
    print(harness.table(run(args.quick)))
    sys.exit(0)
