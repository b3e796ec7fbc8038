"""The incremental queue (queue.QueueIndex, kept by the card cache) against build_queue.

Random banks (topics, sibling groups), random settings (limits, burying, learn-ahead) and random
sequences of answers (study, practice, exam), undo, re-rating, suspend, flag, reset, another
engine's answers, settings changes and the clock moving by minutes to days: after every step the
engine's next question and counts must be exactly those of build_queue run from scratch on a
freshly read copy of the database (a second engine whose cache is dropped before each look).
"""

from __future__ import annotations

import sys
import tempfile
from dataclasses import replace
from datetime import timedelta
from pathlib import Path

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

sys.path.insert(0, str(Path(__file__).parent / "helpers"))
from engine_kit import Clock, make_bank, open_engine

from trainer.engine import Counts, Engine, Rating, summary
from trainer.engine.queue import QueueIndex
from trainer.engine.store import to_us

RATINGS = st.sampled_from(list(Rating))

layouts = st.dictionaries(
    st.sampled_from(["A", "B", "C", "D"]),
    st.dictionaries(st.sampled_from(["o", "p", "q", "r", "s"]), st.integers(1, 3), min_size=1),
    min_size=1,
)


@st.composite
def banks(draw: st.DrawFn) -> dict[str, dict[str, int]]:
    """{topic: {objective: questions}}, objective names unique across topics."""
    layout = draw(layouts)
    return {t: {f"{t.lower()}{o}": n for o, n in objs.items()} for t, objs in layout.items()}


steps = st.one_of(
    st.tuples(st.just("next"), RATINGS),
    st.tuples(st.just("next"), RATINGS),  # twice, and undo twice: more answers and undos
    st.tuples(st.just("undo")),
    st.tuples(
        st.just("answer"),
        st.integers(0, 99),
        RATINGS,
        st.sampled_from(["study", "practice", "exam"]),
    ),
    st.tuples(st.just("undo")),
    st.tuples(st.just("rerate"), RATINGS),
    st.tuples(st.just("suspend"), st.integers(0, 99), st.booleans()),
    st.tuples(st.just("flag"), st.integers(0, 99), st.booleans()),
    st.tuples(st.just("reset"), st.integers(0, 99)),
    st.tuples(st.just("foreign"), RATINGS),
    st.tuples(st.just("settings"), st.booleans(), st.booleans(), st.integers(0, 6)),
    st.tuples(
        st.just("time"),
        st.sampled_from(
            [
                timedelta(seconds=30),
                timedelta(minutes=3),
                timedelta(minutes=11),
                timedelta(hours=5),
                timedelta(days=1),
                timedelta(days=3),
                timedelta(days=-1),
            ]
        ),
    ),
)


def _respond(engine: Engine, qid: str, rating: Rating) -> object:
    q = engine.bank.question(qid)
    return q.answer if rating != Rating.AGAIN else not q.answer


def _view(engine: Engine) -> tuple[str | None, Counts]:
    q = engine.next_question()
    return (q.id if q else None), engine.counts()


def _reference(ref: Engine) -> tuple[str | None, Counts]:
    """build_queue from scratch on the database as it is now."""
    ref.reload()
    queue = ref._queue()
    first = queue.first()
    counts = Counts(
        new=len(queue.new),
        learning=len(queue.learning) + len(queue.ahead),
        review=len(queue.review),
    )
    return (first.qid if first else None), counts


def _mastery(ref: Engine) -> dict[str, float]:
    """mastery_by_topic from scratch (ref's cache was just reloaded by _reference)."""
    cards = ref._cache.raw().values()
    return summary.mastery_by_topic(ref.bank, cards, ref.now(), ref.settings)


def _placements(engine: Engine) -> dict[str, tuple[str, int]]:
    """Where the index must hold each card, from the cache's columns."""
    now = engine.now()
    end_us = to_us(engine._day(now)[1])
    order = {q.id: i for i, q in enumerate(engine.bank.active_questions)}
    out: dict[str, tuple[str, int]] = {}
    for t in engine._cache.raw().values():
        if t.suspended:
            continue
        if t.state in ("learning", "relearning") and t.due is not None:
            out[t.question_id] = ("L", t.due)
        elif t.state == "review" and t.due is not None and t.due < end_us:
            out[t.question_id] = ("R", t.due)
        elif t.state == "new":
            out[t.question_id] = ("N", order[t.question_id])
    return out


@settings(
    max_examples=100,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
)
@given(
    layout=banks(),
    new_per_day=st.integers(0, 6),
    reviews_per_day=st.integers(0, 8),
    bury=st.tuples(st.booleans(), st.booleans()),
    ahead_min=st.sampled_from([0, 5, 20]),
    script=st.lists(steps, min_size=1, max_size=40),
)
def test_the_incremental_queue_is_build_queue_at_every_step(
    layout: dict[str, dict[str, int]],
    new_per_day: int,
    reviews_per_day: int,
    bury: tuple[bool, bool],
    ahead_min: int,
    script: list[tuple[object, ...]],
) -> None:
    bank = make_bank(layout)
    qids = [q.id for q in bank.active_questions]
    clock = Clock()
    with tempfile.TemporaryDirectory() as tmp:
        db = Path(tmp) / "t.db"
        engine = open_engine(
            bank,
            db,
            clock,
            new_per_day=new_per_day,
            reviews_per_day=reviews_per_day,
            bury_new=bury[0],
            bury_reviews=bury[1],
            learn_ahead=timedelta(minutes=ahead_min),
        )
        ref = engine.twin()
        other = engine.twin()
        tally = engine.twin()  # never loads its cards: the home's figures tallied by SQL
        plain = engine.twin()  # the same, as with an SQLite without pow(): Python's arithmetic
        plain.store._pow = False
        try:
            assert tally.overview().counts == _reference(ref)[1]
            assert _view(engine) == _reference(ref)
            for step in script:
                target = engine.undo_target()  # this engine's last answer (log id, qid)
                last = None if target is None else _LAST.get(target)
                _apply(engine, other, ref, qids, clock, step, last)
                assert _view(engine) == _reference(ref), step
                index = engine._cache._index
                assert index is not None
                assert index.cards() == _placements(engine), step
                overview = engine.overview()
                assert overview.mastery == _mastery(ref), step
                tally.settings = engine.settings
                assert not tally._cache.loaded()
                assert tally._tally(tally.now()) == (overview.counts, overview.mastery), step
                assert tally.overview() == overview, step
                assert not tally._cache.loaded()
                plain.settings = engine.settings
                assert plain._tally(plain.now()) == (overview.counts, overview.mastery), step
                assert not plain._cache.loaded()
        finally:
            plain.close()
            tally.close()
            other.close()
            ref.close()
            engine.close()


_LAST: dict[int, tuple[int, str]] = {}  # log id -> (log id, qid), of answers made by _apply


def _apply(
    engine: Engine,
    other: Engine,
    ref: Engine,
    qids: list[str],
    clock: Clock,
    step: tuple[object, ...],
    last: tuple[int, str] | None,
) -> None:
    kind = step[0]
    if kind == "next":
        q = engine.next_question()
        if q is not None:
            rating = Rating(step[1])  # type: ignore[call-overload]
            log_id = engine.answer(
                q.id, rating, response=_respond(engine, q.id, rating), duration_ms=1000
            )
            _LAST[log_id] = (log_id, q.id)
    elif kind == "answer":
        qid = qids[int(step[1]) % len(qids)]  # type: ignore[call-overload]
        rating = Rating(step[2])  # type: ignore[call-overload]
        log_id = engine.answer(
            qid,
            rating,
            response=_respond(engine, qid, rating),
            duration_ms=1000,
            mode=step[3],  # type: ignore[arg-type]
        )
        _LAST[log_id] = (log_id, qid)
    elif kind == "undo":
        engine.undo()
    elif kind == "rerate":
        if last is not None:
            rating = Rating(step[1])  # type: ignore[call-overload]
            new_id = engine.rerate(
                last[0],
                last[1],
                rating,
                response=_respond(engine, last[1], rating),
                duration_ms=1000,
                mode="study",
            )
            if new_id is not None:
                _LAST[new_id] = (new_id, last[1])
    elif kind == "suspend":
        engine.set_suspended(qids[int(step[1]) % len(qids)], bool(step[2]))  # type: ignore[call-overload]
    elif kind == "flag":
        engine.set_flag(qids[int(step[1]) % len(qids)], bool(step[2]))  # type: ignore[call-overload]
    elif kind == "reset":
        engine.reset_card(qids[int(step[1]) % len(qids)])  # type: ignore[call-overload]
    elif kind == "foreign":  # another engine (another process) answers its next question
        q = other.next_question()
        if q is not None:
            rating = Rating(step[1])  # type: ignore[call-overload]
            other.answer(q.id, rating, response=_respond(other, q.id, rating), duration_ms=1000)
    elif kind == "settings":
        s = replace(
            engine.settings,
            bury_new=bool(step[1]),
            bury_reviews=bool(step[2]),
            new_per_day=int(step[3]),  # type: ignore[call-overload]
        )
        for e in (engine, other, ref):
            e.settings = s
    elif kind == "time":
        delta = step[1]
        assert isinstance(delta, timedelta)
        clock.t = clock.t + delta
    else:  # pragma: no cover
        raise AssertionError(kind)


def test_index_counts_and_first_follow_burying_and_unburying() -> None:
    """QueueIndex alone: burying a key hides its new cards (counts and first); unburying (an
    undo) brings them back, also when their heap entries were dropped meanwhile."""
    topic = {"a": "T", "b": "T", "c": "U"}
    sibling = {"a": "k", "b": "k", "c": "m"}
    order = {"a": 0, "b": 1, "c": 2}
    index = QueueIndex(
        day_end_us=10**12,
        learn_ahead_us=0,
        bury_new=True,
        bury_reviews=False,
        topic=topic,
        sibling=sibling,
        order=order,
    )
    index.load([(q, "new", None, 0) for q in topic])
    assert index.counts(0, 10, 10) == (3, 0, 0)
    assert index.first(0, 10, 10, None) == "a"
    assert index.first(0, 10, 10, "T") == "c"  # the last topic goes last
    index.bury("k")
    assert index.counts(0, 10, 10) == (1, 0, 0)
    assert index.first(0, 10, 10, "U") == "c"  # only the last topic is left: it is shown
    index.set_buried([], lambda key: [q for q, k in sibling.items() if k == key])
    assert index.counts(0, 10, 10) == (3, 0, 0)
    assert index.first(0, 10, 10, None) == "a"
    index.put("a", "learning", 5, False)
    assert index.counts(4, 10, 10) == (2, 0, 0) and index.first(4, 10, 10, None) == "b"
    assert index.counts(5, 10, 10) == (2, 1, 0) and index.first(5, 10, 10, None) == "a"
    assert index.valid_until(4) == 5


def test_an_undo_unburies_the_siblings_of_the_answer_it_removes(tmp_path: Path) -> None:
    bank = make_bank({"A": {"o": 3}, "B": {"p": 1}})
    engine = open_engine(bank, tmp_path / "t.db", Clock())
    ref = engine.twin()
    assert _view(engine) == ("o-1", Counts(new=4, learning=0, review=0))
    log_id = engine.answer("o-1", Rating.EASY, response=True, duration_ms=1000)
    assert _view(engine) == ("p-1", Counts(new=1, learning=0, review=0)) == _reference(ref)
    assert engine.next_question() is not None
    engine.answer("p-1", Rating.EASY, response=True, duration_ms=1000)
    assert _view(engine) == (None, Counts(0, 0, 0)) == _reference(ref)
    assert engine.undo() == "p-1"
    assert engine.undo() == "o-1"
    assert _view(engine) == ("o-1", Counts(new=4, learning=0, review=0)) == _reference(ref)
    assert engine.undo_target() is None and log_id > 0
    ref.close()
    engine.close()


def test_the_engine_knows_each_question_as_the_bank_does(tmp_path: Path) -> None:
    """Engine's one-pass maps (order, topic, sibling key) agree with Bank.topic_of and the
    bank's order, for the bundled bank and for questions with retired or unknown objectives."""
    from trainer.bank import load_bank
    from trainer.paths import bundled_bank

    bundled, problems = load_bank(bundled_bank())
    assert bundled is not None, problems
    odd = make_bank(
        {"A": {"o": 2}, "B": {"p": 1}},
        retired=["o-2"],
        extra=[
            replace(make_bank({"C": {"z": 1}}).questions[0], id="stray")
        ],  # objective z: unknown
    )
    for i, bank in enumerate((bundled, odd)):
        engine = Engine.open(bank, tmp_path / f"{i}.db", clock=Clock())
        active = bank.active_questions
        assert list(engine._questions) == [q.id for q in active]
        assert engine._order == {q.id: n for n, q in enumerate(active)}
        assert engine._topic == {q.id: bank.topic_of(q) for q in active}
        assert engine._sibling == {q.id: q.objectives[0] if q.objectives else q.id for q in active}
        engine.close()
    assert "o-2" not in engine._questions and engine._topic["stray"] == "unknown"
