"""Time to first question: process start to the home screen painted, against a bare Textual app.

Both run as fresh processes under a pseudo-terminal (see paint_run.py) and are timed the same way:
from just before the fork to the first refresh after the first screen has settled. The subject is
the real ``trainer --bank BUNDLED --db TMP`` entry point with an existing database of 1,000
reviews (the usual start); the first-ever start (creating the database and syncing the bank) is
a second line.
Goal: ratio <= 1.3.
"""

from __future__ import annotations

import argparse
import sys
import tempfile
from pathlib import Path

import harness
from gen_reviews import generate_reviews
from harness import Result, interleave
from paint_run import run_paint

from trainer.bank import load_bank
from trainer.paths import bundled_bank


def run(quick: bool = False) -> list[Result]:
    rounds = 4 if quick else 15
    bank = str(bundled_bank())
    with tempfile.TemporaryDirectory(prefix="trainer-bench-start-") as tmp:
        db = Path(tmp) / "reviews.db"
        loaded, problems = load_bank(Path(bank))
        assert loaded is not None, problems
        generate_reviews(loaded, db, 1000, method="api")  # a few weeks of use
        first = run_paint("trainer", bank, str(db))
        b, s = interleave(
            lambda: run_paint("bare").seconds,
            lambda: run_paint("trainer", bank, str(db)).seconds,
            rounds,
        )
        fresh_b: list[float] = []
        fresh_s: list[float] = []
        for i in range(max(3, rounds // 3)):
            fdb = Path(tmp) / f"fresh-{i}.db"
            fresh_b.append(run_paint("bare").seconds)
            fresh_s.append(run_paint("trainer", bank, str(fdb)).seconds)
    return [
        Result(
            "start: home painted",
            "trainer (db of 1,000 reviews)",
            "bare Textual app",
            "s",
            s,
            b,
            goal=1.3,
            extra={"home_screen": first.screen},
        ),
        Result(
            "start: first run",
            "trainer (new db)",
            "bare Textual app",
            "s",
            fresh_s,
            fresh_b,
            note="first start ever: creates the database and syncs the bank (informational)",
        ),
    ]


if __name__ == "__main__":
    ap = argparse.ArgumentParser()
    ap.add_argument("--quick", action="store_true")
    res = run(ap.parse_args().quick)
    print(harness.table(res))
    sys.exit(0)
