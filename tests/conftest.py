"""Shared fixtures: paths of the small test banks in tests/data."""

from __future__ import annotations

import os
import shutil
import tempfile
from pathlib import Path

import pytest

DATA = Path(__file__).resolve().parent / "data"


@pytest.fixture
def data_dir() -> Path:
    """tests/data: small banks (mini, mini-2files, broken/<kind>, lint/<kind>)."""
    return DATA


@pytest.fixture
def mini_bank_path() -> Path:
    """A small valid bank: 2 topics, 3 objectives, one question of each type.

    Question ids: mini-q-single, mini-q-multiple, mini-q-true-false, mini-q-order, mini-q-cloze,
    mini-q-recall. No problems at all (not even warnings).
    """
    return DATA / "mini" / "bank.toml"


@pytest.fixture
def mini_2files_path() -> Path:
    """The mini bank as a folder: header in one file, objectives and questions in another."""
    return DATA / "mini-2files"


_SAVED_CACHE_ENV: dict[str, str | None] = {}


def pytest_configure(config: pytest.Config) -> None:
    """A parsed-bank cache for the whole run, set before collection: test modules that load a
    bank at import time or in module-scoped fixtures never touch the user's cache directory."""
    for name in ("TRAINER_CACHE_DIR", "TRAINER_CACHE"):
        _SAVED_CACHE_ENV[name] = os.environ.pop(name, None)
    os.environ["TRAINER_CACHE_DIR"] = tempfile.mkdtemp(prefix="trainer-test-cache-")


def pytest_unconfigure(config: pytest.Config) -> None:
    folder = os.environ.pop("TRAINER_CACHE_DIR", "")
    if folder.startswith(tempfile.gettempdir()):
        shutil.rmtree(folder, ignore_errors=True)
    for name, value in _SAVED_CACHE_ENV.items():
        if value is not None:
            os.environ[name] = value


@pytest.fixture(autouse=True)
def _private_bank_cache(
    monkeypatch: pytest.MonkeyPatch,
    tmp_path_factory: pytest.TempPathFactory,
) -> Path:
    """Every test gets its own, empty parsed-bank cache (never the user's cache directory).

    It is set in the environment, so subprocesses started by a test use it too. Its own folder,
    not one under tmp_path, so that tests listing tmp_path see no cache files.
    """
    folder = tmp_path_factory.mktemp("bank-cache")
    monkeypatch.setenv("TRAINER_CACHE_DIR", str(folder))
    monkeypatch.delenv("TRAINER_CACHE", raising=False)
    return folder
