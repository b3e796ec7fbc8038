"""Fixtures for the UI tests: the mini bank, a fixed clock, a seeded app on a real SQLite file."""

from __future__ import annotations

import sqlite3
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

from trainer.bank import load_bank
from trainer.bank.models import Bank
from trainer.config import load_config
from trainer.tui import dbwork
from trainer.tui.app import TrainerApp
from trainer.tui.run import make_app

START = datetime(2026, 11, 26, 10, 0, tzinfo=UTC)
SEED = 7


@dataclass
class Clock:
    """A clock the test moves by hand."""

    now: datetime = START

    def __call__(self) -> datetime:
        return self.now

    def advance(self, delta: timedelta) -> None:
        self.now += delta


@pytest.fixture(autouse=True)
def _no_busy_notice_in_snapshots(
    request: pytest.FixtureRequest, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Snapshots show screens, not the database's speed: on a loaded machine a save could pass
    BUSY_AFTER and put the "database is busy" notice in the picture. Its own tests
    (test_resilience.py) keep the real delay."""
    if request.module.__name__.rpartition(".")[2].startswith("test_snapshots"):
        monkeypatch.setattr(dbwork, "BUSY_AFTER", 60.0)


@pytest.fixture
def mini_bank(mini_bank_path: Path) -> Bank:
    bank, problems = load_bank(mini_bank_path)
    assert bank is not None, [p.format() for p in problems]
    return bank


@pytest.fixture
def clock() -> Clock:
    return Clock()


@pytest.fixture
def db_path(tmp_path: Path) -> Path:
    return tmp_path / "trainer.db"


AppFactory = Callable[..., TrainerApp]


@pytest.fixture
def new_app(mini_bank: Bank, db_path: Path, clock: Clock, tmp_path: Path) -> AppFactory:
    """Build a fresh app on the same database and config file (call again for a 'restart')."""

    def factory(bank: Bank | None = None) -> TrainerApp:
        return make_app(
            bank or mini_bank,
            db_path,
            clock=clock,
            seed=SEED,
            config=load_config(tmp_path / "config.toml", tz=UTC),
            export_dir=tmp_path / "exports",
            cursor_blink=False,
        )

    return factory


@pytest.fixture
def app(new_app: AppFactory) -> TrainerApp:
    return new_app()


def logged(db_path: Path, qid: str | None = None) -> list[sqlite3.Row]:
    """The review log rows (oldest first), read from the SQLite file itself."""
    conn = sqlite3.connect(db_path)
    conn.row_factory = sqlite3.Row
    try:
        sql = (
            "SELECT c.question_id AS qid, l.rating, l.correct, l.mode, l.response "
            "FROM review_log l JOIN cards c ON c.id = l.card_id"
        )
        params: tuple[str, ...] = ()
        if qid is not None:
            sql += " WHERE c.question_id = ?"
            params = (qid,)
        return conn.execute(sql + " ORDER BY l.id", params).fetchall()
    finally:
        conn.close()
