"""A cache of parsed banks, so that a large bank is parsed and checked once, not at every start.

An entry holds the whole result of reading a bank (the Bank and every problem, warnings included)
and is valid only for the key it was made for: a hash of the trainer version, FORMAT, the source of
the loader itself (trainer/bank/*.py, so that a changed check or model never meets an entry made
by the old code), the bank's resolved path, and every file's name and bytes. Any edit, added or
removed file gives a new key, hence a miss. ``--bank rel`` and ``--bank /abs/rel``, or the same bank
from another working folder, share one entry: paths as shown (relative to the working folder) are
put back in place when an entry is read. Each bank location has one entry file (named from its
resolved path), and only the MAX_ENTRIES most recently used are kept.

A warm start does not read or hash the bank: an entry also holds a *stamp*, each file's path
within the bank, size, modification and change times (ns), inode and device, with the same
version/FORMAT/code/path metadata as the key. When every file's stat matches the stamp, the entry
is used without reading a byte of the bank. Any difference (a touch, an edit, a file added,
removed, renamed or replaced) falls back to reading and hashing the files: the content key stays
the last resort, so an edit is always seen, and an entry whose content still matches gets its
stamp refreshed. A stamp is trusted only for files last modified at least RACY_NS before it was
taken (as git does for its index): a file changed again within the same timestamp tick, with the
same size, could otherwise look unchanged.

Entries are data, never code: JSON of plain values, rebuilt into the bank's models on reading (no
pickle, which runs code when loaded). A hit is a LazyBank, which gives the active ids and their
first objectives (all a start needs to show home) from a small index and makes its questions only
when they are first asked for, each a LazyQuestion that decodes the rest of itself (its own JSON
record) only when it is first used (see "encoding" below): a start at 50,000 questions makes no
question object and decodes only the few it shows. They live in
``<cache dir>/banks``, a folder the user owns with mode 0700 (closed again if found open); a
folder owned by someone else, or a symlink, turns the cache off, and an entry owned by someone
else or readable or writable by others is ignored.

The cache lives in ``trainer.paths.cache_dir()`` (``TRAINER_CACHE_DIR``, else the user cache
directory; ``TRAINER_CACHE=0`` turns it off). It can never break loading: an entry that is
missing, unreadable, corrupt, untrusted or made for another key is a miss (and is rewritten), writes
are atomic (a temporary file, then os.replace), and a cache directory that cannot be written is
simply not used.
"""

from __future__ import annotations

import contextlib
import hashlib
import json
import mmap
import operator
import os
import re
import stat
import time
import zlib
from collections.abc import Callable, Sequence
from functools import cache
from pathlib import Path
from typing import TYPE_CHECKING, Any

from trainer import __version__
from trainer.bank.models import (
    QUESTION_FIELDS,
    Bank,
    LazyBank,
    LazyQuestion,
    LintIgnore,
    Objective,
    Option,
    Problem,
    Question,
    Source,
)
from trainer.paths import cache_dir

if TYPE_CHECKING:
    from trainer.bank.loader import LoadResult

# Bump when the loader's output changes for the same files (new checks, new model fields...).
FORMAT = 5
MAGIC = b"trainer-bank-cache-json\n"
RACY_NS = 2_000_000_000  # a stamp vouches only for files modified this long before it was taken
_now_ns = time.time_ns  # the stamps' clock (the file system's times are wall-clock times)
SUBDIR = "banks"
SUFFIX = ".json"
MAX_ENTRIES = 8  # one per bank location
STALE_TEMP_SECONDS = 3600.0  # a temporary file this old was left by a writer that died
_DIGEST = 32
_CRC_HEX = 8  # the CRC-32 of the index and records, in hex, on a line of its own
_QUESTION_FIELDS = QUESTION_FIELDS
_OPTIONS_AT = _QUESTION_FIELDS.index("options")
_IGNORES_AT = _QUESTION_FIELDS.index("ignores")
_TUPLE_FIELDS = ("objectives", "tags", "steps", "lint_ignore")


@cache
def code_fingerprint() -> bytes:
    """A hash of the loader's own source files (read once per process)."""
    h = hashlib.blake2b(digest_size=_DIGEST)
    here = Path(__file__).resolve().parent
    for source in [*sorted(here.glob("*.py")), here.parent / "safetext.py"]:
        h.update(source.name.encode())
        try:
            h.update(source.read_bytes())
        except OSError:
            h.update(b"?")
    return h.digest()


def key(root: str, files: Sequence[tuple[str, bytes]]) -> bytes:
    """The key of a bank: version, FORMAT, loader code, its resolved path, each file's name (within
    the bank) and bytes."""
    h = hashlib.blake2b(digest_size=_DIGEST)
    meta = (__version__.encode(), str(FORMAT).encode(), code_fingerprint())
    for part in (*meta, root.encode("utf-8", "surrogateescape")):
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


def _owned(st: os.stat_result) -> bool:
    getuid = getattr(os, "getuid", None)
    return getuid is None or st.st_uid == getuid()


def _mine(st: os.stat_result) -> bool:
    """Owned by this user and closed to group and others."""
    return _owned(st) and not st.st_mode & 0o077


def folder() -> Path | None:
    """The entries' folder, made 0700 if missing; None when the cache is off or not trusted.

    A folder of this user's that is open to others (made by an older trainer, or by hand) is
    closed (chmod 0700) and used: any entry someone else put there is theirs, so it is ignored.
    A folder of another user's, or a symlink, turns the cache off."""
    root = cache_dir()
    if root is None:
        return None
    where = root / SUBDIR
    try:
        root.mkdir(mode=0o700, parents=True, exist_ok=True)
        with contextlib.suppress(FileExistsError):
            where.mkdir(mode=0o700)
        st = where.lstat()
    except OSError:
        return None
    if not stat.S_ISDIR(st.st_mode) or not _owned(st):
        return None  # someone else's, or a symlink: nothing there can be trusted
    if st.st_mode & 0o077:
        try:
            os.chmod(where, 0o700)
        except OSError:
            return None
    return where


def entry_path(root: str) -> Path | None:
    """The entry file for the bank at ``root`` (any spelling); None when the cache is off."""
    where = folder()
    if where is None:
        return None
    resolved = os.path.realpath(root).encode("utf-8", "surrogateescape")
    name = hashlib.blake2b(resolved, digest_size=16).hexdigest()
    return where / f"{name}{SUFFIX}"


def _read_trusted(path: Path) -> Buffer | None:
    """The entry's bytes, if it is a regular file of this user closed to everyone else: mapped
    (mmap, read-only), not read, so that a start pays only for the pages it touches (the CRC
    check reads them from the page cache, without a copy of tens of MB). Entries are replaced,
    never written in place (``_write``), so the mapped file does not change under the reader."""
    flags = os.O_RDONLY | getattr(os, "O_NOFOLLOW", 0) | getattr(os, "O_NONBLOCK", 0)
    try:
        fd = os.open(path, flags)
    except OSError:
        return None
    try:
        st = os.fstat(fd)
        if not stat.S_ISREG(st.st_mode) or not _mine(st):
            return None
        if not st.st_size:
            return b""
        try:
            if os.name == "nt":  # a mapped file cannot be replaced or removed there: read it
                raise OSError("not mapped on Windows")
            return mmap.mmap(fd, 0, access=mmap.ACCESS_READ)
        except (OSError, ValueError):  # a file system that cannot map files: read it
            with os.fdopen(os.dup(fd), "rb") as f:
                return f.read()
    except OSError:
        return None
    finally:
        os.close(fd)


Buffer = bytes | mmap.mmap  # an entry's bytes: mapped, or read where files cannot be mapped
Stamp = dict[str, Any]  # {"meta": hex, "files": [[name, size, mtime_ns, ctime_ns, ino, dev]...],
# "taken": ns}: the bank's files as stat sees them, taken before they are read


def _meta(resolved: str) -> str:
    h = hashlib.blake2b(digest_size=16)
    for part in (__version__.encode(), str(FORMAT).encode(), code_fingerprint()):
        h.update(len(part).to_bytes(8, "little"))
        h.update(part)
    h.update(resolved.encode("utf-8", "surrogateescape"))
    return h.hexdigest()


def stamp(resolved: str, files: Sequence[Path]) -> Stamp | None:
    """The stamp of the bank at ``resolved`` (its real path) made of ``files``, or None when a file
    cannot be stat'ed or is not a regular file (then the files are read, which reports it)."""
    taken = _now_ns()  # before the stats: a file changed after this is never vouched for
    rows: list[list[Any]] = []
    for file in files:
        try:
            st = os.stat(file)
        except OSError:
            return None
        if not stat.S_ISREG(st.st_mode):
            return None
        name = os.path.relpath(os.path.realpath(file), resolved)
        rows.append([name, st.st_size, st.st_mtime_ns, st.st_ctime_ns, st.st_ino, st.st_dev])
    return {"meta": _meta(resolved), "files": rows, "taken": taken}


def vouches(old: Stamp | None, new: Stamp) -> bool:
    """Whether the stored stamp ``old`` shows the files as they are now (``new``), every file having
    been last modified at least RACY_NS before ``old`` was taken."""
    if not isinstance(old, dict) or old.get("meta") != new["meta"]:
        return False
    taken = old.get("taken")
    if old.get("files") != new["files"] or not isinstance(taken, int):
        return False
    return all(row[2] <= taken - RACY_NS and row[3] <= taken - RACY_NS for row in new["files"])


def _stamp_line(current: Stamp | None) -> bytes:
    return json.dumps(current, separators=(",", ":")).encode() + b"\n"


def _split(data: Buffer) -> tuple[bytes, Stamp | None, int] | None:
    """(key, stamp, where the rest starts) of an entry's bytes, or None when they are not one."""
    head = len(MAGIC) + _DIGEST
    if len(data) < head or data[: len(MAGIC)] != MAGIC:
        return None
    end = data.find(b"\n", head)
    if end < 0:
        return None
    try:
        found = json.loads(data[head:end])
    except ValueError:
        return None
    return data[len(MAGIC) : head], found if isinstance(found, dict) else None, end + 1


def _decode_entry(path: Path, data: Buffer, at: int, shown: Sequence[str]) -> LoadResult | None:
    """The result an entry holds from ``at`` on: the CRC-32 line, the index line, the records."""
    crc_end = at + _CRC_HEX
    end = data.find(b"\n", crc_end + 1)
    if end < 0 or data[crc_end : crc_end + 1] != b"\n":
        return None
    view = memoryview(data)
    try:
        if int(data[at:crc_end], 16) != zlib.crc32(view[crc_end + 1 :]):
            return None  # damaged
        result = decode(json.loads(data[crc_end + 1 : end]), shown, view[end + 1 :])
    except (ValueError, TypeError, KeyError, IndexError, AttributeError):
        return None  # a corrupt entry is only a miss
    with contextlib.suppress(OSError):
        os.utime(path)  # recently used: kept when older entries are pruned
    return result


def load_stamped(root: str, current: Stamp, shown: Sequence[str]) -> LoadResult | None:
    """The cached result when the entry's stamp vouches for the files as ``current`` shows them,
    else None: the bank's files are neither read nor hashed."""
    path = entry_path(root)
    if path is None:
        return None
    data = _read_trusted(path)
    parts = None if data is None else _split(data)
    if data is None or parts is None or not vouches(parts[1], current):
        return None
    return _decode_entry(path, data, parts[2], shown)


def load(
    root: str, want: bytes, shown: Sequence[str], current: Stamp | None = None
) -> LoadResult | None:
    """The cached result for key ``want``, or None (a miss) for any reason at all.

    ``shown`` lists the paths as this run shows them (see ``_shown``): they replace the ones the
    entry was written with. A hit whose stamp no longer vouches for the files gets ``current``.
    """
    path = entry_path(root)
    if path is None:
        return None
    data = _read_trusted(path)
    parts = None if data is None else _split(data)
    if data is None or parts is None or parts[0] != want:
        return None
    result = _decode_entry(path, data, parts[2], shown)
    if result is not None and current is not None and not vouches(parts[1], current):
        _write(path, MAGIC + want + _stamp_line(current) + data[parts[2] :])
    return result


def store(
    root: str,
    have: bytes,
    result: LoadResult,
    shown: Sequence[str],
    current: Stamp | None = None,
) -> bool:
    """Write the entry for key ``have`` (and stamp ``current``); False (and nothing written) when
    it cannot be."""
    path = entry_path(root)
    if path is None:
        return False
    try:
        index, records = encode(result, shown)
        body = _dumps(index) + b"\n" + records
    except (TypeError, ValueError, UnicodeError):
        return False
    crc = b"%08x\n" % zlib.crc32(body)
    if not _write(path, MAGIC + have + _stamp_line(current) + crc + body):
        return False
    prune(path.parent)
    return True


def _write(path: Path, payload: bytes) -> bool:
    """Write an entry atomically (a 0600 temporary file, then os.replace)."""
    import tempfile  # only a miss writes (and tempfile costs the start a few ms to import)

    tmp = ""
    try:
        fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=f".{path.stem}-", suffix=".tmp")
        with os.fdopen(fd, "wb") as f:  # mkstemp: mode 0600
            f.write(payload)
        os.replace(tmp, path)
    except OSError:
        if tmp:
            with contextlib.suppress(OSError):
                os.unlink(tmp)
        return False
    return True


# ----------------------------------------------------------------------------- encoding
# An entry's result is an index line (JSON: the problems, the bank without its questions, and for
# each question its id, objectives and whether it is retired, with where its record ends) and the
# questions' records (JSON lists of their fields in field order, one after the other, ASCII
# only), after a line with the CRC-32 of both. A hit checks the index against the records at once
# and gives a LazyBank, which makes every question from the index (a LazyQuestion, which decodes
# its own record the first time one of its other fields is read) when its questions are first
# asked for: a start decodes the few it shows. The CRC, checked when the entry is read, makes a
# damaged entry a miss, never a question that fails later.


def _dumps(value: object) -> bytes:
    # ASCII (non-ASCII as \uXXXX escapes): any str, lone surrogates of odd file names included,
    # reads back the same, and a record's bytes are its characters.
    return json.dumps(value, separators=(",", ":")).encode("ascii")


def encode(result: LoadResult, shown: Sequence[str]) -> tuple[dict[str, Any], bytes]:
    """(index, records) of a result: see above."""
    bank = result.bank
    records: list[bytes] = []
    index: dict[str, Any] = {
        "shown": list(shown),
        "problems": [_problem(p) for p in result.problems],
        "bank": None,
    }
    if bank is not None:
        ends: list[int] = []
        at = 0
        for q in bank.questions:
            record = _dumps(_question(q))
            records.append(record)
            at += len(record)
            ends.append(at)
        body = b"".join(records)
        index["bank"] = _bank(bank) | {
            "questions": {
                "ids": _ids(bank.questions),
                # one objective (the usual case) as a string: quicker to read
                "objectives": [
                    q.objectives[0] if len(q.objectives) == 1 else list(q.objectives)
                    for q in bank.questions
                ],
                "retired": [i for i, q in enumerate(bank.questions) if q.retired],
                "ends": ends,
            }
        }
        return index, body
    return index, b""


def _ids(questions: Sequence[Question]) -> str | list[str]:
    """The questions' ids on one string, one per line (quicker to read than a list of strings),
    or a list when an id is empty or holds a line break (never in a bank without errors)."""
    ids = [q.id for q in questions]
    if all(ids) and not any("\n" in i for i in ids):
        return "\n".join(ids)
    return ids


def _problem(p: Problem) -> list[Any]:
    return [p.path, p.line, p.id, p.field, p.severity, p.message]


def _question(q: Question) -> list[Any]:
    values: list[Any] = [getattr(q, name) for name in _QUESTION_FIELDS]
    values[_OPTIONS_AT] = [[o.text, o.correct, o.why] for o in q.options]
    values[_IGNORES_AT] = [[i.code, i.reason, i.other] for i in q.ignores]
    return values


def _bank(bank: Bank) -> dict[str, Any]:
    return {
        "id": bank.id,
        "title": bank.title,
        "version": bank.version,
        "topics": list(bank.topics),
        "sources": [
            [s.key, s.title, {k: list(v) for k, v in s.sections.items()}, s.must_cover]
            for s in bank.sources.values()
        ],
        "references": bank.references,
        "objectives": [
            [o.id, o.topic, o.text, o.sources, o.path, o.line, o.retired]
            for o in bank.objectives.values()
        ],
        "root": bank.root,
        "files": list(bank.files),
    }


class Records:
    """The questions' records of one entry, decoded one question at a time (LazyQuestion)."""

    def __init__(self, body: memoryview, ends: list[int], where: Callable[[str], str]) -> None:
        self._body = body
        self._ends = ends
        self._where = where  # a path as written -> as this run shows it

    def question_fields(self, index: int) -> dict[str, Any]:
        start = self._ends[index - 1] if index else 0
        values = json.loads(bytes(self._body[start : self._ends[index]]))
        item = dict(zip(_QUESTION_FIELDS, values, strict=True))
        item["options"] = tuple(Option(t, bool(c), w) for t, c, w in item["options"])
        item["ignores"] = tuple(LintIgnore(c, r, o) for c, r, o in item["ignores"])
        for name in _TUPLE_FIELDS:
            item[name] = tuple(item[name])
        item["path"] = self._where(item["path"])
        return item


def _strings(values: object) -> list[str]:
    if not isinstance(values, list) or not set(map(type, values)) <= {str}:
        raise TypeError("not a list of strings")
    return values


def _checked_index(
    raw: dict[str, Any], body: memoryview, where: Callable[[str], str]
) -> tuple[list[str], list[str | list[str]], set[int], Records]:
    """(ids, objectives as stored, retired indexes, records) of an entry's questions, once the
    index and the records are checked against each other (else TypeError: a miss)."""
    ids = raw["ids"]
    ids = (ids.split("\n") if ids else []) if type(ids) is str else _strings(ids)
    objectives = raw["objectives"]
    ends = raw["ends"]
    if (
        not isinstance(objectives, list)
        or len(objectives) != len(ids)
        or not set(map(type, objectives)) <= {str, list}
        or not isinstance(ends, list)
        or len(ends) != len(ids)
        or not set(map(type, ends)) <= {int}
        or (ends and ends[-1] != len(body))
        or (not ends and body)
        or not all(map(operator.lt, [0, *ends], ends))  # each record ends after the last
    ):
        raise TypeError("the records do not match their index")
    for o in objectives:
        if type(o) is not str:
            _strings(o)
    retired = set(raw["retired"])
    if not set(map(type, retired)) <= {int}:
        raise TypeError("not a list of indexes")
    return ids, objectives, retired, Records(body, ends, where)


def _make_questions(
    ids: list[str], objectives: list[str | list[str]], retired: set[int], records: Records
) -> tuple[LazyQuestion, ...]:
    """The LazyQuestions of a checked index (_checked_index)."""
    new = LazyQuestion.__new__
    out: list[LazyQuestion] = []
    add = out.append
    for i, qid, objs in zip(range(len(ids)), ids, objectives, strict=True):
        q = new(LazyQuestion)
        d = q.__dict__  # item by item: quicker than update() with keywords
        d["id"] = qid
        d["retired"] = i in retired
        d["objectives"] = (objs,) if type(objs) is str else tuple(objs)
        d["_source"] = records
        d["_index"] = i
        add(q)
    return tuple(out)


def _lazy_questions(
    raw: dict[str, Any], body: memoryview, where: Callable[[str], str]
) -> tuple[LazyQuestion, ...]:
    """The LazyQuestions of an entry's index, once its records are checked (else TypeError)."""
    return _make_questions(*_checked_index(raw, body, where))


def _first(objectives: str | list[str]) -> str | None:
    if type(objectives) is str:
        return objectives
    return objectives[0] if objectives else None


def decode(
    data: dict[str, Any], shown: Sequence[str], body: memoryview | None = None
) -> LoadResult:
    """The result of an entry's index ``data`` and its questions' records ``body``."""
    from trainer.bank.loader import LoadResult

    old = data["shown"]
    moved = {o: n for o, n in zip(old, shown, strict=True) if o != n}
    # Messages name files ("already used at bank/a.toml:3"), never the root as typed.
    renamed = {o: n for o, n in zip(old[2:], shown[2:], strict=True) if o != n}
    names = re.compile("|".join(re.escape(o) for o in sorted(renamed, key=len, reverse=True)))

    def where(path: str) -> str:
        return moved.get(path, path) if moved else path

    def text(message: str) -> str:
        return names.sub(lambda m: renamed[m.group()], message) if renamed else message

    problems = tuple(
        Problem(where(path), line, ident, fld, severity, text(message))
        for path, line, ident, fld, severity, message in data["problems"]
    )
    raw = data["bank"]
    if raw is None:
        return LoadResult(None, problems)
    objectives = {}
    new = Objective.__new__  # its fields set directly: twice as quick as a frozen __init__
    for oid, topic, otext, sources, path, line, gone in raw["objectives"]:
        o = objectives[oid] = new(Objective)
        o.__dict__.update(
            id=oid,
            topic=topic,
            text=otext,
            sources=tuple(sources),
            path=where(path),
            line=line,
            retired=bool(gone),
        )
    ids, objs, retired, records = _checked_index(raw["questions"], body or memoryview(b""), where)
    bank = LazyBank.__new__(LazyBank)  # its questions are made on first use (LazyBank)
    bank.__dict__.update(
        id=raw["id"],
        title=raw["title"],
        version=raw["version"],
        topics=tuple(raw["topics"]),
        sources={
            k: Source(k, title, {s: tuple(r) for s, r in sections.items()}, bool(must))
            for k, title, sections, must in raw["sources"]
        },
        references=dict(raw["references"]),
        objectives=objectives,
        root=where(raw["root"]),
        files=tuple(where(f) for f in raw["files"]),
        _make=lambda: _make_questions(ids, objs, retired, records),
    )
    if retired:
        active = [i for i in range(len(ids)) if i not in retired]
        ids_on, objs_on = [ids[i] for i in active], [objs[i] for i in active]
    else:
        ids_on, objs_on = ids, objs
    # one objective each (the usual case): the stored strings are the first objectives
    firsts = objs_on if set(map(type, objs_on)) <= {str} else list(map(_first, objs_on))
    bank.__dict__["_active"] = (tuple(ids_on), tuple(firsts))
    return LoadResult(bank, problems)


def prune(where: Path, keep: int | None = None) -> None:
    """Delete all but the ``keep`` (MAX_ENTRIES) most recently used entries, and stale temp files.

    Another process may be pruning or writing at the same time: a file that vanishes or cannot be
    removed is skipped.
    """
    try:
        items = list(where.iterdir())
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
        if item.suffix == SUFFIX:
            entries.append((mtime, item))
        elif item.suffix == ".pickle" or (
            item.suffix == ".tmp" and now - mtime > STALE_TEMP_SECONDS
        ):
            stale.append(item)  # a temporary file of a writer that died, or an old-format entry
    entries.sort(reverse=True)
    for item in stale + [item for _, item in entries[MAX_ENTRIES if keep is None else keep :]]:
        with contextlib.suppress(OSError):
            item.unlink()
