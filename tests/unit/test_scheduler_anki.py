"""trainer schedules as Anki's own FSRS does: the same memory state after the same answers, and the
same Hard/Good/Easy intervals, in several time zones (one with a 30-minute daylight-saving change),
with answers either side of the 4 am rollover. Anki is the real ``anki`` package (test extra),
driven in a subprocess per zone because it reads the local zone when it starts."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

pytest.importorskip("anki")

CHILD = Path(__file__).parent / "helpers" / "anki_fsrs_child.py"
ROOT = Path(__file__).resolve().parents[2]
CASES = 40


@pytest.mark.parametrize(
    "zone", ["UTC", "America/New_York", "Australia/Lord_Howe", "Asia/Kolkata", "Europe/London"]
)
def test_memory_state_and_intervals_equal_ankis(zone: str) -> None:
    env = dict(os.environ, ANKI_TEST_MODE="1")  # Anki applies no fuzz in its test mode
    import trainer

    env["PYTHONPATH"] = os.pathsep.join(
        [str(Path(trainer.__file__).resolve().parents[1]), env.get("PYTHONPATH", "")]
    )
    run = subprocess.run(
        [sys.executable, str(CHILD), zone, str(CASES)],
        capture_output=True,
        text=True,
        env=env,
        cwd=ROOT,
        timeout=120,
    )
    assert run.returncode == 0, run.stderr[-2000:]
    rows = [json.loads(line) for line in run.stdout.splitlines()]
    assert len(rows) == CASES
    reviewed = [r for r in rows if "anki_days" in r]
    assert len(reviewed) >= CASES // 2  # most histories end in the review state
    # the histories exercise the study-day rule: 24-hour counting would give other gaps
    assert sum(r["study_days_differ"] for r in rows) >= 5
    for r in rows:
        (s_ours, d_ours), (s_anki, d_anki) = r["ours"], r["anki"]
        assert s_ours == pytest.approx(s_anki, rel=1e-4), r
        assert d_ours == pytest.approx(d_anki, abs=1e-4), r
    for r in reviewed:
        assert r["our_days"] == r["anki_days"], r
        hard, good, easy = r["our_days"]
        assert hard < good < easy
