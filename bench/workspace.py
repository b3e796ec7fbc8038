"""Scratch space shared by the benchmarks of one run: generated banks are made once and reused."""

from __future__ import annotations

import atexit
import shutil
import tempfile
from functools import cache
from pathlib import Path

import harness  # noqa: F401  (puts the repo on sys.path)
from gen_bank import generate_bank


@cache
def work_dir() -> Path:
    path = Path(tempfile.mkdtemp(prefix="trainer-bench-"))
    atexit.register(shutil.rmtree, path, ignore_errors=True)
    return path


@cache
def generated_bank(n: int) -> Path:
    """A generated bank of n questions (see gen_bank.py), made once per run."""
    return generate_bank(work_dir() / f"bank-{n}", n)
