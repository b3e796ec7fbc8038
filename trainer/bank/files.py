"""Finding a bank's TOML files and reading each one into a parsed document (or problems)."""

from __future__ import annotations

import os
import re
import stat
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from trainer.bank.fields import Sink
from trainer.bank.lines import LineIndex
from trainer.safetext import file_kind

MAX_FILE_BYTES = 5_000_000
_AT = re.compile(r"\(at line (\d+), column (\d+)\)")


@dataclass
class Document:
    """One parsed TOML file."""

    path: str  # as shown in problems
    data: dict[str, Any]
    lines: LineIndex
    text: str = field(default="", repr=False, compare=False)  # what was parsed ("": not kept)


def display(path: Path) -> str:
    """A path as problems show it: relative to the working directory when under it."""
    try:
        if path.is_absolute():
            return str(path.relative_to(Path.cwd()))
    except (ValueError, OSError):
        pass
    return str(path)


def discover(root: Path, sink: Sink) -> list[Path]:
    """The bank's files: the file itself, or a folder's *.toml in name order (not recursive)."""
    shown = display(root)
    try:
        mode = root.stat().st_mode
    except OSError:
        mode = None
    if mode is not None and not stat.S_ISDIR(mode) and not stat.S_ISREG(mode):
        sink.add(
            "error",
            "unreadable",
            f"{file_kind(mode)}, not a bank file or folder",
            path=shown,
        )
        return []
    try:
        if root.is_dir():
            files = sorted(
                (p for p in root.iterdir() if p.suffix == ".toml" and p.is_file()),
                key=lambda p: p.name,
            )
            if not files:
                sink.add("error", "no-toml", "folder holds no .toml files", path=shown)
            return files
        if root.is_file():
            return [root]
    except OSError as exc:
        sink.add("error", "unreadable", f"cannot read: {exc.strerror or exc}", path=shown)
        return []
    sink.add("error", "path-missing", "no such file or folder", path=shown)
    return []


def read(path: Path, sink: Sink) -> Document | None:
    """Read and parse one file; report (and return None) when it is unusable."""
    raw = read_bytes(path, sink)
    return None if raw is None else parse(display(path), raw, sink)


def read_bytes(path: Path, sink: Sink) -> bytes | None:
    """One file's bytes; reported (and None) when it cannot be read or is too large."""
    shown = display(path)
    try:
        # O_NONBLOCK: a FIFO put in place of the file must not hang the open; fstat then
        # refuses anything but a regular file before a byte is read.
        fd = os.open(path, os.O_RDONLY | getattr(os, "O_NONBLOCK", 0))
        try:
            mode = os.fstat(fd).st_mode
            if not stat.S_ISREG(mode):
                sink.add("error", "unreadable", f"{file_kind(mode)}, not a file", path=shown)
                return None
            with os.fdopen(os.dup(fd), "rb") as f:
                raw = f.read(MAX_FILE_BYTES + 1)
        finally:
            os.close(fd)
    except OSError as exc:
        sink.add("error", "unreadable", f"cannot read: {exc.strerror or exc}", path=shown)
        return None
    if len(raw) > MAX_FILE_BYTES:
        sink.add(
            "error",
            "file-too-large",
            f"file is larger than {MAX_FILE_BYTES // 1_000_000} MB",
            path=shown,
        )
        return None
    return raw


def _loads(text: str) -> dict[str, Any]:
    """TOML 1.0 text parsed (tomli 2.3, compiled, pinned below 2.4: tomli 2.4 reads TOML 1.1).

    A syntax error is raised as tomllib raises it (the file is parsed again by tomllib), so the
    messages stay those of the standard library. Both are imported here, by the first parse: a
    start served by the parsed-bank cache never parses."""
    import tomllib

    try:  # tomli's wheels are compiled (mypyc): the same parser as tomllib, about 1.7x faster
        from tomli import loads as fast_loads
    except ImportError:  # pragma: no cover - tomli is a dependency; tomllib does the same work
        fast_loads = tomllib.loads
    try:
        return fast_loads(text)
    except RecursionError:
        raise
    except ValueError:  # tomli.TOMLDecodeError
        return tomllib.loads(text)  # raises tomllib's own TOMLDecodeError with its message


def parse(shown: str, raw: bytes, sink: Sink) -> Document | None:
    """Parse one file's bytes (``shown`` is its path as problems show it); report when unusable."""
    if not raw.strip():
        sink.add("error", "empty-file", "file is empty", path=shown, line=1)
        return None
    line: int | None
    if b"\x00" in raw:
        line = raw[: raw.index(b"\x00")].count(b"\n") + 1
        sink.add(
            "error", "binary-file", "not a text file (it contains NUL bytes)", path=shown, line=line
        )
        return None
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError as exc:
        line = raw[: exc.start].count(b"\n") + 1
        sink.add(
            "error",
            "binary-file",
            f"not UTF-8 text (byte 0x{raw[exc.start]:02x} at offset {exc.start})",
            path=shown,
            line=line,
        )
        return None
    text = text.removeprefix("\ufeff")
    lines = LineIndex.scan(text)
    import tomllib

    try:
        data = _loads(text)
    except tomllib.TOMLDecodeError as exc:
        message = str(exc)
        m = _AT.search(message)
        if m:
            line = int(m.group(1))
            what = message[: m.start()].strip()
            message = f"TOML syntax error: {what} (line {line}, column {m.group(2)})"
        else:
            line = lines.last_line if "end of document" in message else None
            message = f"TOML syntax error: {message}"
        sink.add("error", "toml-syntax", message, path=shown, line=line)
        return None
    except RecursionError:
        sink.add("error", "toml-nesting", "TOML is nested too deeply to read", path=shown)
        return None
    if not data:
        sink.add("error", "empty-file", "file defines nothing (only comments)", path=shown, line=1)
        return None
    return Document(shown, data, lines, text)
