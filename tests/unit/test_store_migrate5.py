"""Schema 4 -> 5 (the compact review log): a schema-4 database with a varied history
(tests/data/v4/history.db, made by the schema-4 code: study, practice, exam, undo, rerate,
override, suspension, reset, import, non-ASCII answers, a DST change) is migrated when opened,
after a backup; every review and every figure derived from it (statistics, history, export CSV,
undo, replay) is what the schema-4 code computed (tests/data/v4/golden.json)."""

from __future__ import annotations

import importlib.util
import json
import shutil
import sqlite3
import sys
from dataclasses import asdict
from datetime import timedelta
from pathlib import Path
from typing import Any

import pytest

sys.path.insert(0, str(Path(__file__).parent / "helpers"))
from engine_kit import Clock, mini_bank, open_engine

from trainer.engine.errors import TrainerDBError
from trainer.engine.replay import recompute
from trainer.engine.store import Store, schema
from trainer.engine.store.codec import SNAPSHOT_COLUMNS, snapshot_columns, unpack_flags

V4 = Path(__file__).resolve().parents[1] / "data" / "v4"
GOLDEN: dict[str, Any] = json.loads((V4 / "golden.json").read_text(encoding="utf-8"))


def _make_v4() -> Any:
    spec = importlib.util.spec_from_file_location("make_v4", V4 / "make_v4.py")
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


MAKE_V4 = _make_v4()
CLOCK_AT = MAKE_V4.END + timedelta(hours=2)


def _normal(x: Any) -> Any:
    """As golden.json holds it (JSON: tuples as lists, keys as strings, dates as text)."""
    return json.loads(json.dumps(x, sort_keys=True, default=str))


@pytest.fixture
def db(tmp_path: Path) -> Path:
    path = tmp_path / "trainer.db"
    shutil.copy(V4 / "history.db", path)
    return path


def _open(db: Path, **kw: Any) -> Any:
    return open_engine(mini_bank(), db, Clock(CLOCK_AT), seed=11, enable_fuzzing=True, **kw)


def _rows(db: Path) -> list[dict[str, Any]]:
    """Every log entry decoded, as the schema-4 rows of golden.json."""
    con = sqlite3.connect(db)
    con.row_factory = sqlite3.Row
    out = []
    for r in con.execute(
        "SELECT v.*, l.flags, " + ", ".join(f"l.{c}" for c in SNAPSHOT_COLUMNS) + " "
        "FROM review_log v JOIN revlog l ON l.id = v.id ORDER BY v.id"
    ):
        d = dict(r)
        snap = snapshot_columns(unpack_flags(d.pop("flags")), [d.pop(c) for c in SNAPSHOT_COLUMNS])
        d["card_before"] = snap if snap is not None else {}
        out.append(d)
    con.close()
    return out


def test_every_review_and_every_figure_is_the_same_after_the_migration(db: Path) -> None:
    engine = _open(db)
    try:
        assert engine.store.pragma("user_version") == 5
        backup = engine.store.backup
        assert backup is not None and backup.is_file()
        assert _normal(_rows(db)) == GOLDEN["rows"]
        assert _normal(MAKE_V4.figures(engine)) == GOLDEN["figures"]
        assert engine.store.counters_match_log()
        assert engine.store.pragma("freelist_count") == 0  # the old log's pages given back
    finally:
        engine.close()
    old = sqlite3.connect(backup)  # the backup is the schema-4 database as it was
    try:
        assert old.execute("PRAGMA user_version").fetchone()[0] == 4
        n = old.execute("SELECT count(*) FROM review_log").fetchone()[0]
        assert n == len(GOLDEN["rows"]) > 200
    finally:
        old.close()


def test_undo_after_the_migration_restores_what_the_schema_4_code_restored(db: Path) -> None:
    engine = _open(db)
    try:
        undone = []
        for log_id in sorted({r["card_id"]: r["id"] for r in GOLDEN["rows"]}.items()):
            qid = engine.undo_entry(log_id[1])
            info = asdict(engine.card_info(qid)) if qid else None
            if info is not None and info["due"] is not None:
                info["due"] = info["due"].isoformat()
            undone.append([log_id[1], qid, info])
        assert _normal(undone) == GOLDEN["undone"]
        assert _normal(MAKE_V4.figures(engine)) == GOLDEN["after_undo"]
        assert engine.store.counters_match_log()
    finally:
        engine.close()


def test_replay_after_the_migration_gives_what_the_schema_4_code_gave(db: Path) -> None:
    engine = _open(db, desired_retention=0.8)
    try:
        assert recompute(engine) == GOLDEN["recomputed"]
        assert _normal(MAKE_V4.figures(engine)) == GOLDEN["after_recompute"]
        assert engine.store.counters_match_log()
    finally:
        engine.close()


def test_log_ids_are_never_reused_after_the_migration(db: Path) -> None:
    con = sqlite3.connect(db)
    seq = con.execute("SELECT seq FROM sqlite_sequence WHERE name = 'review_log'").fetchone()[0]
    con.execute("DELETE FROM review_log WHERE id = ?", (seq,))  # as an undo of the last answer
    con.commit()
    con.close()
    engine = _open(db)
    try:
        new_id = engine.answer("mini-q-recall", 3, response=None, duration_ms=1)  # type: ignore[arg-type]
        assert new_id == seq + 1
    finally:
        engine.close()


def test_a_migration_that_fails_midway_changes_nothing(
    db: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    before = sqlite3.connect(db)
    rows = before.execute("SELECT * FROM review_log ORDER BY id").fetchall()
    before.close()
    real = schema._v4_row
    seen = [0]

    def failing(r: tuple[object, ...]) -> tuple[object, ...]:
        seen[0] += 1
        if seen[0] > 150:
            raise sqlite3.OperationalError("disk I/O error")
        return real(r)

    monkeypatch.setattr(schema, "_v4_row", failing)
    with pytest.raises(TrainerDBError):
        Store.open(db, now=CLOCK_AT).close()
    monkeypatch.undo()
    after = sqlite3.connect(db)
    try:
        assert after.execute("PRAGMA user_version").fetchone()[0] == 4
        assert after.execute("SELECT * FROM review_log ORDER BY id").fetchall() == rows
        names = {r[0] for r in after.execute("SELECT name FROM sqlite_master")}
        assert not names & {"revlog", "card_counts", "log_hours"}
    finally:
        after.close()
    engine = _open(db)  # and the next open migrates it
    try:
        assert engine.store.log_count(engine.bank.id) == len(rows)
    finally:
        engine.close()


def test_the_command_line_says_so_before_an_upgrade_and_only_then(db: Path) -> None:
    # A long history can take a minute to migrate (the backup, the copy): the trainee is told
    # first, on stderr, once; the next run says nothing of it.
    import subprocess

    root = Path(__file__).resolve().parents[2]
    cmd = [sys.executable, "-m", "trainer", "stats", "--bank", str(root / "tests/data/mini")]
    cmd += ["--db", str(db)]
    env = {"PYTHONPATH": str(root), "PATH": "/usr/bin:/bin", "TRAINER_CACHE": "0"}
    first = subprocess.run(cmd, capture_output=True, text=True, env=env, check=False)
    assert first.returncode == 0, first.stderr
    assert first.stderr.count("upgrading the review database") == 1
    assert str(db) in first.stderr and "backup" in first.stderr
    again = subprocess.run(cmd, capture_output=True, text=True, env=env, check=False)
    assert again.returncode == 0 and "upgrading" not in again.stderr
