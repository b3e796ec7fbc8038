"""The bank's cards in memory, for the study queue, browse and statistics.

Reading every card for each ``next_question()``/``counts()`` costs as much as the bank is large.
The cache keeps them and reloads only when the database changed under it: SQLite's
``PRAGMA data_version`` changes when another connection (another process or engine) commits, and
is cheap to read. This engine's own writes do not change it, so the engine puts the rows it wrote
back into the cache itself (``put``), or drops the cache (``invalidate``) when that is simpler.

Today's log is summarised here too (answers counted against the daily limits, buried siblings,
the last topic), keyed by the day's start, so the queue does not reread it on every call; and
today's queue is kept here as a QueueIndex, updated by every ``put``/``logged``/``undone``, so an
answer costs the queue O(changed cards), not a rebuild. A reload, a new day or new settings build
the index again.

The cards are loaded only when something needs them (the next question, browse, stats): the
home's figures (Engine.overview, Engine.counts) are tallied by SQL while they are not loaded
(``loaded()``), at a start and after another connection wrote (a study session's engine, another
program), so neither a start nor the return home from a session reads every card.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from datetime import datetime

from trainer.engine.queue import QueueIndex
from trainer.engine.records import CardCols, CardRow, LogRow
from trainer.engine.store import Store
from trainer.engine.store.codec import card_cols, card_from_cols
from trainer.engine.summary import TopicMastery


@dataclass
class DayLog:
    """What today's log means for the queue."""

    start: datetime
    new_done: int = 0
    reviews_done: int = 0
    buried: set[str] = field(default_factory=set)  # sibling keys studied today
    last_qid: str | None = None  # the last question studied today (latest by time, then log id)
    last_at: tuple[datetime, int] | None = None

    def add(self, entry: LogRow, sibling_key: str | None) -> None:
        if entry.scheduled and entry.state_before == "new":
            self.new_done += 1
        if entry.scheduled and entry.state_before == "review":
            self.reviews_done += 1
        if entry.mode == "study" and sibling_key is not None:
            self.buried.add(sibling_key)
            at = (entry.time, entry.id)
            if self.last_at is None or at > self.last_at:
                self.last_qid, self.last_at = entry.question_id, at


class CardCache:
    """The bank's active cards as of ``version``; see the module docstring.

    Kept as stored tuples (cheap to load); CardRow objects are built only when asked for."""

    def __init__(
        self,
        store: Store,
        bank_id: str,
        keep: Callable[[str], bool],
        sibling_key: Callable[[str], str | None],
    ) -> None:
        self._store = store
        self._bank_id = bank_id
        self._keep = keep  # whether a question id is one of the engine's active questions
        self._sibling_key = sibling_key  # None for a question the engine does not know
        self._raw: dict[str, CardCols] | None = None  # by question id, in id order
        self._rows: dict[str, CardRow] | None = None  # built from _raw on demand
        self._day: DayLog | None = None
        self._index: QueueIndex | None = None  # today's queue, for _index_spec
        self._index_spec: tuple[datetime, object] | None = None
        self._mastery: TopicMastery | None = None  # the home's mastery, for _mastery_spec
        self._mastery_spec: tuple[int, object] | None = None
        self._version: int | None = None
        # Bumped by every change the queue can see (a load, a write, a log entry): the engine
        # reuses its last answer while this and the day stay the same (Engine._now_queue).
        self.generation = 0

    def invalidate(self) -> None:
        self.generation += 1
        self._raw = None
        self._rows = None
        self._day = None
        self._index = None
        self._mastery = None
        self._version = None

    def loaded(self) -> bool:
        """Whether the cards are in memory and current with the file (a copy another connection
        made stale is dropped here: reloaded when next needed)."""
        if self._raw is not None and not self._fresh():
            self.invalidate()
        return self._raw is not None

    def _fresh(self) -> bool:
        return self._version is not None and self._store.data_version() == self._version

    def _load(self) -> None:
        with self._store.read():
            tuples = self._store.card_cols(self._bank_id)
            self._version = self._store.data_version()  # of the snapshot just read
        self._raw = {t.question_id: t for t in tuples if self._keep(t.question_id)}
        self.generation += 1
        self._rows = None
        self._day = None
        self._index = None
        self._mastery = None

    def raw(self) -> dict[str, CardCols]:
        """Every active card's stored columns by question id (id order), current with the file."""
        if self._raw is None or not self._fresh():
            self._load()
        assert self._raw is not None
        return self._raw

    def rows(self) -> dict[str, CardRow]:
        """Every active card by question id (id order), current with the database."""
        raw = self.raw()
        if self._rows is None:
            self._rows = {q: card_from_cols(t) for q, t in raw.items()}
        return self._rows

    def row(self, qid: str) -> CardRow | None:
        """One card, without building the others."""
        raw = self.raw()
        if self._rows is not None:
            return self._rows.get(qid)
        t = raw.get(qid)
        return None if t is None else card_from_cols(t)

    def index(
        self, start: datetime, spec: object, make: Callable[[Iterable[str]], QueueIndex]
    ) -> QueueIndex:
        """Today's queue index (today begins at ``start``), built by ``make(buried keys)`` and
        filled with every card when there is none for this day and ``spec`` (the settings it was
        built with), then kept in step by every change."""
        day = self.day(start)
        index = self._index
        if (
            index is None
            or self._index_spec is None
            or self._index_spec[0] != start
            or not _same(self._index_spec[1], spec)
        ):
            index = make(day.buried)
            index.load((t.question_id, t.state, t.due, t.suspended) for t in self.raw().values())
            self._index, self._index_spec = index, (start, spec)
        return index

    def mastery(
        self, start_us: int, spec: object, make: Callable[[], TopicMastery]
    ) -> TopicMastery:
        """The home's mastery per topic, built by ``make()`` when there is none for the study
        day starting at ``start_us`` and ``spec`` (the settings), then told of every card this
        engine changes."""
        self.raw()  # checks freshness (a reload drops it)
        m = self._mastery
        if (
            m is None
            or self._mastery_spec is None
            or self._mastery_spec[0] != start_us
            or not _same(self._mastery_spec[1], spec)
        ):
            m = self._mastery = make()
            self._mastery_spec = (start_us, spec)
        return m

    def day(self, start: datetime) -> DayLog:
        """Today's log summary (today begins at ``start``); read again when the day changes."""
        self.raw()  # checks freshness (a foreign write drops the day summary too)
        if self._day is None or self._day.start != start:
            self._day = self.summarise(start, self._store.log_since(self._bank_id, start))
            self._index = None
        return self._day

    def summarise(self, start: datetime, entries: Iterable[LogRow]) -> DayLog:
        """Today's log summary of ``entries`` (today begins at ``start``), not kept."""
        day = DayLog(start)
        for e in entries:
            day.add(e, self._sibling_key(e.question_id))
        return day

    def put(self, row: CardRow) -> None:
        """This engine wrote ``row`` (committed): keep the cache in step without a reload."""
        self.generation += 1  # also when nothing is loaded: the engine's tally memo follows it
        if self._raw is None or not self._keep(row.question_id):
            return
        t = card_cols(row)
        self._raw[row.question_id] = t
        if self._rows is not None:
            self._rows[row.question_id] = row
        if self._index is not None:
            self._index.put(t.question_id, t.state, t.due, bool(t.suspended))
        if self._mastery is not None:
            self._mastery.changed(t.question_id)

    def logged(self, entry: LogRow) -> None:
        """This engine logged an answer (committed): count it in today's summary."""
        self.generation += 1
        if self._day is not None and entry.time >= self._day.start:
            key = self._sibling_key(entry.question_id)
            self._day.add(entry, key)
            if self._index is not None and key is not None and entry.mode == "study":
                self._index.bury(key)

    def undone(self, rows: Iterable[CardRow], siblings: Callable[[str], Iterable[str]]) -> None:
        """This engine removed log entries (undo) and the cards are now ``rows``: put them and
        summarise today's log again (O(today's answers)); keys no longer studied today are
        unburied in the queue (``siblings(key)``: the question ids of a sibling key)."""
        self.generation += 1
        if self._raw is None:
            return
        for row in rows:
            self.put(row)
        self.generation += 1
        day = self._day
        if day is not None:
            self._day = self.summarise(day.start, self._store.log_since(self._bank_id, day.start))
            if self._index is not None:
                self._index.set_buried(self._day.buried, siblings)


def _same(a: object, b: object) -> bool:
    return a is b or a == b
