"""Writer fairness: N processes answering flat out on one database file through the Engine.

    python bench/bench_writers.py                   # 4 writers, 15 s, the bundled bank
    python bench/bench_writers.py --writers 3 --seconds 10

Each child opens the engine on the shared database, waits for a go signal, then answers questions
in study mode as fast as it can (``engine.answer``: one durable commit each; the injected clock
moves a minute per answer) until the time is up: a question drawn at random (default), or with
``--queue`` the queue's next question (the clock moves a day when it is empty, so a writer whose
clock is behind the others' spends time skipping days: not a lock wait). Each answer's
``duration_ms`` carries the writer's number, so the review log's order is the commit order.

Printed (not a ratio: fairness is a property of the run, measured on the same machine for the
before and after figures in bench/README.md):

- answers per writer and in all (every answer a child returned from must be in the log);
- the longest run of consecutive commits by one writer, and how long it lasted;
- the longest a writer went without a commit (``longest_gap_s``: from the go signal, between its
  commits), the longest single ``engine.answer`` call (waiting for the write lock) and the longest
  ``next_question`` (reading what another writer changed);
- the 99th percentile of ``engine.answer`` calls.
"""

from __future__ import annotations

import argparse
import itertools
import json
import os
import random
import sqlite3
import subprocess
import sys
import tempfile
import time
from datetime import UTC, datetime, timedelta
from pathlib import Path

import support

TAG = 1_000_000  # duration_ms = writer * TAG + k


def child(
    bank_path: Path, db: Path, writer: int, go: Path, stop_at: float, out: Path, queue: bool
) -> int:
    from trainer.bank import load_bank
    from trainer.engine import Engine, Rating, Settings

    bank, _ = load_bank(bank_path)
    assert bank is not None
    now = [datetime(2030, 1, 1, 9, tzinfo=UTC)]
    engine = Engine.open(
        bank,
        db,
        clock=lambda: now[0],
        seed=writer,
        settings=Settings(tz=UTC, enable_fuzzing=False, new_per_day=9999, reviews_per_day=9999),
    )
    rng = random.Random(writer)
    print("ready", flush=True)
    while not go.exists():
        time.sleep(0.001)
    calls: list[tuple[float, float]] = []  # (start, end) of each answer, time.monotonic
    asks: list[float] = []  # each next_question call's duration
    k = 0
    start = time.monotonic()
    questions = list(bank.active_questions)
    while time.monotonic() < stop_at:
        a0 = time.monotonic()
        q = engine.next_question() if queue else rng.choice(questions)
        asks.append(time.monotonic() - a0)
        if q is None:
            now[0] += timedelta(days=1)
            continue
        right = rng.random() < 0.8
        rating = Rating.GOOD if right else Rating.AGAIN
        t0 = time.monotonic()
        engine.answer(
            q.id, rating, response=support.respond(q, right), duration_ms=writer * TAG + k
        )
        calls.append((t0, time.monotonic()))
        k += 1
        now[0] += timedelta(minutes=1)
    end = time.monotonic()
    engine.close()
    out.write_text(
        json.dumps({"writer": writer, "start": start, "end": end, "calls": calls, "asks": asks})
    )
    return 0


def run(bank: Path, writers: int, seconds: float, queue: bool = False) -> dict[str, object]:
    with tempfile.TemporaryDirectory(prefix="bench-writers-") as tmp:
        folder = Path(tmp)
        db, go = folder / "shared.db", folder / "go"
        from trainer.bank import load_bank
        from trainer.engine import Engine

        loaded, _ = load_bank(bank)
        assert loaded is not None
        Engine.open(loaded, db).close()  # created and synced once, before the race
        stop_at = time.monotonic() + seconds + 3.0  # children need a moment to start
        env = dict(os.environ, PYTHONPATH=str(support.REPO))
        procs = [
            subprocess.Popen(
                [
                    sys.executable,
                    __file__,
                    "--child",
                    str(w),
                    str(bank),
                    str(db),
                    str(go),
                    repr(stop_at),
                    str(folder / f"{w}.json"),
                    "queue" if queue else "any",
                ],
                stdout=subprocess.PIPE,
                text=True,
                env=env,
            )
            for w in range(1, writers + 1)
        ]
        for p in procs:
            assert p.stdout is not None and p.stdout.readline().strip() == "ready"
        go.touch()
        for p in procs:
            assert p.wait(timeout=seconds + 120) == 0
        results = [json.loads((folder / f"{w}.json").read_text()) for w in range(1, writers + 1)]
        con = sqlite3.connect(f"file:{db}?mode=ro", uri=True)
        try:
            tags = [d for (d,) in con.execute("SELECT duration_ms FROM review_log ORDER BY id")]
        finally:
            con.close()
    done = {r["writer"] * TAG + k for r in results for k in range(len(r["calls"]))}
    assert done <= set(tags), "an answer that returned is missing from the log"
    order = [t // TAG for t in tags]
    ends = {r["writer"] * TAG + k: c[1] for r in results for k, c in enumerate(r["calls"])}
    # the longest run of one writer's commits, and the time from its first to its last commit
    longest, longest_s, longest_at, i = 0, 0.0, 0, 0
    for _, group in itertools.groupby(zip(order, tags, strict=True), key=lambda p: p[0]):
        run_tags = [t for _, t in group]
        if len(run_tags) > longest:
            longest, longest_at = len(run_tags), i
            longest_s = ends.get(run_tags[-1], 0.0) - ends.get(run_tags[0], 0.0)
        i += len(run_tags)
    calls = sorted(c[1] - c[0] for r in results for c in r["calls"])
    # the longest time a writer went without committing (from the go signal to its stop)
    gaps = [
        b - a
        for r in results
        for a, b in itertools.pairwise([r["start"], *(c[1] for c in r["calls"]), r["end"]])
    ]
    asks = [a for r in results for a in r["asks"]]
    return {
        "writers": writers,
        "seconds": seconds,
        "answers": {r["writer"]: len(r["calls"]) for r in results},
        "total": len(tags),
        "longest_run": longest,
        "longest_run_s": round(longest_s, 3),
        "longest_run_at": longest_at,  # its first commit's place in the log
        "longest_gap_s": round(max(gaps), 3) if gaps else 0.0,
        "longest_call_s": round(calls[-1], 3) if calls else 0.0,
        "longest_ask_s": round(max(asks), 3) if asks else 0.0,
        "p99_call_ms": round(1000 * calls[int(0.99 * (len(calls) - 1))], 1) if calls else 0.0,
        "switches": sum(1 for a, b in itertools.pairwise(order) if a != b),
    }


def main(argv: list[str]) -> int:
    if argv and argv[0] == "--child":
        w, bank, db, go, stop_at, out, how = argv[1:8]
        return child(
            Path(bank), Path(db), int(w), Path(go), float(stop_at), Path(out), how == "queue"
        )
    ap = argparse.ArgumentParser()
    ap.add_argument("--writers", type=int, default=4)
    ap.add_argument("--seconds", type=float, default=15.0)
    ap.add_argument("--bank", type=Path, default=support.REPO / "questions" / "thermal-rhizotomy")
    ap.add_argument("--rounds", type=int, default=1)
    ap.add_argument(
        "--queue", action="store_true", help="answer next_question() (default: any question)"
    )
    args = ap.parse_args(argv)
    for _ in range(args.rounds):
        print(json.dumps(run(args.bank, args.writers, args.seconds, args.queue)), flush=True)
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
