"""Run paint_child.py under a pseudo-terminal: time from process start to first paint, peak RSS.

A real terminal matters: Textual's Linux driver writes escape sequences to it, and rendering to a
120x40 terminal is part of the cost of a first paint. The parent drains the terminal in a thread.

Both sides run from bytecode, as after a ``pip install`` (which byte-compiles): the trainer package
is compiled once per run (``python -m compileall -q``, into its __pycache__ folders) and the child
runs without PYTHONDONTWRITEBYTECODE, like Textual's precompiled modules in site-packages.
Otherwise, with PYTHONDONTWRITEBYTECODE=1 set (as in this environment), trainer's modules would
be compiled from source at every start while Textual's would not.
"""

from __future__ import annotations

import fcntl
import json
import os
import pty
import struct
import subprocess
import sys
import tempfile
import termios
import threading
import time
from dataclasses import dataclass
from functools import cache
from pathlib import Path

CHILD = Path(__file__).resolve().parent / "paint_child.py"


@cache
def compile_trainer() -> Path:
    """Byte-compile the trainer package (once per process); returns the package folder."""
    import trainer

    package = Path(trainer.__file__).resolve().parent
    subprocess.run([sys.executable, "-m", "compileall", "-q", str(package)], check=True)
    return package


@dataclass(frozen=True)
class PaintRun:
    seconds: float  # process start (before fork) to first paint
    vmhwm_kib: int  # the child's peak RSS at first paint (VmHWM)
    screen: str


class PaintError(RuntimeError):
    pass


def run_paint(
    mode: str, *args: str, cols: int = 120, rows: int = 40, timeout: float = 60.0
) -> PaintRun:
    with tempfile.TemporaryDirectory(prefix="trainer-paint-") as tmp:
        marker = Path(tmp) / "marker.json"
        master, slave = pty.openpty()
        fcntl.ioctl(slave, termios.TIOCSWINSZ, struct.pack("HHHH", rows, cols, 0, 0))
        out = bytearray()

        def drain() -> None:
            while True:
                try:
                    chunk = os.read(master, 65536)
                except OSError:
                    return
                if not chunk:
                    return
                out.extend(chunk)

        compile_trainer()
        env = dict(os.environ, TERM="xterm-256color", COLORTERM="truecolor")
        env.pop("TEXTUAL", None)
        env.pop("PYTHONDONTWRITEBYTECODE", None)  # run from bytecode, as an installed package
        reader = threading.Thread(target=drain, daemon=True)
        reader.start()
        t0 = time.monotonic()
        proc = subprocess.Popen(
            [sys.executable, str(CHILD), str(marker), mode, *args],
            stdin=slave,
            stdout=slave,
            stderr=slave,
            env=env,
            start_new_session=True,
            close_fds=True,
        )
        os.close(slave)
        deadline = time.monotonic() + timeout
        # Not wait4's ru_maxrss: after fork+exec it still holds the parent's peak at the fork.
        status = 0
        while time.monotonic() < deadline:
            pid, status, _ = os.wait4(proc.pid, os.WNOHANG)
            if pid:
                break
            time.sleep(0.005)
        else:
            proc.kill()
            os.wait4(proc.pid, 0)
            os.close(master)
            raise PaintError(
                f"{mode}: no exit within {timeout} s; output tail: {bytes(out[-800:])!r}"
            )
        proc.returncode = os.waitstatus_to_exitcode(status)
        reader.join(timeout=2)
        os.close(master)
        if not marker.exists():
            raise PaintError(
                f"{mode}: exited {proc.returncode} without painting; output tail: "
                f"{bytes(out[-1500:]).decode(errors='replace')}"
            )
        data = json.loads(marker.read_text())
        return PaintRun(
            seconds=float(data["t_paint"]) - t0,
            vmhwm_kib=int(data["vmhwm_kib"]),
            screen=str(data["screen"]),
        )


if __name__ == "__main__":
    r = run_paint(*sys.argv[1:])
    print(r)
