"""A database the engine cannot use is refused with a clear message and left exactly as it was.

Kinds: truncated (inside the header, to one page, to half), random bytes, another SQLite
application's file (without and with a user_version), and our own schema from a newer version
(PRAGMA user_version above ours). For each: ``Engine.open`` raises TrainerDBError naming the file;
``trainer stats --db`` exits 1 with the message and no traceback; the file's bytes (sha256) and the
folder's contents (no journal or WAL left behind) are unchanged.
"""

from __future__ import annotations

import hashlib
import random
import shutil
import sqlite3
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path

import pytest
from childproc import REPO, child_env, respond

from trainer.bank import load_bank
from trainer.bank.models import Bank
from trainer.engine import Engine, Rating, TrainerDBError


def sha256(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def _bank(mini: Path) -> Bank:
    bank, problems = load_bank(mini)
    assert bank is not None, problems
    return bank


@pytest.fixture(scope="module")
def good_db(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A real database with a few answers, made by the engine."""
    from childproc import MINI

    db = tmp_path_factory.mktemp("good") / "reviews.db"
    engine = Engine.open(_bank(MINI), db)
    try:
        for _ in range(4):
            q = engine.next_question()
            assert q is not None
            engine.answer(q.id, Rating.GOOD, response=respond(q, True), duration_ms=1000)
    finally:
        engine.close()
    # Fold any WAL back into the main file so one file is the whole database.
    con = sqlite3.connect(db)
    con.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    con.execute("PRAGMA journal_mode=DELETE")
    con.close()
    return db


def _truncate(size: Callable[[int], int]) -> Callable[[Path, Path], None]:
    def make(good: Path, out: Path) -> None:
        data = good.read_bytes()
        out.write_bytes(data[: size(len(data))])

    return make


def _random_bytes(good: Path, out: Path) -> None:
    out.write_bytes(random.Random(7).randbytes(16384))


def _foreign(user_version: int) -> Callable[[Path, Path], None]:
    def make(good: Path, out: Path) -> None:
        con = sqlite3.connect(out)
        con.execute("CREATE TABLE moz_places (id INTEGER PRIMARY KEY, url TEXT, title TEXT)")
        con.executemany(
            "INSERT INTO moz_places (url, title) VALUES (?, ?)",
            [(f"https://example.org/{i}", f"page {i}") for i in range(200)],
        )
        con.execute(f"PRAGMA user_version = {user_version}")
        con.commit()
        con.close()

    return make


def _newer(good: Path, out: Path) -> None:
    shutil.copyfile(good, out)
    con = sqlite3.connect(out)
    (ours,) = con.execute("PRAGMA user_version").fetchone()
    assert ours >= 1, "the engine should version its schema with PRAGMA user_version"
    con.execute(f"PRAGMA user_version = {ours + 1}")
    con.commit()
    con.close()


KINDS: dict[str, Callable[[Path, Path], None]] = {
    "truncated-header": _truncate(lambda n: 50),
    "truncated-one-page": _truncate(lambda n: 4096),
    "truncated-half": _truncate(lambda n: n // 2),
    "random-bytes": _random_bytes,
    "foreign-sqlite": _foreign(0),
    "foreign-sqlite-versioned": _foreign(1),
    "newer-schema": _newer,
}


@pytest.mark.parametrize("kind", list(KINDS))
def test_unusable_database_is_refused_and_untouched(
    kind: str, good_db: Path, tmp_path: Path, mini_bank_path: Path
) -> None:
    db = tmp_path / f"{kind}.db"
    KINDS[kind](good_db, db)
    before = sha256(db)
    listing = sorted(p.name for p in tmp_path.iterdir())

    with pytest.raises(TrainerDBError) as info:
        Engine.open(_bank(mini_bank_path), db)
    message = str(info.value)
    assert db.name in message, message
    assert sha256(db) == before
    assert sorted(p.name for p in tmp_path.iterdir()) == listing

    proc = subprocess.run(
        [sys.executable, "-m", "trainer", "stats", "--db", str(db), "--bank", str(mini_bank_path)],
        capture_output=True,
        text=True,
        timeout=60,
        env=child_env(),
        cwd=str(REPO),
    )
    out = proc.stdout + proc.stderr
    assert proc.returncode == 1, out
    assert db.name in out, out
    assert "Traceback" not in out, out
    assert sha256(db) == before
    assert sorted(p.name for p in tmp_path.iterdir()) == listing
