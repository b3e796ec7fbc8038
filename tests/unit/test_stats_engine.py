"""Engine statistics with an injected clock: states, due, forecast, history, retention, streak."""

from __future__ import annotations

import sys
from datetime import datetime, timedelta
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).parent / "helpers"))
from engine_kit import TZ, Clock, answer, make_bank, open_engine

from trainer.engine import Rating

BANK = make_bank({"A": {"a": 3}, "B": {"b": 2}})


def test_empty_stats(tmp_path: Path) -> None:
    engine = open_engine(BANK, tmp_path / "t.db")
    s = engine.stats()
    d = s.to_dict()
    assert d["reviews"] == 0
    assert d["cards"] == {"new": 5, "learning": 0, "review": 0, "relearning": 0, "suspended": 0}
    assert (d["due_now"], d["due_today"], d["streak"]) == (0, 0, 0)
    assert d["forecast"] == [0] * 30
    assert len(d["reviews_per_day"]) == 30 and all(n == 0 for _, n in d["reviews_per_day"])
    assert d["true_retention"] is None and d["mean_retrievability"] is None
    assert d["by_topic"] == {
        "A": {"cards": 3, "new": 3, "due": 0, "mastery": 0.0, "retention": None},
        "B": {"cards": 2, "new": 2, "due": 0, "mastery": 0.0, "retention": None},
    }
    engine.close()


def test_stats_follow_the_history(tmp_path: Path) -> None:
    clock = Clock(datetime(2026, 11, 20, 10, 0, tzinfo=TZ))
    engine = open_engine(BANK, tmp_path / "t.db", clock)
    answer(engine, "a-1", Rating.EASY)  # review
    answer(engine, "b-1", Rating.EASY)  # review
    answer(engine, "a-2", Rating.AGAIN)  # learning
    engine.set_suspended("a-3", True)
    a1_due = engine.card_info("a-1").due
    assert a1_due is not None

    s = engine.stats()
    assert s.cards == {"new": 1, "learning": 1, "review": 2, "relearning": 0, "suspended": 1}
    assert s.reviews == 3
    assert s.due_now == 0  # a-2 is due in a minute
    assert s.due_today == 1
    assert s.forecast[0] == 1
    offset = (a1_due.astimezone(TZ) - timedelta(hours=4)).date() - clock.t.date()
    assert s.forecast[offset.days] == 2  # both EASY cards fall due the same day
    assert sum(s.forecast) == 3
    assert s.reviews_per_day[-1] == ("2026-11-20", 3)
    assert s.streak == 1
    assert s.mean_retrievability == 1.0

    # review a-1 on its due day (pass) and b-1 (fail): true retention 50%
    clock.set(a1_due + timedelta(hours=1))
    answer(engine, "a-1", Rating.GOOD)
    answer(engine, "b-1", Rating.AGAIN)
    answer(engine, "b-1", Rating.GOOD, mode="practice")  # not due any more: not counted
    s = engine.stats()
    assert s.true_retention == 0.5
    assert s.by_topic["A"].retention == 1.0 and s.by_topic["B"].retention == 0.0
    assert s.reviews == 6
    infos = engine.all_card_info()
    for topic, qids in (("A", ["a-1", "a-2", "a-3"]), ("B", ["b-1", "b-2"])):
        learnt = [infos[q] for q in qids if infos[q].state == "review"]
        expected = sum(i.retrievability or 0.0 for i in learnt) / len(qids)
        assert s.by_topic[topic].mastery == pytest.approx(expected)
        assert s.mastery[topic] == s.by_topic[topic].mastery
    assert 0.0 < s.mastery["A"] <= 1.0
    assert s.mastery["B"] == 0.0  # b-1 was just failed (relearning): not counted as known
    seen = [i.retrievability for i in infos.values() if i.state != "new" and not i.suspended]
    assert s.mean_retrievability == pytest.approx(sum(seen) / len(seen))  # type: ignore[arg-type]
    engine.close()


def test_reviews_per_day_and_streak_use_the_4am_day(tmp_path: Path) -> None:
    bank = make_bank({"A": {f"o{i}": 1 for i in range(8)}})
    clock = Clock(datetime(2026, 11, 20, 23, 0, tzinfo=TZ))
    engine = open_engine(bank, tmp_path / "t.db", clock)
    answer(engine, "o0-1", Rating.EASY)  # the 20th
    clock.set(datetime(2026, 11, 21, 3, 30, tzinfo=TZ))
    answer(engine, "o1-1", Rating.EASY)  # still the 20th
    clock.set(datetime(2026, 11, 21, 4, 30, tzinfo=TZ))
    answer(engine, "o2-1", Rating.EASY)  # the 21st
    clock.set(datetime(2026, 11, 22, 12, 0, tzinfo=TZ))
    answer(engine, "o3-1", Rating.EASY)  # the 22nd
    s = engine.stats()
    per_day = dict(s.reviews_per_day)
    assert (per_day["2026-11-20"], per_day["2026-11-21"], per_day["2026-11-22"]) == (2, 1, 1)
    assert s.reviews_per_day[-1][0] == "2026-11-22"
    assert s.streak == 3
    clock.set(datetime(2026, 11, 23, 12, 0, tzinfo=TZ))
    assert engine.stats().streak == 3  # nothing yet today: the streak still stands
    clock.set(datetime(2026, 11, 24, 12, 0, tzinfo=TZ))
    assert engine.stats().streak == 0  # a whole day missed
    answer(engine, "o4-1", Rating.EASY)
    assert engine.stats().streak == 1
    engine.close()


def test_stats_are_per_bank(tmp_path: Path) -> None:
    db = tmp_path / "t.db"
    one = open_engine(BANK, db)
    other = open_engine(make_bank({"Z": {"z": 1}}, bank_id="z"), db)
    answer(one, "a-1")
    assert other.stats().reviews == 0
    assert other.stats().cards["new"] == 1
    one.close()
    other.close()
