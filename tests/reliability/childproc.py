"""Helpers for the reliability tests: child processes that answer through the Engine."""

from __future__ import annotations

import os
import subprocess
import sys
import threading
import time
from dataclasses import dataclass, field
from pathlib import Path

HERE = Path(__file__).resolve().parent
REPO = HERE.parent.parent
CHILD = HERE / "answer_child.py"
MINI = REPO / "tests" / "data" / "mini" / "bank.toml"
if str(REPO / "bench") not in sys.path:  # bench/support.py: shared with the benchmarks
    sys.path.insert(0, str(REPO / "bench"))

from support import respond  # noqa: E402

__all__ = ["MINI", "REPO", "Child", "child_env", "respond", "start_child"]


def child_env() -> dict[str, str]:
    env = dict(os.environ)
    env["PYTHONPATH"] = str(REPO) + os.pathsep + env.get("PYTHONPATH", "")
    env["PYTHONUNBUFFERED"] = "1"
    return env


@dataclass
class Child:
    """A running answer_child.py whose stdout lines are collected by a thread."""

    proc: subprocess.Popen[str]
    lines: list[str] = field(default_factory=list)
    ready: threading.Event = field(default_factory=threading.Event)
    _reader: threading.Thread | None = None
    stderr: str = ""

    def start_reader(self) -> None:
        def read() -> None:
            assert self.proc.stdout is not None
            for line in self.proc.stdout:
                if not line.endswith("\n"):  # a line cut short by a kill was never printed whole
                    break
                self.lines.append(line.rstrip("\n"))
                if line.startswith(("ready", "error")):
                    self.ready.set()
            self.ready.set()

        self._reader = threading.Thread(target=read, daemon=True)
        self._reader.start()

    def finish(self, timeout: float = 30) -> int:
        """Wait for the process to exit (it must, within timeout) and for its output."""
        try:
            rc = self.proc.wait(timeout=timeout)
        except subprocess.TimeoutExpired:
            self.proc.kill()
            self.proc.wait()
            raise
        if self._reader is not None:
            self._reader.join(timeout=10)
        assert self.proc.stderr is not None
        self.stderr = self.proc.stderr.read()
        return rc

    def wait_answers(self, n: int, timeout: float) -> bool:
        """Wait until n answers have been printed (False on timeout or if the child stopped)."""
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if sum(1 for line in self.lines if line.startswith("answered ")) >= n:
                return True
            if self.proc.poll() is not None:
                return False
            time.sleep(0.001)
        return False

    @property
    def answers(self) -> list[tuple[str, int]]:
        out = []
        for line in self.lines:
            if line.startswith("answered "):
                _, qid, tag = line.split()
                out.append((qid, int(tag)))
        return out

    @property
    def output(self) -> str:
        return "\n".join(self.lines) + "\n" + self.stderr


def spawn(script: Path, *args: str | Path) -> Child:
    """Run ``script`` with ``args`` in a child Python (child_env, from the repository), its
    output read as it comes."""
    proc = subprocess.Popen(
        [sys.executable, str(script), *map(str, args)],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        env=child_env(),
        cwd=str(REPO),
    )
    child = Child(proc)
    child.start_reader()
    return child


def start_child(bank: Path, db: Path, tag: int, *extra: str) -> Child:
    return spawn(CHILD, bank, db, "--tag", str(tag), *extra)
