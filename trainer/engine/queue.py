"""Building today's study queue. Pure: no database, no clock.

Order: learning cards due now (soonest first), then reviews due today, then new cards; reviews and
new cards interleave topics. As in Anki: a new card is buried (hidden until tomorrow) once a
sibling (a question with the same primary objective) was studied today, a due review only if
``bury_reviews`` is set (off by default: burying never delays a due review), and new cards are
capped by what is left of the review limit after today's reviews. If nothing else is left, a
learning card due within the learn-ahead window is shown rather than ending the session.
"""

from __future__ import annotations

import bisect
import heapq
from collections.abc import Callable, Hashable, Iterable, Mapping, Sequence
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


# -- the incremental queue -------------------------------------------------------------------------

_LEARNING = ("learning", "relearning")
FAR = 1 << 62  # "never", in UTC microseconds


def queue_lengths(reviews: int, new: int, new_left: int, reviews_left: int) -> tuple[int, int]:
    """(len(Queue.review), len(Queue.new)) for ``reviews`` due reviews and ``new`` new cards
    that burying does not hide: the review limit first, then new cards within both limits."""
    review = min(max(0, reviews_left), reviews)
    new_cap = max(0, min(new_left, reviews_left - review))
    return review, min(new_cap, new)


def _due_of(entry: tuple[int, str]) -> int:
    return entry[0]


class QueueIndex:
    """Today's queue kept up to date card by card, so that the next question and the counts after
    an answer cost O(changed cards + topics), not O(bank). ``build_queue`` is the reference: for
    the same cards and day log, ``first``/``counts`` agree with it exactly (a property test checks).

    Built for one study day and one set of settings (``day_end``, burying): a new day or new
    settings build a new index. Inside the day, ``put`` moves a changed card and
    ``bury``/``set_buried`` follow today's log. Kept:

    * learning cards (any due): one list sorted by (due, qid); "due now" and "learn-ahead" are
      prefixes of it, found by bisection at the asked time;
    * reviews due before ``day_end`` and new cards: per pool, the members (qid -> due or bank
      order), a count per sibling key (for burying), and per topic a heap of (due or order, qid)
      whose stale entries (moved, buried) are dropped when they reach the top.
    """

    def __init__(
        self,
        *,
        day_end_us: int,
        learn_ahead_us: int,
        bury_new: bool,
        bury_reviews: bool,
        topic: Mapping[str, str],
        sibling: Mapping[str, str],
        order: Mapping[str, int],
        buried: Iterable[str] = (),
    ) -> None:
        self.day_end_us = day_end_us
        self.learn_ahead_us = learn_ahead_us
        self.bury_new = bury_new
        self.bury_reviews = bury_reviews
        self._topic = topic
        self._sibling = sibling
        self._order = order
        self._learn_due: dict[str, int] = {}  # learning cards: qid -> due
        self._learn: list[tuple[int, str]] = []
        self._pools = {"R": _Pool(), "N": _Pool()}
        self._buried: set[str] = set(buried)

    def load(self, cards: Iterable[tuple[str, str, int | None, int]]) -> None:
        """Fill an empty index with (qid, state, due, suspended) for every card: as ``put`` for
        each, in one pass, sorting once."""
        assert not self._learn_due and not self._learn
        learn_due, learn, buried = self._learn_due, self._learn, self._buried
        sibling, topic, order, day_end = self._sibling, self._topic, self._order, self.day_end_us
        rev, new = self._pools["R"], self._pools["N"]
        hide_rev, hide_new = self.bury_reviews, self.bury_new
        for qid, state, due, suspended in cards:
            if suspended:
                continue
            if state == "new":
                pool, value, hide = new, order[qid], hide_new
            elif state == "review":
                if due is None or due >= day_end:
                    continue
                pool, value, hide = rev, due, hide_rev
            elif state in _LEARNING:
                if due is not None:
                    learn_due[qid] = due
                    learn.append((due, qid))
                continue
            else:
                continue
            pool.members[qid] = value
            key = sibling[qid]
            pool.by_key[key] = pool.by_key.get(key, 0) + 1
            if key in buried:
                pool.buried_n += 1
                if hide:
                    continue
            t = topic[qid]
            heap = pool.heaps.get(t)
            if heap is None:
                heap = pool.heaps[t] = []
            heap.append((value, qid))
        learn.sort()
        for pool in (rev, new):
            for heap in pool.heaps.values():
                heapq.heapify(heap)

    # -- changes ----------------------------------------------------------------------------------

    def put(self, qid: str, state: str, due_us: int | None, suspended: bool) -> None:
        """The card ``qid`` now has these columns (a card the queue may never show: no-op)."""
        place: tuple[str, int] | None = None
        if not suspended:
            if state in _LEARNING:
                place = None if due_us is None else ("L", due_us)
            elif state == "review":
                if due_us is not None and due_us < self.day_end_us:
                    place = ("R", due_us)
            elif state == "new":
                place = ("N", self._order[qid])
        old = self._place(qid)
        if old == place:
            return
        if old is not None:
            self._remove(qid, old)
        if place is not None:
            self._add(qid, place)

    def _place(self, qid: str) -> tuple[str, int] | None:
        """Where the index holds ``qid``: ("L" | "R" | "N", due or bank order), or None."""
        due = self._learn_due.get(qid)
        if due is not None:
            return "L", due
        for kind, pool in self._pools.items():
            value = pool.members.get(qid)
            if value is not None:
                return kind, value
        return None

    def _add(self, qid: str, place: tuple[str, int]) -> None:
        kind, value = place
        if kind == "L":
            self._learn_due[qid] = value
            bisect.insort(self._learn, (value, qid))
            return
        key = self._sibling[qid]
        buried = key in self._buried
        self._pools[kind].add(qid, value, key, self._topic[qid], buried, self._hides(kind))

    def _remove(self, qid: str, place: tuple[str, int]) -> None:
        kind, value = place
        if kind == "L":
            del self._learn_due[qid]
            i = bisect.bisect_left(self._learn, (value, qid))
            del self._learn[i]
            return
        key = self._sibling[qid]
        self._pools[kind].remove(qid, key, key in self._buried)

    def _hides(self, kind: str) -> bool:
        """Whether burying hides the pool's cards (new: bury_new; reviews: bury_reviews)."""
        return self.bury_new if kind == "N" else self.bury_reviews

    def bury(self, key: str) -> None:
        """A card of sibling key ``key`` was studied today."""
        if key in self._buried:
            return
        self._buried.add(key)
        for pool in self._pools.values():
            pool.buried_n += pool.by_key.get(key, 0)

    def set_buried(self, keys: Iterable[str], siblings: Callable[[str], Iterable[str]]) -> None:
        """Today's buried keys are now ``keys`` (after an undo: some may be unburied).
        ``siblings(key)``: the question ids of that sibling key."""
        keys = set(keys)
        for key in keys - self._buried:
            self.bury(key)
        for key in self._buried - keys:
            self._buried.discard(key)
            for kind, pool in self._pools.items():
                pool.buried_n -= pool.by_key.get(key, 0)
                if self._hides(kind):  # its heap entries may have been dropped: push them again
                    for qid in siblings(key):
                        value = pool.members.get(qid)
                        if value is not None:
                            pool.push(qid, value, self._topic[qid])

    # -- questions --------------------------------------------------------------------------------

    def counts(self, now_us: int, new_left: int, reviews_left: int) -> tuple[int, int, int]:
        """(new, learning, review) as len(Queue.new), len(learning) + len(ahead), len(review)."""
        learning = bisect.bisect_right(self._learn, now_us + self.learn_ahead_us, key=_due_of)
        review, new = self._lengths(new_left, reviews_left)
        return new, learning, review

    def _lengths(self, new_left: int, reviews_left: int) -> tuple[int, int]:
        return queue_lengths(
            self._pools["R"].shown(self.bury_reviews),
            self._pools["N"].shown(self.bury_new),
            new_left,
            reviews_left,
        )

    def first(
        self, now_us: int, new_left: int, reviews_left: int, last_topic: str | None
    ) -> str | None:
        """The question id of Queue.first()."""
        learn = self._learn
        if learn and learn[0][0] <= now_us:
            return learn[0][1]
        review, new = self._lengths(new_left, reviews_left)
        if review:
            return self._head("R", last_topic)
        if new:
            return self._head("N", last_topic)
        if learn and learn[0][0] <= now_us + self.learn_ahead_us:
            return learn[0][1]
        return None

    def _head(self, kind: str, last_topic: str | None) -> str | None:
        """The first card of interleave(pool in order, topic, last_topic): the pool's first card
        outside ``last_topic``, else its first card."""
        pool = self._pools[kind]
        hides = self._hides(kind)
        best: tuple[int, str] | None = None
        last: tuple[int, str] | None = None
        for topic, heap in pool.heaps.items():
            while heap:
                value, qid = heap[0]
                if pool.members.get(qid) == value and not (
                    hides and self._sibling[qid] in self._buried
                ):
                    break
                heapq.heappop(heap)  # moved or buried since it was pushed
            if not heap:
                continue
            if topic == last_topic:
                last = heap[0]
            elif best is None or heap[0] < best:
                best = heap[0]
        pick = best or last
        return None if pick is None else pick[1]

    def valid_until(self, now_us: int) -> int:
        """Until when (UTC microseconds, exclusive) the clock alone cannot change ``first`` or
        ``counts``: the next time a learning card falls due or comes within learn-ahead. (The day's
        end is the caller's: a new day builds a new index.)"""
        learn, ahead = self._learn, self.learn_ahead_us
        until = FAR
        i = bisect.bisect_right(learn, now_us, key=_due_of)
        if i < len(learn):
            until = learn[i][0]
        j = bisect.bisect_right(learn, now_us + ahead, key=_due_of)
        if j < len(learn):
            until = min(until, learn[j][0] - ahead)
        return until

    def cards(self) -> dict[str, tuple[str, int]]:
        """Where each card the index holds is: ("L" | "R" | "N", due or bank order). For tests."""
        out = {q: ("L", due) for q, due in self._learn_due.items()}
        for kind, pool in self._pools.items():
            out.update((q, (kind, value)) for q, value in pool.members.items())
        return out


class _Pool:
    """Reviews due today or new cards: see QueueIndex."""

    __slots__ = ("buried_n", "by_key", "heaps", "members")

    def __init__(self) -> None:
        self.members: dict[str, int] = {}  # qid -> due (reviews) or bank order (new cards)
        self.by_key: dict[str, int] = {}  # sibling key -> members
        self.buried_n = 0  # members whose sibling key is buried
        self.heaps: dict[str, list[tuple[int, str]]] = {}  # topic -> (value, qid), stale allowed

    def shown(self, hides: bool) -> int:
        return len(self.members) - (self.buried_n if hides else 0)

    def add(self, qid: str, value: int, key: str, topic: str, buried: bool, hides: bool) -> None:
        self.members[qid] = value
        self.by_key[key] = self.by_key.get(key, 0) + 1
        if buried:
            self.buried_n += 1
        if not (buried and hides):
            self.push(qid, value, topic)

    def push(self, qid: str, value: int, topic: str) -> None:
        heap = self.heaps.get(topic)
        if heap is None:
            heap = self.heaps[topic] = []
        heapq.heappush(heap, (value, qid))

    def remove(self, qid: str, key: str, buried: bool) -> None:
        del self.members[qid]
        n = self.by_key[key] - 1
        if n:
            self.by_key[key] = n
        else:
            del self.by_key[key]
        if buried:
            self.buried_n -= 1
