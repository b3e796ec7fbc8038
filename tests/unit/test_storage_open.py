"""Opening the database: pragmas, schema, migrations with backup, and refusing what is not ours."""

from __future__ import annotations

import hashlib
import os
import sqlite3
import sys
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).parent / "helpers"))
from engine_kit import T0, Clock, answer, make_bank, open_engine

from trainer.engine import TrainerDBError
from trainer.engine.store import Store
from trainer.engine.store.schema import APPLICATION_ID, LATEST_VERSION

BANK = make_bank({"t": {"o": 2}})


def digest(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def test_new_database_settings(tmp_path: Path) -> None:
    db = tmp_path / "deep" / "er" / "trainer.db"
    engine = open_engine(BANK, db)
    s = engine.store
    assert db.is_file()
    assert s.pragma("journal_mode") == "wal"
    assert s.pragma("foreign_keys") == 1
    assert s.pragma("busy_timeout") == 250
    assert s.pragma("synchronous") == 2  # FULL
    assert s.pragma("application_id") == APPLICATION_ID
    assert s.pragma("user_version") == LATEST_VERSION
    engine.close()
    # and it opens again, unchanged in version, with no backup
    again = open_engine(BANK, db)
    assert again.store.backup is None
    assert again.sync_report.added == 0
    again.close()
    assert not list(db.parent.glob("*.bak-*"))


def test_due_query_uses_the_due_index(tmp_path: Path) -> None:
    engine = open_engine(BANK, tmp_path / "t.db")
    plan = " ".join(engine.store.due_query_plan(BANK.id, T0))
    engine.close()
    assert "USING INDEX cards_due" in plan
    assert "SCAN cards" not in plan


def test_migrating_an_old_database_backs_it_up_first(tmp_path: Path) -> None:
    db = tmp_path / "trainer.db"
    old = Store.open(db, now=T0, target_version=1)
    assert old.pragma("user_version") == 1
    old.close()
    # put some history in it with the version-1 schema (cards and the log exist at v1)
    conn = sqlite3.connect(db)
    conn.execute("INSERT INTO cards (bank_id, question_id, created) VALUES ('b', 'o-1', 0)")
    conn.execute("INSERT INTO settings VALUES ('theme', 'dark')")
    conn.commit()
    conn.close()
    before = digest(db)

    engine = open_engine(BANK, db, Clock(T0))
    backup = engine.store.backup
    assert backup == tmp_path / "trainer.db.bak-20261126T100000Z"
    assert engine.store.pragma("user_version") == LATEST_VERSION
    assert engine.get_setting("theme") == "dark"
    assert engine.sync_report.added == 1  # o-1 was already there
    engine.close()

    assert backup is not None and backup.is_file()
    b = sqlite3.connect(backup)
    assert b.execute("PRAGMA user_version").fetchone()[0] == 1
    assert b.execute("SELECT question_id FROM cards").fetchall() == [("o-1",)]
    b.close()
    assert digest(db) != before  # the original was migrated in place


def test_second_backup_in_the_same_second_gets_its_own_name(tmp_path: Path) -> None:
    for n in range(2):
        db = tmp_path / "trainer.db"
        if db.exists():
            db.unlink()
        Store.open(db, now=T0, target_version=1).close()
        open_engine(BANK, db, Clock(T0)).close()
        assert len(list(tmp_path.glob("trainer.db.bak-*"))) == n + 1


def _sqlite_file(path: Path, *sql: str) -> Path:
    conn = sqlite3.connect(path)
    for s in sql:
        conn.execute(s)
    conn.commit()
    conn.close()
    return path


def _valid_db(tmp_path: Path) -> Path:
    db = tmp_path / "valid.db"
    engine = open_engine(BANK, db)
    answer(engine, "o-1")
    engine.close()
    return db


def _truncated(tmp_path: Path) -> Path:
    src = _valid_db(tmp_path)
    data = src.read_bytes()
    bad = tmp_path / "truncated.db"
    bad.write_bytes(data[: len(data) // 2])
    return bad


def _header_only(tmp_path: Path) -> Path:
    bad = tmp_path / "short.db"
    bad.write_bytes(_valid_db(tmp_path).read_bytes()[:60])
    return bad


def _garbage(tmp_path: Path) -> Path:
    bad = tmp_path / "garbage.db"
    bad.write_bytes(bytes(range(256)) * 40)
    return bad


def _text(tmp_path: Path) -> Path:
    bad = tmp_path / "notes.db"
    bad.write_text("these are my notes, not a database\n")
    return bad


def _other_app(tmp_path: Path) -> Path:
    return _sqlite_file(tmp_path / "other.db", "CREATE TABLE contacts (name TEXT)")


def _anki(tmp_path: Path) -> Path:
    """Like an Anki collection: its tables, in WAL mode, with an index in a collation only Anki
    defines (opening it read "no such collation sequence: unicase")."""
    db = tmp_path / "collection.anki2"
    conn = sqlite3.connect(db)
    conn.create_collation("unicase", lambda a, b: (a.lower() > b.lower()) - (a.lower() < b.lower()))
    conn.execute("PRAGMA journal_mode = WAL")
    for table in ("col", "notes", "cards", "decks"):
        conn.execute(f"CREATE TABLE {table} (id INTEGER PRIMARY KEY, name TEXT)")
    conn.execute("CREATE INDEX ix_decks ON decks (name COLLATE unicase)")
    conn.execute("INSERT INTO decks (name) VALUES ('Default')")
    conn.commit()
    conn.close()
    return db


def _other_app_id(tmp_path: Path) -> Path:
    return _sqlite_file(
        tmp_path / "otherid.db", "PRAGMA application_id = 1234", "CREATE TABLE x (y)"
    )


def _newer(tmp_path: Path) -> Path:
    db = _valid_db(tmp_path)
    _sqlite_file(db, f"PRAGMA user_version = {LATEST_VERSION + 5}")
    return db


def _corrupt_page(tmp_path: Path) -> Path:
    db = _valid_db(tmp_path)
    data = bytearray(db.read_bytes())
    page = int.from_bytes(data[16:18], "big")
    data[page + 8 : 2 * page] = b"\xa5" * (page - 8)  # scribble over page 2
    db.write_bytes(bytes(data))
    return db


@pytest.mark.parametrize(
    ("make", "message"),
    [
        (_garbage, "not an SQLite database"),
        (_text, "not an SQLite database"),
        (_header_only, "truncated"),
        (_truncated, "truncated"),
        (_other_app, "another application's tables"),
        (_anki, "looks like an Anki collection"),
        (_other_app_id, "belongs to another application"),
        (_newer, "newer version of trainer"),
        (_corrupt_page, "damaged"),
    ],
)
def test_foreign_or_damaged_files_are_refused_untouched(
    tmp_path: Path, make: object, message: str
) -> None:
    bad = make(tmp_path)  # type: ignore[operator]
    before = digest(bad)
    siblings_before = sorted(p.name for p in tmp_path.iterdir())
    with pytest.raises(TrainerDBError, match=message) as info:
        open_engine(BANK, bad)
    assert str(bad) in str(info.value)
    assert digest(bad) == before
    assert not list(tmp_path.glob("*.bak-*"))
    # Nothing new beside it, except that SQLite's read-only look at a WAL-mode file leaves an
    # empty -wal and a -shm: no data was written. They are not removed: another program may
    # open the file meanwhile and be using them (removing them can lose its commits).
    extra = set(p.name for p in tmp_path.iterdir()) - set(siblings_before)
    assert extra <= {bad.name + "-wal", bad.name + "-shm"}
    wal = bad.with_name(bad.name + "-wal")
    assert not wal.exists() or wal.stat().st_size == 0


def test_an_empty_file_becomes_a_new_database(tmp_path: Path) -> None:
    db = tmp_path / "empty.db"
    db.touch()
    engine = open_engine(BANK, db)
    assert engine.sync_report.added == 2
    engine.close()


def test_an_empty_sqlite_database_becomes_a_trainer_database(tmp_path: Path) -> None:
    db = _sqlite_file(tmp_path / "blank.db", "PRAGMA user_version = 0")
    sqlite3.connect(db).execute("VACUUM").connection.close()
    engine = open_engine(BANK, db)
    assert engine.store.pragma("application_id") == APPLICATION_ID
    engine.close()


def test_a_directory_is_not_a_database(tmp_path: Path) -> None:
    with pytest.raises(TrainerDBError, match="not a file"):
        open_engine(BANK, tmp_path)


@pytest.mark.skipif(os.geteuid() == 0, reason="root can write anywhere")
def test_an_unwritable_place_is_a_clear_error(tmp_path: Path) -> None:
    ro = tmp_path / "ro"
    ro.mkdir()
    ro.chmod(0o500)
    try:
        with pytest.raises(TrainerDBError, match="ro"):
            open_engine(BANK, ro / "sub" / "t.db")
    finally:
        ro.chmod(0o700)


def test_a_file_in_the_way_of_the_folder_is_a_clear_error(tmp_path: Path) -> None:
    blocker = tmp_path / "data"
    blocker.write_text("not a folder")
    with pytest.raises(TrainerDBError, match="Cannot create the folder"):
        open_engine(BANK, blocker / "trainer.db")
    assert blocker.read_text() == "not a folder"


def _other_app_version_only(tmp_path: Path) -> Path:
    # Another program's SQLite file that so far only stamped its own schema version.
    return _sqlite_file(tmp_path / "versioned.db", "PRAGMA user_version = 7")


def _other_app_views_only(tmp_path: Path) -> Path:
    return _sqlite_file(tmp_path / "views.db", "CREATE VIEW v AS SELECT 1 AS one")


@pytest.mark.parametrize("make", [_other_app_version_only, _other_app_views_only])
def test_a_foreign_file_without_tables_is_refused_untouched(tmp_path: Path, make: object) -> None:
    bad = make(tmp_path)  # type: ignore[operator]
    before = digest(bad)
    with pytest.raises(TrainerDBError, match="not a trainer database") as info:
        open_engine(BANK, bad)
    assert str(bad) in str(info.value)
    assert digest(bad) == before


def _crash_image_mid_checkpoint(tmp_path: Path) -> Path:
    """A database as a crash in the middle of a WAL checkpoint leaves it: page 1 (with the new,
    larger page count) already copied into the main file, the later pages only in the WAL."""
    db = _valid_db(tmp_path)
    conn = sqlite3.connect(db, isolation_level=None)
    conn.execute("PRAGMA wal_autocheckpoint = 0")
    conn.execute("BEGIN")
    for i in range(500):
        conn.execute("INSERT INTO settings VALUES (?, ?)", (f"k{i}", "x" * 200))
    conn.execute("COMMIT")
    crash = tmp_path / "crash.db"
    crash.write_bytes(db.read_bytes())  # copied while the WAL still holds the new pages
    wal = Path(f"{db}-wal").read_bytes()
    Path(f"{crash}-wal").write_bytes(wal)
    conn.close()
    main = bytearray(crash.read_bytes())
    page = int.from_bytes(main[16:18], "big")
    frames = range(32, len(wal) - page - 23, 24 + page)
    page_one = [wal[f + 24 : f + 24 + page] for f in frames if wal[f : f + 4] == b"\0\0\0\1"]
    main[:page] = page_one[-1]
    crash.write_bytes(bytes(main))
    assert int.from_bytes(main[28:32], "big") * page > len(main)  # the header runs ahead
    return crash


def test_a_crash_during_a_checkpoint_is_recovered_not_refused(tmp_path: Path) -> None:
    crash = _crash_image_mid_checkpoint(tmp_path)
    engine = open_engine(BANK, crash)
    assert engine.get_setting("k499") == "x" * 200
    assert engine.history("o-1")  # the answer made before the crash is there
    assert engine.store.integrity_check() == "ok"
    engine.close()


def test_a_truncated_file_with_a_stray_log_is_still_refused_untouched(tmp_path: Path) -> None:
    bad = _truncated(tmp_path)
    stray = Path(f"{bad}-wal")
    stray.write_bytes(b"\xa5" * 5000)  # not a log SQLite can use: it does not hold the lost pages
    before, stray_before = digest(bad), digest(stray)
    with pytest.raises(TrainerDBError, match="damaged") as info:
        open_engine(BANK, bad)
    assert str(bad) in str(info.value)
    assert (digest(bad), digest(stray)) == (before, stray_before)
