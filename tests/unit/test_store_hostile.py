"""Hostile environments for the review database: read-only, full, unenterable, odd -wal/-shm
files, several processes creating it at once. Always a TrainerDBError with an accurate sentence
(never "damaged" unless SQLite says so), never a raw sqlite3 or OS error, and nothing lost."""

from __future__ import annotations

import json
import os
import sqlite3
import subprocess
import sys
from concurrent.futures import ProcessPoolExecutor
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).parent / "helpers"))
sys.path.insert(0, str(Path(__file__).parents[1]))
from engine_kit import Clock, answer, mini_bank, open_engine
from hostile_fs import fill, read_only, small_disk

from trainer.engine import Engine, Rating, TrainerDBError
from trainer.engine.store import Store
from trainer.engine.store.errors import restore_advice

BANK = mini_bank()
ROOT = Path(__file__).resolve().parents[2]


def test_a_read_only_folder_opens_read_only_with_one_accurate_sentence(tmp_path: Path) -> None:
    folder = tmp_path / "ro"
    folder.mkdir()
    db = folder / "t.db"
    engine = open_engine(BANK, db)
    answer(engine, "mini-q-single", Rating.GOOD)
    engine.close()
    with read_only(folder):
        with pytest.raises(TrainerDBError) as err:
            Engine.open(BANK, db, clock=Clock())
        assert "damaged" not in str(err.value) and err.value.kind != "damaged"
        ro = Engine.open(BANK, db, clock=Clock(), read_only_fallback=True)
        assert ro.read_only is not None and "Nothing will be saved" in ro.read_only
        assert str(db) in ro.read_only and ro.read_only.count(". ") <= 2
        assert len(ro.history("mini-q-single")) == 1  # what was saved is there to browse
        answer(ro, "mini-q-true-false", Rating.GOOD)  # practice without saving works
        ro.close()
    check = open_engine(BANK, db)
    assert check.history("mini-q-true-false") == []  # ...and wrote nothing to the file
    assert len(check.history("mini-q-single")) == 1
    check.close()


def test_on_a_read_only_copy_each_engine_sees_the_others_changes(tmp_path: Path) -> None:
    # The app's engine and its worker twin share the copy's one connection; SQLite's
    # data_version ignores a connection's own commits, so neither cache used to see the other's
    # writes (home kept counting a card suspended in browse).
    folder = tmp_path / "ro"
    folder.mkdir()
    db = folder / "t.db"
    open_engine(BANK, db).close()
    with read_only(folder):
        ui = Engine.open(BANK, db, clock=Clock(), read_only_fallback=True)
        assert ui.read_only is not None
        worker = ui.twin()
        first = ui.next_question()
        assert first is not None
        before = ui.counts()
        worker.set_suspended(first.id, True)
        assert ui.counts().new == before.new - 1 == worker.counts().new
        after = ui.next_question()
        assert after is not None and after.id != first.id
        answer(ui, after.id, Rating.GOOD)
        assert worker.counts() == ui.counts()
        ui.close()


class _FullDisk:
    """A connection whose writes fail as SQLite fails on a full disk (where no tmpfs can be
    made): only the SQLite error is simulated, the rest is the real connection."""

    def __init__(self, conn: sqlite3.Connection) -> None:
        self._conn = conn

    def execute(self, sql: str, *args: object) -> sqlite3.Cursor:
        if sql.lstrip().upper().startswith(("INSERT", "UPDATE", "DELETE", "COMMIT")):
            err = sqlite3.OperationalError("database or disk is full")
            err.sqlite_errorcode = 13  # type: ignore[attr-defined]
            raise err
        return self._conn.execute(sql, *args)

    def __getattr__(self, name: str) -> object:
        return getattr(self._conn, name)


def test_a_full_disk_is_a_clear_retryable_error_and_keeps_every_earlier_answer(
    tmp_path: Path,
) -> None:
    folder = tmp_path / "disk"
    with small_disk(folder) as real:
        db = folder / "t.db"
        engine = open_engine(BANK, db)
        answer(engine, "mini-q-single", Rating.GOOD)
        if real:
            fill(folder)
        else:
            engine.store._conn = _FullDisk(engine.store._conn)  # type: ignore[assignment]
        with pytest.raises(TrainerDBError) as err:
            for qid in ("mini-q-true-false", "mini-q-multiple", "mini-q-order", "mini-q-cloze"):
                answer(engine, qid, Rating.GOOD)
        assert err.value.kind in ("full", "io") and err.value.retryable
        assert "full" in str(err.value) or "disk" in str(err.value)
        engine.close()
        if real:
            (folder / "filler").unlink()
        again = open_engine(BANK, db)
        assert len(again.history("mini-q-single")) == 1
        assert again.store.integrity_check() == "ok"
        again.close()


def test_a_full_disk_found_at_start_opens_read_only(tmp_path: Path) -> None:
    folder = tmp_path / "disk"
    with small_disk(folder) as real:
        if not real:
            pytest.skip("no tmpfs here (the simulated case is covered above)")
        db = folder / "t.db"
        open_engine(BANK, db).close()
        fill(folder)
        ro = Engine.open(BANK, db, clock=Clock(), read_only_fallback=True)
        assert ro.read_only is not None and "full" in ro.read_only
        ro.close()


def test_odd_wal_and_shm_files_are_not_called_damaged(tmp_path: Path) -> None:
    db = tmp_path / "t.db"
    open_engine(BANK, db).close()
    (tmp_path / "t.db-wal").mkdir()
    with pytest.raises(TrainerDBError) as err:
        Engine.open(BANK, db, clock=Clock())
    assert err.value.kind != "damaged" and "damaged" not in str(err.value)
    assert "t.db-wal" in str(err.value)


def test_the_restore_advice_names_every_file_to_move() -> None:
    advice = restore_advice(Path("/x/trainer.db"))
    for name in ("trainer.db,", "trainer.db-wal", "trainer.db-shm", "trainer.db.bak-"):
        assert name in advice


def test_a_backup_before_a_migration_is_written_whole_under_its_final_name(
    tmp_path: Path,
) -> None:
    db = tmp_path / "t.db"
    Store.open(db, now=Clock()(), target_version=3).close()
    store = Store.open(db, now=Clock()())
    assert store.backup is not None and store.backup.is_file()
    assert not list(tmp_path.glob("*.part*"))
    conn = sqlite3.connect(store.backup)
    assert conn.execute("PRAGMA user_version").fetchone()[0] == 3
    conn.close()
    store.close()


def _open_new(path: str) -> str:
    try:
        Store.open(Path(path), now=Clock()()).close()
        return "ok"
    except TrainerDBError as exc:
        return str(exc)


def test_several_processes_creating_one_database_at_once_all_succeed(tmp_path: Path) -> None:
    with ProcessPoolExecutor(4) as pool:
        for run in range(8):
            db = tmp_path / f"race-{run}.db"
            results = list(pool.map(_open_new, [str(db)] * 4))
            assert results == ["ok"] * 4, results
    assert not list(tmp_path.glob(".*.new-*"))  # no temporary file left behind


@pytest.mark.skipif(os.geteuid() != 0 or not Path("/usr/bin/setpriv").exists(), reason="root")
def test_a_folder_the_user_cannot_enter_is_one_sentence_not_a_traceback(tmp_path: Path) -> None:
    """Run as nobody (root enters every folder): the engine opens read-only with an empty
    history, and ``trainer stats`` exits 1 with one line."""
    folder = tmp_path / "locked"
    folder.mkdir()
    tmp_path.chmod(0o755)
    folder.chmod(0o700)  # root's: nobody cannot enter it
    db = folder / "t.db"
    script = (
        "import json, sys\n"
        "from pathlib import Path\n"
        "from trainer.bank import load_bank\n"
        "from trainer.engine import Engine, TrainerDBError\n"
        f"bank, _ = load_bank(Path({str(ROOT / 'tests/data/mini')!r}))\n"
        "out = {}\n"
        "try:\n"
        f"    Engine.open(bank, Path({str(db)!r}))\n"
        "except TrainerDBError as exc:\n"
        "    out['plain'] = str(exc)\n"
        f"e = Engine.open(bank, Path({str(db)!r}), read_only_fallback=True)\n"
        "out['read_only'] = e.read_only\n"
        "print(json.dumps(out))\n"
    )
    env = {**os.environ, "PYTHONPATH": str(ROOT), "HOME": "/tmp", "TRAINER_CACHE": "0"}
    nobody = ["setpriv", "--reuid=65534", "--regid=65534", "--clear-groups"]
    probe = subprocess.run(
        [*nobody, sys.executable, "-c", "import fsrs, trainer.engine"],
        capture_output=True,
        env=env,
        cwd="/tmp",
        timeout=60,
        check=False,
    )
    if probe.returncode != 0:  # the interpreter or the checkout is in a folder only root reads
        pytest.skip("user nobody cannot run this Python with trainer and its dependencies")
    done = subprocess.run(
        [*nobody, sys.executable, "-c", script],
        capture_output=True,
        text=True,
        env=env,
        cwd="/tmp",
        timeout=60,
        check=False,
    )
    assert done.returncode == 0, done.stderr
    out = json.loads(done.stdout)
    assert "permission denied" in out["plain"] and str(folder) in out["plain"]
    assert out["read_only"] and "Nothing will be saved" in out["read_only"]
    stats = subprocess.run(
        [
            *nobody,
            sys.executable,
            "-m",
            "trainer",
            "stats",
            "--db",
            str(db),
            "--bank",
            str(ROOT / "tests/data/mini"),
        ],
        capture_output=True,
        text=True,
        env=env,
        cwd="/tmp",
        timeout=60,
        check=False,
    )
    assert stats.returncode == 1
    assert "Traceback" not in stats.stderr and len(stats.stderr.strip().splitlines()) == 1


@pytest.mark.parametrize(
    ("sql", "call"),
    [
        ("UPDATE cards SET due = 9223372036854775807, state = 'review'", "stats"),
        ("UPDATE cards SET due = -9223372036854775808, state = 'review'", "counts"),
        ("UPDATE cards SET due = 'tomorrow', state = 'review'", "counts"),
        ("UPDATE cards SET stability = 'x', state = 'review'", "counts"),
        ("UPDATE cards SET stability = -1e308, state = 'review'", "stats"),
        ("UPDATE cards SET state = 'learning', step = NULL", "counts"),
        ("UPDATE revlog SET time = 9223372036854775807", "counts"),
        ("UPDATE revlog SET flags = 15", "counts"),  # mode code 3: no such mode
        ("UPDATE exam_results SET by_topic = 'zzz'", "exam_results"),
    ],
)
def test_values_no_trainer_writes_are_a_clear_error_not_a_raw_exception(
    tmp_path: Path, sql: str, call: str
) -> None:
    db = tmp_path / "t.db"
    engine = open_engine(BANK, db)
    answer(engine, "mini-q-single", Rating.GOOD)
    from trainer.engine import ExamResult

    engine.record_exam(ExamResult(Clock()(), Clock()(), 1, ("mini-q-single",), (), {"x": (0, 1)}))
    engine.close()
    con = sqlite3.connect(db)
    con.execute(sql)
    con.commit()
    con.close()
    with pytest.raises(TrainerDBError) as err:
        engine = open_engine(BANK, db)
        getattr(engine, call)()
    assert err.value.kind == "damaged" and "edited or is damaged" in str(err.value)
