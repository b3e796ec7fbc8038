"""The engine's in-memory cards: kept in step with its own writes, reloaded on another's.

next_question()/counts() no longer read every card on each call; they must still see exactly what
a freshly opened engine sees, including what another engine (another process) wrote meanwhile.
"""

from __future__ import annotations

import math
import random
import sqlite3
import sys
from collections.abc import Iterator
from datetime import timedelta
from pathlib import Path

import pytest
from hypothesis import HealthCheck, assume, given, settings
from hypothesis import strategies as st

sys.path.insert(0, str(Path(__file__).parent / "helpers"))
from engine_kit import T0, Clock, answer, make_bank, open_engine

from trainer.engine import Counts, Engine, Rating
from trainer.engine.errors import TrainerDBError
from trainer.engine.queue import QueueIndex
from trainer.engine.store import Store
from trainer.engine.store.cards import SUSPECT_SQL
from trainer.engine.store.codec import CARD_COLUMNS, checked_cols

BANK = make_bank({"A": {"a1": 2, "a2": 1, "a3": 2}, "B": {"b1": 1, "b2": 3}})


def fresh_view(
    engine: Engine, db: Path, clock: Clock, new_per_day: int = 5
) -> tuple[str | None, Counts]:
    """What a newly opened engine (no cache) would show now."""
    other = open_engine(engine.bank, db, clock, new_per_day=new_per_day)
    try:
        q = other.next_question()
        return (q.id if q else None), other.counts()
    finally:
        other.close()


def view(engine: Engine) -> tuple[str | None, Counts]:
    q = engine.next_question()
    return (q.id if q else None), engine.counts()


class CountingReads:
    """Counts whole-bank card reads (Store.cards, Store.card_cols) for one test."""

    def __init__(self, monkeypatch: pytest.MonkeyPatch) -> None:
        self.calls = 0
        cards, card_cols = Store.cards, Store.card_cols

        def counted_cards(store: Store, bank_id: str, *, include_retired: bool = False) -> object:
            self.calls += 1
            return cards(store, bank_id, include_retired=include_retired)

        def counted_tuples(store: Store, bank_id: str) -> object:
            self.calls += 1
            return card_cols(store, bank_id)

        monkeypatch.setattr(Store, "cards", counted_cards)
        monkeypatch.setattr(Store, "card_cols", counted_tuples)


def test_own_answers_update_the_cache_without_rereading_every_card(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    reads = CountingReads(monkeypatch)
    clock = Clock()
    engine = open_engine(BANK, tmp_path / "t.db", clock, new_per_day=5)
    assert engine.counts() == Counts(new=5, learning=0, review=0)
    assert reads.calls == 0  # tallied by SQL: no card read yet
    assert engine.next_question() is not None
    assert reads.calls == 1  # the cards, loaded once
    for _ in range(4):
        q = engine.next_question()
        assert q is not None
        answer(engine, q.id, Rating.AGAIN)
        clock.advance(seconds=30)
    engine.set_flag("a1-1", True)
    engine.set_suspended("b2-2", True)
    assert engine.is_flagged("a1-1")
    assert reads.calls == 1  # everything above was kept in step in memory
    # ...and matches what a fresh engine reads from the file
    assert view(engine) == fresh_view(engine, tmp_path / "t.db", clock)
    engine.close()


def test_another_engines_writes_are_seen(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    db = tmp_path / "t.db"
    clock = Clock()
    one = open_engine(BANK, db, clock, new_per_day=5)
    two = open_engine(BANK, db, clock, new_per_day=5)
    assert one.counts() == Counts(new=5, learning=0, review=0)
    first = one.next_question()
    assert first is not None
    answer(two, first.id, Rating.EASY)  # the other engine answers the card shown here
    assert one.counts() == Counts(new=4, learning=0, review=0)  # the daily new limit counts it
    assert one.card_info(first.id).state == "review"
    nxt = one.next_question()
    assert nxt is not None and nxt.id != first.id
    two.set_flag(nxt.id, True)
    assert one.is_flagged(nxt.id)
    two.set_suspended(nxt.id, True)
    assert view(one) == fresh_view(one, db, clock)
    assert one.next_question() != nxt
    one.close()
    two.close()


def test_an_undo_by_another_engine_is_seen(tmp_path: Path) -> None:
    db = tmp_path / "t.db"
    clock = Clock()
    one = open_engine(BANK, db, clock, new_per_day=5)
    two = open_engine(BANK, db, clock, new_per_day=5)
    before = view(one)
    q = two.next_question()
    assert q is not None
    answer(two, q.id, Rating.GOOD)
    assert view(one) != before
    assert two.undo() == q.id
    assert view(one) == before
    one.close()
    two.close()


def test_random_interleaved_use_by_two_engines_matches_a_fresh_read(tmp_path: Path) -> None:
    db = tmp_path / "t.db"
    clock = Clock()
    engines = [open_engine(BANK, db, clock, new_per_day=5) for _ in range(2)]
    rng = random.Random(11)
    for step in range(80):
        e = engines[rng.randrange(2)]
        action = rng.random()
        q = e.next_question()
        if q is not None and action < 0.7:
            answer(e, q.id, rng.choice([Rating.AGAIN, Rating.HARD, Rating.GOOD, Rating.EASY]))
        elif action < 0.8:
            e.undo()
        elif action < 0.9:
            qid = rng.choice([q.id for q in BANK.questions])
            e.set_suspended(qid, rng.random() < 0.3)
        clock.advance(minutes=rng.randint(0, 90))
        if step % 7 == 0:
            clock.advance(days=1)
        expected = fresh_view(e, db, clock)
        for each in engines:
            assert view(each) == expected, step
            for qid in ("a1-1", "b2-3"):
                assert each.card_info(qid) == engines[0].card_info(qid)
    for e in engines:
        e.close()


def test_the_day_rolling_over_resets_the_daily_counts(tmp_path: Path) -> None:
    clock = Clock()
    engine = open_engine(BANK, tmp_path / "t.db", clock, new_per_day=2)
    for _ in range(2):
        q = engine.next_question()
        assert q is not None
        answer(engine, q.id, Rating.EASY)
    assert engine.counts().new == 0
    clock.advance(days=1)
    assert engine.counts().new == 2  # a new day: the limit starts again (no foreign write)
    assert view(engine) == fresh_view(engine, tmp_path / "t.db", clock, new_per_day=2)
    clock.advance(days=-1)  # back to the first day: its answers still count
    assert engine.counts().new == 0
    engine.close()


def test_learning_cards_fall_due_as_time_passes(tmp_path: Path) -> None:
    clock = Clock()
    engine = open_engine(BANK, tmp_path / "t.db", clock, new_per_day=5, learn_ahead=timedelta(0))
    q = engine.next_question()
    assert q is not None
    answer(engine, q.id, Rating.AGAIN)  # learning, due in a minute
    assert engine.counts().learning == 0
    clock.advance(minutes=2)
    assert engine.counts().learning == 1
    assert engine.next_question() == q
    engine.close()


def test_the_queue_is_asked_once_per_answer_and_again_when_time_brings_a_card(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """next_question() and counts() after an answer share one look at the queue index, which is
    built once for the day (never rebuilt by an answer); the clock reaching a learning card's
    learn-ahead window or its due time looks again."""
    asked: list[QueueIndex] = []  # by index (the fresh engines of fresh_view have their own)
    built: list[QueueIndex] = []
    real_first, real_load = QueueIndex.first, QueueIndex.load

    def counted_first(self: QueueIndex, *args: object) -> object:
        asked.append(self)
        return real_first(self, *args)  # type: ignore[arg-type]

    def counted_load(self: QueueIndex, *args: object) -> None:
        built.append(self)
        real_load(self, *args)  # type: ignore[arg-type]

    monkeypatch.setattr(QueueIndex, "first", counted_first)
    monkeypatch.setattr(QueueIndex, "load", counted_load)
    clock = Clock()
    ahead = timedelta(minutes=5)
    engine = open_engine(BANK, tmp_path / "t.db", clock, new_per_day=1, learn_ahead=ahead)
    q = engine.next_question()
    assert q is not None and len(built) == 1
    index = built[0]
    answer(engine, q.id, Rating.AGAIN)  # learning, due in a minute: already within learn-ahead
    asked.clear()
    first = view(engine)
    assert view(engine) == first and asked == [index]
    for _ in range(2):  # up to its due time (and past it) the queue changes once more
        due = engine.card_info(q.id).due
        assert due is not None
        clock.t = due
        assert view(engine) == fresh_view(engine, tmp_path / "t.db", clock, new_per_day=1)
    assert engine.counts().learning == 1 and engine.next_question() == q
    assert asked.count(index) == 2 and built.count(index) == 1
    assert sum(1 for i in built if i is not index) == 2  # the fresh engines' own
    engine.close()


_ODD = st.one_of(
    st.none(),
    st.integers(-(2**63), 2**63 - 1),
    st.floats(allow_nan=True, allow_infinity=True),
    st.sampled_from(["x", "new", "review", "learning", "1", b"new", 0.5, -0.0, 1e12, -1e12]),
    st.integers(-(10**18), 10**18),
    # the edges of an integer check without typeof(): reals no int64 holds, text with a number
    # in front, empty text and blobs, infinities
    st.sampled_from(
        [2.0**63, -(2.0**63), 9.3e18, 1e300, math.inf, -math.inf, 5.5, "12abc", "", b"", b"\x00"]
    ),
)


# a card checked_cols passes in any state; the test changes up to three of its columns
_VALID: dict[str, object] = {
    "question_id": "q",
    "step": 0,
    "stability": 1.5,
    "difficulty": 5.0,
    "due": 10**15,
    "last_review": 10**15,
    "reps": 1,
    "lapses": 0,
    "suspended": 0,
    "flagged": 0,
    "leech": 0,
}


@settings(max_examples=400, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    state=st.sampled_from(["new", "learning", "review", "relearning"]),
    odd=st.dictionaries(st.sampled_from(sorted(_VALID)), _ODD, max_size=3),
)
def test_the_sql_check_of_a_card_read_is_never_laxer_than_checked_cols(
    one_card: Store, state: str, odd: dict[str, object]
) -> None:
    """Store.card_cols checks every row in SQL (SUSPECT_SQL) and row by row only if one looks
    suspect: a row SUSPECT_SQL passes must pass codec.checked_cols too, whatever it holds."""
    values = {**_VALID, **odd}
    sets = ", ".join(f"{c} = :{c}" for c in values)
    try:
        with one_card.write():
            one_card._x(f"UPDATE cards SET state = :state, {sets}", {"state": state, **values})
    except sqlite3.IntegrityError:  # NOT NULL columns: a row no database can hold
        assume(False)
    suspect = bool(one_card._tuples(SUSPECT_SQL, ("b",)))
    try:
        [checked_cols(t) for t in one_card._tuples(CHECK_READ, ("b",))]
    except TrainerDBError:
        assert suspect


@pytest.fixture(scope="module")
def one_card(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Store]:
    """A database with one card, rewritten by each example."""
    store = Store.open(tmp_path_factory.mktemp("odd") / "t.db", now=T0)
    store.sync_bank("b", ["q"], T0)
    yield store
    store.close()


CHECK_READ = f"SELECT {CARD_COLUMNS} FROM cards WHERE bank_id = ? AND retired = 0 ORDER BY id"


@pytest.mark.parametrize("column", ["step", "due", "last_review", "reps", "flagged", "leech"])
@pytest.mark.parametrize("value", [-(2.0**63), 2.0**63, 9.3e18, 5.5, math.inf, "12abc", "", b""])
def test_an_integer_column_holding_anything_else_is_suspect(
    one_card: Store, column: str, value: object
) -> None:
    """The edges of the check without typeof() (cards.VALID_SQL): each such value alone makes
    the row suspect, as checked_cols refuses it."""
    with one_card.write():
        one_card._x(
            f"UPDATE cards SET state = 'learning', step = 0, due = 10, {column} = ?", (value,)
        )
    try:
        assert one_card._tuples(SUSPECT_SQL, ("b",))
        with pytest.raises(TrainerDBError):
            [checked_cols(t) for t in one_card._tuples(CHECK_READ, ("b",))]
    finally:
        with one_card.write():
            one_card._x(f"UPDATE cards SET {column} = ?", (0 if column != "due" else 10,))
