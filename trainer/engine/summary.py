"""What the home screen needs, light enough for the start path: study-day edges, the streak and
mastery per topic (the full statistics are in stats.py, which uses these too)."""

from __future__ import annotations

import math
from collections import Counter
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta, tzinfo

from trainer.bank.models import Bank
from trainer.engine.days import day_bounds, day_start, elapsed_days_us, study_day
from trainer.engine.records import CardCols
from trainer.engine.scheduler import Settings, fsrs_scheduler, retrievability_fn
from trainer.engine.store.codec import to_us

HISTORY_DAYS = 30
STREAK_CHUNK_DAYS = 60  # days asked for at a time when a streak runs past the history window


def day_edges(first: date, days: int, hour: int, tz: tzinfo | None) -> list[datetime]:
    """The starts (UTC) of study days ``first`` .. ``first + days``: ``days`` periods, each one
    exactly a study day (23 or 25 hours across a DST change)."""
    return [day_start(first + timedelta(days=i), hour, tz) for i in range(days + 1)]


def history_edges(now: datetime, settings: Settings) -> list[datetime]:
    """The edges of the HISTORY_DAYS study days ending today (for LogFacts.per_day)."""
    today = study_day(now, settings.day_starts_hour, settings.tz)
    first = today - timedelta(days=HISTORY_DAYS - 1)
    return day_edges(first, HISTORY_DAYS, settings.day_starts_hour, settings.tz)


def study_streak(
    today: date,
    recent: Sequence[bool],
    earlier: Callable[[date, int], Sequence[bool]],
) -> int:
    """Consecutive active study days ending today (or yesterday if today has nothing yet).

    ``recent``: whether each of the days ending today had an answer, oldest first.
    ``earlier(last, n)``: the same for the ``n`` days ending on ``last``, asked only while the
    streak runs past what is known, so the work follows the streak, not the size of the log.
    """
    flags = list(recent)
    oldest = today - timedelta(days=len(flags) - 1)
    i = len(flags) - 1
    if i >= 0 and not flags[i]:
        i -= 1  # nothing yet today: the streak may still end yesterday
    streak = 0
    chunk = STREAK_CHUNK_DAYS
    while True:
        while i >= 0 and flags[i]:
            streak += 1
            i -= 1
        if i >= 0:
            return streak
        last = oldest - timedelta(days=1)
        flags = list(earlier(last, chunk))
        if not flags:
            return streak
        oldest = last - timedelta(days=len(flags) - 1)
        i = len(flags) - 1
        chunk = min(chunk * 2, 3650)


def mastery_by_topic(
    bank: Bank,
    cards: Iterable[CardCols],
    now: datetime,
    settings: Settings,
    topic_of: Mapping[str, str] | None = None,
) -> dict[str, float]:
    """Per topic (the bank's, in order, then any other): see ``mastery`` in stats.py.

    From the stored columns (no CardRow per card), with the same arithmetic in the same order as
    Stats.mastery (cards in id order), so both give identical values. ``topic_of``: question id
    to topic, if the caller has it already."""
    if topic_of is None:
        topic_of = {q.id: bank.topic_of(q) for q in bank.questions}
    r_of = retrievability_fn(settings)
    start_us = to_us(day_bounds(now, settings.day_starts_hour, settings.tz)[0])
    r_sum: dict[str, float] = {t: 0.0 for t in bank.topics}
    n: dict[str, int] = {t: 0 for t in bank.topics}
    for t in cards:
        qid, state, stability, last = t.question_id, t.state, t.stability, t.last_review
        topic = topic_of.get(qid, "unknown")
        n[topic] = n.get(topic, 0) + 1
        r_sum.setdefault(topic, 0.0)
        if state == "review" and stability is not None and last is not None:
            r = r_of(stability, elapsed_days_us(last, start_us))
            if r is not None:
                r_sum[topic] += r
    return {t: r_sum[t] / n[t] if n[t] else 0.0 for t in n}


def mastery_of_reviews(
    bank: Bank,
    topic_of: Mapping[str, str],
    recalls: Iterable[tuple[str, float | None]],
) -> dict[str, float]:
    """``mastery_by_topic`` when every card of ``topic_of`` (question id -> topic: the active
    questions, each with a card) is known only by ``recalls``: (question id, retrievability or
    None) of its review cards with a stability and a last review, in id order
    (Cards.mastery_rows: retrievability_fn's value, from SQL or from it). Identical values: the
    other cards add nothing to a topic's sum, and each sum adds the same terms in the same
    order."""
    n: dict[str, int] = {t: 0 for t in bank.topics}
    n.update(Counter(topic_of.values()))
    sums = dict.fromkeys(n, 0.0)
    inf = math.inf
    for qid, r in recalls:
        # as retrievability_fn: a value that is not finite counts for nothing (SQL's NaN is
        # None, and pow() of a positive base is never below zero: inf is the one to drop)
        if r is not None and r < inf:
            try:
                sums[topic_of[qid]] += r
            except KeyError:  # pragma: no cover - every active question has a card
                topic = topic_of.get(qid, "unknown")
                sums[topic] = sums.get(topic, 0.0) + r
                n.setdefault(topic, 0)
    return {t: sums[t] / n[t] if n[t] else 0.0 for t in n}


def retrievability_curve(settings: Settings) -> tuple[float, float]:
    """(factor, decay) of the forgetting curve of retrievability_fn for these settings."""
    sched = fsrs_scheduler(settings)
    return float(sched._FACTOR), float(sched._DECAY)


@dataclass
class TopicMastery:
    """``mastery_by_topic`` kept between calls: a topic's sum is added up again (over its cards
    in id order, as mastery_by_topic and Stats.mastery do, so the values are identical) only
    when one of its cards changed (``changed``); the others are reused. For one study day
    (``start_us``) and one ``r_of`` (the settings'): a new day or settings make a new one."""

    start_us: int
    r_of: Callable[[float, int], float | None]
    topic_of: Mapping[str, str]
    order: list[str]  # the topics, as mastery_by_topic orders them
    ids: dict[str, list[str]]  # topic -> its cards' question ids, in id order
    sums: dict[str, float] = field(default_factory=dict)
    dirty: set[str] = field(default_factory=set)

    @classmethod
    def of(
        cls,
        bank: Bank,
        qids: Iterable[str],
        topic_of: Mapping[str, str],
        now: datetime,
        settings: Settings,
    ) -> TopicMastery:
        """For the cards ``qids`` (in id order) on the study day of ``now``."""
        ids: dict[str, list[str]] = {t: [] for t in bank.topics}
        for qid in qids:
            ids.setdefault(topic_of.get(qid, "unknown"), []).append(qid)
        start_us = to_us(day_bounds(now, settings.day_starts_hour, settings.tz)[0])
        topics = list(ids)
        return cls(start_us, retrievability_fn(settings), topic_of, topics, ids, {}, set(topics))

    def changed(self, qid: str) -> None:
        self.dirty.add(self.topic_of.get(qid, "unknown"))

    def values(self, cards: Mapping[str, CardCols]) -> dict[str, float]:
        start_us, r_of = self.start_us, self.r_of
        for topic in self.dirty:
            total = 0.0
            for qid in self.ids.get(topic, ()):
                t = cards[qid]
                stability, last = t.stability, t.last_review
                if t.state == "review" and stability is not None and last is not None:
                    r = r_of(stability, elapsed_days_us(last, start_us))
                    if r is not None:
                        total += r
            self.sums[topic] = total
        self.dirty.clear()
        return {t: self.sums[t] / len(self.ids[t]) if self.ids[t] else 0.0 for t in self.order}
