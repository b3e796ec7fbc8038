"""Scale: a generated bank of 10,000 questions with a database of 1,000,000 reviews, against the
bundled bank with a database of 1,000 reviews (a few weeks of use).

Each operation is timed on both in alternation and reported as large / small:

* bank load (parse): ``load_bank(path)`` with the parsed-bank cache off (``TRAINER_CACHE=0``):
  TOML parsing, validation, lint;
* bank load (cached): ``load_bank(path)`` hitting the parsed-bank cache (trainer/bank/cache.py:
  the files' stats checked against the entry's stamp, the JSON entry read), the usual start once a
  bank has been read;
* engine open: ``Engine.open`` on the existing database (inspection, migration check, sync), closed;
* start to first question (in process): load_bank (cached) + Engine.open + next_question;
* home summary: ``overview()`` on a freshly opened engine (counts, mastery, streak: what the home
  screen shows at start, cards read from the database included); and after a session: on an
  engine whose cards are loaded, once another connection (the session's) answered;
* the due query: ``Store.due_cards`` (the SQL behind the review queue), and ``counts()`` (the whole
  queue build the UI runs after each answer);
* ``stats()``;
* app start, process start to home screen painted (paint_run.py): the user's start (bank cached).

The cache lives in the run's temporary folder (harness.CACHE_DIR, via ``TRAINER_CACHE_DIR``).

Goals (issue 11): the app's start at 10,000 questions + 1,000,000 reviews <= 1.3x the bundled bank
(``--questions 50000``: <= 1.6x); the terminal figure a trainee sees is bench_tmux.py's. The
1,000,000 reviews are written straight into the storage schema by gen_reviews.py (--direct; the
public API commits each answer and would take hours); the 1,000 via the public API.
"""

from __future__ import annotations

import argparse
import os
import sys
import time
from collections.abc import Callable
from datetime import UTC
from pathlib import Path

import harness
from gen_reviews import NOW, generate_reviews
from harness import Result, interleave
from paint_run import run_paint
from support import respond
from workspace import generated_bank, work_dir

from trainer.bank import cache, load_bank
from trainer.bank.models import Bank
from trainer.engine import Engine, Rating, Settings
from trainer.paths import bundled_bank

SETTINGS = Settings(tz=UTC)


class Side:
    """One bank + database; every operation opens what it needs, as a fresh start would."""

    def __init__(self, name: str, bank_path: Path, db: Path) -> None:
        self.name = name
        self.bank_path = bank_path
        self.db = db
        bank, problems = load_bank(bank_path)
        assert bank is not None, problems
        self.bank: Bank = bank
        entry = cache.entry_path(str(bank_path))
        if entry is None or not entry.exists():
            raise RuntimeError(f"no parsed-bank cache entry for {bank_path} in {entry}")
        self.engine = Engine.open(bank, db, clock=lambda: NOW, settings=SETTINGS)

    def load_parse(self) -> float:
        """load_bank with the parsed-bank cache off (TRAINER_CACHE=0): parse, check, lint."""
        os.environ["TRAINER_CACHE"] = "0"
        try:
            t = time.perf_counter()
            load_bank(self.bank_path)
            return time.perf_counter() - t
        finally:
            del os.environ["TRAINER_CACHE"]

    def load_cached(self) -> float:
        """load_bank hitting the parsed-bank cache (an entry made in __init__)."""
        t = time.perf_counter()
        load_bank(self.bank_path)
        return time.perf_counter() - t

    def open_close(self) -> float:
        t = time.perf_counter()
        Engine.open(self.bank, self.db, clock=lambda: NOW, settings=SETTINGS).close()
        return time.perf_counter() - t

    def overview(self) -> float:
        """The home screen's figures on a freshly opened engine (its cards not read yet)."""
        e = Engine.open(self.bank, self.db, clock=lambda: NOW, settings=SETTINGS)
        try:
            t = time.perf_counter()
            e.overview()
            return time.perf_counter() - t
        finally:
            e.close()

    def home_after_session(self) -> float:
        """``overview()`` on an engine whose cards are loaded, after another connection (the
        study session's engine, a twin) answered one question: what the home screen does when
        a session ends. The answer is undone afterwards (untimed), so every round is alike."""
        e = self.engine
        e.next_question()  # its cards loaded, as after browsing
        session = e.twin()
        try:
            q = session.next_question()
            assert q is not None
            session.answer(q.id, Rating.AGAIN, response=respond(q, False), duration_ms=1000)
            t = time.perf_counter()
            e.overview()
            elapsed = time.perf_counter() - t
            session.undo()
            return elapsed
        finally:
            session.close()

    def start(self) -> float:
        t = time.perf_counter()
        bank, _ = load_bank(self.bank_path)
        assert bank is not None
        e = Engine.open(bank, self.db, clock=lambda: NOW, settings=SETTINGS)
        e.next_question()
        elapsed = time.perf_counter() - t
        e.close()
        return elapsed

    def op(self, fn: Callable[[Engine], object]) -> Callable[[], float]:
        def run() -> float:
            t = time.perf_counter()
            fn(self.engine)
            return time.perf_counter() - t

        return run

    def close(self) -> None:
        self.engine.close()


QUESTIONS = 10_000  # the large side's questions (--questions)


def sizes(quick: bool) -> tuple[int, int]:
    """(questions, reviews) of the large side."""
    return (2000, 100_000) if quick else (QUESTIONS, 1_000_000)


def start_goal() -> float | None:
    return {10_000: 1.3, 50_000: 1.6}.get(QUESTIONS)


def build(quick: bool) -> tuple[Side, Side, dict[str, object]]:
    n_q, n_r = sizes(quick)
    folder = work_dir() / "scale"
    folder.mkdir(exist_ok=True)
    small_db = folder / "small.db"
    large_db = folder / f"large-{n_q}-{n_r}.db"
    info: dict[str, object] = {}
    small_bank, _ = load_bank(bundled_bank())
    assert small_bank is not None
    if not small_db.exists():
        g = generate_reviews(small_bank, small_db, 1000, method="api")
        info["small_db"] = {"reviews": 1000, "method": g.method, "bytes": g.db_bytes}
    big_path = generated_bank(n_q)
    if not large_db.exists():
        big_bank, problems = load_bank(big_path)
        assert big_bank is not None, problems
        g = generate_reviews(big_bank, large_db, n_r, method="direct")
        info["large_db"] = {
            "questions": n_q,
            "reviews": n_r,
            "method": g.method,
            "build_s": round(g.seconds, 1),
            "bytes": g.db_bytes,
        }
    return Side("small", bundled_bank(), small_db), Side("large", big_path, large_db), info


def run(quick: bool = False) -> list[Result]:
    rounds = 3 if quick else 9
    small, large = None, None
    try:
        small, large, info = build(quick)
        n_q, n_r = sizes(quick)
        label = f"{n_q:,} q, {n_r:,} reviews"
        results: list[Result] = []

        def pair(
            name: str, s_fn: Callable[[], float], b_fn: Callable[[], float], **kw: float
        ) -> None:
            b, s = interleave(b_fn, s_fn, rounds)
            res = Result(f"scale: {name}", f"large ({label})", "bundled bank", "s", s, b)
            res.goal = kw.get("goal")
            results.append(res)

        pair("bank load (parse)", large.load_parse, small.load_parse)
        pair("bank load (cached)", large.load_cached, small.load_cached)
        pair("engine open+sync", large.open_close, small.open_close)
        pair("start to 1st question (cached)", large.start, small.start)
        pair("home summary (overview, fresh engine)", large.overview, small.overview)
        pair(
            "home summary after a session (overview)",
            large.home_after_session,
            small.home_after_session,
        )
        due = lambda e: e.store.due_cards(e.bank.id, NOW)  # noqa: E731
        pair("due query (SQL)", large.op(due), small.op(due))
        pair(
            "next_question",
            large.op(lambda e: e.next_question()),
            small.op(lambda e: e.next_question()),
        )
        pair("counts", large.op(lambda e: e.counts()), small.op(lambda e: e.counts()))
        pair("stats()", large.op(lambda e: e.stats()), small.op(lambda e: e.stats()))
        # The user's start: process start to home screen painted.
        small.close()
        large.close()
        pr = max(2, rounds // 2)
        mem_s: list[float] = []
        mem_b: list[float] = []

        def app_large() -> float:
            r = run_paint("trainer", str(large.bank_path), str(large.db), timeout=300)
            mem_s.append(r.vmhwm_kib / 1024)
            return r.seconds

        def app_small() -> float:
            r = run_paint("trainer", str(small.bank_path), str(small.db))
            mem_b.append(r.vmhwm_kib / 1024)
            return r.seconds

        b, s = interleave(app_small, app_large, pr, warmup=0)
        results.append(
            Result(
                "scale: app start painted",
                f"large ({label})",
                "bundled bank",
                "s",
                s,
                b,
                goal=None if quick else start_goal(),
                extra=info,
            )
        )
        results.append(
            Result("scale: app peak RSS", f"large ({label})", "bundled bank", "MiB", mem_s, mem_b)
        )
        results[0].note = (
            f"large = generated bank and database ({label}); small = the bundled bank "
            f"({len(small.bank.questions)} q) with 1,000 reviews"
        )
        return results
    finally:
        for side in (small, large):
            if side is not None:
                side.close()


if __name__ == "__main__":
    ap = argparse.ArgumentParser()
    ap.add_argument("--quick", action="store_true")
    ap.add_argument("--questions", type=int, default=QUESTIONS, help="the large side's bank")
    args = ap.parse_args()
    QUESTIONS = args.questions
    print(harness.table(run(args.quick)))
    sys.exit(0)
