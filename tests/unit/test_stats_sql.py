"""Statistics from SQL aggregates: the same numbers as reading the whole log into Python.

The reference below is the first version's algorithm (every log row, its study day computed one
by one); the engine now asks SQLite for counts between day boundaries computed in Python. They
must agree exactly, across DST changes, in several time zones, with two banks in one database.
"""

from __future__ import annotations

import random
import sys
from datetime import UTC, date, datetime, timedelta, tzinfo
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

sys.path.insert(0, str(Path(__file__).parent / "helpers"))
from engine_kit import Clock, answer, make_bank, open_engine

from trainer.engine import Engine, Rating
from trainer.engine.days import day_start, study_day
from trainer.engine.stats import HISTORY_DAYS

ZONES = [
    ZoneInfo("Europe/London"),
    ZoneInfo("America/New_York"),
    ZoneInfo("Australia/Lord_Howe"),  # a 30-minute DST shift
    ZoneInfo("Asia/Kolkata"),  # a half-hour offset, no DST
]


def reference(engine: Engine) -> dict[str, object]:
    """The log part of the statistics, from every log row (the original algorithm)."""
    hour, tz = engine.settings.day_starts_hour, engine.settings.tz
    now = engine.now()
    today = study_day(now, hour, tz)
    log = engine.store.log_since(engine.bank.id)
    topic_of = {q.id: engine.bank.topic_of(q) for q in engine.bank.questions}
    first = today - timedelta(days=HISTORY_DAYS - 1)
    per_day = {first + timedelta(days=i): 0 for i in range(HISTORY_DAYS)}
    active: set[date] = set()
    passed = total = 0
    by_topic: dict[str, list[int]] = {t: [0, 0] for t in engine.bank.topics}
    for e in log:
        d = study_day(e.time, hour, tz)
        active.add(d)
        if d in per_day:
            per_day[d] += 1
        if e.scheduled and e.state_before == "review":
            ok = int(e.rating > 1)
            total += 1
            passed += ok
            if topic_of.get(e.question_id) in by_topic:
                by_topic[topic_of[e.question_id]][0] += ok
                by_topic[topic_of[e.question_id]][1] += 1
    streak = 0
    day = today if today in active else today - timedelta(days=1)
    while day in active:
        streak += 1
        day -= timedelta(days=1)
    return {
        "reviews": len(log),
        "per_day": tuple((d.isoformat(), n) for d, n in sorted(per_day.items())),
        "retention": passed / total if total else None,
        "topic_retention": {t: (p / n if n else None) for t, (p, n) in by_topic.items()},
        "streak": streak,
    }


def observed(engine: Engine) -> dict[str, object]:
    s = engine.stats()
    return {
        "reviews": s.reviews,
        "per_day": s.reviews_per_day,
        "retention": s.true_retention,
        "topic_retention": {t: v.retention for t, v in s.by_topic.items() if t != "unknown"},
        "streak": s.streak,
    }


@settings(max_examples=300, deadline=None)
@given(
    t=st.datetimes(min_value=datetime(2020, 1, 1), max_value=datetime(2031, 12, 31)),
    zone=st.sampled_from(ZONES),
    hour=st.integers(0, 23),
)
def test_a_study_day_is_exactly_the_span_between_its_boundaries(
    t: datetime, zone: tzinfo, hour: int
) -> None:
    """The bucketing the SQL relies on: t is in [start(day), start(day + 1)) of its study day."""
    moment = t.replace(tzinfo=UTC)
    d = study_day(moment, hour, zone)
    assert day_start(d, hour, zone) <= moment < day_start(d + timedelta(days=1), hour, zone)


def _simulate(tmp_path: Path, zone: tzinfo, hour: int, start: datetime, days: int) -> Engine:
    """Two banks in one database; the first is studied at random times (across DST changes)."""
    bank = make_bank({"A": {f"a{i}": 2 for i in range(5)}, "B": {f"b{i}": 2 for i in range(4)}})
    other = make_bank({"Z": {"z": 3}}, bank_id="z")
    db = tmp_path / "t.db"
    clock = Clock(start)
    engine = open_engine(bank, db, clock, tz=zone, day_starts_hour=hour, new_per_day=6)
    rival = open_engine(other, db, clock, tz=zone, day_starts_hour=hour)
    rng = random.Random(f"{zone}-{hour}")
    for day in range(days):
        base = start + timedelta(days=day)
        if rng.random() < 0.15:
            continue  # a day off breaks the streak
        for _ in range(rng.randint(1, 4)):
            clock.set(base + timedelta(minutes=rng.randint(0, 24 * 60 - 1)))
            q = engine.next_question()
            if q is None:
                continue
            answer(engine, q.id, rng.choice([Rating.AGAIN, Rating.GOOD, Rating.GOOD, Rating.EASY]))
            if rng.random() < 0.3:
                answer(engine, q.id, Rating.GOOD, mode="practice")
        if rng.random() < 0.5:
            zq = rival.next_question()
            if zq is not None:
                answer(rival, zq.id, Rating.GOOD)
    rival.close()
    return engine


@pytest.mark.parametrize(
    ("zone", "hour", "start"),
    [
        (ZONES[0], 4, datetime(2026, 3, 1, tzinfo=UTC)),  # spring forward on 29 March
        (ZONES[1], 2, datetime(2026, 10, 10, tzinfo=UTC)),  # 2 am is skipped/repeated in NY
        (ZONES[2], 1, datetime(2026, 3, 20, tzinfo=UTC)),  # Lord Howe: 30-minute change
        (ZONES[3], 4, datetime(2026, 6, 1, tzinfo=UTC)),
    ],
)
def test_stats_from_sql_match_the_whole_log(
    tmp_path: Path, zone: tzinfo, hour: int, start: datetime
) -> None:
    engine = _simulate(tmp_path, zone, hour, start, days=45)
    clock = engine._clock  # the same Clock object the simulation moved
    assert isinstance(clock, Clock)
    s = engine.stats()
    assert s.reviews > 50  # the history is not trivial
    assert s.true_retention is not None
    for offset in (timedelta(0), timedelta(hours=13), timedelta(days=1), timedelta(days=3)):
        clock.set(clock.t + offset)
        assert observed(engine) == reference(engine)
    engine.close()


def test_a_long_streak_is_counted_past_the_history_window(tmp_path: Path) -> None:
    """A streak longer than the 30-day window and than one look-back chunk."""
    bank = make_bank({"A": {f"o{i}": 1 for i in range(3)}})
    start = datetime(2026, 1, 1, 12, tzinfo=UTC)
    clock = Clock(start)
    engine = open_engine(bank, tmp_path / "t.db", clock, tz=ZONES[0])
    qid = "o0-1"
    days = 140
    for day in range(days):
        clock.set(start + timedelta(days=day))
        if day == 10:
            continue  # the one gap: the streak is the 129 days after it
        answer(engine, qid, Rating.GOOD, mode="practice")
    assert engine.stats().streak == days - 11
    assert engine.overview().streak == days - 11
    assert observed(engine) == reference(engine)
    clock.set(start + timedelta(days=days, hours=1))  # nothing yet today: still standing
    assert engine.stats().streak == days - 11
    engine.close()


def test_overview_agrees_with_stats_and_counts(tmp_path: Path) -> None:
    engine = _simulate(tmp_path, ZONES[0], 4, datetime(2026, 10, 1, tzinfo=UTC), days=20)
    s = engine.stats()
    o = engine.overview()
    assert o.counts == engine.counts()
    assert o.streak == s.streak
    assert o.mastery == s.mastery  # exactly: the same arithmetic in the same order
    assert any(v > 0 for v in o.mastery.values())
    engine.close()


def test_the_log_queries_use_their_indexes_and_stats_read_no_log(tmp_path: Path) -> None:
    """Schema 5: two indexes on the log, by card and by time, and each query on a range of one
    of them; the statistics' counts come from the counters, not the log."""
    engine = open_engine(make_bank({"A": {"a": 1}}), tmp_path / "t.db")
    conn = engine.store._conn

    def plan(sql: str) -> str:
        return " ".join(str(r[3]) for r in conn.execute("EXPLAIN QUERY PLAN " + sql, ()))

    indexes = {
        r[0]
        for r in conn.execute(
            "SELECT name FROM sqlite_master WHERE tbl_name = 'revlog' AND type = 'index'"
        )
    }
    assert indexes == {"revlog_card", "revlog_time"}
    days = plan(
        "SELECT count(*) FROM revlog l CROSS JOIN cards c "
        "ON c.id = l.card_id WHERE l.time >= 1 AND l.time < 2 AND c.bank_id = 'b'"
    )
    assert "revlog_time (time>? AND time<?)" in days
    card = plan("SELECT max(id) FROM revlog WHERE card_id = 3")
    assert "revlog_card (card_id=?)" in card
    later = plan("SELECT 1 FROM revlog WHERE card_id = 3 AND id > 7")
    assert "revlog_card (card_id=? AND rowid>?)" in later
    engine.close()
