"""The study queue: order, topic interleaving, burying, daily limits, 4 am rollover, learn-ahead."""

from __future__ import annotations

import sys
from datetime import UTC, datetime, timedelta, timezone
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest

sys.path.insert(0, str(Path(__file__).parent / "helpers"))
from engine_kit import T0, TZ, Clock, answer, make_bank, open_engine

from trainer.engine import Counts, Engine, Rating
from trainer.engine.queue import Queue, QueueCard, build_queue

# Five questions, each with its own objective (no siblings): topic A has three, topic B two.
SOLO = make_bank({"A": {"a1": 1, "a2": 1, "a3": 1}, "B": {"b1": 1, "b2": 1}})


def next_id(engine: Engine) -> str | None:
    q = engine.next_question()
    return q.id if q else None


def test_new_cards_come_in_bank_order_with_topics_interleaved(tmp_path: Path) -> None:
    engine = open_engine(SOLO, tmp_path / "t.db")
    assert engine.counts() == Counts(new=5, learning=0, review=0)
    order = []
    while (qid := next_id(engine)) is not None:
        order.append(qid)
        answer(engine, qid, Rating.EASY)  # straight to review: not shown again today
    assert order == ["a1-1", "b1-1", "a2-1", "b2-1", "a3-1"]
    assert engine.counts() == Counts(0, 0, 0)
    engine.close()


def test_learning_due_now_then_reviews_then_new(tmp_path: Path) -> None:
    clock = Clock()
    engine = open_engine(SOLO, tmp_path / "t.db", clock)
    for qid in ("a1-1", "b1-1", "a2-1"):
        assert next_id(engine) == qid
        answer(engine, qid, Rating.EASY)
    due = max(engine.card_info(q).due for q in ("a1-1", "b1-1", "a2-1"))  # type: ignore[type-var]
    clock.set(due + timedelta(hours=1))
    assert engine.counts() == Counts(new=2, learning=0, review=3)

    # reviews: soonest first, topics interleaved (A, B, A)
    assert next_id(engine) == "a1-1"
    answer(engine, "a1-1", Rating.AGAIN)  # lapse: relearning, due in 10 minutes
    assert engine.card_info("a1-1").state == "relearning"
    assert next_id(engine) == "b1-1"  # the relearning card is not due yet
    clock.advance(minutes=11)
    assert engine.counts() == Counts(new=2, learning=1, review=2)
    assert next_id(engine) == "a1-1"  # learning due now comes first
    answer(engine, "a1-1", Rating.GOOD)
    assert next_id(engine) == "b1-1"
    answer(engine, "b1-1", Rating.GOOD)
    assert next_id(engine) == "a2-1"
    answer(engine, "a2-1", Rating.GOOD)
    assert engine.counts() == Counts(new=2, learning=0, review=0)
    assert next_id(engine) == "b2-1"  # then new cards, starting with a topic other than A
    engine.close()


# Topic A: objective o with three sibling questions; topic B: one question.
SIBLINGS = make_bank({"A": {"o": 3}, "B": {"p": 1}})


def test_siblings_are_buried_until_the_4am_rollover(tmp_path: Path) -> None:
    clock = Clock(T0)  # 10:00 London
    engine = open_engine(SIBLINGS, tmp_path / "t.db", clock)
    assert engine.counts() == Counts(new=4, learning=0, review=0)
    assert next_id(engine) == "o-1"
    answer(engine, "o-1", Rating.EASY)
    assert engine.counts() == Counts(new=1, learning=0, review=0)  # o-2, o-3 buried
    assert next_id(engine) == "p-1"
    answer(engine, "p-1", Rating.EASY)
    assert next_id(engine) is None
    clock.set(datetime(2026, 11, 27, 3, 59, tzinfo=TZ))
    assert next_id(engine) is None  # still the same study day
    clock.set(datetime(2026, 11, 27, 4, 0, tzinfo=TZ))
    assert next_id(engine) == "o-2"
    assert engine.counts().new == 2
    engine.close()


def test_burying_holds_for_another_engine_on_the_same_day(tmp_path: Path) -> None:
    db = tmp_path / "t.db"
    clock = Clock()
    first = open_engine(SIBLINGS, db, clock)
    answer(first, "o-1", Rating.EASY)
    first.close()
    second = open_engine(SIBLINGS, db, clock)
    assert next_id(second) == "p-1"
    second.close()


def test_learning_siblings_are_not_buried(tmp_path: Path) -> None:
    clock = Clock()
    engine = open_engine(SIBLINGS, tmp_path / "t.db", clock)
    answer(engine, "o-1", Rating.AGAIN)  # learning, due in 1 minute
    clock.advance(minutes=2)
    assert next_id(engine) == "o-1"
    engine.close()


@pytest.mark.parametrize(
    "tz",
    [ZoneInfo("America/New_York"), ZoneInfo("Asia/Kolkata"), timezone(timedelta(hours=-3))],
    ids=["new-york", "kolkata", "fixed-3"],
)
def test_the_day_rolls_over_at_4am_local_time(tmp_path: Path, tz: ZoneInfo) -> None:
    clock = Clock(datetime(2026, 11, 26, 9, 0, tzinfo=tz))
    engine = open_engine(SIBLINGS, tmp_path / "t.db", clock, new_per_day=1, tz=tz)
    answer(engine, "o-1", Rating.EASY)
    assert engine.counts().new == 0  # the daily new limit is used up
    clock.set(datetime(2026, 11, 27, 3, 59, 59, tzinfo=tz))
    assert engine.counts().new == 0
    clock.set(datetime(2026, 11, 27, 4, 0, tzinfo=tz))
    assert engine.counts().new == 1
    # and an answer at 01:00 local belongs to the day before
    clock.set(datetime(2026, 11, 28, 1, 0, tzinfo=tz))
    answer(engine, "p-1", Rating.EASY)
    clock.set(datetime(2026, 11, 28, 4, 0, tzinfo=tz))
    assert engine.counts().new == 1
    engine.close()


def test_daily_new_limit(tmp_path: Path) -> None:
    bank = make_bank({"A": {f"o{i}": 1 for i in range(6)}})
    db = tmp_path / "t.db"
    clock = Clock()
    engine = open_engine(bank, db, clock, new_per_day=3)
    assert engine.counts().new == 3
    for _ in range(3):
        qid = next_id(engine)
        assert qid is not None
        answer(engine, qid, Rating.EASY)
    assert engine.counts() == Counts(0, 0, 0) and next_id(engine) is None
    engine.close()
    again = open_engine(bank, db, clock, new_per_day=3)  # the limit is per day, not per engine
    assert again.counts().new == 0
    clock.advance(days=1)
    assert again.counts().new == 3
    again.close()


def test_default_new_limit_is_20(tmp_path: Path) -> None:
    bank = make_bank({"A": {f"o{i}": 1 for i in range(25)}})
    engine = open_engine(bank, tmp_path / "t.db")
    assert engine.counts().new == 20
    engine.close()


def test_daily_review_limit(tmp_path: Path) -> None:
    bank = make_bank({"A": {f"o{i}": 1 for i in range(4)}})
    clock = Clock()
    engine = open_engine(bank, tmp_path / "t.db", clock, reviews_per_day=2)
    for i in range(4):
        answer(engine, f"o{i}-1", Rating.EASY)
    clock.advance(days=30)
    assert engine.counts() == Counts(new=0, learning=0, review=2)
    for _ in range(2):
        qid = next_id(engine)
        assert qid is not None
        answer(engine, qid, Rating.GOOD)
    assert engine.counts().review == 0 and next_id(engine) is None
    assert sum(1 for i in engine.all_card_info().values() if i.due and i.due <= clock.t) == 2
    engine.close()


def test_learn_ahead_shows_a_learning_card_due_soon_rather_than_ending(tmp_path: Path) -> None:
    bank = make_bank({"A": {"o": 1}})
    clock = Clock()
    engine = open_engine(bank, tmp_path / "t.db", clock)
    answer(engine, "o-1", Rating.GOOD)  # learning step 2: due in 10 minutes
    assert engine.counts() == Counts(new=0, learning=1, review=0)
    assert next_id(engine) == "o-1"
    answer(engine, "o-1", Rating.AGAIN)  # back to step 1: due in 1 minute
    assert next_id(engine) == "o-1"
    engine.close()
    # with a 5-minute learn-ahead window, a card due in 10 minutes ends the session
    engine = open_engine(bank, tmp_path / "t2.db", clock, learn_ahead=timedelta(minutes=5))
    answer(engine, "o-1", Rating.GOOD)
    assert next_id(engine) is None and engine.counts() == Counts(0, 0, 0)
    clock.advance(minutes=10)
    assert next_id(engine) == "o-1"
    engine.close()


def test_learn_ahead_waits_behind_everything_else(tmp_path: Path) -> None:
    clock = Clock()
    engine = open_engine(SOLO, tmp_path / "t.db", clock)
    answer(engine, "a1-1", Rating.GOOD)  # learning, due in 10 minutes
    assert next_id(engine) == "b1-1"  # new cards first while they last
    engine.close()


def test_suspended_cards_are_not_studied(tmp_path: Path) -> None:
    engine = open_engine(SOLO, tmp_path / "t.db")
    engine.set_suspended("a1-1", True)
    assert next_id(engine) == "a2-1"
    assert engine.counts().new == 4
    engine.set_suspended("a1-1", False)
    assert next_id(engine) == "a1-1"
    engine.close()


def _cards(review_keys: list[str], new_keys: list[str]) -> list[QueueCard]:
    due = datetime(2026, 11, 20, 9, tzinfo=UTC)
    out = [QueueCard(f"r{i}", "A", k, "review", due, i) for i, k in enumerate(review_keys)]
    out += [QueueCard(f"n{i}", "A", k, "new", None, 100 + i) for i, k in enumerate(new_keys)]
    return out


def _build(cards: list[QueueCard], **kw: object) -> Queue:
    now = datetime(2026, 11, 20, 10, tzinfo=UTC)
    args: dict[str, object] = {
        "now": now,
        "day_end": now + timedelta(hours=18),
        "learn_ahead": timedelta(minutes=20),
        "new_left": 20,
        "reviews_left": 200,
        "buried": frozenset(),
    }
    args.update(kw)
    return build_queue(cards, **args)  # type: ignore[arg-type]


def test_burying_never_delays_a_due_review_unless_asked() -> None:
    cards = _cards(["x", "y"], ["x", "z"])
    q = _build(cards, buried=frozenset({"x"}))
    assert [c.qid for c in q.review] == ["r0", "r1"]  # Anki's default: reviews are not buried
    assert [c.qid for c in q.new] == ["n1"]  # a new sibling of a card studied today is
    q = _build(cards, buried=frozenset({"x"}), bury_reviews=True, bury_new=False)
    assert [c.qid for c in q.review] == ["r1"]
    assert [c.qid for c in q.new] == ["n0", "n1"]


def test_the_review_limit_caps_new_cards_too() -> None:
    cards = _cards([f"r{i}" for i in range(190)], [f"n{i}" for i in range(20)])
    q = _build(cards)
    assert (len(q.review), len(q.new)) == (190, 10)  # 200 - 190 reviews leaves room for 10 new
    q = _build(cards, reviews_left=150)
    assert (len(q.review), len(q.new)) == (150, 0)
    q = _build(cards[190:], reviews_left=5)
    assert len(q.new) == 5
