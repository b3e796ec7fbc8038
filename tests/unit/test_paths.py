"""Where the bank and the database are found: TRAINER_BANK / TRAINER_DB over the defaults (the
--db option over TRAINER_DB is tested with `trainer stats` in test_stats_command.py)."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from trainer import paths

REPO = Path(__file__).resolve().parents[2]
MINI = REPO / "tests" / "data" / "mini" / "bank.toml"


def test_the_bundled_bank_is_the_repository_one() -> None:
    """From a checkout or an installed wheel, the bundled bank holds the repository's files."""
    bundled = paths.bundled_bank()
    repo = REPO / "questions" / "thermal-rhizotomy"
    files = sorted(p.name for p in repo.glob("*.toml"))
    assert files and sorted(p.name for p in bundled.glob("*.toml")) == files
    for name in files:
        assert (bundled / name).read_bytes() == (repo / name).read_bytes(), name


def test_environment_overrides(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    monkeypatch.setenv("TRAINER_DB", str(tmp_path / "env.db"))
    monkeypatch.setenv("TRAINER_BANK", str(tmp_path / "bank"))
    assert paths.default_db() == tmp_path / "env.db"
    assert paths.default_bank() == tmp_path / "bank"
    monkeypatch.setenv("TRAINER_DB", "")
    monkeypatch.delenv("TRAINER_BANK")
    monkeypatch.setenv("XDG_DATA_HOME", str(tmp_path / "data"))
    assert paths.default_db() == tmp_path / "data" / "trainer" / "trainer.db"
    assert paths.default_bank() == paths.bundled_bank()


def test_check_resolves_no_database(tmp_path: Path) -> None:
    probe = (
        "import sys; from trainer.cli import main; "
        f"code = main(['check', '--bank', {str(MINI)!r}]); "
        "print('platformdirs' in sys.modules, code)"
    )
    env = {k: v for k, v in os.environ.items() if k != "TRAINER_DB"}
    proc = subprocess.run(
        [sys.executable, "-c", probe],
        capture_output=True,
        text=True,
        timeout=120,
        cwd=tmp_path,
        env=env,
    )
    assert proc.stdout.splitlines()[-1] == "False 0", proc.stderr


def test_cache_dir_environment_and_default(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    monkeypatch.setenv("TRAINER_CACHE_DIR", str(tmp_path / "mine"))
    assert paths.cache_dir() == tmp_path / "mine"
    monkeypatch.setenv("TRAINER_CACHE", "0")
    assert paths.cache_dir() is None
    monkeypatch.setenv("TRAINER_CACHE", "1")
    assert paths.cache_dir() == tmp_path / "mine"
    monkeypatch.delenv("TRAINER_CACHE_DIR")
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "xdg"))
    assert paths.cache_dir() == tmp_path / "xdg" / "trainer"
