"""Unfriendly file systems for the database: a read-only folder, a full disk, a folder that
cannot be entered. Made for real where the test can (root: a read-only bind mount and a small
tmpfs; others: permissions); skipped where it cannot."""

from __future__ import annotations

import contextlib
import os
import shutil
import subprocess
from collections.abc import Iterator
from pathlib import Path

import pytest


def _mount(*args: str) -> bool:
    if os.geteuid() != 0 or shutil.which("mount") is None:
        return False
    done = subprocess.run(["mount", *args], capture_output=True, check=False)
    return done.returncode == 0


def _umount(path: Path) -> None:
    subprocess.run(["umount", "-l", str(path)], capture_output=True, check=False)


@contextlib.contextmanager
def read_only(folder: Path) -> Iterator[None]:
    """``folder`` and what is in it cannot be written, for this process."""
    if os.geteuid() != 0:
        modes = {p: p.stat().st_mode for p in [folder, *folder.iterdir()]}
        for p in modes:
            p.chmod(0o555 if p.is_dir() else 0o444)
        try:
            yield
        finally:
            for p, mode in modes.items():
                p.chmod(mode)
        return
    if not (
        _mount("--bind", str(folder), str(folder)) and _mount("-o", "remount,ro,bind", str(folder))
    ):
        _umount(folder)
        pytest.skip("cannot make a read-only folder here (root without mount)")
    try:
        yield
    finally:
        _umount(folder)


@contextlib.contextmanager
def small_disk(folder: Path, size_kb: int = 400) -> Iterator[bool]:
    """A small tmpfs at ``folder`` (True), or nothing (False: simulate a full disk instead)."""
    folder.mkdir(parents=True, exist_ok=True)
    if not _mount("-t", "tmpfs", "-o", f"size={size_kb}k", "tmpfs", str(folder)):
        yield False
        return
    try:
        yield True
    finally:
        _umount(folder)


def fill(folder: Path) -> None:
    """Fill the disk holding ``folder``."""
    with contextlib.suppress(OSError), (folder / "filler").open("wb") as f:
        while True:
            f.write(b"\0" * 4096)
            f.flush()


@contextlib.contextmanager
def unenterable(folder: Path) -> Iterator[None]:
    """A folder this process cannot enter (not even root: run as nobody in that case)."""
    if os.geteuid() == 0:
        pytest.skip("root enters every folder; the child-process test covers this case")
    folder.chmod(0o000)
    try:
        yield
    finally:
        folder.chmod(0o755)
