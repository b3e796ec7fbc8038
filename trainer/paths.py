"""Where things live: the bundled bank, the default database, overrides from the environment."""

from __future__ import annotations

import os
from pathlib import Path

APP_NAME = "trainer"
DB_ENV = "TRAINER_DB"
BANK_ENV = "TRAINER_BANK"


def bundled_bank() -> Path:
    """The bank that ships with trainer.

    In a wheel it is packaged as ``trainer/questions``; in a source checkout or an editable install
    it is the top-level ``questions/`` folder beside the package.
    """
    here = Path(__file__).resolve().parent
    packaged = here / "questions" / "thermal-rhizotomy"
    if packaged.is_dir():
        return packaged
    return here.parent / "questions" / "thermal-rhizotomy"


def default_bank() -> Path:
    env = os.environ.get(BANK_ENV)
    return Path(env) if env else bundled_bank()


def default_db() -> Path:
    """``--db`` wins over ``TRAINER_DB``, which wins over the user data directory."""
    env = os.environ.get(DB_ENV)
    if env:
        return Path(env)
    from platformdirs import user_data_path

    return user_data_path(APP_NAME, appauthor=False) / "trainer.db"
