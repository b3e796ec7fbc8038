"""The FSRS layer: py-fsrs's reference intervals through our code, previews, fuzz, settings."""

from __future__ import annotations

import sys
from datetime import UTC, datetime, timedelta
from pathlib import Path

import fsrs
import pytest

sys.path.insert(0, str(Path(__file__).parent / "helpers"))
from engine_kit import Clock, answer, make_bank, open_engine

from trainer.engine import Rating, Settings, SettingsError
from trainer.engine.scheduler import (
    CardSchedule,
    constrain_interval,
    fuzz_bounds,
    fuzz_interval,
    is_leech_lapse,
    preview,
    retrievability,
    review,
)

# py-fsrs tests/test_basic.py::test_review_card
REFERENCE_RATINGS = (Rating.GOOD,) * 6 + (Rating.AGAIN,) * 2 + (Rating.GOOD,) * 5
REFERENCE_IVLS = [0, 2, 11, 46, 163, 498, 0, 0, 2, 4, 7, 12, 21]
REFERENCE_START = datetime(2022, 11, 29, 12, 30, 0, 0, tzinfo=UTC)
NO_FUZZ = Settings(enable_fuzzing=False)


def test_reference_intervals_through_the_scheduler_layer() -> None:
    schedule = CardSchedule()
    now = REFERENCE_START
    ivls = []
    for rating in REFERENCE_RATINGS:
        schedule = review(schedule, rating, now, NO_FUZZ, card_id=1)
        assert schedule.due is not None
        ivls.append((schedule.due - now).days)
        now = schedule.due
    assert ivls == REFERENCE_IVLS
    assert schedule.reps == 13
    assert schedule.lapses == 1  # only the AGAIN from the review state is a lapse
    assert schedule.state == "review"


def test_reference_intervals_through_the_engine(tmp_path: Path) -> None:
    bank = make_bank({"t": {"o": 1}})
    clock = Clock(REFERENCE_START)
    engine = open_engine(bank, tmp_path / "t.db", clock)
    ivls = []
    for rating in REFERENCE_RATINGS:
        answer(engine, "o-1", rating)
        info = engine.card_info("o-1")
        assert info.due is not None
        ivls.append((info.due - clock.t).days)
        clock.set(info.due)
    engine.close()
    assert ivls == REFERENCE_IVLS


def test_a_new_card_enters_fsrs_with_its_first_review() -> None:
    s = review(CardSchedule(), Rating.GOOD, REFERENCE_START, NO_FUZZ, card_id=5)
    assert s.state == "learning" and s.step == 1 and s.reps == 1
    assert s.due == REFERENCE_START + timedelta(minutes=10)
    s = review(CardSchedule(), Rating.EASY, REFERENCE_START, NO_FUZZ, card_id=5)
    assert s.state == "review"


def test_preview_matches_anki_buttons_for_a_new_card_and_changes_nothing() -> None:
    new = CardSchedule()
    ivls = preview(new, REFERENCE_START, NO_FUZZ, card_id=1)
    assert ivls[Rating.AGAIN] == timedelta(minutes=1)
    assert ivls[Rating.HARD] == timedelta(minutes=5, seconds=30)
    assert ivls[Rating.GOOD] == timedelta(minutes=10)
    assert ivls[Rating.EASY] >= timedelta(days=1)
    assert new == CardSchedule()


def test_engine_intervals_preview_exactly_what_answer_schedules(tmp_path: Path) -> None:
    bank = make_bank({"t": {"o": 1}})
    clock = Clock()
    engine = open_engine(bank, tmp_path / "t.db", clock, seed=11, enable_fuzzing=True)
    for rating in (Rating.GOOD, Rating.GOOD, Rating.GOOD, Rating.HARD, Rating.EASY):
        before = engine.card_info("o-1")
        shown = engine.intervals("o-1")
        assert engine.card_info("o-1") == before  # previewing changes nothing
        answer(engine, "o-1", rating)
        due = engine.card_info("o-1").due
        assert due is not None
        assert due - clock.t == shown[rating]
        clock.set(due)
    engine.close()


@pytest.mark.parametrize(
    ("interval", "minimum", "maximum", "lower", "middle", "upper"),
    [
        # Anki's own expectations for with_review_fuzz (rslib/src/scheduler/states/fuzz.rs)
        (1.0, 1, 1000, 1, 1, 1),
        (2.49, 1, 1000, 2, 2, 2),
        (2.5, 1, 1000, 2, 3, 4),
        (7.0, 1, 1000, 5, 7, 9),
        (17.0, 1, 1000, 14, 17, 20),
        (37.0, 1, 1000, 33, 37, 41),
        (2.0, 2, 1000, 2, 2, 2),
        (2.0, 3, 1000, 3, 4, 4),
        (2.0, 3, 3, 3, 3, 3),
        (6.9, 3, 1000, 5, 7, 9),
        (19.9, 3, 1000, 17, 20, 23),
        (20.1, 3, 1000, 17, 20, 23),
        (100.0, 101, 1000, 101, 105, 108),
        (100.0, 1, 99, 92, 96, 99),
        (100.0, 97, 103, 97, 100, 103),
    ],
)
def test_fuzz_matches_anki_bounds_and_rounding(
    interval: float, minimum: int, maximum: int, lower: int, middle: int, upper: int
) -> None:
    assert constrain_interval(interval, minimum, maximum, 0.0) == lower
    assert constrain_interval(interval, minimum, maximum, 0.5) == middle
    assert constrain_interval(interval, minimum, maximum, 0.99) == upper


def test_fuzz_never_leaves_ankis_range() -> None:
    import random

    for days in (3, 4, 7, 20, 100, 1000):
        low, high = fuzz_bounds(float(days), 1, 36500)
        seen = {
            fuzz_interval(timedelta(days=days), 36500, random.Random(i)).days for i in range(300)
        }
        assert min(seen) == low and max(seen) == high  # every value reachable, none outside
    a = fuzz_interval(timedelta(days=100), 36500, random.Random("x"))
    assert a == fuzz_interval(timedelta(days=100), 36500, random.Random("x"))
    assert fuzz_interval(timedelta(days=100), 100, random.Random(1)) <= timedelta(days=100)


def test_fuzz_on_spreads_review_intervals_with_a_seed() -> None:
    fuzzed = Settings(enable_fuzzing=True)
    s = CardSchedule()
    now = REFERENCE_START
    for _ in range(4):  # reach a long interval
        s = review(s, Rating.GOOD, now, NO_FUZZ, card_id=1)
        assert s.due is not None
        now = s.due
    plain = review(s, Rating.GOOD, now, NO_FUZZ, card_id=1)
    dues = {review(s, Rating.GOOD, now, fuzzed, card_id=1, fuzz_seed=str(i)).due for i in range(40)}
    assert len(dues) > 3
    assert plain.due is not None
    assert all(d is not None and abs((d - plain.due).days) <= 11 for d in dues)
    same = {review(s, Rating.GOOD, now, fuzzed, card_id=1, fuzz_seed="k").due for _ in range(5)}
    assert len(same) == 1


def test_engine_passes_explicit_card_ids_and_utc_times(monkeypatch: pytest.MonkeyPatch) -> None:
    made: list[int | None] = []
    real_init = fsrs.Card.__init__

    def spy(self: fsrs.Card, card_id: int | None = None, *a: object, **kw: object) -> None:
        made.append(card_id)
        real_init(self, card_id, *a, **kw)  # type: ignore[arg-type]

    monkeypatch.setattr(fsrs.Card, "__init__", spy)
    s = review(CardSchedule(), Rating.GOOD, REFERENCE_START, NO_FUZZ, card_id=42)
    review(s, Rating.GOOD, s.due or REFERENCE_START, NO_FUZZ, card_id=42)
    assert made and all(m == 42 for m in made)
    with pytest.raises(ValueError, match="timezone-aware"):
        review(CardSchedule(), Rating.GOOD, datetime(2022, 1, 1), NO_FUZZ, card_id=1)


def test_retrievability() -> None:
    assert retrievability(CardSchedule(), REFERENCE_START, NO_FUZZ) is None
    s = review(CardSchedule(), Rating.EASY, REFERENCE_START, NO_FUZZ, card_id=1)
    now_r = retrievability(s, REFERENCE_START, NO_FUZZ)
    later_r = retrievability(s, REFERENCE_START + timedelta(days=30), NO_FUZZ)
    assert now_r == 1.0
    assert later_r is not None and 0 < later_r < 0.9


def test_settings_defaults_are_ankis() -> None:
    s = Settings()
    assert s.desired_retention == 0.9
    assert s.learning_steps == (timedelta(minutes=1), timedelta(minutes=10))
    assert s.relearning_steps == (timedelta(minutes=10),)
    assert (s.maximum_interval, s.enable_fuzzing) == (36500, True)
    assert (s.new_per_day, s.reviews_per_day, s.day_starts_hour) == (20, 200, 4)
    assert (s.leech_threshold, s.leech_action) == (8, "tag")  # Anki: tag only


@pytest.mark.parametrize(
    ("kw", "message"),
    [
        ({"desired_retention": 0.5}, "desired retention"),
        ({"desired_retention": 0.995}, "desired retention"),
        ({"learning_steps": (timedelta(0),)}, "learning_steps"),
        ({"new_per_day": -1}, "daily limits"),
        ({"day_starts_hour": 24}, "hour"),
        ({"leech_threshold": 0}, "leech threshold"),
        ({"leech_action": "delete"}, "leech action"),
        ({"maximum_interval": 0}, "maximum interval"),
    ],
)
def test_settings_are_validated(kw: dict[str, object], message: str) -> None:
    with pytest.raises(SettingsError, match=message):
        Settings(**kw)  # type: ignore[arg-type]


def test_settings_json_round_trip() -> None:
    s = Settings(desired_retention=0.85, learning_steps=(timedelta(minutes=3),), leech_action="tag")
    assert Settings.from_json(s.to_json()) == s
    with pytest.raises(SettingsError):
        Settings.from_json("[1]")
    with pytest.raises(SettingsError):
        Settings.from_json('{"desired_retention": 2}')


def test_leech_rule() -> None:
    assert [n for n in range(1, 20) if is_leech_lapse(n, 8)] == [8, 12, 16]
    assert [n for n in range(1, 5) if is_leech_lapse(n, 1)] == [1, 2, 3, 4]


def test_replay_counts_study_days_a_review_at_0500_and_at_2300_get_the_same_interval() -> None:
    """A recorded history replayed (replay.py) with the last review at 05:00 or at 23:00 of the
    same study day (the day turns at 04:00 London time): same elapsed days, same interval."""
    from datetime import datetime
    from zoneinfo import ZoneInfo

    from trainer.engine.days import study_day
    from trainer.engine.records import CardRow
    from trainer.engine.replay import Answer, replay

    london = ZoneInfo("Europe/London")
    settings = Settings(enable_fuzzing=False, tz=london)
    learned = datetime(2026, 3, 2, 20, 0, tzinfo=london)
    history = [
        Answer(1, learned, Rating.GOOD),
        Answer(2, learned + timedelta(minutes=1), Rating.GOOD),
        Answer(3, learned + timedelta(minutes=12), Rating.GOOD),
        Answer(4, datetime(2026, 3, 5, 9, 0, tzinfo=london), Rating.GOOD),
    ]
    row = CardRow(id=1, question_id="q", schedule=CardSchedule())
    results = {}
    for hour in (5, 23):
        last = Answer(5, datetime(2026, 3, 16, hour, 0, tzinfo=london), Rating.GOOD)
        card, steps = replay(row, [*history, last], settings, seed="s", bank_id="b")
        assert len(steps) == 5 and card.schedule.due is not None
        interval = study_day(card.schedule.due, 4, london) - study_day(last.time, 4, london)
        results[hour] = (card.schedule.stability, interval.days)
    assert results[5] == results[23]
    assert results[5][1] > 1
