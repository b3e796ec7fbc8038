"""Workload: how many answers a day the next year will ask for at a desired retention.

Like Anki's simulator (its options screen and "workload" graph), this is an ESTIMATE from FSRS:
cards are answered on the day they fall due, recalled with the probability FSRS predicts, rated
Hard/Good/Easy (when recalled) or their first time with Anki's default rating frequencies, and
rescheduled at the desired retention; new cards are introduced at the daily limit (capped by what
is left of the review limit, as in Anki), reviews beyond the review limit wait a day. A day's
workload counts reviews and new cards introduced (not the learning steps within a day).

With the ``[fsrs]`` extra, fsrs-rs-python's simulator runs over a deck of as many cards as the
bank has, all new (it cannot start from the trainee's cards). Without it, a small pure-Python
simulator here starts from the trainee's real cards (their stability, difficulty and due days)
plus the new ones; it uses py-fsrs's own formulas. Both are seeded: the same inputs give the same
figures.
"""

from __future__ import annotations

import math
import random
from dataclasses import dataclass, replace
from typing import TYPE_CHECKING, Literal

import fsrs

from trainer.engine.days import elapsed_days, study_day
from trainer.engine.scheduler import Settings, fsrs_scheduler

if TYPE_CHECKING:
    from trainer.engine.engine import Engine

# Anki's default rating frequencies (fsrs-rs default_simulator_config)
FIRST_RATING_PROB = (0.24, 0.094, 0.495, 0.171)  # Again, Hard, Good, Easy on a new card
REVIEW_RATING_PROB = (0.224, 0.631, 0.145)  # Hard, Good, Easy when recalled
RETENTIONS = tuple(round(0.70 + 0.01 * i, 2) for i in range(28))  # 0.70 .. 0.97
DAYS = 365
SEED = 2024

Method = Literal["fsrs-rs", "estimate"]


@dataclass(frozen=True)
class SimCard:
    stability: float
    difficulty: float
    last: int  # study day of the last answer (0 = today, negative = before)
    due: int  # study day due (0 = today)


@dataclass(frozen=True)
class Deck:
    cards: tuple[SimCard, ...]  # seen cards
    new: int  # cards never answered

    @property
    def size(self) -> int:
        return len(self.cards) + self.new


@dataclass(frozen=True)
class Forecast:
    retention: float
    reviews: tuple[int, ...]  # per day
    learned: tuple[int, ...]  # new cards introduced per day
    method: Method

    @property
    def per_day(self) -> float:
        """Mean answers per day (reviews + new cards) over the simulated days."""
        days = len(self.reviews)
        return (sum(self.reviews) + sum(self.learned)) / days if days else 0.0


def deck_of(engine: Engine) -> Deck:
    """The engine's active, unsuspended cards, as the simulator starts from them."""
    now = engine.now()
    hour, tz = engine.settings.day_starts_hour, engine.settings.tz
    today = study_day(now, hour, tz)
    cards: list[SimCard] = []
    new = 0
    for row in engine.store.cards(engine.bank.id):
        s = row.schedule
        if row.suspended:
            continue
        if s.state == "new" or s.stability is None or s.difficulty is None:
            new += 1
            continue
        last = -elapsed_days(s.last_review, now, hour, tz) if s.last_review else 0
        due = 0 if s.due is None else max(0, (study_day(s.due, hour, tz) - today).days)
        cards.append(SimCard(s.stability, s.difficulty, last, due))
    return Deck(tuple(cards), new)


def _pick(rng: random.Random, probs: tuple[float, ...]) -> int:
    x = rng.random() * sum(probs)
    for i, p in enumerate(probs):
        x -= p
        if x < 0:
            return i
    return len(probs) - 1


def simulate_python(
    deck: Deck, settings: Settings, retention: float, days: int = DAYS, seed: int = SEED
) -> Forecast:
    """The pure-Python estimate (see the module docstring)."""
    sched = fsrs_scheduler(replace(settings, desired_retention=retention))
    factor, decay = sched._FACTOR, sched._DECAY
    maximum = settings.maximum_interval
    rng = random.Random(seed)

    def interval(stability: float) -> int:
        ivl = stability / factor * (retention ** (1 / decay) - 1)
        return int(min(max(1, round(ivl)), maximum))

    # per card: [stability, difficulty, last day]; buckets of card indexes by due day
    state: list[list[float]] = []
    due: dict[int, list[int]] = {}
    for c in deck.cards:
        state.append([c.stability, c.difficulty, float(c.last)])
        due.setdefault(c.due, []).append(len(state) - 1)
    new_left = deck.new
    reviews: list[int] = []
    learned: list[int] = []
    for day in range(days):
        todo = due.pop(day, [])
        if len(todo) > settings.reviews_per_day:
            due.setdefault(day + 1, []).extend(todo[settings.reviews_per_day :])
            todo = todo[: settings.reviews_per_day]
        for i in todo:
            stability, difficulty, last = state[i]
            r = (1 + factor * max(0.0, day - last) / stability) ** decay
            if rng.random() < r:
                rating = fsrs.Rating(2 + _pick(rng, REVIEW_RATING_PROB))
                stability = sched._next_recall_stability(
                    difficulty=difficulty, stability=stability, retrievability=r, rating=rating
                )
            else:
                rating = fsrs.Rating.Again
                stability = sched._next_forget_stability(
                    difficulty=difficulty, stability=stability, retrievability=r
                )
            stability = sched._clamp_stability(stability=stability)
            difficulty = sched._next_difficulty(difficulty=difficulty, rating=rating)
            state[i] = [stability, difficulty, float(day)]
            due.setdefault(day + interval(stability), []).append(i)
        n_new = min(new_left, settings.new_per_day, max(0, settings.reviews_per_day - len(todo)))
        for _ in range(n_new):
            rating = fsrs.Rating(1 + _pick(rng, FIRST_RATING_PROB))
            stability = sched._initial_stability(rating=rating)
            difficulty = sched._initial_difficulty(rating=rating, clamp=True)
            state.append([stability, difficulty, float(day)])
            due.setdefault(day + interval(stability), []).append(len(state) - 1)
        new_left -= n_new
        reviews.append(len(todo))
        learned.append(n_new)
    return Forecast(retention, tuple(reviews), tuple(learned), "estimate")


def fsrs_rs_available() -> bool:
    try:
        import fsrs_rs_python  # noqa: F401
    except ImportError:
        return False
    return True


def simulate_rs(
    deck: Deck, settings: Settings, retention: float, days: int = DAYS, seed: int = SEED
) -> Forecast:
    """fsrs-rs-python's simulator over a deck of ``deck.size`` new cards."""
    import fsrs_rs_python as rs

    from trainer.engine.fsrs_fit import current_parameters

    config = rs.default_simulator_config()
    config.deck_size = max(1, deck.size)
    config.learn_span = days
    config.learn_limit = settings.new_per_day
    config.review_limit = settings.reviews_per_day
    config.new_cards_ignore_review_limit = False
    config.max_ivl = float(settings.maximum_interval)
    config.max_cost_perday = math.inf
    config.learning_step_count = len(settings.learning_steps)
    config.relearning_step_count = len(settings.relearning_steps)
    result = rs.simulate(list(current_parameters(settings)), retention, config, seed)
    return Forecast(
        retention,
        tuple(int(n) for n in result.review_cnt_per_day[:days]),
        tuple(int(n) for n in result.learn_cnt_per_day[:days]),
        "fsrs-rs",
    )


def simulate(
    deck: Deck,
    settings: Settings,
    retention: float | None = None,
    *,
    days: int = DAYS,
    seed: int = SEED,
    method: Method | None = None,
) -> Forecast:
    """A year (``days``) of workload at ``retention`` (default: the settings'): fsrs-rs when the
    extra is installed, else the pure-Python estimate (``method`` forces one)."""
    retention = settings.desired_retention if retention is None else retention
    if method is None:
        method = "fsrs-rs" if fsrs_rs_available() else "estimate"
    if method == "fsrs-rs":
        return simulate_rs(deck, settings, retention, days, seed)
    return simulate_python(deck, settings, retention, days, seed)


def workload_curve(
    deck: Deck,
    settings: Settings,
    retentions: tuple[float, ...] = RETENTIONS,
    *,
    days: int = DAYS,
    seed: int = SEED,
    method: Method | None = None,
) -> list[tuple[float, float]]:
    """(desired retention, mean answers per day) for each retention (Anki's workload graph)."""
    return [
        (r, simulate(deck, settings, r, days=days, seed=seed, method=method).per_day)
        for r in retentions
    ]
