"""A child process that answers flat out through the Engine, for the writer fairness test.

    python writer_child.py BANK DB WRITER COUNT GO

Opens the engine on DB, prints ``ready``, waits for the file GO, then answers COUNT questions
drawn at random, in study mode, as fast as it can (each ``engine.answer`` one durable commit; the
clock moves a minute per answer), with ``duration_ms`` = WRITER * 1_000_000 + k so the parent can
tell whose each logged answer is. Prints ``done`` and exits 0; any error is printed as
``error: ...`` and exits 3.
"""

from __future__ import annotations

import random
import sys
import time
from datetime import UTC, datetime, timedelta
from pathlib import Path


def main(argv: list[str]) -> int:
    bank_path, db, writer, count, go = (
        Path(argv[0]),
        Path(argv[1]),
        int(argv[2]),
        int(argv[3]),
        Path(argv[4]),
    )

    from childproc import respond

    from trainer.bank import load_bank
    from trainer.engine import Engine, Rating, Settings

    bank, _ = load_bank(bank_path)
    assert bank is not None
    now = [datetime(2030, 1, 1, 9, tzinfo=UTC)]
    engine = Engine.open(
        bank, db, clock=lambda: now[0], seed=writer, settings=Settings(tz=UTC, enable_fuzzing=False)
    )
    print("ready", flush=True)
    deadline = time.monotonic() + 60
    while not go.exists():
        if time.monotonic() > deadline:
            print("error: no go signal", flush=True)
            return 3
        time.sleep(0.001)
    rng = random.Random(writer)
    questions = list(bank.active_questions)
    for k in range(count):
        q = rng.choice(questions)
        right = rng.random() < 0.8
        rating = Rating.GOOD if right else Rating.AGAIN
        engine.answer(q.id, rating, response=respond(q, right), duration_ms=writer * 1_000_000 + k)
        now[0] += timedelta(minutes=1)
    engine.close()
    print("done", flush=True)
    return 0


if __name__ == "__main__":
    try:
        sys.exit(main(sys.argv[1:]))
    except Exception as exc:  # reported to the parent test, which fails with it
        print(f"error: {type(exc).__name__}: {exc}", flush=True)
        sys.exit(3)
