"""Building today's study queue. Pure: no database, no clock.

Order: learning cards due now (soonest first), then reviews due today, then new cards; reviews and
new cards interleave topics. As in Anki: a new card is buried (hidden until tomorrow) once a
sibling (a question with the same primary objective) was studied today, a due review only if
``bury_reviews`` is set (off by default: burying never delays a due review), and new cards are
capped by what is left of the review limit after today's reviews. If nothing else is left, a
learning card due within the learn-ahead window is shown rather than ending the session.
"""

from __future__ import annotations

from collections.abc import Callable, Hashable, Iterable, Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import NamedTuple, TypeVar

from trainer.engine.scheduler import CardStateName

T = TypeVar("T")


class QueueCard(NamedTuple):
    """A card as the queue sees it (a named tuple: built for every card when the cache loads)."""

    qid: str
    topic: str
    sibling_key: str
    state: CardStateName
    due: datetime | None
    order: int  # bank order, for new cards


@dataclass(frozen=True)
class Queue:
    learning: tuple[QueueCard, ...]  # due now
    review: tuple[QueueCard, ...]  # due today, within the review limit
    new: tuple[QueueCard, ...]  # within the new limit
    ahead: tuple[QueueCard, ...]  # learning, due within learn-ahead (shown when all else is done)

    def first(self) -> QueueCard | None:
        for part in (self.learning, self.review, self.new, self.ahead):
            if part:
                return part[0]
        return None


def interleave(
    items: Iterable[T], key: Callable[[T], Hashable], last: Hashable | None = None
) -> list[T]:
    """Round-robin across groups (in order of first appearance), keeping order within each group.

    The group ``last`` (the topic just studied) goes last in each round, so a session alternates
    topics even though the queue is rebuilt after every answer.
    """
    groups: dict[Hashable, list[T]] = {}
    for item in items:
        groups.setdefault(key(item), []).append(item)
    if last in groups:
        groups[last] = groups.pop(last)
    out: list[T] = []
    lists = list(groups.values())
    i = 0
    while lists:
        lists = [g for g in lists if len(g) > i]
        out.extend(g[i] for g in lists)
        i += 1
    return out


def build_queue(
    cards: Sequence[QueueCard],
    *,
    now: datetime,
    day_end: datetime,
    learn_ahead: timedelta,
    new_left: int,
    reviews_left: int,
    buried: frozenset[str],
    last_topic: str | None = None,
    bury_new: bool = True,
    bury_reviews: bool = False,
) -> Queue:
    """``cards`` are the active, unsuspended cards; ``buried`` the sibling keys studied today;
    ``last_topic`` the topic of the last answer today (reviews and new cards start elsewhere)."""
    learning: list[QueueCard] = []
    ahead: list[QueueCard] = []
    review: list[QueueCard] = []
    new: list[QueueCard] = []
    for c in cards:
        if c.state in ("learning", "relearning"):
            assert c.due is not None
            if c.due <= now:
                learning.append(c)
            elif c.due <= now + learn_ahead:
                ahead.append(c)
        elif c.state == "review":
            assert c.due is not None
            if c.due < day_end and not (bury_reviews and c.sibling_key in buried):
                review.append(c)
        elif not (bury_new and c.sibling_key in buried):
            new.append(c)
    by_due: Callable[[QueueCard], tuple[datetime, str]] = lambda c: (c.due or now, c.qid)  # noqa: E731
    learning.sort(key=by_due)
    ahead.sort(key=by_due)
    review.sort(key=by_due)
    new.sort(key=lambda c: c.order)
    reviews = interleave(review, lambda c: c.topic, last_topic)[: max(0, reviews_left)]
    # Anki's default: the review limit caps new cards too (200 reviews left, 190 due: 10 new)
    new_cap = max(0, min(new_left, reviews_left - len(reviews)))
    return Queue(
        learning=tuple(learning),
        review=tuple(reviews),
        new=tuple(interleave(new, lambda c: c.topic, last_topic)[:new_cap]),
        ahead=tuple(ahead),
    )
