"""An export killed while writing leaves its hidden ``.OUT.apkg.PID.XXXXXXXX.tmp``; the next
export to the same target removes it, and only temporary files of ours that no export is writing
(package_file.remove_stale_temporaries)."""

from __future__ import annotations

import fcntl
import os
import signal
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest

from trainer.export.package_file import is_apkg, remove_stale_temporaries, write_apkg

ROOT = Path(__file__).resolve().parents[2]

# Writes an .apkg but stops, its temporary file written and locked, just before os.replace.
CHILD = textwrap.dedent(
    """
    import os, sys, time
    from pathlib import Path
    from trainer.export import package_file

    def stop(fd):
        print("written", flush=True)
        time.sleep(60)

    os.fsync = stop
    package_file.write_apkg(Path(sys.argv[1]), b"x" * 100_000)
    """
)


def temporaries(folder: Path) -> list[str]:
    return sorted(p.name for p in folder.iterdir() if p.name.endswith(".tmp"))


def test_the_next_export_removes_what_a_killed_export_left(tmp_path: Path) -> None:
    out = tmp_path / "deck.apkg"
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    child = subprocess.Popen(
        [sys.executable, "-c", CHILD, str(out)], stdout=subprocess.PIPE, text=True, env=env
    )
    try:
        assert child.stdout is not None
        assert child.stdout.readline() == "written\n"
        [left] = temporaries(tmp_path)
        assert left.startswith(f".deck.apkg.{child.pid}.")
        assert (tmp_path / left).stat().st_size > 0
        remove_stale_temporaries(out)  # another export meanwhile: the file is being written
        assert temporaries(tmp_path) == [left]
    finally:
        child.send_signal(signal.SIGKILL)
        child.wait()
    assert not out.exists() and temporaries(tmp_path) == [left]
    write_apkg(out, b"collection")
    assert temporaries(tmp_path) == []
    assert is_apkg(out)


def test_only_unlocked_temporaries_of_ours_are_removed(tmp_path: Path) -> None:
    out = tmp_path / "deck.apkg"
    dead = subprocess.Popen([sys.executable, "-c", "pass"])  # a process that has ended
    dead.wait()
    stale = {
        f".deck.apkg.{dead.pid}.abcdefgh.tmp": b"",  # killed as soon as it was created
        ".deck.apkg.a1b2c3d_.tmp": b"partial zip",  # an earlier version's name, unlocked
        f".deck.apkg.{os.getpid()}.zzzzzzzz.tmp": b"partial zip",
    }
    kept = {
        f".deck.apkg.{os.getpid()}.justmade.tmp": b"",  # empty and new: maybe not locked yet
        ".deck.apkg.not-ours.tmp": b"x",
        ".deck.apkg.abcdefgh.tmp.bak": b"x",
        ".other.apkg.abcdefgh.tmp": b"x",
        "deck.apkg.abcdefgh.tmp": b"x",
        f".deck.apkg.{os.getpid()}.lockedxx.tmp": b"being written",
    }
    for name, data in {**stale, **kept}.items():
        (tmp_path / name).write_bytes(data)
    (tmp_path / ".deck.apkg.folder00.tmp").mkdir()
    fd = os.open(tmp_path / f".deck.apkg.{os.getpid()}.lockedxx.tmp", os.O_RDONLY)
    try:
        fcntl.flock(fd, fcntl.LOCK_EX)
        write_apkg(out, b"collection")
    finally:
        os.close(fd)
    names = {p.name for p in tmp_path.iterdir()}
    assert names == {"deck.apkg", ".deck.apkg.folder00.tmp", *kept}


def test_an_export_without_a_lock_closes_its_file_before_renaming_it(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Where there is no flock (Windows, where an open file cannot be renamed and os.fchmod only
    came in 3.13), the file is closed, given the target's mode, then renamed."""
    from trainer.export import package_file

    out = tmp_path / "deck.apkg"
    out.write_bytes(b"old")
    out.chmod(0o600)
    monkeypatch.setattr(package_file, "_lock", lambda fd: False)
    monkeypatch.delattr(package_file.os, "fchmod")
    renamed_open: list[bool] = []
    real_replace = os.replace

    def replace(src: str | Path, dst: str | Path) -> None:
        fds = os.listdir("/proc/self/fd")
        renamed_open.append(
            any(os.path.realpath(f"/proc/self/fd/{fd}") == os.path.realpath(src) for fd in fds)
        )
        real_replace(src, dst)

    monkeypatch.setattr(package_file.os, "replace", replace)
    write_apkg(out, b"x" * 1000)
    assert renamed_open == [False]
    assert is_apkg(out) and out.stat().st_mode & 0o777 == 0o600
    assert temporaries(tmp_path) == []
