"""Study statistics, computed from the cards and the review log. Pure.

Definitions:
- cards: active (not retired) cards by state; suspended cards are counted only under ``suspended``.
- due_now: unsuspended seen cards due at or before now; due_today: due before the day rolls over.
- forecast: unsuspended seen cards due on each of the next 30 study days (day 0 = today, overdue
  included).
- reviews_per_day: answers logged (any mode) on each of the last 30 study days, oldest first.
- true_retention: share of scheduled answers to cards in the review state that passed (not AGAIN).
- mean_retrievability: mean FSRS retrievability now of the seen, unsuspended cards.
- mastery (per topic, 0..1): the sum of the current retrievability of the topic's cards in the
  review state (learnt: graduated from learning and not lapsed) divided by the number of its cards.
  New, learning and relearning cards count as 0, so a topic is mastered only when all of it has been
  learnt and is still remembered; a question just failed is not counted as known.
- correct_by_topic (Engine.correct_by_topic, apart from Stats): per topic, (right, answered) over
  every answer logged in any mode, as a QBank's "percent correct" (self-rated recall: right unless
  rated Again). Unlike retention it counts practice, exam and new-card answers too.
- streak: consecutive study days, ending today (or yesterday if nothing was done yet today), with at
  least one answer logged.

The log is never read: the engine asks the database for aggregates, which it keeps as counters
updated in each answer's own transaction (store/schema.py: per card, answers, right answers and
true-retention pass/total; per bank and hour, answers), and sums them over the study days whose
boundaries are computed here, exactly, in the trainee's time zone; they are passed in as LogFacts.
"""

from __future__ import annotations

from bisect import bisect_right
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from datetime import datetime, timedelta

from trainer.bank.models import Bank
from trainer.engine.days import study_day
from trainer.engine.records import CardRow
from trainer.engine.scheduler import Settings, retrievability
from trainer.engine.summary import (
    HISTORY_DAYS,
    day_edges,
    history_edges,
    mastery_by_topic,
    study_streak,
)

FORECAST_DAYS = 30

__all__ = [
    "FORECAST_DAYS",
    "HISTORY_DAYS",
    "LogFacts",
    "Stats",
    "TopicStats",
    "compute",
    "correct_by_topic",
    "day_edges",
    "history_edges",
    "mastery_by_topic",
    "study_streak",
]


@dataclass(frozen=True)
class TopicStats:
    cards: int
    new: int
    due: int  # due today
    mastery: float
    retention: float | None

    def to_dict(self) -> dict[str, object]:
        return {
            "cards": self.cards,
            "new": self.new,
            "due": self.due,
            "mastery": self.mastery,
            "retention": self.retention,
        }


@dataclass(frozen=True)
class Stats:
    bank_id: str
    bank_title: str
    generated: datetime
    reviews: int
    cards: dict[str, int]
    due_now: int
    due_today: int
    forecast: tuple[int, ...]
    reviews_per_day: tuple[tuple[str, int], ...]
    true_retention: float | None
    mean_retrievability: float | None
    by_topic: dict[str, TopicStats]
    streak: int
    mastery: dict[str, float] = field(default_factory=dict)

    def to_dict(self) -> dict[str, object]:
        return {
            "bank": {"id": self.bank_id, "title": self.bank_title},
            "generated": self.generated.isoformat(),
            "reviews": self.reviews,
            "cards": dict(self.cards),
            "due_now": self.due_now,
            "due_today": self.due_today,
            "forecast": list(self.forecast),
            "reviews_per_day": [[d, n] for d, n in self.reviews_per_day],
            "true_retention": self.true_retention,
            "mean_retrievability": self.mean_retrievability,
            "by_topic": {t: s.to_dict() for t, s in self.by_topic.items()},
            "mastery": dict(self.mastery),
            "streak": self.streak,
        }


def _ratio(passed: int, total: int) -> float | None:
    return passed / total if total else None


@dataclass(frozen=True)
class LogFacts:
    """What the statistics need from the review log (see Engine.stats)."""

    reviews: int  # answers logged for the bank's cards
    retention: Mapping[str, tuple[int, int]]  # question id -> (passed, total), see true_retention
    per_day: Sequence[int]  # answers on each of the HISTORY_DAYS study days ending today
    streak: int


def compute(
    bank: Bank,
    cards: Sequence[CardRow],
    log: LogFacts,
    now: datetime,
    settings: Settings,
) -> Stats:
    """``cards``: the bank's active cards; ``log``: the facts of its review log."""
    hour, tz = settings.day_starts_hour, settings.tz
    today = study_day(now, hour, tz)
    # forecast[k] counts due times in [edges[k], edges[k + 1]); overdue cards fall in day 0
    edges = day_edges(today, FORECAST_DAYS, hour, tz)
    day_end = edges[1]
    topic_of = {q.id: bank.topic_of(q) for q in bank.questions}

    counts = {"new": 0, "learning": 0, "review": 0, "relearning": 0, "suspended": 0}
    due_now = due_today = 0
    forecast = [0] * FORECAST_DAYS
    r_values: list[float] = []
    topics: dict[str, dict[str, float]] = {
        t: {"cards": 0, "new": 0, "due": 0, "r_sum": 0.0, "passed": 0, "total": 0}
        for t in bank.topics
    }
    for row in cards:
        topic = topic_of.get(row.question_id, "unknown")
        t = topics.setdefault(
            topic, {"cards": 0, "new": 0, "due": 0, "r_sum": 0.0, "passed": 0, "total": 0}
        )
        t["cards"] += 1
        s = row.schedule
        if s.state == "new":
            t["new"] += 1
        if row.suspended:
            counts["suspended"] += 1
        else:
            counts[s.state] += 1
        r = retrievability(s, now, settings)
        if r is not None:
            if s.state == "review":
                t["r_sum"] += r
            if not row.suspended:
                r_values.append(r)
        if row.suspended or s.state == "new" or s.due is None:
            continue
        if s.due <= now:
            due_now += 1
        if s.due < day_end:
            due_today += 1
            t["due"] += 1
        offset = max(0, bisect_right(edges, s.due) - 1)
        if offset < FORECAST_DAYS:
            forecast[offset] += 1

    passed = total = 0
    for qid, (ok, n) in log.retention.items():
        passed += ok
        total += n
        tt = topics.get(topic_of.get(qid, ""))
        if tt is not None:
            tt["total"] += n
            tt["passed"] += ok

    first_day = today - timedelta(days=HISTORY_DAYS - 1)
    per_day = tuple(
        ((first_day + timedelta(days=i)).isoformat(), int(log.per_day[i]))
        for i in range(HISTORY_DAYS)
    )
    by_topic = {
        name: TopicStats(
            cards=int(t["cards"]),
            new=int(t["new"]),
            due=int(t["due"]),
            mastery=t["r_sum"] / t["cards"] if t["cards"] else 0.0,
            retention=_ratio(int(t["passed"]), int(t["total"])),
        )
        for name, t in topics.items()
    }
    return Stats(
        bank_id=bank.id,
        bank_title=bank.title,
        generated=now,
        reviews=log.reviews,
        cards=counts,
        due_now=due_now,
        due_today=due_today,
        forecast=tuple(forecast),
        reviews_per_day=per_day,
        true_retention=_ratio(passed, total),
        mean_retrievability=sum(r_values) / len(r_values) if r_values else None,
        by_topic=by_topic,
        streak=log.streak,
        mastery={name: s.mastery for name, s in by_topic.items()},
    )


def correct_by_topic(
    bank: Bank, counts: Mapping[str, tuple[int, int]]
) -> dict[str, tuple[int, int]]:
    """Per topic of ``bank`` (bank order): the (right, answered) of ``counts`` (question id ->
    (right, answered)) summed over its questions; questions no longer in the bank are left out."""
    topic_of = {q.id: bank.topic_of(q) for q in bank.questions}
    totals = {t: [0, 0] for t in bank.topics}
    for qid, (right, answered) in counts.items():
        topic = topic_of.get(qid)
        if topic is None:
            continue
        total = totals.setdefault(topic, [0, 0])
        total[0] += right
        total[1] += answered
    return {t: (right, answered) for t, (right, answered) in totals.items()}
