"""Database: bytes per review, and `trainer stats` against the size of the log.

* bytes per review: the bundled bank with 1,000,000 reviews written by gen_reviews.py (--direct,
  packed by the store's own codec, counters kept by the schema's triggers), checkpointed:
  ``page_count * page_size / reviews``, the whole file (cards, indexes and counters included),
  against the goal's budget of 150 bytes;
* ``trainer stats`` (``run_stats`` in process, as the command runs it: check the bank, open the
  database, statistics, what is left today, the text printed) on the bundled bank with 1,000,000
  and 5,000,000 reviews, each against the same bank with a database of 0 reviews, in paired,
  alternating rounds (harness.interleave); goal <= 2x at 5,000,000. ``Engine.stats()`` alone on an
  open engine is a second, labelled line.

``--quick``: 100,000 and 500,000 reviews, fewer rounds. The databases are built once per run in
its temporary folder (5,000,000 reviews take a minute or two: rows are inserted in bulk, not
answered through the engine).
"""

from __future__ import annotations

import argparse
import io
import sqlite3
import sys
import time
from datetime import UTC
from pathlib import Path

import harness
from gen_reviews import NOW, generate_reviews
from harness import Result, interleave
from workspace import work_dir

from trainer.bank import load_bank
from trainer.engine import Engine, Settings
from trainer.engine.stats_command import run_stats
from trainer.paths import bundled_bank

SETTINGS = Settings(tz=UTC)
BUDGET = 150.0  # bytes per review, the goal


def sizes(quick: bool) -> tuple[int, int]:
    return (100_000, 500_000) if quick else (1_000_000, 5_000_000)


def bytes_per_review(db: Path, reviews: int) -> float:
    con = sqlite3.connect(db)
    try:
        con.execute("PRAGMA wal_checkpoint(TRUNCATE)")
        pages = con.execute("PRAGMA page_count").fetchone()[0]
        size = con.execute("PRAGMA page_size").fetchone()[0]
        logged = con.execute("SELECT count(*) FROM revlog").fetchone()[0]
    finally:
        con.close()
    assert logged == reviews, (logged, reviews)
    return float(pages * size) / reviews


def table_bytes(db: Path, reviews: int) -> dict[str, float]:
    """Bytes per review of each table and index (SQLite's dbstat), for the notes."""
    con = sqlite3.connect(db)
    try:
        rows = con.execute("SELECT name, sum(pgsize) FROM dbstat GROUP BY name").fetchall()
    except sqlite3.Error:
        return {}
    finally:
        con.close()
    return {str(n): round(b / reviews, 1) for n, b in rows if b / reviews >= 0.5}


def run(quick: bool = False) -> list[Result]:
    rounds = 5 if quick else 11
    mid, big = sizes(quick)
    bank_path = bundled_bank()
    bank, problems = load_bank(bank_path)
    assert bank is not None, problems
    folder = work_dir() / "db"
    folder.mkdir()
    empty = folder / "empty.db"
    Engine.open(bank, empty, clock=lambda: NOW, settings=SETTINGS).close()
    built: dict[int, Path] = {}
    build_s: dict[str, float] = {}
    for n in (mid, big):
        built[n] = folder / f"reviews-{n}.db"
        t = time.perf_counter()
        generate_reviews(bank, built[n], n, method="direct")
        build_s[f"{n:,}"] = round(time.perf_counter() - t, 1)

    results: list[Result] = []
    per_review = bytes_per_review(built[mid], mid)
    results.append(
        Result(
            f"db: bytes per review ({mid:,} reviews)",
            "schema 5 (whole file)",
            "goal's budget",
            "B/review",
            [per_review],
            [BUDGET],
            goal=1.0,
            note=f"per table and index (bytes/review): {table_bytes(built[mid], mid)}; "
            f"databases built in {build_s} s",
        )
    )

    def stats_cmd(db: Path) -> harness.Timer:
        def once() -> float:
            out = io.StringIO()
            t = time.perf_counter()
            code = run_stats(db, bank_path, False, out=out, settings=SETTINGS)
            elapsed = time.perf_counter() - t
            assert code == 0 and "Answers logged" in out.getvalue()
            return elapsed

        return once

    for n in (mid, big):
        b, s = interleave(stats_cmd(empty), stats_cmd(built[n]), rounds)
        results.append(
            Result(
                f"db: trainer stats ({n:,} reviews)",
                f"{n:,} reviews",
                "0 reviews",
                "s",
                s,
                b,
                goal=2.0 if n == big else None,
            )
        )

    engines = {
        n: Engine.open(bank, p, clock=lambda: NOW, settings=SETTINGS)
        for n, p in ((0, empty), (big, built[big]))
    }
    try:
        b, s = interleave(
            harness.timed(engines[0].stats), harness.timed(engines[big].stats), rounds
        )
        results.append(
            Result(
                f"db: Engine.stats() ({big:,} reviews)", f"{big:,} reviews", "0 reviews", "s", s, b
            )
        )
    finally:
        for e in engines.values():
            e.close()
    results[0].note += f"; bank: the bundled bank ({len(bank.questions)} questions)"
    return results


if __name__ == "__main__":
    ap = argparse.ArgumentParser()
    ap.add_argument("--quick", action="store_true")
    print(harness.table(run(ap.parse_args().quick)))
    sys.exit(0)
