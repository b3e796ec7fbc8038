"""The parsed-bank cache: hits give exactly the uncached result, any change is a miss, and a bad,
missing or unwritable cache is never an error.

Each test has its own empty cache directory (the autouse fixture in tests/conftest.py sets
TRAINER_CACHE_DIR). Whether a load was a hit is seen by counting calls of the loader's parse step.
"""

from __future__ import annotations

import io
import json
import os
import pickle
import shutil
import stat
import subprocess
import sys
from collections.abc import Callable
from dataclasses import replace
from pathlib import Path
from typing import Any

import pytest

from trainer import paths
from trainer.bank import cache, loader
from trainer.bank.check import check_bank, run_check
from trainer.bank.loader import LoadResult, load_bank, read_bank

Parse = Callable[..., LoadResult]


@pytest.fixture
def parses(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """The bank roots actually parsed (not served from the cache), in order."""
    seen: list[str] = []
    real: Parse = loader._parse

    def counting(path: Path, *args: object) -> LoadResult:
        seen.append(str(path))
        return real(path, *args)

    monkeypatch.setattr(loader, "_parse", counting)
    return seen


@pytest.fixture
def bank_dir(mini_2files_path: Path, tmp_path: Path) -> Path:
    """A private copy of the two-file mini bank."""
    return Path(shutil.copytree(mini_2files_path, tmp_path / "bank"))


def _entries(cache_root: Path) -> list[Path]:
    folder = cache_root / cache.SUBDIR
    return sorted(folder.iterdir()) if folder.is_dir() else []


def _unstamped(data: bytes) -> bytes:
    """An entry's bytes without its stamp line (which holds the time it was taken)."""
    head = len(cache.MAGIC) + 32
    return data[:head] + data[data.index(b"\n", head) + 1 :]


def _edit(path: Path, old: str, new: str) -> None:
    text = path.read_text()
    assert old in text, old
    path.write_text(text.replace(old, new, 1))


def test_a_second_load_is_a_hit_with_the_same_result(
    bank_dir: Path, parses: list[str], _private_bank_cache: Path
) -> None:
    first = read_bank(bank_dir)
    assert parses == [str(bank_dir)]
    assert len(_entries(_private_bank_cache)) == 1
    second = read_bank(bank_dir)
    assert parses == [str(bank_dir)]  # not parsed again
    assert second == first
    assert second.bank is not None and len(second.bank.questions) == 6
    assert second == read_bank(bank_dir, use_cache=False)


def test_problems_and_check_output_are_identical_from_the_cache(
    mini_bank_path: Path, tmp_path: Path, parses: list[str]
) -> None:
    # a bank with an error and warnings: every problem, its line and its order must survive
    path = tmp_path / "bank.toml"
    path.write_text(
        mini_bank_path.read_text()
        .replace('id = "mini-q-order"', 'id = "mini-q-single"', 1)
        .replace("difficulty = 2", "difficulty = 7", 1)
    )
    uncached = check_bank(path, use_cache=False)
    assert uncached.errors  # the bank is broken as intended
    miss = check_bank(path)
    hit = check_bank(path)
    assert len(parses) == 2  # the uncached check and the miss; the third load was a hit
    for report in (miss, hit):
        assert report.problems == uncached.problems
        assert report.to_dict() == uncached.to_dict()
        assert report.summary_line() == uncached.summary_line()
    assert load_bank(path) == load_bank(path, use_cache=False)


@pytest.mark.parametrize(
    "change",
    ["edit same size", "edit", "add file", "remove file", "rename file"],
)
def test_any_change_to_the_files_is_a_miss(bank_dir: Path, parses: list[str], change: str) -> None:
    questions = bank_dir / "20-questions.toml"
    before = read_bank(bank_dir)
    assert before.bank is not None
    if change == "edit same size":
        _edit(questions, "difficulty = 2", "difficulty = 3")
    elif change == "edit":
        _edit(questions, "difficulty = 2", "tags = ['x']\ndifficulty = 1")
    elif change == "add file":
        (bank_dir / "30-more.toml").write_text(
            (bank_dir / "20-questions.toml")
            .read_text()
            .split("[[questions]]")[0]
            .replace("mini-o-", "more-o-")
        )
    elif change == "remove file":
        extra = bank_dir / "30-more.toml"
        extra.write_text('[references]\nR-EXTRA = "An extra reference"\n')
        before = read_bank(bank_dir)  # cached with the extra file
        extra.unlink()
    else:
        questions.rename(bank_dir / "25-questions.toml")
    parsed = len(parses)
    after = read_bank(bank_dir)
    assert len(parses) == parsed + 1
    assert after == read_bank(bank_dir, use_cache=False)
    assert after != before


def test_the_same_bank_seen_from_another_directory_shows_its_own_paths(
    bank_dir: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    _edit(bank_dir / "20-questions.toml", "difficulty = 2", "difficulty = 9")
    monkeypatch.chdir(tmp_path)
    inside = read_bank(Path("bank"))
    assert inside.problems[0].path == os.path.join("bank", "20-questions.toml")
    monkeypatch.chdir(bank_dir)
    absolute = read_bank(bank_dir)
    assert absolute == read_bank(bank_dir, use_cache=False)
    assert absolute.problems[0].path == "20-questions.toml"
    monkeypatch.chdir(tmp_path)
    assert read_bank(Path("bank")) == inside


@pytest.mark.parametrize(
    "damage",
    ["garbage", "truncated", "empty", "wrong key", "another type", "bad json", "a pickle"],
)
def test_a_bad_entry_is_ignored_and_rewritten(
    bank_dir: Path, parses: list[str], _private_bank_cache: Path, damage: str
) -> None:
    good = read_bank(bank_dir)
    [entry] = _entries(_private_bank_cache)
    data = entry.read_bytes()
    header = len(cache.MAGIC) + 32
    if damage == "garbage":
        entry.write_bytes(b"\x00garbage" * 50)
    elif damage == "truncated":
        entry.write_bytes(data[: len(data) // 2])
    elif damage == "empty":
        entry.write_bytes(b"")
    elif damage == "wrong key":
        entry.write_bytes(data[: len(cache.MAGIC)] + bytes(32) + data[header:])
    elif damage == "another type":
        entry.write_bytes(data[:header] + json.dumps({"not": "a result"}).encode())
    elif damage == "bad json":
        entry.write_bytes(data[:header] + b"{not json at all")
    else:
        entry.write_bytes(data[:header] + pickle.dumps(good))
    assert read_bank(bank_dir) == good
    assert len(parses) == 2  # the bad entry was a miss
    assert _unstamped(entry.read_bytes()) == _unstamped(data)  # and it was rewritten
    assert read_bank(bank_dir) == good
    assert len(parses) == 2


def test_an_unreadable_entry_is_a_miss(
    bank_dir: Path, parses: list[str], _private_bank_cache: Path
) -> None:
    good = read_bank(bank_dir)
    [entry] = _entries(_private_bank_cache)
    entry.unlink()
    entry.mkdir()  # opening it for reading fails with an OSError
    assert read_bank(bank_dir) == good
    assert len(parses) == 2


@pytest.mark.parametrize("where", ["a file", "under a file"])
def test_an_unwritable_cache_directory_means_no_cache(
    bank_dir: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, parses: list[str], where: str
) -> None:
    blocker = tmp_path / "not-a-folder"
    blocker.write_text("x")
    cache_root = blocker if where == "a file" else blocker / "cache"
    monkeypatch.setenv(paths.CACHE_DIR_ENV, str(cache_root))
    expected = read_bank(bank_dir, use_cache=False)
    assert read_bank(bank_dir) == expected
    assert read_bank(bank_dir) == expected
    assert len(parses) == 3
    assert blocker.read_text() == "x"


def test_a_failed_write_leaves_no_temporary_file(
    bank_dir: Path, monkeypatch: pytest.MonkeyPatch, _private_bank_cache: Path
) -> None:
    def refuse(src: str, dst: str) -> None:
        raise PermissionError(13, "Permission denied")

    monkeypatch.setattr(os, "replace", refuse)
    result = read_bank(bank_dir)
    assert result == read_bank(bank_dir, use_cache=False)
    assert list((_private_bank_cache / cache.SUBDIR).iterdir()) == []


@pytest.mark.parametrize("value", ["0", "off", "FALSE", " no "])
def test_trainer_cache_0_turns_the_cache_off(
    bank_dir: Path,
    monkeypatch: pytest.MonkeyPatch,
    parses: list[str],
    _private_bank_cache: Path,
    value: str,
) -> None:
    monkeypatch.setenv(paths.CACHE_ENV, value)
    assert paths.cache_dir() is None
    first = read_bank(bank_dir)
    assert read_bank(bank_dir) == first
    assert len(parses) == 2
    assert _entries(_private_bank_cache) == []


def test_trainer_check_neither_reads_nor_writes_the_cache(
    bank_dir: Path, parses: list[str], _private_bank_cache: Path
) -> None:
    out = io.StringIO()
    assert run_check(bank_dir, as_json=False, out=out) == 0
    assert _entries(_private_bank_cache) == []
    load_bank(bank_dir)  # fills the cache
    again = io.StringIO()
    assert run_check(bank_dir, as_json=False, out=again) == 0
    assert again.getvalue() == out.getvalue()
    assert len(parses) == 3  # check, load (miss), check: check never takes a cached result


def test_a_different_loader_format_or_code_is_a_miss(
    bank_dir: Path, monkeypatch: pytest.MonkeyPatch, parses: list[str]
) -> None:
    read_bank(bank_dir)
    monkeypatch.setattr(cache, "FORMAT", cache.FORMAT + 1)
    read_bank(bank_dir)
    assert len(parses) == 2
    monkeypatch.setattr(cache, "code_fingerprint", lambda: b"other code")
    read_bank(bank_dir)
    assert len(parses) == 3
    monkeypatch.setattr(cache, "__version__", "99.0")
    read_bank(bank_dir)
    assert len(parses) == 4


def test_one_entry_per_bank_location_and_old_entries_are_pruned(
    bank_dir: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, _private_bank_cache: Path
) -> None:
    read_bank(bank_dir)
    _edit(bank_dir / "20-questions.toml", "difficulty = 2", "difficulty = 3")
    read_bank(bank_dir)
    [first] = _entries(_private_bank_cache)  # replaced, not added
    os.utime(first, (100_000, 100_000))
    monkeypatch.setattr(cache, "MAX_ENTRIES", 3)
    copies = [Path(shutil.copytree(bank_dir, tmp_path / f"copy-{i}")) for i in range(4)]
    for i, copy in enumerate(copies):
        read_bank(copy)
        entry = cache.entry_path(str(copy))
        assert entry is not None
        os.utime(entry, (1_000_000 + i, 1_000_000 + i))  # make the use order unambiguous
    kept = _entries(_private_bank_cache)
    assert kept == sorted(cache.entry_path(str(c)) for c in copies[1:])  # type: ignore[type-var]
    stale = _private_bank_cache / cache.SUBDIR / ".dead-writer.tmp"
    stale.write_bytes(b"half an entry")
    os.utime(stale, (1_000_000, 1_000_000))
    fresh = _private_bank_cache / cache.SUBDIR / ".live-writer.tmp"
    fresh.write_bytes(b"being written")
    cache.prune(_private_bank_cache / cache.SUBDIR)
    assert not stale.exists() and fresh.exists()


def test_a_bank_that_cannot_be_read_is_never_cached(
    tmp_path: Path, _private_bank_cache: Path, parses: list[str]
) -> None:
    missing = tmp_path / "nowhere"
    assert read_bank(missing) == read_bank(missing)
    empty = tmp_path / "empty-folder"
    empty.mkdir()
    assert read_bank(empty).errors
    assert _entries(_private_bank_cache) == []


class Planted:
    """A pickle that runs code when loaded: it writes a file, then builds a harmless dict."""

    def __init__(self, marker: Path) -> None:
        self.marker = marker

    def __reduce__(self) -> tuple[object, ...]:
        return (Path.write_text, (self.marker, "pwned"))


def test_a_planted_pickle_with_the_right_key_runs_nothing(
    bank_dir: Path, parses: list[str], _private_bank_cache: Path, tmp_path: Path
) -> None:
    good = read_bank(bank_dir)
    [entry] = _entries(_private_bank_cache)
    data = entry.read_bytes()
    marker = tmp_path / "pwned.txt"
    entry.write_bytes(data[: len(cache.MAGIC) + 32] + pickle.dumps(Planted(marker)))
    assert read_bank(bank_dir) == good
    assert not marker.exists()
    assert len(parses) == 2  # a miss: the entry is JSON or nothing
    assert entry.read_bytes()[len(cache.MAGIC) + 32 :].startswith(b"{")


def test_the_entries_folder_is_private_and_entries_are_0600(
    bank_dir: Path, _private_bank_cache: Path
) -> None:
    read_bank(bank_dir)
    folder = _private_bank_cache / cache.SUBDIR
    assert stat.S_IMODE(folder.stat().st_mode) == 0o700
    [entry] = _entries(_private_bank_cache)
    assert stat.S_IMODE(entry.stat().st_mode) == 0o600


@pytest.mark.parametrize("mode", [0o640, 0o604, 0o660, 0o666])
def test_an_entry_open_to_others_is_ignored(
    bank_dir: Path, parses: list[str], _private_bank_cache: Path, mode: int
) -> None:
    good = read_bank(bank_dir)
    [entry] = _entries(_private_bank_cache)
    entry.chmod(mode)
    assert read_bank(bank_dir) == good
    assert len(parses) == 2  # ignored, then rewritten privately
    assert stat.S_IMODE(entry.stat().st_mode) == 0o600
    read_bank(bank_dir)
    assert len(parses) == 2


@pytest.mark.parametrize("mode", [0o755, 0o770, 0o1777])
def test_an_entries_folder_of_ours_open_to_others_is_closed_again(
    bank_dir: Path, parses: list[str], _private_bank_cache: Path, mode: int
) -> None:
    read_bank(bank_dir)
    folder = _private_bank_cache / cache.SUBDIR
    folder.chmod(mode)
    read_bank(bank_dir)
    assert stat.S_IMODE(folder.stat().st_mode) == 0o700
    assert len(parses) == 1  # our own 0600 entry, still trusted


def test_old_pickle_entries_are_removed_never_read(
    bank_dir: Path, parses: list[str], _private_bank_cache: Path, tmp_path: Path
) -> None:
    read_bank(bank_dir)
    folder = _private_bank_cache / cache.SUBDIR
    marker = tmp_path / "pwned.txt"
    old = folder / "0123456789abcdef0123456789abcdef.pickle"
    old.write_bytes(pickle.dumps(Planted(marker)))
    _edit(bank_dir / "20-questions.toml", "difficulty = 2", "difficulty = 3")
    read_bank(bank_dir)  # a miss: writes, then prunes
    assert not old.exists() and not marker.exists()


def test_an_entries_folder_that_is_a_symlink_turns_the_cache_off(
    bank_dir: Path, parses: list[str], _private_bank_cache: Path, tmp_path: Path
) -> None:
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir(mode=0o700)
    (_private_bank_cache / cache.SUBDIR).symlink_to(elsewhere)
    read_bank(bank_dir)
    read_bank(bank_dir)
    assert len(parses) == 2
    assert list(elsewhere.iterdir()) == []


@pytest.mark.skipif(not hasattr(os, "getuid") or os.getuid() != 0, reason="needs root to chown")
@pytest.mark.parametrize("what", ["entry", "folder"])
def test_an_entry_or_folder_of_another_owner_is_ignored(
    bank_dir: Path, parses: list[str], _private_bank_cache: Path, what: str
) -> None:
    good = read_bank(bank_dir)
    [entry] = _entries(_private_bank_cache)
    os.chown(entry if what == "entry" else entry.parent, 65534, 65534)
    assert read_bank(bank_dir) == good
    assert len(parses) == 2


def test_relative_and_absolute_spellings_share_one_entry(
    bank_dir: Path, parses: list[str], _private_bank_cache: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    _edit(bank_dir / "20-questions.toml", 'id = "mini-q-order"', 'id = "mini-q-single"')
    monkeypatch.chdir(bank_dir.parent)
    relative = read_bank(Path("bank"))
    absolute = read_bank(bank_dir)
    monkeypatch.chdir(bank_dir)
    here = read_bank(Path("."))
    assert len(parses) == 1  # one parse, three spellings, two working folders
    assert len(_entries(_private_bank_cache)) == 1
    # each is what an uncached read shows from where it was made
    assert here == read_bank(Path("."), use_cache=False)
    monkeypatch.chdir(bank_dir.parent)
    assert relative == read_bank(Path("bank"), use_cache=False)
    assert absolute == read_bank(bank_dir, use_cache=False)
    assert any(p.path == "bank/20-questions.toml" for p in relative.errors)
    assert any(p.path == "20-questions.toml" for p in here.errors)


# ----------------------------------------------------------------------------- the stamp
# A warm start validates the entry by each file's stat (path, size, mtime, ctime, inode) and reads
# or hashes the files only when those differ.


@pytest.fixture
def hashes(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """The bank roots whose files were read and hashed into a cache key, in order."""
    seen: list[str] = []
    real = cache.key

    def counting(root: str, files: object) -> bytes:
        seen.append(root)
        return real(root, files)  # type: ignore[arg-type]

    monkeypatch.setattr(cache, "key", counting)
    return seen


@pytest.fixture
def reads(monkeypatch: pytest.MonkeyPatch) -> list[Path]:
    """The bank files whose bytes were read, in order."""
    seen: list[Path] = []
    real = loader.read_bytes

    def counting(path: Path, sink: object) -> bytes | None:
        seen.append(path)
        return real(path, sink)  # type: ignore[arg-type]

    monkeypatch.setattr(loader, "read_bytes", counting)
    return seen


def _age(folder: Path, seconds: float = 3600) -> None:
    """Date every file of the folder back (older than the stamp's racy window)."""
    for file in folder.iterdir():
        st = file.stat()
        os.utime(file, ns=(st.st_atime_ns, st.st_mtime_ns - int(seconds * 1e9)))


def _age_ctime(monkeypatch: pytest.MonkeyPatch, seconds: float = 3600) -> None:
    """The stamps see their clock ``seconds`` ahead: every file's ctime (which utime cannot set
    back) is then old enough for the stamp to vouch for it."""
    real = cache._now_ns
    monkeypatch.setattr(cache, "_now_ns", lambda: real() + int(seconds * 1e9))


def test_a_warm_start_neither_reads_nor_hashes_the_bank(
    bank_dir: Path,
    parses: list[str],
    hashes: list[str],
    reads: list[Path],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    _age(bank_dir)
    _age_ctime(monkeypatch)
    first = read_bank(bank_dir)
    assert (len(parses), len(hashes), len(reads)) == (1, 1, 2)
    assert read_bank(bank_dir) == first
    assert read_bank(bank_dir) == first
    assert (len(parses), len(hashes), len(reads)) == (1, 1, 2)  # no read, no hash since


def test_a_touched_file_is_read_and_hashed_again_then_the_stamp_is_renewed(
    bank_dir: Path,
    parses: list[str],
    hashes: list[str],
    reads: list[Path],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    _age(bank_dir, 7200)
    _age_ctime(monkeypatch)
    first = read_bank(bank_dir)
    os.utime(
        bank_dir / "20-questions.toml",
        ns=(0, (bank_dir / "20-questions.toml").stat().st_mtime_ns + 10**9),
    )
    assert read_bank(bank_dir) == first
    assert (len(parses), len(hashes), len(reads)) == (1, 2, 4)  # re-read and hashed: same bytes
    assert read_bank(bank_dir) == first
    assert (len(parses), len(hashes), len(reads)) == (1, 2, 4)  # the renewed stamp vouches


def test_an_edit_keeping_size_and_mtime_is_still_seen(
    bank_dir: Path, parses: list[str], hashes: list[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    _age(bank_dir)
    _age_ctime(monkeypatch)  # the edit's new ctime is then outside the racy window: stat decides
    read_bank(bank_dir)
    questions = bank_dir / "20-questions.toml"
    old = questions.stat()
    _edit(questions, "difficulty = 2", "difficulty = 3")
    os.utime(questions, ns=(old.st_atime_ns, old.st_mtime_ns))
    assert questions.stat().st_size == old.st_size
    after = read_bank(bank_dir)
    assert len(parses) == 2 and len(hashes) == 2
    assert after == read_bank(bank_dir, use_cache=False)


def test_files_changed_just_before_the_stamp_are_always_hashed(
    bank_dir: Path, parses: list[str], hashes: list[str]
) -> None:
    first = read_bank(bank_dir)  # the copies were just written: within the racy window
    assert read_bank(bank_dir) == first
    assert read_bank(bank_dir) == first
    assert len(parses) == 1
    assert len(hashes) == 3  # a hit each time, but by content


def test_a_stamp_never_vouches_across_a_loader_change(
    bank_dir: Path, parses: list[str], hashes: list[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    _age(bank_dir)
    _age_ctime(monkeypatch)
    read_bank(bank_dir)
    monkeypatch.setattr(cache, "FORMAT", cache.FORMAT + 1)
    read_bank(bank_dir)
    assert len(parses) == 2 and len(hashes) == 2


# ----------------------------------------------------------------------------- lazy questions
# A hit builds each question from the entry's index (id, objectives, retired) and decodes the rest
# of it from its own record the first time another field is read.


def test_a_hit_decodes_a_question_only_when_one_of_its_fields_is_read(
    bank_dir: Path, parses: list[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    parsed = read_bank(bank_dir, use_cache=False).bank
    read_bank(bank_dir)  # fills the cache
    decoded: list[int] = []
    real = cache.Records.question_fields

    def counting(self: cache.Records, index: int) -> dict[str, object]:
        decoded.append(index)
        return real(self, index)

    monkeypatch.setattr(cache.Records, "question_fields", counting)
    bank = read_bank(bank_dir).bank
    assert parsed is not None and bank is not None and len(parses) == 2
    assert [(q.id, q.objectives, q.retired) for q in bank.active_questions] == [
        (q.id, q.objectives, q.retired) for q in parsed.active_questions
    ]
    assert [bank.topic_of(q) for q in bank.questions] == [
        parsed.topic_of(q) for q in parsed.questions
    ]
    assert decoded == []  # what opening a bank and home need
    second = bank.questions[1]
    assert second.stem == parsed.questions[1].stem
    assert decoded == [1]
    assert (second.options, second.path, second.line) == (
        parsed.questions[1].options,
        parsed.questions[1].path,
        parsed.questions[1].line,
    )
    assert decoded == [1]  # decoded once, then read as a plain field
    for mine, theirs in zip(bank.questions, parsed.questions, strict=True):
        assert mine == theirs and theirs == mine and hash(mine) == hash(theirs)
        assert repr(mine) == repr(theirs)
        assert replace(mine, stem="x") == replace(theirs, stem="x")
    assert sorted(decoded) == list(range(len(parsed.questions)))


def test_a_record_damaged_in_place_is_a_miss(
    bank_dir: Path, parses: list[str], _private_bank_cache: Path
) -> None:
    good = read_bank(bank_dir)
    [entry] = _entries(_private_bank_cache)
    data = entry.read_bytes()
    at = data.rindex(b"mini-q-")  # in the last question's record: same length, another id
    entry.write_bytes(data[:at] + b"MINI" + data[at + 4 :])
    again = read_bank(bank_dir)
    assert again == good and len(parses) == 2  # the CRC saw it: parsed again
    assert again.bank is not None
    assert [q.stem for q in again.bank.questions] == [q.stem for q in good.bank.questions]  # type: ignore[union-attr]


def test_a_hit_in_a_fresh_process_imports_no_parser_and_decodes_no_question(
    bank_dir: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    _age(bank_dir)
    _age_ctime(monkeypatch)  # in this process: the entry's stamp then vouches for the files
    read_bank(bank_dir)  # fills the cache, stamped
    probe = (
        "import json, sys\n"
        "from pathlib import Path\n"
        "from trainer.bank import cache, load_bank\n"
        "decoded = []\n"
        "real = cache.Records.question_fields\n"
        "cache.Records.question_fields = lambda self, i: decoded.append(i) or real(self, i)\n"
        "bank, problems = load_bank(Path(sys.argv[1]))\n"
        "ids = [q.id for q in bank.active_questions]\n"
        "parsers = sorted(m for m in sys.modules if m in ('tomllib', 'tomli') or m in ("
        "'trainer.bank.lint', 'trainer.bank.cues', 'trainer.bank.items', 'trainer.bank.header',"
        " 'trainer.bank.crossref', 'trainer.bank.coverage'))\n"
        "print(json.dumps([len(ids), decoded, parsers]))\n"
    )
    env = dict(os.environ, PYTHONPATH=str(Path(__file__).resolve().parents[2]))
    out = subprocess.run(
        [sys.executable, "-c", probe, str(bank_dir)],
        capture_output=True,
        text=True,
        env=env,
        timeout=60,
        check=True,
    )
    assert json.loads(out.stdout) == [6, [], []]


def test_an_entry_of_the_previous_format_is_a_miss_and_is_rewritten(
    bank_dir: Path, monkeypatch: pytest.MonkeyPatch, parses: list[str], _private_bank_cache: Path
) -> None:
    """FORMAT 5 (the ids on one string, the entry mapped): a format-4 entry, its stamp
    current, is neither trusted nor decoded; the start parses and writes a format-5 entry."""
    assert cache.FORMAT == 5
    with monkeypatch.context() as m:
        m.setattr(cache, "FORMAT", 4)
        read_bank(bank_dir)
        read_bank(bank_dir)
    assert len(parses) == 1  # format 4 hit its own entry
    good = read_bank(bank_dir)
    assert len(parses) == 2
    [entry] = _entries(_private_bank_cache)
    assert b'"ids":"mini-q-' in entry.read_bytes()  # one string, one id per line
    assert read_bank(bank_dir) == good and len(parses) == 2


@pytest.mark.parametrize("ids", [["a", "b.c", "d"], ["a", "", "b"], ["x\ny", "z"], []])
def test_ids_on_one_string_or_as_a_list_read_back_the_same(ids: list[str]) -> None:
    """Ids are one string (one per line) when none is empty or holds a line break, else a
    list: either way the index gives back the same ids."""
    from types import SimpleNamespace

    questions: Any = [SimpleNamespace(id=i) for i in ids]  # only their ids are read
    stored = json.loads(json.dumps(cache._ids(questions)))
    assert isinstance(stored, str) == (all(ids) and not any("\n" in i for i in ids))
    raw = {"ids": stored, "objectives": ["o"] * len(ids), "retired": [], "ends": []}
    raw["ends"] = list(range(1, len(ids) + 1))
    lazy = cache._lazy_questions(raw, memoryview(b"x" * len(ids)), str)
    assert [q.id for q in lazy] == ids


def test_a_hits_objectives_hold_every_field_as_parsed(bank_dir: Path, parses: list[str]) -> None:
    """Objectives are rebuilt without their __init__ (quicker): each holds every field of
    Objective (one added to the model must be added to cache.decode too) and equals the
    parsed one."""
    from dataclasses import fields

    from trainer.bank.models import Objective

    good = read_bank(bank_dir)
    hit = read_bank(bank_dir)
    assert len(parses) == 1 and hit.bank is not None and good.bank is not None
    names = {f.name for f in fields(Objective)}
    for oid, o in hit.bank.objectives.items():
        assert set(vars(o)) == names
        assert o == good.bank.objectives[oid] and hash(o) == hash(good.bank.objectives[oid])
