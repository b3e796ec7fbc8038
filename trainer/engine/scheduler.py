"""A thin, pure layer over the ``fsrs`` package (py-fsrs 6.3) that schedules as Anki does.

Our cards have four states: ``new`` (never answered: our state, unknown to fsrs), ``learning``,
``review`` and ``relearning``. A card enters fsrs with its first review.

py-fsrs computes the memory state (stability, difficulty) and the learning steps. Three things are
done here as Anki does them, not as py-fsrs does:

- elapsed time is counted in study days (the day turns at ``day_starts_hour`` local time), so a
  card answered at 20:00 and again at 08:00 next morning is one day old, as in Anki;
- review intervals come from the unrounded FSRS interval, and on a review card Hard < Good < Easy
  by at least a day each (Anki's ``passing_fsrs_review_intervals``); Easy on a learning card is at
  least a day longer than Good;
- fuzz uses Anki's bounds and rounding (floor over ``[lower, upper]``), drawn from an injected
  ``random.Random`` so a preview and the answer that follows it agree exactly.

Due dates never pass :data:`LATEST_DUE`: near the end of what ``datetime`` can hold (a clock at
year 9990), the maximum interval and the (re)learning steps are shortened to end there, as Anki
caps intervals at its maximum interval; a clock later than :data:`LATEST_NOW` is taken as that
time (and one before :data:`EARLIEST_NOW`, as that one). Between about years 100 and 9900 nothing
changes.
"""

from __future__ import annotations

import json
import math
import random
from collections.abc import Callable
from dataclasses import dataclass, replace
from datetime import UTC, datetime, timedelta, tzinfo
from enum import IntEnum
from functools import lru_cache
from typing import Literal

import fsrs
from fsrs.scheduler import FUZZ_RANGES

from trainer.engine.days import day_bounds, elapsed_days, study_day

CardStateName = Literal["new", "learning", "review", "relearning"]
CARD_STATES: tuple[CardStateName, ...] = ("new", "learning", "review", "relearning")
LeechAction = Literal["suspend", "tag"]

_FSRS_STATE: dict[str, fsrs.State] = {
    "learning": fsrs.State.Learning,
    "review": fsrs.State.Review,
    "relearning": fsrs.State.Relearning,
}
_OUR_STATE: dict[fsrs.State, CardStateName] = {
    fsrs.State.Learning: "learning",
    fsrs.State.Review: "review",
    fsrs.State.Relearning: "relearning",
}


class Rating(IntEnum):
    """How well the trainee remembered: the four Anki buttons."""

    AGAIN = 1
    HARD = 2
    GOOD = 3
    EASY = 4


class SettingsError(ValueError):
    """A setting is out of range; the message says which and why."""


# The latest due date given, and the latest clock scheduled at (see the module docstring). A
# year and more before datetime.max: the study day after a due date, 30 days of forecast or a
# simulated year of workload, in any time zone, stay representable.
LATEST_DUE = datetime(9998, 1, 1, tzinfo=UTC)
LATEST_NOW = LATEST_DUE - timedelta(days=90)
# and the earliest clock: a learning step or a year of history before it stays representable
EARLIEST_NOW = datetime(100, 1, 1, tzinfo=UTC)
# room kept below LATEST_DUE: Hard < Good < Easy by a day each, and a daylight-saving correction
_DUE_SLACK_DAYS = 3


def clamp_now(now: datetime) -> datetime:
    """``now`` in UTC, within [EARLIEST_NOW, LATEST_NOW]: the clocks scheduled at."""
    return min(max(utc(now), EARLIEST_NOW), LATEST_NOW)


def _minutes(steps: tuple[timedelta, ...]) -> list[float]:
    return [s.total_seconds() / 60 for s in steps]


@dataclass(frozen=True)
class Settings:
    """Scheduling and session settings. The defaults are Anki's.

    ``bury_new`` / ``bury_reviews``: hide new (reviews) until tomorrow once a sibling was studied
    today. ``parameters``: the trainee's fitted FSRS-6 weights (21 numbers), None for py-fsrs's
    defaults.

    ``tz`` is the time zone of the trainee's day (the day rolls over at ``day_starts_hour`` local
    time); ``None`` means the computer's local time zone. Tests always set it. It is not persisted,
    but it counts in comparisons: where the study day ends depends on it, so the queue index and
    the memos keyed by the settings are rebuilt when only the zone changes.
    """

    desired_retention: float = 0.90
    learning_steps: tuple[timedelta, ...] = (timedelta(minutes=1), timedelta(minutes=10))
    relearning_steps: tuple[timedelta, ...] = (timedelta(minutes=10),)
    maximum_interval: int = 36500
    enable_fuzzing: bool = True
    new_per_day: int = 20
    reviews_per_day: int = 200
    day_starts_hour: int = 4
    leech_threshold: int = 8
    leech_action: LeechAction = "tag"
    learn_ahead: timedelta = timedelta(minutes=20)
    bury_new: bool = True
    bury_reviews: bool = False
    parameters: tuple[float, ...] | None = None
    tz: tzinfo | None = None

    def __post_init__(self) -> None:
        if not 0.70 <= self.desired_retention <= 0.99:
            raise SettingsError(
                f"desired retention must be between 0.70 and 0.99, not {self.desired_retention}"
            )
        for name, steps in (
            ("learning_steps", self.learning_steps),
            ("relearning_steps", self.relearning_steps),
        ):
            if any(s <= timedelta(0) for s in steps):
                raise SettingsError(f"{name} must all be positive durations")
        if not 1 <= self.maximum_interval <= 36500:
            raise SettingsError("maximum interval must be between 1 and 36500 days")
        if self.new_per_day < 0 or self.reviews_per_day < 0:
            raise SettingsError("daily limits cannot be negative")
        if not 0 <= self.day_starts_hour <= 23:
            raise SettingsError("the day must start at an hour from 0 to 23")
        if self.leech_threshold < 1:
            raise SettingsError("the leech threshold must be at least 1 lapse")
        if self.leech_action not in ("suspend", "tag"):
            raise SettingsError('the leech action must be "suspend" or "tag"')
        if self.learn_ahead < timedelta(0):
            raise SettingsError("learn ahead cannot be negative")
        if self.parameters is not None:
            check_parameters(self.parameters)

    def to_json(self) -> str:
        """Everything but ``tz``, as JSON (steps in minutes)."""
        return json.dumps(
            {
                "desired_retention": self.desired_retention,
                "learning_steps": _minutes(self.learning_steps),
                "relearning_steps": _minutes(self.relearning_steps),
                "maximum_interval": self.maximum_interval,
                "enable_fuzzing": self.enable_fuzzing,
                "new_per_day": self.new_per_day,
                "reviews_per_day": self.reviews_per_day,
                "day_starts_hour": self.day_starts_hour,
                "leech_threshold": self.leech_threshold,
                "leech_action": self.leech_action,
                "learn_ahead": self.learn_ahead.total_seconds() / 60,
                "bury_new": self.bury_new,
                "bury_reviews": self.bury_reviews,
                "parameters": None if self.parameters is None else list(self.parameters),
            },
            sort_keys=True,
        )

    @classmethod
    def from_json(cls, text: str, tz: tzinfo | None = None) -> Settings:
        """Inverse of :meth:`to_json`; unknown keys are ignored, missing ones take the default.

        Raises SettingsError on malformed JSON or bad values.
        """
        try:
            data = json.loads(text)
            if not isinstance(data, dict):
                raise TypeError("not an object")
            kwargs: dict[str, object] = {}
            for key in ("learning_steps", "relearning_steps"):
                if key in data:
                    kwargs[key] = tuple(timedelta(minutes=float(m)) for m in data[key])
            if "learn_ahead" in data:
                kwargs["learn_ahead"] = timedelta(minutes=float(data["learn_ahead"]))
            if "desired_retention" in data:
                kwargs["desired_retention"] = float(data["desired_retention"])
            for key in (
                "maximum_interval",
                "new_per_day",
                "reviews_per_day",
                "day_starts_hour",
                "leech_threshold",
            ):
                if key in data:
                    kwargs[key] = int(data[key])
            for key in ("enable_fuzzing", "bury_new", "bury_reviews"):
                if key in data:
                    kwargs[key] = bool(data[key])
            if data.get("parameters") is not None:
                kwargs["parameters"] = tuple(float(w) for w in data["parameters"])
            if "leech_action" in data:
                kwargs["leech_action"] = str(data["leech_action"])
        except (ValueError, TypeError) as exc:
            raise SettingsError(f"stored settings are not valid: {exc}") from exc
        return cls(tz=tz, **kwargs)  # type: ignore[arg-type]


FSRS6_PARAMETERS = 21


def check_parameters(parameters: tuple[float, ...]) -> None:
    """Raise SettingsError unless ``parameters`` are 21 finite FSRS-6 weights py-fsrs accepts."""
    if len(parameters) != FSRS6_PARAMETERS:
        raise SettingsError(
            f"FSRS parameters are {FSRS6_PARAMETERS} numbers (FSRS-6), not {len(parameters)}"
        )
    if not all(isinstance(w, float) and math.isfinite(w) for w in parameters):
        raise SettingsError("FSRS parameters must be finite numbers")
    try:
        fsrs.Scheduler(parameters=parameters)
    except ValueError as exc:
        raise SettingsError(f"FSRS parameters are out of range: {exc}") from exc


@dataclass(frozen=True)
class CardSchedule:
    """A card's scheduling state: FSRS memory state plus our counters. Immutable."""

    state: CardStateName = "new"
    step: int | None = None
    stability: float | None = None
    difficulty: float | None = None
    due: datetime | None = None
    last_review: datetime | None = None
    reps: int = 0
    lapses: int = 0


@lru_cache(maxsize=16)
def _fsrs_scheduler(
    desired_retention: float,
    learning_steps: tuple[timedelta, ...],
    relearning_steps: tuple[timedelta, ...],
    maximum_interval: int,
    parameters: tuple[float, ...] | None,
) -> fsrs.Scheduler:
    # Fuzz is ours (seeded); py-fsrs's own would use the global random module.
    extra: dict[str, tuple[float, ...]] = {} if parameters is None else {"parameters": parameters}
    return fsrs.Scheduler(
        **extra,
        desired_retention=desired_retention,
        learning_steps=learning_steps,
        relearning_steps=relearning_steps,
        maximum_interval=maximum_interval,
        enable_fuzzing=False,
    )


def fsrs_scheduler(settings: Settings) -> fsrs.Scheduler:
    return _fsrs_scheduler(
        settings.desired_retention,
        settings.learning_steps,
        settings.relearning_steps,
        settings.maximum_interval,
        settings.parameters,
    )


def utc(t: datetime) -> datetime:
    """``t`` in UTC (``timezone.utc`` exactly, as fsrs requires). Naive datetimes are refused."""
    if t.tzinfo is None or t.utcoffset() is None:
        raise ValueError(f"expected a timezone-aware datetime, got {t!r}")
    return t.astimezone(UTC)


def to_fsrs(schedule: CardSchedule, card_id: int, now: datetime) -> fsrs.Card:
    if schedule.state == "new":
        return fsrs.Card(card_id=card_id, state=fsrs.State.Learning, step=0, due=utc(now))
    assert schedule.due is not None
    return fsrs.Card(
        card_id=card_id,
        state=_FSRS_STATE[schedule.state],
        step=schedule.step,
        stability=schedule.stability,
        difficulty=schedule.difficulty,
        due=utc(schedule.due),
        last_review=utc(schedule.last_review) if schedule.last_review else None,
    )


def fuzz_delta(interval: float) -> float:
    """How far fuzz may move ``interval`` (days) either way: Anki's and py-fsrs's ranges."""
    if interval < 2.5:
        return 0.0
    delta = 1.0
    for r in FUZZ_RANGES:
        delta += r["factor"] * max(min(interval, r["end"]) - r["start"], 0.0)
    return delta


def fuzz_bounds(interval: float, minimum: int, maximum: int) -> tuple[int, int]:
    """Anki's ``constrained_fuzz_bounds``: the fuzz range kept within [minimum, maximum]."""
    minimum = min(minimum, maximum)
    interval = min(max(interval, float(minimum)), float(maximum))
    delta = fuzz_delta(interval)
    lower = min(max(_round_half_up(interval - delta), minimum), maximum)
    upper = min(max(_round_half_up(interval + delta), minimum), maximum)
    if upper == lower and 2 < upper < maximum:
        upper = lower + 1
    return lower, upper


def _round_half_up(x: float) -> int:
    """Rust's ``f32::round`` (half away from zero; our values are positive)."""
    return math.floor(x + 0.5)


def constrain_interval(
    interval: float, minimum: int, maximum: int, fuzz_factor: float | None
) -> int:
    """Anki's ``with_review_fuzz``: whole days within [minimum, maximum], fuzzed if a factor."""
    minimum = max(1, minimum)
    if fuzz_factor is None:
        return min(max(_round_half_up(interval), minimum), max(minimum, maximum))
    lower, upper = fuzz_bounds(interval, minimum, maximum)
    return math.floor(lower + fuzz_factor * (1 + upper - lower))


def fuzz_interval(interval: timedelta, maximum_interval: int, rng: random.Random) -> timedelta:
    """An interval of whole days fuzzed within Anki's bounds (kept for callers and tests)."""
    days = constrain_interval(interval.total_seconds() / 86400, 1, maximum_interval, rng.random())
    return timedelta(days=days)


def within_time(settings: Settings, now: datetime) -> Settings:
    """``settings``, with the maximum interval and the steps shortened where ``now`` plus them
    would pass :data:`LATEST_DUE` (the same object otherwise: nothing changes before ~9900)."""
    room = LATEST_DUE - now
    days = room.days - _DUE_SLACK_DAYS
    longest = max((*settings.learning_steps, *settings.relearning_steps), default=timedelta(0))
    if settings.maximum_interval <= days and longest <= room - timedelta(days=_DUE_SLACK_DAYS):
        return settings
    step = max(timedelta(minutes=1), min(room, timedelta(days=days)))
    return replace(
        settings,
        maximum_interval=max(1, min(settings.maximum_interval, days)),
        learning_steps=tuple(min(s, step) for s in settings.learning_steps),
        relearning_steps=tuple(min(s, step) for s in settings.relearning_steps),
    )


def _interval_days(sched: fsrs.Scheduler, stability: float) -> float:
    """The unrounded FSRS interval for ``stability`` at the scheduler's desired retention."""
    return float(stability / sched._FACTOR * (sched.desired_retention ** (1 / sched._DECAY) - 1))


def _fsrs_review(
    schedule: CardSchedule, rating: Rating, now: datetime, settings: Settings, card_id: int
) -> fsrs.Card:
    """py-fsrs's answer, with the time since the last review given in whole study days."""
    card = to_fsrs(schedule, card_id, now)
    if card.last_review is not None:
        days = elapsed_days(card.last_review, now, settings.day_starts_hour, settings.tz)
        card.last_review = now - timedelta(days=days)
    after, _ = fsrs_scheduler(settings).review_card(card, fsrs.Rating(int(rating)), now)
    return after


def _due_in_days(now: datetime, days: int, settings: Settings) -> datetime:
    """``days`` study days after ``now``, at the same time of day where the clock allows."""
    hour, tz = settings.day_starts_hour, settings.tz
    due = now + timedelta(days=days)
    target = study_day(now, hour, tz) + timedelta(days=days)
    if study_day(due, hour, tz) != target:
        # a daylight-saving change moved now + N x 24 h into a neighbouring study day
        due = day_bounds(due, hour, tz)[0]
        if study_day(due, hour, tz) != target:
            due = day_bounds(now + timedelta(days=days + 1), hour, tz)[0]
    return due


def review(
    schedule: CardSchedule,
    rating: Rating,
    now: datetime,
    settings: Settings,
    *,
    card_id: int,
    fuzz_seed: str | None = None,
) -> CardSchedule:
    """The schedule after answering with ``rating`` at ``now``. Pure: ``schedule`` is not changed.

    When ``settings.enable_fuzzing``, the fuzz factor is ``random.Random(fuzz_seed).random()``
    (unseeded if None), one factor for Hard, Good and Easy as in Anki, so the same seed gives the
    same interval in :func:`preview` and here.
    """
    now = clamp_now(now)
    settings = within_time(settings, now)
    card = _fsrs_review(schedule, rating, now, settings, card_id)
    due = card.due
    if card.state == fsrs.State.Review:
        days = _review_days(schedule, rating, card, now, settings, card_id, fuzz_seed)
        due = _due_in_days(now, days, settings)
    lapsed = schedule.state == "review" and rating == Rating.AGAIN
    return CardSchedule(
        state=_OUR_STATE[card.state],
        step=card.step,
        stability=card.stability,
        difficulty=card.difficulty,
        due=due,
        last_review=card.last_review,
        reps=schedule.reps + 1,
        lapses=schedule.lapses + (1 if lapsed else 0),
    )


def _review_days(
    schedule: CardSchedule,
    rating: Rating,
    card: fsrs.Card,
    now: datetime,
    settings: Settings,
    card_id: int,
    fuzz_seed: str | None,
) -> int:
    """Whole days until a card that ``card`` (the fsrs answer) put in review is due again."""
    sched = fsrs_scheduler(settings)
    maximum = settings.maximum_interval
    factor = random.Random(fuzz_seed).random() if settings.enable_fuzzing else None

    def interval(r: Rating) -> float:
        if r == rating:
            stability = card.stability
        else:
            stability = _fsrs_review(schedule, r, now, settings, card_id).stability
        assert stability is not None
        return _interval_days(sched, stability)

    if schedule.state == "review":
        # Anki: hard >= 1, good >= hard + 1, easy >= good + 1 (each fuzzed)
        days = constrain_interval(interval(Rating.HARD), 1, maximum, factor)
        if rating == Rating.HARD:
            return days
        days = constrain_interval(interval(Rating.GOOD), days + 1, maximum, factor)
        if rating == Rating.GOOD:
            return days
        return constrain_interval(interval(Rating.EASY), days + 1, maximum, factor)
    # graduating from (re)learning: Easy is at least a day longer than Good
    if rating == Rating.EASY:
        good = constrain_interval(interval(Rating.GOOD), 1, maximum, factor)
        easy = max(1.0, float(_round_half_up(interval(Rating.EASY))))
        return constrain_interval(easy, good + 1, maximum, factor)
    return constrain_interval(max(1.0, float(_round_half_up(interval(rating)))), 1, maximum, factor)


def preview(
    schedule: CardSchedule,
    now: datetime,
    settings: Settings,
    *,
    card_id: int,
    fuzz_seed: str | None = None,
) -> dict[Rating, timedelta]:
    """The next interval for each rating (what Anki shows on its buttons). Pure."""
    out: dict[Rating, timedelta] = {}
    for rating in Rating:
        after = review(schedule, rating, now, settings, card_id=card_id, fuzz_seed=fuzz_seed)
        assert after.due is not None
        out[rating] = after.due - clamp_now(now)
    return out


DAY_US = 86_400_000_000  # microseconds in a day


def retrievability_fn(settings: Settings) -> Callable[[float, int], float | None]:
    """``r(stability, elapsed_days)``: fsrs.Scheduler.get_card_retrievability's formula and
    constants, without building an fsrs.Card per call (stats and home ask for every card's).
    ``elapsed_days`` is whole days since the last review (timedelta.days: floored)."""
    sched = fsrs_scheduler(settings)
    factor, decay = sched._FACTOR, sched._DECAY

    def r(stability: float, elapsed_days: int) -> float | None:
        value = (1 + factor * max(0, elapsed_days) / stability) ** decay
        return float(value) if math.isfinite(value) else None

    return r


def retrievability(schedule: CardSchedule, now: datetime, settings: Settings) -> float | None:
    """Predicted probability of recall at ``now`` (elapsed time in study days, as Anki counts it);
    None for a new card."""
    if schedule.state == "new" or schedule.stability is None or schedule.last_review is None:
        return None
    days = elapsed_days(utc(schedule.last_review), utc(now), settings.day_starts_hour, settings.tz)
    return retrievability_fn(settings)(schedule.stability, days)


def is_leech_lapse(lapses: int, threshold: int) -> bool:
    """Anki's rule: a leech at ``threshold`` lapses, then every half threshold (rounded up)."""
    if threshold <= 0 or lapses < threshold:
        return False
    return (lapses - threshold) % max(1, math.ceil(threshold / 2)) == 0
