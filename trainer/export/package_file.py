"""The .apkg file itself: is a path one, may we overwrite it, and writing one safely.

genanki 0.13.1 stores the collection uncompressed (``ZIP_STORED``); we write the zip deflated
(several times smaller), into a temporary file beside the target that replaces it
atomically, so a failed export never leaves a half-written deck where the old one was.
"""

from __future__ import annotations

import contextlib
import os
import stat
import tempfile
import zipfile
from pathlib import Path

from trainer.export.errors import ExportError
from trainer.safetext import file_kind

ZIP_MAGIC = b"PK\x03\x04"
COLLECTION_MEMBERS = ("collection.anki2", "collection.anki21", "collection.anki21b")
# zlib level 1: 3.5 MB for 10,000 notes against 2.8 MB at level 9 (and 21 MB stored, as genanki
# writes it), in a sixth of the time (bench/bench_export.py).
COMPRESS_LEVEL = 1


def is_apkg(path: Path) -> bool:
    """True for a zip file holding an Anki collection."""
    try:
        if not stat.S_ISREG(path.stat().st_mode):
            return False  # a FIFO would block the open below
        with path.open("rb") as fh:
            if fh.read(4) != ZIP_MAGIC:
                return False
        with zipfile.ZipFile(path) as zf:
            names = set(zf.namelist())
    except (OSError, zipfile.BadZipFile):
        return False
    return any(m in names for m in COLLECTION_MEMBERS)


def check_target(out: Path, *, force: bool) -> None:
    """Raise ExportError unless ``out`` may be written: its folder exists, it is not a folder, and
    it is new, an .apkg, or ``force`` is set; and its name ends in .apkg (Anki's File > Import
    knows packages by that name), or ``force`` is set."""
    if out.is_dir():
        raise ExportError(f"{out} is a folder; give a file name such as {out / 'deck.apkg'}")
    try:
        mode = out.stat().st_mode
    except OSError:
        mode = None
    if mode is not None and not stat.S_ISREG(mode):
        raise ExportError(f"{out} is {file_kind(mode)}, not a file; give a file name")
    parent = out.parent
    if not parent.is_dir():
        raise ExportError(f"the folder {parent} does not exist")
    if out.exists() and not force and not is_apkg(out):
        raise ExportError(
            f"{out} exists and is not an Anki .apkg; refusing to overwrite it "
            "(use --force to overwrite it anyway)"
        )
    if out.suffix.lower() != ".apkg" and not force:
        raise ExportError(
            f"{out} does not end in .apkg, so Anki would not recognise it as a deck package; "
            f"name it {out.with_suffix('.apkg').name}, or use --force to write it anyway"
        )


def write_apkg(
    out: Path,
    collection: Path | bytes,
    media: dict[str, str] | None = None,
    *,
    level: int = COMPRESS_LEVEL,
) -> int:
    """Write ``collection`` (a SQLite file, or its contents) as ``out`` (.apkg, deflated at
    ``level``), atomically. Returns the size of the file written.

    The temporary file lives in the target's folder (so ``os.replace`` is atomic), is flushed to
    disk before it replaces the target, and is removed if anything fails. It is locked while
    it exists, so the next export to ``out`` can tell one that a killed export left behind and
    removes it (remove_stale_temporaries).
    """
    import json

    data = collection.read_bytes() if isinstance(collection, Path) else collection
    members = [("collection.anki2", data), ("media", json.dumps(media or {}).encode())]
    fd, tmp_name = tempfile.mkstemp(
        dir=out.parent, prefix=f".{out.name}.{os.getpid()}.", suffix=".tmp"
    )
    tmp = Path(tmp_name)
    try:
        locked = _lock(fd)  # held until the file has its name: see remove_stale_temporaries
        with os.fdopen(fd, "wb") as fh:
            with zipfile.ZipFile(fh, "w", zipfile.ZIP_DEFLATED, compresslevel=level) as zf:
                for name, payload in members:
                    zf.writestr(name, payload)
            fh.flush()
            os.fsync(fh.fileno())
            mode = out.stat().st_mode & 0o777 if out.exists() else 0o644
            if locked:  # POSIX: renamed while still open and locked
                os.fchmod(fh.fileno(), mode)
                os.replace(tmp, out)
        if not locked:  # no flock (Windows cannot rename an open file, nor has os.fchmod < 3.13)
            os.chmod(tmp, mode)
            os.replace(tmp, out)
    except BaseException:
        with contextlib.suppress(OSError):
            tmp.unlink()
        raise
    remove_stale_temporaries(out)
    return out.stat().st_size


# A temporary file of ours: ".OUT.apkg." + the exporting process's id + "." + tempfile's 8
# random characters + ".tmp" (earlier versions wrote no process id).
_TEMP_NAME = r"(?:(\d+)\.)?[a-z0-9_]{8}\.tmp"
# An export holds a lock on its temporary file from a moment after creating it until it has
# replaced the target; a killed export leaves its file unlocked. A file still empty may be one an
# export has just created and not yet locked: it is left alone for UNLOCKED_EMPTY_SECONDS while
# the process named in it runs. Without locks (no fcntl), only files older than
# STALE_TEMP_SECONDS are removed.
UNLOCKED_EMPTY_SECONDS = 10.0
STALE_TEMP_SECONDS = 3600.0


def _lock(fd: int) -> bool:
    """Take an exclusive advisory lock on a temporary file being written (where there are
    locks); whether it was taken. It goes with the process: a killed export leaves its file
    unlocked. Where flock fails (some network file systems), the next export's flock of the
    file fails too, so it is left alone (_abandoned)."""
    try:
        import fcntl
    except ImportError:  # pragma: no cover - not POSIX
        return False
    try:
        fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
    except OSError:
        return False
    return True


def _running(pid: int | None) -> bool:
    """Whether process ``pid`` runs (True when unknown, or when it cannot be told)."""
    if pid is None or pid == os.getpid():
        return True
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except OSError:
        return True  # e.g. another user's process
    return True


def _abandoned(item: Path, pid: int | None, size: int, age: float) -> bool:
    """Whether no export is writing the temporary file ``item`` (``size`` bytes, ``age`` s old)
    that process ``pid`` (None: not named) created."""
    try:
        import fcntl
    except ImportError:  # pragma: no cover - not POSIX
        return age > STALE_TEMP_SECONDS
    if size == 0 and age <= UNLOCKED_EMPTY_SECONDS and _running(pid):
        return False  # just created: its export may not have locked it yet
    try:
        fd = os.open(item, os.O_RDONLY | os.O_NOFOLLOW | os.O_NONBLOCK)
    except OSError:
        return False
    try:
        fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
    except OSError:
        return False  # an export is writing it
    finally:
        os.close(fd)
    return True


def remove_stale_temporaries(out: Path) -> None:
    """Remove the hidden ``.OUT.apkg.PID.XXXXXXXX.tmp`` files that killed exports to ``out``
    left behind: only names of that pattern, regular files, not locked by an export still
    writing (an empty one only when its process is gone or it is 10 s old; without locks, any
    only when an hour old)."""
    import re
    import time

    pattern = re.compile(re.escape(f".{out.name}.") + _TEMP_NAME)
    now = time.time()
    try:
        items = list(out.parent.iterdir())
    except OSError:
        return
    for item in items:
        match = pattern.fullmatch(item.name)
        if match is None:
            continue
        pid = int(match[1]) if match[1] else None
        with contextlib.suppress(OSError, ValueError):
            st = item.lstat()
            if stat.S_ISREG(st.st_mode) and _abandoned(item, pid, st.st_size, now - st.st_mtime):
                item.unlink()
