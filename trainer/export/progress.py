"""A plain-text progress bar for the terminal (carriage returns on stderr; no Textual)."""

from __future__ import annotations

from typing import TextIO

LARGE_BANK = 300  # notes; below this an export is too quick to need a bar unless on a terminal


class ProgressBar:
    """``bar(done, total)`` redraws one line; ``bar.close()`` ends it.

    It shows only when ``stream`` is a terminal or the export is large, and redraws only when the
    shown percentage changes, so a log file gets at most about a hundred updates.
    """

    def __init__(self, stream: TextIO, label: str = "Exporting", width: int = 30) -> None:
        self.stream = stream
        self.label = label
        self.width = width
        self._shown = -1
        self._active = False
        isatty = getattr(stream, "isatty", None)
        self._tty = bool(isatty and isatty())

    def __call__(self, done: int, total: int) -> None:
        if total <= 0 or not (self._tty or total >= LARGE_BANK):
            return
        percent = min(100, done * 100 // total)
        if percent == self._shown:
            return
        self._shown = percent
        self._active = True
        filled = self.width * percent // 100
        bar = "#" * filled + "." * (self.width - filled)
        # The line is redrawn with a carriage return, which the CLI's guarded stream would escape:
        # it is written raw there (trainer.output.SafeStream.write_raw); the text is our own.
        write = getattr(self.stream, "write_raw", self.stream.write)
        write(f"\r{self.label} [{bar}] {done}/{total} notes")
        self.stream.flush()

    def close(self) -> None:
        if self._active:
            self.stream.write("\n")
            self.stream.flush()
            self._active = False
