"""Engine: next question + counts after an answer, at 50,000 questions against the bundled bank.

    python bench/bench_queue.py [--quick]

Each side answers the shown question (untimed, durably committed), then the UI's next step is
timed: ``next_question()`` + ``counts()`` (the study session asks for both after each answer).
Sides alternate (ABBA). The 50k database holds 100,000 reviews (20,000 with ``--quick``), the
bundled one 1,000. Goal (issue 11): <= 2x the bundled bank's. Bench is not a test.
"""

from __future__ import annotations

import argparse
import sys
import time
from collections.abc import Callable
from datetime import UTC
from pathlib import Path

import harness
from gen_reviews import generate_reviews
from harness import Result, interleave
from support import respond
from workspace import generated_bank, work_dir

from trainer.bank import load_bank
from trainer.engine import Engine, Rating, Settings
from trainer.paths import bundled_bank

# high limits, so that neither side runs dry over the rounds
SETTINGS = Settings(tz=UTC, new_per_day=9999, reviews_per_day=99999)


def _side(bank_path: Path, reviews: int, tag: str) -> Engine:
    bank, problems = load_bank(bank_path)
    assert bank is not None, problems
    db = work_dir() / f"queue-{tag}.db"
    if not db.exists():
        generate_reviews(bank, db, reviews)
    return Engine.open(bank, db, settings=SETTINGS, seed=1)


def _after_answer(engine: Engine) -> Callable[[], float]:
    def run() -> float:
        q = engine.next_question()
        assert q is not None, "nothing left to study"
        engine.answer(q.id, Rating.GOOD, response=respond(q, True), duration_ms=5000)
        t = time.perf_counter()
        engine.next_question()
        engine.counts()
        return time.perf_counter() - t

    return run


def run(quick: bool = False) -> list[Result]:
    small = _side(bundled_bank(), 1000, "bundled")
    large = _side(generated_bank(50_000), 20_000 if quick else 100_000, "50k")
    try:
        b, s = interleave(_after_answer(small), _after_answer(large), 20 if quick else 60)
    finally:
        small.close()
        large.close()
    return [
        Result(
            "engine: next + counts after an answer (50k vs bundled)",
            "50k questions: next_question + counts",
            "bundled bank: the same",
            "s",
            s,
            b,
            goal=2.0,
        )
    ]


if __name__ == "__main__":
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    ap.add_argument("--quick", action="store_true")
    args = ap.parse_args()
    print(harness.table(run(args.quick)))
    sys.exit(0)
