"""Settings.tz counts when settings are compared: the queue index, the tally memo and the home's
mastery are rebuilt when only the time zone changes (it decides where the study day ends)."""

from __future__ import annotations

import sqlite3
import sys
from dataclasses import replace
from datetime import UTC, datetime
from pathlib import Path
from zoneinfo import ZoneInfo

sys.path.insert(0, str(Path(__file__).parent / "helpers"))
from engine_kit import Clock, make_bank, open_engine

from trainer.engine import Counts, Settings
from trainer.engine.store import to_us

LONDON = ZoneInfo("Europe/London")
LAGOS = ZoneInfo("Africa/Lagos")  # UTC+1 all year


def test_settings_differing_only_in_time_zone_differ() -> None:
    assert Settings(tz=LONDON) != Settings(tz=LAGOS)
    assert Settings(tz=LONDON) == Settings(tz=ZoneInfo("Europe/London"))
    assert len({Settings(tz=LONDON), Settings(tz=LAGOS), Settings(tz=LONDON)}) == 2


def test_a_new_time_zone_alone_rebuilds_the_queue(tmp_path: Path) -> None:
    """On Saturday 24 October 2026 the study day starts at 03:00 UTC in London (BST) and in Lagos
    (WAT); it ends at 04:00 UTC in London (GMT from that night) but at 03:00 UTC in Lagos. A review
    due at 03:30 UTC on the 25th is due today in London, not in Lagos."""
    bank = make_bank({"t": {"o": 1}})
    db = tmp_path / "t.db"
    clock = Clock(datetime(2026, 10, 24, 12, 0, tzinfo=UTC))
    open_engine(bank, db, clock, tz=LONDON).close()
    due = to_us(datetime(2026, 10, 25, 3, 30, tzinfo=UTC))
    last = to_us(datetime(2026, 10, 20, 12, 0, tzinfo=UTC))
    with sqlite3.connect(db) as conn:
        conn.execute(
            "UPDATE cards SET state = 'review', stability = 5.0, difficulty = 5.0, due = ?, "
            "last_review = ?, reps = 3",
            (due, last),
        )
    conn.close()
    with open_engine(bank, db, clock, tz=LONDON) as engine:
        assert engine.counts() == Counts(new=0, learning=0, review=1)
        assert engine.next_question() is not None  # the cards are loaded: the queue index
        engine.settings = replace(engine.settings, tz=LAGOS)
        assert engine.counts() == Counts(new=0, learning=0, review=0)
        assert engine.next_question() is None
        engine.settings = replace(engine.settings, tz=LONDON)
        assert engine.counts() == Counts(new=0, learning=0, review=1)
    with open_engine(bank, db, clock, tz=LONDON) as engine:  # the SQL tally, cards not loaded
        assert engine.counts() == Counts(new=0, learning=0, review=1)
        engine.settings = replace(engine.settings, tz=LAGOS)
        assert engine.counts() == Counts(new=0, learning=0, review=0)
