"""Peak memory of the app against a bare Textual app.

Each side is a fresh process under a pseudo-terminal (paint_run.py), run to its first painted
screen and then exited. The figure is the peak resident set size (VmHWM from /proc/self/status at
first paint). (Not wait4's ru_maxrss: after fork+exec it keeps the parent's peak at the fork.)
Goal: ratio <= 1.5.
"""

from __future__ import annotations

import argparse
import sys
import tempfile
from pathlib import Path

import harness
from harness import Result, interleave
from paint_run import run_paint

from trainer.paths import bundled_bank


def run(quick: bool = False) -> list[Result]:
    rounds = 3 if quick else 7
    bank = str(bundled_bank())
    with tempfile.TemporaryDirectory(prefix="trainer-bench-mem-") as tmp:
        db = str(Path(tmp) / "reviews.db")
        run_paint("trainer", bank, db)

        def bare() -> float:
            return run_paint("bare").vmhwm_kib / 1024

        def subject() -> float:
            return run_paint("trainer", bank, db).vmhwm_kib / 1024

        b, s = interleave(bare, subject, rounds, warmup=0)
    return [
        Result(
            "memory: peak RSS",
            "trainer home screen",
            "bare Textual app",
            "MiB",
            s,
            b,
            goal=1.5,
        )
    ]


if __name__ == "__main__":
    ap = argparse.ArgumentParser()
    ap.add_argument("--quick", action="store_true")
    print(harness.table(run(ap.parse_args().quick)))
    sys.exit(0)
