"""Where things live: the bundled bank, the default database, overrides from the environment."""

from __future__ import annotations

import os
from pathlib import Path

APP_NAME = "trainer"
DB_ENV = "TRAINER_DB"
BANK_ENV = "TRAINER_BANK"
CACHE_DIR_ENV = "TRAINER_CACHE_DIR"
CACHE_ENV = "TRAINER_CACHE"
CACHE_OFF = ("0", "off", "false", "no")
CONFIG_ENV = "TRAINER_CONFIG"


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


def cache_dir() -> Path | None:
    """Where parsed banks are cached: ``TRAINER_CACHE_DIR``, else the user cache directory.

    None when ``TRAINER_CACHE=0`` (or off, false, no) turns the cache off.
    """
    if os.environ.get(CACHE_ENV, "").strip().lower() in CACHE_OFF:
        return None
    env = os.environ.get(CACHE_DIR_ENV)
    if env:
        return Path(env)
    from platformdirs import user_cache_path

    return user_cache_path(APP_NAME, appauthor=False)


def default_config() -> Path:
    """``--config`` wins over ``TRAINER_CONFIG``, which wins over the user config directory."""
    env = os.environ.get(CONFIG_ENV)
    if env:
        return Path(env)
    from platformdirs import user_config_path

    return user_config_path(APP_NAME, appauthor=False) / "config.toml"
