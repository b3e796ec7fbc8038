"""Three weeks of seeded random study through the public API, checking the queue rules each step."""

from __future__ import annotations

import random
import sys
from datetime import datetime, timedelta
from pathlib import Path

sys.path.insert(0, str(Path(__file__).parent / "helpers"))
from engine_kit import TZ, Clock, answer, make_bank, open_engine

from trainer.engine import Counts, Rating
from trainer.engine.days import day_bounds

LAYOUT = {
    "A": {"a1": 3, "a2": 1, "a3": 2},
    "B": {"b1": 2, "b2": 2},
    "C": {"c1": 1, "c2": 3, "c3": 1, "c4": 2},
}
RATINGS = [Rating.AGAIN, Rating.HARD, Rating.GOOD, Rating.GOOD, Rating.GOOD, Rating.EASY]


def test_random_study_keeps_every_queue_rule(tmp_path: Path) -> None:
    bank = make_bank(LAYOUT)
    objective = {q.id: q.objectives[0] for q in bank.questions}
    rng = random.Random(20261126)
    clock = Clock(datetime(2026, 11, 1, 9, 0, tzinfo=TZ))
    engine = open_engine(
        bank,
        tmp_path / "t.db",
        clock,
        seed=5,
        enable_fuzzing=True,
        new_per_day=4,
        reviews_per_day=6,
        leech_threshold=3,
    )
    answered_total = 0
    days_studied: list[bool] = []
    for day in range(21):
        clock.set(datetime(2026, 11, 1, 9, 0, tzinfo=TZ) + timedelta(days=day))
        start, end = day_bounds(clock.t, 4, TZ)
        studied_objectives: set[str] = set()
        for _ in range(300):
            q = engine.next_question()
            counts = engine.counts()
            if q is None:
                assert counts == Counts(0, 0, 0)
                break
            assert counts.total > 0
            info = engine.card_info(q.id)
            assert not info.suspended
            if info.state == "new":
                assert objective[q.id] not in studied_objectives  # new siblings are buried
            if info.state == "review":
                assert info.due is not None and info.due < end
            if info.state in ("learning", "relearning"):
                assert info.due is not None and info.due <= clock.t + timedelta(minutes=20)
            shown = engine.intervals(q.id)
            rating = rng.choice(RATINGS)
            answer(engine, q.id, rating)
            answered_total += 1
            after = engine.card_info(q.id)
            assert after.due is not None and after.due - clock.t == shown[rating]
            if rng.random() < 0.05:
                assert engine.undo() == q.id
                assert engine.card_info(q.id) == info
                answered_total -= 1
            else:
                studied_objectives.add(objective[q.id])
            clock.advance(minutes=rng.randint(0, 4))
        else:
            raise AssertionError("the day never ended")
        today = engine.store.log_since(bank.id, start)
        days_studied.append(bool(today))
        assert sum(1 for e in today if e.state_before == "new") <= 4
        assert sum(1 for e in today if e.state_before == "review") <= 6
    stats = engine.stats()
    assert stats.reviews == answered_total
    assert sum(stats.cards.values()) == len(bank.questions)
    assert stats.cards["new"] < len(bank.questions)
    assert stats.true_retention is not None and 0.0 <= stats.true_retention <= 1.0
    # the streak is the run of study days, up to today, with at least one answer
    streak = 0
    for studied in reversed(days_studied):
        if not studied:
            break
        streak += 1
    assert 0 < stats.streak == streak
    engine.close()
