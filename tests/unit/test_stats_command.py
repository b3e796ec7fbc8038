"""``trainer stats`` as a user runs it: a subprocess on a tmp database, text and --json."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from datetime import UTC, datetime
from pathlib import Path

sys.path.insert(0, str(Path(__file__).parent / "helpers"))
from engine_kit import MINI, Clock, answer, mini_bank, open_engine

from trainer.engine import Rating


def run(
    *args: str, cwd: Path, env: dict[str, str] | None = None
) -> subprocess.CompletedProcess[str]:
    full_env = {k: v for k, v in os.environ.items() if k not in ("TRAINER_DB", "TRAINER_BANK")}
    full_env.update(env or {})
    return subprocess.run(
        [sys.executable, "-m", "trainer", *args],
        cwd=cwd,
        env=full_env,
        capture_output=True,
        text=True,
        timeout=120,
    )


def _db_with_history(tmp_path: Path) -> Path:
    db = tmp_path / "t.db"
    engine = open_engine(mini_bank(), db, Clock(datetime.now(UTC)))
    answer(engine, "mini-q-single", Rating.GOOD)
    answer(engine, "mini-q-true-false", Rating.AGAIN)
    engine.close()
    return db


def test_stats_json_while_another_engine_has_the_db_open(tmp_path: Path) -> None:
    db = _db_with_history(tmp_path)
    ui = open_engine(mini_bank(), db, Clock(datetime.now(UTC)))  # "the UI", still open
    answer(ui, "mini-q-order", Rating.GOOD)
    ui.set_flag("mini-q-order", True)
    proc = run("stats", "--db", str(db), "--bank", str(MINI), "--json", cwd=tmp_path)
    ui.close()
    assert proc.returncode == 0, proc.stderr
    data = json.loads(proc.stdout)
    assert data["reviews"] == 3
    assert data["cards"] == {"new": 3, "learning": 3, "review": 0, "relearning": 0, "suspended": 0}
    assert data["due_now"] == 0
    assert set(data["by_topic"]) == {"procedure", "risks"}
    assert data["by_topic"]["procedure"]["cards"] == 4
    assert len(data["forecast"]) == 30 and data["forecast"][0] == 3
    assert data["streak"] == 1
    # mini-q-order's siblings (same objective) are buried for the day
    assert data["left_today"] == {"new": 0, "learning": 3, "review": 0}


def test_stats_text(tmp_path: Path) -> None:
    db = _db_with_history(tmp_path)
    proc = run("stats", "--db", str(db), "--bank", str(MINI), cwd=tmp_path)
    assert proc.returncode == 0, proc.stderr
    out = proc.stdout
    assert "Mini bank (mini): 6 cards" in out
    assert "New 4  Learning 2  Review 0" in out
    assert "Answers logged 2" in out
    assert "Left today: 2 new, 2 learning, 0 review" in out
    assert "Procedure" in out and "Risks" in out


def test_stats_uses_trainer_db_from_the_environment(tmp_path: Path) -> None:
    db = _db_with_history(tmp_path)
    proc = run("stats", "--bank", str(MINI), "--json", cwd=tmp_path, env={"TRAINER_DB": str(db)})
    assert proc.returncode == 0, proc.stderr
    assert json.loads(proc.stdout)["reviews"] == 2


def test_the_db_option_beats_trainer_db(tmp_path: Path) -> None:
    db = _db_with_history(tmp_path)
    other = tmp_path / "other.db"
    proc = run(
        "stats",
        "--db",
        str(db),
        "--bank",
        str(MINI),
        "--json",
        cwd=tmp_path,
        env={"TRAINER_DB": str(other)},
    )
    assert proc.returncode == 0, proc.stderr
    assert json.loads(proc.stdout)["reviews"] == 2
    assert not other.exists()


def test_stats_on_a_bad_database_is_one_clear_line(tmp_path: Path) -> None:
    bad = tmp_path / "t.db"
    bad.write_bytes(b"\x00garbage" * 100)
    before = bad.read_bytes()
    proc = run("stats", "--db", str(bad), "--bank", str(MINI), cwd=tmp_path)
    assert proc.returncode == 1
    assert "Traceback" not in proc.stderr
    assert f"{bad} is not a trainer database" in proc.stderr
    assert proc.stdout == ""
    assert bad.read_bytes() == before


def test_stats_on_a_bank_with_errors_prints_the_problems(tmp_path: Path) -> None:
    db = _db_with_history(tmp_path)
    before = db.read_bytes()
    broken = tmp_path / "bank.toml"
    broken.write_text('[bank]\nid = "x"\ntitle = \n')
    proc = run("stats", "--db", str(db), "--bank", str(broken), cwd=tmp_path)
    assert proc.returncode == 1
    assert "Traceback" not in proc.stderr
    assert "bank.toml" in proc.stderr and "error" in proc.stderr
    assert db.read_bytes() == before
