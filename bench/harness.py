"""Shared machinery for the benchmarks: interleaved timing, ratios, the table and results.json.

Every figure a benchmark reports is a ratio of a subject against a baseline measured in the same
run, round by round: the machine is shared and noisy, so absolute times mean little, but two things
timed back to back in alternation see the same noise. Each round runs baseline and subject once, in
alternating order (ABBA), and the ratio of that round is subject / baseline. We report the median
ratio with its interquartile range and the min-max, plus the median absolute times for context.
"""

from __future__ import annotations

import atexit
import json
import os
import shutil
import statistics
import sys
import tempfile
import time
from collections.abc import Callable, Sequence
from dataclasses import asdict, dataclass, field
from pathlib import Path

BENCH_DIR = Path(__file__).resolve().parent
REPO = BENCH_DIR.parent
if str(REPO) not in sys.path:
    sys.path.insert(0, str(REPO))

RESULTS = BENCH_DIR / "results.json"

# The parsed-bank cache (trainer/bank/cache.py) of every benchmark, in process or in a child,
# goes to a temporary folder of this run, never to the user's cache (~/.cache/trainer).
CACHE_DIR = Path(tempfile.mkdtemp(prefix="trainer-bench-cache-"))
atexit.register(shutil.rmtree, CACHE_DIR, ignore_errors=True)
os.environ["TRAINER_CACHE_DIR"] = str(CACHE_DIR)
os.environ.pop("TRAINER_CACHE", None)

Timer = Callable[[], float]  # runs the thing once, returns the measured value (seconds, bytes, ...)


def quantiles(values: Sequence[float]) -> tuple[float, float, float]:
    """(q1, median, q3) with the 'inclusive' method, which is defined for any non-empty list."""
    if len(values) == 1:
        return values[0], values[0], values[0]
    q1, q2, q3 = statistics.quantiles(values, n=4, method="inclusive")
    return q1, q2, q3


@dataclass
class Result:
    """One benchmark line: subject against baseline, over paired rounds."""

    name: str
    subject: str
    baseline: str
    unit: str  # "s" or "MiB" or "bytes"
    subject_values: list[float]
    baseline_values: list[float]
    goal: float | None = None  # the ratio must be <= goal
    note: str = ""
    extra: dict[str, object] = field(default_factory=dict)

    @property
    def ratios(self) -> list[float]:
        return [s / b for s, b in zip(self.subject_values, self.baseline_values, strict=True) if b]

    def summary(self) -> dict[str, object]:
        r = self.ratios
        q1, med, q3 = quantiles(r)
        s_med = statistics.median(self.subject_values)
        b_med = statistics.median(self.baseline_values)
        ok = None if self.goal is None else med <= self.goal
        return {
            "name": self.name,
            "subject": self.subject,
            "baseline": self.baseline,
            "unit": self.unit,
            "rounds": len(r),
            "subject_median": s_med,
            "baseline_median": b_med,
            "ratio_median": med,
            "ratio_q1": q1,
            "ratio_q3": q3,
            "ratio_min": min(r),
            "ratio_max": max(r),
            "goal": self.goal,
            "meets_goal": ok,
            "note": self.note,
            "extra": self.extra,
            "subject_values": self.subject_values,
            "baseline_values": self.baseline_values,
        }


def interleave(
    baseline: Timer, subject: Timer, rounds: int, warmup: int = 1
) -> tuple[list[float], list[float]]:
    """Run baseline and subject alternately; the order flips every round (ABBA) to cancel drift."""
    for _ in range(warmup):
        baseline()
        subject()
    b_vals: list[float] = []
    s_vals: list[float] = []
    for i in range(rounds):
        if i % 2 == 0:
            b_vals.append(baseline())
            s_vals.append(subject())
        else:
            s_vals.append(subject())
            b_vals.append(baseline())
    return b_vals, s_vals


def timed(fn: Callable[[], object]) -> Timer:
    """A Timer that measures one call of fn with perf_counter."""

    def run() -> float:
        t0 = time.perf_counter()
        fn()
        return time.perf_counter() - t0

    return run


def fmt_value(v: float, unit: str) -> str:
    if unit == "s":
        if v < 1e-3:
            return f"{v * 1e6:.0f} us"
        if v < 1:
            return f"{v * 1e3:.1f} ms"
        return f"{v:.2f} s"
    if unit == "MiB":
        return f"{v:.1f} MiB"
    if unit == "bytes":
        if v >= 1 << 20:
            return f"{v / (1 << 20):.2f} MiB"
        return f"{v / 1024:.1f} KiB"
    return f"{v:g} {unit}"


def table(results: Sequence[Result]) -> str:
    """The one table run_all prints (also usable per benchmark)."""
    head = ("benchmark", "subject", "baseline", "ratio", "IQR", "min-max", "goal", "ok", "n")
    rows: list[tuple[str, ...]] = []
    for res in results:
        s = res.summary()
        ok = s["meets_goal"]
        rows.append(
            (
                res.name,
                fmt_value(float(s["subject_median"]), res.unit),  # type: ignore[arg-type]
                fmt_value(float(s["baseline_median"]), res.unit),  # type: ignore[arg-type]
                f"{s['ratio_median']:.2f}x",
                f"{s['ratio_q1']:.2f}-{s['ratio_q3']:.2f}",
                f"{s['ratio_min']:.2f}-{s['ratio_max']:.2f}",
                "-" if res.goal is None else f"<= {res.goal:g}x",
                "-" if ok is None else ("yes" if ok else "NO"),
                str(s["rounds"]),
            )
        )
    widths = [
        max(len(h), *(len(r[i]) for r in rows)) if rows else len(h) for i, h in enumerate(head)
    ]
    lines = [
        " | ".join(h.ljust(w) for h, w in zip(head, widths, strict=True)),
        "-+-".join("-" * w for w in widths),
    ]
    lines += [" | ".join(c.ljust(w) for c, w in zip(r, widths, strict=True)) for r in rows]
    notes = [f"- {r.name}: {r.note}" for r in results if r.note]
    if notes:
        lines += ["", "notes:", *notes]
    return "\n".join(lines)


def write_results(
    results: Sequence[Result],
    path: Path = RESULTS,
    *,
    quick: bool = False,
    failed: Sequence[str] = (),
) -> None:
    import os
    import platform

    doc = {
        "generated": time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime()),
        "quick": quick,
        "failed": list(failed),
        "python": sys.version.split()[0],
        "machine": platform.machine(),
        "cpus": os.cpu_count(),
        "method": (
            "paired rounds, baseline and subject alternately (ABBA); ratio per round = "
            "subject / baseline; median with IQR and min-max"
        ),
        "results": [r.summary() for r in results],
    }
    path.write_text(json.dumps(doc, indent=2, default=str) + "\n", encoding="utf-8")


def result_dict(r: Result) -> dict[str, object]:
    return asdict(r)
