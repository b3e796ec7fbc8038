"""Run every benchmark, print one table and write bench/results.json.

    python bench/run_all.py            # the full run (several minutes)
    python bench/run_all.py --quick    # a fast smoke run (smaller sizes, fewer rounds)
    python bench/run_all.py --only start,answer

Every figure is a ratio against a baseline measured in the same run, in paired, alternating rounds
(see harness.py). Benchmarks: start (time to first question), answer (answer path vs fsync),
answer_ui (the UI repaint after a rating, Pilot), scale (10,000 questions / 1,000,000 reviews vs
the bundled bank), export (10,000 notes vs bare genanki), memory (peak RSS vs a bare Textual app),
parse (a 10,000-question bank's cold parse vs tomllib alone, its warm start vs reading the
cache entry), tmux (the app in a real terminal: start, submit -> feedback, rating -> next, memory
over a long session, each against a bare Textual app), anki (open, next card, counts and commit
against Anki's Rust backend on the same collection), queue (next question + counts after an
answer at 50,000 questions against the bundled bank), db (bytes per review at 1,000,000 reviews;
`trainer stats` at 1,000,000 and 5,000,000 reviews against 0), browse (open, sort and a search
keystroke at 20,000 and 50,000 questions against the bundled bank, with the longest UI stall).
"""

from __future__ import annotations

import argparse
import importlib
import sys
import time
import traceback
from pathlib import Path

import harness
from harness import Result

BENCHMARKS = (
    "start",
    "answer",
    "answer_ui",
    "scale",
    "parse",
    "export",
    "memory",
    "tmux",
    "anki",
    "queue",
    "db",
    "browse",
)


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description="Run the benchmarks.")
    ap.add_argument("--quick", action="store_true", help="a fast smoke run")
    ap.add_argument("--only", default="", help="comma-separated: " + ",".join(BENCHMARKS))
    ap.add_argument(
        "--out", type=Path, default=harness.RESULTS, help="results file (bench/results.json)"
    )
    args = ap.parse_args(argv)
    chosen = [b for b in args.only.split(",") if b] or list(BENCHMARKS)
    unknown = [b for b in chosen if b not in BENCHMARKS]
    if unknown:
        print(f"run_all: unknown benchmark(s): {', '.join(unknown)}", file=sys.stderr)
        return 2
    results: list[Result] = []
    failed: list[str] = []
    for name in chosen:
        t = time.perf_counter()
        print(f"running {name} ...", file=sys.stderr, flush=True)
        try:
            module = importlib.import_module(f"bench_{name}")
            results.extend(module.run(args.quick))
        except Exception:
            failed.append(name)
            traceback.print_exc()
        print(f"  {name}: {time.perf_counter() - t:.1f} s", file=sys.stderr, flush=True)
    print(harness.table(results))
    harness.write_results(results, args.out, quick=args.quick, failed=failed)
    print(f"\nwrote {args.out}")
    if failed:
        print(f"FAILED to run: {', '.join(failed)}", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
