"""`trainer check` run as a real process from the repository root."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

REPO = Path(__file__).resolve().parents[3]


def run_check(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "trainer", "check", *args],
        cwd=REPO,
        capture_output=True,
        text=True,
        timeout=60,
    )
