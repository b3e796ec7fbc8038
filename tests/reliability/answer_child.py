"""A child process that answers questions through the Engine, for the reliability tests.

    python answer_child.py BANK DB --tag N [--count K] [--go FILE] [--seed S] [--day D]

Opens the engine on DB (creating or migrating it), prints ``ready``, then answers study questions
one after another: whenever the queue is empty today the injected clock moves on a day. After each
``engine.answer`` returns it prints ``answered QID DURATION`` (flushed). ``duration_ms`` is used as
a unique tag (N * 1_000_000 + k) so the parent can find every printed answer in the review history.
With ``--count`` it stops after K answers and exits 0; otherwise it runs until killed.
With ``--go`` it waits for FILE to exist before answering (so two children overlap).
Any error is printed as ``error: ...`` and exits 3.
"""

from __future__ import annotations

import argparse
import random
import sys
import time
from datetime import UTC, datetime, timedelta
from pathlib import Path


def keep_pace(folder: Path, tag: int, partner: int | None, k: int, lead: int = 5) -> bool:
    """Publish our count; wait while we are more than ``lead`` answers ahead of the partner.

    This makes two children's answers interleave whatever the scheduler does (a count file is
    replaced atomically). False if the partner makes no progress for 30 s.
    """
    mine = folder / f"{tag}.count"
    tmp = folder / f"{tag}.tmp"
    tmp.write_text(str(k))
    tmp.replace(mine)
    theirs = folder / f"{partner}.count"
    deadline = time.monotonic() + 30
    while True:
        try:
            other = int(theirs.read_text() or 0)
        except (FileNotFoundError, ValueError):
            other = 0
        if k - other <= lead:
            return True
        if time.monotonic() > deadline:
            return False
        time.sleep(0.001)


def main(argv: list[str]) -> int:
    ap = argparse.ArgumentParser()
    ap.add_argument("bank", type=Path)
    ap.add_argument("db", type=Path)
    ap.add_argument("--tag", type=int, required=True)
    ap.add_argument("--count", type=int, default=None)
    ap.add_argument("--go", type=Path, default=None)
    ap.add_argument("--seed", type=int, default=0)
    ap.add_argument("--day", type=int, default=0, help="days after 2030-01-01 to start the clock")
    ap.add_argument("--lockstep", type=Path, default=None, help="folder for progress files")
    ap.add_argument("--partner", type=int, default=None, help="the other child's tag")
    args = ap.parse_args(argv)

    from childproc import respond

    from trainer.bank import load_bank
    from trainer.engine import Engine, Rating, Settings

    bank, problems = load_bank(args.bank)
    if bank is None:
        print("error: bank did not load: " + "; ".join(p.format() for p in problems), flush=True)
        return 3
    now = [datetime(2030, 1, 1, 9, tzinfo=UTC) + timedelta(days=args.day)]

    def clock() -> datetime:
        return now[0]

    rng = random.Random(args.seed)
    good_ratings = [Rating.HARD, Rating.GOOD, Rating.EASY]
    engine = Engine.open(
        bank,
        args.db,
        clock=clock,
        seed=args.seed,
        settings=Settings(tz=UTC, enable_fuzzing=False, leech_action="tag"),
    )
    print("ready", flush=True)
    if args.go is not None:
        deadline = time.monotonic() + 30
        while not args.go.exists():
            if time.monotonic() > deadline:
                print("error: no go signal", flush=True)
                return 3
            time.sleep(0.002)
    k = 0
    idle_days = 0
    while args.count is None or k < args.count:
        q = engine.next_question()
        if q is None:
            idle_days += 1
            if idle_days > 3650:
                print("error: nothing to study for ten years of clock", flush=True)
                return 3
            now[0] += timedelta(days=1)
            continue
        idle_days = 0
        tag = args.tag * 1_000_000 + k
        right = rng.random() < 0.7
        rating = rng.choice(good_ratings) if right else Rating.AGAIN
        engine.answer(q.id, rating, response=respond(q, right), duration_ms=tag)
        print(f"answered {q.id} {tag}", flush=True)
        now[0] += timedelta(minutes=1)
        k += 1
        if args.lockstep is not None and not keep_pace(args.lockstep, args.tag, args.partner, k):
            print("error: the partner stopped answering", flush=True)
            return 3
    engine.close()
    print("done", flush=True)
    return 0


if __name__ == "__main__":
    try:
        sys.exit(main(sys.argv[1:]))
    except Exception as exc:  # reported to the parent test, which fails with it
        import traceback

        print(f"error: {type(exc).__name__}: {exc}", flush=True)
        traceback.print_exc()
        sys.exit(3)
