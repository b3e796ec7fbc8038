"""A cache of parsed banks, so that a large bank is parsed and checked once, not at every start.

An entry holds the whole result of reading a bank (the Bank and every problem, warnings included)
and is valid only for the key it was made for: a hash of the trainer version, FORMAT, the source of
the loader itself (trainer/bank/*.py, so that a changed check or model never meets an entry made
by the old code), the bank's path as given and as shown, and every file's shown name and bytes.
Any edit, added or removed file gives a new key, hence a miss. Each bank location has one entry
file (named from its absolute path), and only the MAX_ENTRIES most recently used are kept.

The cache lives in ``trainer.paths.cache_dir()`` (``TRAINER_CACHE_DIR``, else the user cache
directory; ``TRAINER_CACHE=0`` turns it off). It can never break loading: an entry that is
missing, unreadable, corrupt or made for another key is a miss (and is rewritten), writes are
atomic (a temporary file, then os.replace), and a cache directory that cannot be written is simply
not used. Entries are pickles: they are read only from the user's own cache directory, and only
after the key stored in front of the pickle matches.
"""

from __future__ import annotations

import contextlib
import hashlib
import os
import pickle
import time
from collections.abc import Sequence
from functools import cache
from pathlib import Path
from typing import TYPE_CHECKING

from trainer import __version__
from trainer.paths import cache_dir

if TYPE_CHECKING:
    from trainer.bank.loader import LoadResult

# Bump when the loader's output changes for the same files (new checks, new model fields...).
FORMAT = 1
MAGIC = b"trainer-bank-cache\n"
SUBDIR = "banks"
MAX_ENTRIES = 8  # one per bank location; a 10,000-question entry is about 8 MB
STALE_TEMP_SECONDS = 3600.0  # a temporary file this old was left by a writer that died
_DIGEST = 32


@cache
def code_fingerprint() -> bytes:
    """A hash of the loader's own source files (read once per process)."""
    h = hashlib.blake2b(digest_size=_DIGEST)
    for source in sorted(Path(__file__).resolve().parent.glob("*.py")):
        h.update(source.name.encode())
        try:
            h.update(source.read_bytes())
        except OSError:
            h.update(b"?")
    return h.digest()


def key(root: str, shown_root: str, files: Sequence[tuple[str, bytes]]) -> bytes:
    """The key of a bank: version, FORMAT, loader code, its path, each file's name and bytes."""
    h = hashlib.blake2b(digest_size=_DIGEST)
    meta = (__version__.encode(), str(FORMAT).encode(), code_fingerprint())
    for part in (
        *meta,
        root.encode("utf-8", "surrogateescape"),
        shown_root.encode("utf-8", "surrogateescape"),
    ):
        h.update(len(part).to_bytes(8, "little"))
        h.update(part)
    h.update(len(files).to_bytes(8, "little"))
    for name, data in files:
        encoded = name.encode("utf-8", "surrogateescape")
        h.update(len(encoded).to_bytes(8, "little"))
        h.update(encoded)
        h.update(len(data).to_bytes(8, "little"))
        h.update(data)
    return h.digest()


def entry_path(root: str) -> Path | None:
    """The entry file for the bank at ``root``; None when the cache is off."""
    folder = cache_dir()
    if folder is None:
        return None
    where = os.path.abspath(root).encode("utf-8", "surrogateescape")
    name = hashlib.blake2b(where, digest_size=16).hexdigest()
    return folder / SUBDIR / f"{name}.pickle"


def load(root: str, want: bytes) -> LoadResult | None:
    """The cached result for key ``want``, or None (a miss) for any reason at all."""
    from trainer.bank.loader import LoadResult

    path = entry_path(root)
    if path is None:
        return None
    try:
        with path.open("rb") as f:
            if f.read(len(MAGIC) + _DIGEST) != MAGIC + want:
                return None
            data = f.read()
    except OSError:
        return None
    try:
        result = pickle.loads(data)
    except Exception:  # a corrupt entry may raise anything: it is only a miss
        return None
    if not isinstance(result, LoadResult):
        return None
    with contextlib.suppress(OSError):
        os.utime(path)  # recently used: kept when older entries are pruned
    return result


def store(root: str, have: bytes, result: LoadResult) -> bool:
    """Write the entry for key ``have``; False (and nothing written) when it cannot be."""
    import tempfile  # only a miss writes (and tempfile costs the start a few ms to import)

    path = entry_path(root)
    if path is None:
        return False
    try:
        data = pickle.dumps(result, protocol=pickle.HIGHEST_PROTOCOL)
    except Exception:  # an unpicklable result is simply not cached
        return False
    tmp = ""
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=f".{path.stem}-", suffix=".tmp")
        with os.fdopen(fd, "wb") as f:
            f.write(MAGIC + have)
            f.write(data)
        os.replace(tmp, path)
    except OSError:
        if tmp:
            with contextlib.suppress(OSError):
                os.unlink(tmp)
        return False
    prune(path.parent)
    return True


def prune(folder: Path, keep: int | None = None) -> None:
    """Delete all but the ``keep`` (MAX_ENTRIES) most recently used entries, and stale temp files.

    Another process may be pruning or writing at the same time: a file that vanishes or cannot be
    removed is skipped.
    """
    try:
        items = list(folder.iterdir())
    except OSError:
        return
    now = time.time()
    entries: list[tuple[float, Path]] = []
    stale: list[Path] = []
    for item in items:
        try:
            mtime = item.stat().st_mtime
        except OSError:
            continue
        if item.suffix == ".pickle":
            entries.append((mtime, item))
        elif item.suffix == ".tmp" and now - mtime > STALE_TEMP_SECONDS:
            stale.append(item)
    entries.sort(reverse=True)
    for item in stale + [item for _, item in entries[MAX_ENTRIES if keep is None else keep :]]:
        with contextlib.suppress(OSError):
            item.unlink()
