"""Durability and concurrency with real processes.

A child SIGKILLed mid-loop loses no answer that returned; two processes answering on one database at
once both succeed."""

from __future__ import annotations

import os
import signal
import sqlite3
import subprocess
import sys
from pathlib import Path

import pytest

HELPERS = Path(__file__).parent / "helpers"

CHILD = """
import sys
from pathlib import Path

sys.path.insert(0, sys.argv[1])
from engine_kit import make_bank, settings
from trainer.engine import Engine, Rating

db, offset, count = Path(sys.argv[2]), int(sys.argv[3]), int(sys.argv[4])
bank = make_bank({"A": {f"o{i}": 1 for i in range(10)}})
engine = Engine.open(bank, db, seed=1, settings=settings())
print("ready", flush=True)
if sys.stdin.readline().strip() != "go":
    sys.exit(2)
i = 0
while count == 0 or i < count:
    qid = f"o{i % 10}-1"
    engine.answer(qid, Rating.GOOD, response=True, duration_ms=offset + i)
    print(offset + i, flush=True)
    i += 1
engine.close()
print("done", flush=True)
"""

pytestmark = pytest.mark.skipif(sys.platform == "win32", reason="POSIX signals")


def start(tmp_path: Path, db: Path, offset: int, count: int) -> subprocess.Popen[str]:
    script = tmp_path / "child.py"
    script.write_text(CHILD)
    proc = subprocess.Popen(
        [sys.executable, str(script), str(HELPERS), str(db), str(offset), str(count)],
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        cwd=tmp_path,
    )
    assert proc.stdout is not None
    line = proc.stdout.readline().strip()
    if line != "ready":
        proc.kill()
        _, err = proc.communicate(timeout=60)
        pytest.fail(f"child did not start: {line!r}\n{err}")
    return proc


def go(proc: subprocess.Popen[str]) -> None:
    assert proc.stdin is not None
    proc.stdin.write("go\n")
    proc.stdin.flush()


def logged_durations(db: Path) -> list[int]:
    conn = sqlite3.connect(db)
    try:
        assert conn.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
        return [r[0] for r in conn.execute("SELECT duration_ms FROM review_log ORDER BY id")]
    finally:
        conn.close()


def test_sigkill_loses_no_answer_that_returned(tmp_path: Path) -> None:
    db = tmp_path / "t.db"
    proc = start(tmp_path, db, offset=0, count=0)  # answers until killed
    go(proc)
    assert proc.stdout is not None
    printed = []
    while len(printed) < 40:
        line = proc.stdout.readline()
        assert line, proc.stderr.read() if proc.stderr else ""
        printed.append(int(line))
    os.kill(proc.pid, signal.SIGKILL)
    proc.communicate(timeout=60)
    assert proc.returncode == -signal.SIGKILL

    logged = logged_durations(db)
    assert logged[: len(printed)] == printed  # every printed answer is there, in order
    assert logged == list(range(len(logged)))  # and nothing half-written after them
    # the database opens normally afterwards
    sys.path.insert(0, str(HELPERS))
    from engine_kit import make_bank, open_engine

    engine = open_engine(make_bank({"A": {f"o{i}": 1 for i in range(10)}}), db)
    assert engine.stats().reviews == len(logged)
    assert engine.store.integrity_check() == "ok"
    engine.close()


def test_two_processes_answer_on_one_database_at_once(tmp_path: Path) -> None:
    db = tmp_path / "t.db"
    n = 150
    first = start(tmp_path, db, offset=0, count=n)
    second = start(tmp_path, db, offset=1000, count=n)
    go(first)
    go(second)
    outputs = [p.communicate(timeout=300) for p in (first, second)]
    for p, (out, err) in zip((first, second), outputs, strict=True):
        assert p.returncode == 0, err
        assert "locked" not in err
        assert out.strip().endswith("done")
    logged = logged_durations(db)
    assert sorted(logged) == list(range(n)) + list(range(1000, 1000 + n))
    # each process's answers are in its own order
    assert [d for d in logged if d < 1000] == list(range(n))
    assert [d for d in logged if d >= 1000] == list(range(1000, 1000 + n))
