"""The CLI's output boundary: what it prints is safe to show, and a failure to print is one line.

``guarded()`` wraps ``sys.stdout`` and ``sys.stderr`` for the length of a command:

- every string written goes through ``trainer.safetext.visible``, so no control character from a
  bank, a path or an error message reaches the terminal (a second line of defence: the checker
  already refuses such banks, and problems escape their own fields);
- text the stream cannot encode (``LANG=C`` without UTF-8 coercion, ``PYTHONIOENCODING=ascii``)
  is written with replacement characters, not raised;
- a stream that cannot be written (closed, ``/dev/full``, a pipe whose reader left) raises
  OutputError, which ``trainer.cli.main`` turns into one line on stderr and exit status 1.
"""

from __future__ import annotations

import contextlib
import io
import os
import sys
from collections.abc import Iterator
from typing import TextIO

from trainer.safetext import visible


class OutputError(Exception):
    """Standard output or error could not be written."""

    def __init__(self, stream: str, cause: BaseException | None) -> None:
        self.stream = stream
        self.cause = cause
        self.quiet = isinstance(cause, BrokenPipeError)  # the reader left: nothing to tell it
        reason = (
            "it is closed"
            if cause is None
            else (
                os.strerror(cause.errno)
                if isinstance(cause, OSError) and cause.errno
                else str(cause)
            )
        )
        super().__init__(f"trainer: cannot write to standard {stream}: {reason}")


class SafeStream(io.TextIOBase):
    """A text stream that escapes control characters and turns write failures into OutputError."""

    def __init__(self, inner: TextIO, name: str) -> None:
        super().__init__()
        self.inner = inner
        self.name = name
        with contextlib.suppress(AttributeError, ValueError, io.UnsupportedOperation):
            inner.reconfigure(errors="replace")  # type: ignore[attr-defined]

    @property
    def encoding(self) -> str:  # type: ignore[override]
        return getattr(self.inner, "encoding", None) or "utf-8"

    def writable(self) -> bool:
        return True

    def isatty(self) -> bool:
        try:
            return self.inner.isatty()
        except (OSError, ValueError):
            return False

    def fileno(self) -> int:
        return self.inner.fileno()

    def write(self, s: str) -> int:
        return self.write_raw(visible(s), len(s))

    def write_raw(self, text: str, length: int | None = None) -> int:
        """Write ``text`` as it is: only for the program's own control characters (the export's
        progress bar redraws its line with a carriage return), never for bank text or paths."""
        try:
            try:
                self.inner.write(text)
            except UnicodeEncodeError:  # a stream that refused to be reconfigured
                encoding = self.encoding
                self.inner.write(text.encode(encoding, "replace").decode(encoding))
        except (OSError, ValueError) as exc:  # ValueError: the stream is closed
            raise OutputError(self.name, exc) from exc
        return len(text) if length is None else length

    def flush(self) -> None:
        try:
            self.inner.flush()
        except (OSError, ValueError) as exc:
            raise OutputError(self.name, exc) from exc


def _silence(fd: int) -> None:
    """Point ``fd`` at /dev/null, so that Python's own flush at exit finds nothing to fail on."""
    with contextlib.suppress(OSError):
        null = os.open(os.devnull, os.O_WRONLY)
        os.dup2(null, fd)
        os.close(null)


def _tell(message: str) -> None:
    """Write one line to the real stderr, if there is one that works."""
    err = sys.__stderr__
    if err is None:
        return
    with contextlib.suppress(OSError, ValueError):
        err.write(visible(message, one_line=True).encode("ascii", "replace").decode() + "\n")
        err.flush()


@contextlib.contextmanager
def guarded() -> Iterator[None]:
    """Run a command with safe streams (see the module docstring); restore them after.

    Raises OutputError when standard output is closed before the command starts, or when the
    command's output cannot be written (including at the final flush).
    """
    if sys.stdout is None:
        raise OutputError("output", None)
    old_out, old_err = sys.stdout, sys.stderr
    out = SafeStream(old_out, "output")
    err = SafeStream(old_err, "error") if old_err is not None else None
    sys.stdout = out
    if err is not None:
        sys.stderr = err
    try:
        yield
        out.flush()
    finally:
        sys.stdout, sys.stderr = old_out, old_err


def report(exc: OutputError) -> None:
    """After an OutputError: say so on stderr (unless the reader just left), and make sure the
    interpreter's exit does not print a traceback about the same stream."""
    for stream in (sys.__stdout__, sys.stdout):
        if stream is not None:
            with contextlib.suppress(OSError, ValueError):
                _silence(stream.fileno())
    if not exc.quiet:
        _tell(str(exc))
