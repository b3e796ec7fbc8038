"""The review database: the only code that touches it.

``Store`` composes the parts: ``connection`` (opening, creating, migrating, backups, transactions,
the one retry and the one error translation), ``inspect`` (refusing what is not ours, read-only),
``cards``, ``log`` (answers and undo), ``history`` (whole histories: export, import,
rescheduling), ``aggregates`` (statistics, from counters the schema's triggers keep in step with
the log), ``exams``, ``kv`` (settings) and ``sessions`` (sessions in progress). ``schema`` holds the
migrations and ``codec`` the stored forms of records (engine/records.py), the compact review log's
among them.
"""

from __future__ import annotations

from trainer.engine.store.aggregates import Aggregates
from trainer.engine.store.cards import Cards
from trainer.engine.store.codec import from_us, to_us
from trainer.engine.store.connection import LOCK_WAIT, backup_path
from trainer.engine.store.exams import Exams
from trainer.engine.store.history import History
from trainer.engine.store.kv import KeyValues
from trainer.engine.store.log import Log
from trainer.engine.store.sessions import Sessions


class Store(Cards, History, Log, Aggregates, Exams, KeyValues, Sessions):
    """An open review database. One thread at a time; one per Engine."""


__all__ = ["LOCK_WAIT", "Store", "backup_path", "from_us", "to_us"]
