"""Shared fixtures: paths of the small test banks in tests/data."""

from __future__ import annotations

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
