"""Engine: next question + counts after an answer, at the bundled bank, 10,000 and 50,000 questions,
each as a ratio against the bundled bank in the same run.

    python bench/bench_queue.py [--quick]

Each side answers the shown question (untimed, durably committed), then the UI's next step is
timed: ``next_question()`` + ``counts()`` (the study session asks for both after each answer).
Every round times every side once, the order rotated each round; a line's ratio per round is its
side / the bundled bank's in that round. A second engine on another copy of the bundled bank is
a side too: its line is the run's noise floor. The 10k and 50k databases hold 100,000 reviews
(20,000 with ``--quick``), the bundled ones 1,000. Goal (issue 11): <= 2x the bundled bank's at
50k. Bench is not a test.
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
from harness import Result
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


def rotated(timers: list[Callable[[], float]], rounds: int, warmup: int = 1) -> list[list[float]]:
    """Each round runs every timer once, starting one further along each round (drift spreads
    evenly over the sides); the values per timer, in round order."""
    for _ in range(warmup):
        for t in timers:
            t()
    values: list[list[float]] = [[] for _ in timers]
    n = len(timers)
    for r in range(rounds):
        for k in range(n):
            i = (r + k) % n
            values[i].append(timers[i]())
    return values


def run(quick: bool = False) -> list[Result]:
    reviews = 20_000 if quick else 100_000
    sides = [
        ("bundled bank", _side(bundled_bank(), 1000, "bundled")),
        ("bundled bank again (noise floor)", _side(bundled_bank(), 1000, "bundled-2")),
        ("10k questions", _side(generated_bank(10_000), reviews, "10k")),
        ("50k questions", _side(generated_bank(50_000), reviews, "50k")),
    ]
    try:
        values = rotated([_after_answer(e) for _, e in sides], 20 if quick else 60)
    finally:
        for _, e in sides:
            e.close()
    base = values[0]
    return [
        Result(
            f"engine: next + counts after an answer ({name} vs bundled)",
            f"{name}: next_question + counts",
            "bundled bank: the same",
            "s",
            vals,
            base,
            goal=2.0 if name.startswith("50k") else None,
        )
        for (name, _), vals in zip(sides[1:], values[1:], strict=True)
    ]


if __name__ == "__main__":
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    ap.add_argument("--quick", action="store_true")
    args = ap.parse_args()
    print(harness.table(run(args.quick)))
    sys.exit(0)
