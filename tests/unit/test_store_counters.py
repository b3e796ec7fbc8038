"""The statistics' counters (card_counts, log_hours: kept by triggers in each answer's own
transaction) always equal a count of the whole log from scratch: after random histories of
answers in every mode, undo, rerate, reset, import and replay, with two banks in one database;
and the periods the statistics ask for, on the hour or not, count what the log holds."""

from __future__ import annotations

import random
import sqlite3
import sys
import tempfile
from datetime import UTC, datetime, timedelta
from pathlib import Path

from hypothesis import given, settings
from hypothesis import strategies as st

sys.path.insert(0, str(Path(__file__).parent / "helpers"))
import itertools

from engine_kit import Clock, answer, make_bank, open_engine

from trainer.engine import Engine, Rating
from trainer.engine.replay import recompute
from trainer.engine.revlog import RevlogRow, import_revlog

T = datetime(2026, 3, 27, 22, 0, tzinfo=UTC)
BANK = make_bank({"A": {"a": 3}, "B": {"b": 2}})
OTHER = make_bank({"Z": {"z": 2}}, bank_id="z")

OPS = st.lists(
    st.one_of(
        st.tuples(
            st.just("answer"),
            st.sampled_from(["a-1", "a-2", "a-3", "b-1", "b-2"]),
            st.sampled_from(list(Rating)),
            st.sampled_from(["study", "study", "practice", "exam"]),
        ),
        st.tuples(st.just("wait"), st.integers(1, 3 * 24 * 60 * 60)),  # seconds
        st.tuples(st.just("undo")),
        st.tuples(st.just("rerate"), st.sampled_from(list(Rating))),
        st.tuples(st.just("reset"), st.sampled_from(["a-1", "b-2"])),
        st.tuples(st.just("import"), st.integers(0, 10**6)),
        st.tuples(st.just("rival")),
        st.tuples(st.just("recompute")),
    ),
    max_size=25,
)


def _apply(op: tuple[object, ...], e: Engine, rival: Engine, clock: Clock, last: list[int]) -> None:
    kind = op[0]
    if kind == "answer":
        _, qid, rating, mode = op
        before = e.undo_target()
        answer(e, str(qid), Rating(rating), mode=str(mode))  # type: ignore[arg-type]
        target = e.undo_target()
        if target is not None and target != before:
            last[:] = [target]
    elif kind == "wait":
        clock.advance(seconds=int(op[1]))  # type: ignore[call-overload]
    elif kind == "undo":
        e.undo()
    elif kind == "rerate" and last:
        log_id = last[0]
        rows = [r for r in e.store.log_since(e.bank.id) if r.id == log_id]
        if rows and rows[0].mode == "study":
            rating = Rating(op[1])  # type: ignore[call-overload]
            ok = rating != Rating.AGAIN
            new = e.rerate(
                log_id, rows[0].question_id, rating, response=ok, duration_ms=5, mode="study"
            )
            last[:] = [] if new is None else [new]
    elif kind == "reset":
        e.reset_card(str(op[1]))
    elif kind == "import":
        rng = random.Random(op[1])
        rows = [
            RevlogRow(
                rng.choice(["a-1", "a-2", "b-1"]),
                T - timedelta(seconds=rng.randrange(0, 40 * 86400)),
                rng.randint(1, 4),
                rng.randrange(0, 9000),
            )
            for _ in range(rng.randint(1, 6))
        ]
        import_revlog(e, rows)
    elif kind == "rival":
        q = rival.next_question()
        if q is not None:
            answer(rival, q.id, Rating.GOOD)
    elif kind == "recompute":
        recompute(e, e.settings.__class__(**{**vars(e.settings), "desired_retention": 0.85}))


def _scratch(e: Engine, bounds: list[datetime]) -> dict[str, object]:
    """The figures the counters give, computed from every log entry."""
    log = e.store.log_since(e.bank.id)
    correct: dict[str, list[int]] = {}
    retention: dict[str, list[int]] = {}
    for r in log:
        c = correct.setdefault(r.question_id, [0, 0])
        c[0] += int(r.rating > 1 if r.correct is None else r.correct)
        c[1] += 1
        if r.scheduled and r.state_before == "review":
            t = retention.setdefault(r.question_id, [0, 0])
            t[0] += int(r.rating > 1)
            t[1] += 1
    per = [sum(1 for r in log if lo <= r.time < hi) for lo, hi in itertools.pairwise(bounds)]
    return {
        "count": len(log),
        "correct": {k: tuple(v) for k, v in correct.items()},
        "retention": {k: tuple(v) for k, v in retention.items()},
        "per": per,
        "any": [int(n > 0) for n in per],
    }


def _counted(e: Engine, bounds: list[datetime]) -> dict[str, object]:
    s = e.store
    return {
        "count": s.log_count(e.bank.id),
        "correct": s.correct_counts(e.bank.id),
        "retention": s.retention_counts(e.bank.id),
        "per": s.log_per_period(e.bank.id, bounds),
        "any": s.log_per_period(e.bank.id, bounds, any_only=True),
    }


@settings(max_examples=60, deadline=None)
@given(
    ops=OPS,
    cut=st.one_of(st.just(0), st.integers(0, 3599)),
    step=st.sampled_from([3600, 86400, 5400, 600, 7]),
)
def test_the_counters_equal_a_count_of_the_whole_log(
    ops: list[tuple[object, ...]], cut: int, step: int
) -> None:
    with tempfile.TemporaryDirectory() as folder:
        db = Path(folder) / "t.db"
        clock = Clock(T)
        e = open_engine(BANK, db, clock, new_per_day=50, tz=UTC)
        rival = open_engine(OTHER, db, clock, tz=UTC)
        last: list[int] = []
        try:
            for op in ops:
                _apply(op, e, rival, clock, last)
            assert e.store.counters_match_log()
            # periods on the hour, on the day, and off the hour by ``cut`` seconds
            start = T - timedelta(days=41, seconds=cut)
            n = min(60, int((clock.t - start).total_seconds() // step) + 2)
            bounds = [start + timedelta(seconds=step * i) for i in range(n)]
            assert _counted(e, bounds) == _scratch(e, bounds)
        finally:
            rival.close()
            e.close()


def test_undo_takes_the_answer_out_of_every_counter(tmp_path: Path) -> None:
    clock = Clock(T)
    e = open_engine(BANK, tmp_path / "t.db", clock, tz=UTC)
    for _ in range(3):
        answer(e, "a-1", Rating.GOOD)
        clock.advance(days=4)
    before = (e.store.log_count("b"), e.store.retention_counts("b"), e.store.correct_counts("b"))
    answer(e, "a-1", Rating.AGAIN)  # a lapse of a review card: counted for retention
    assert e.store.retention_counts("b")["a-1"][1] == before[1]["a-1"][1] + 1
    assert e.undo() == "a-1"
    after = (e.store.log_count("b"), e.store.retention_counts("b"), e.store.correct_counts("b"))
    assert after == before
    day = [T + timedelta(days=12), T + timedelta(days=13)]
    assert e.store.log_per_period("b", day) == [0]
    for _ in range(3):
        e.undo()
    assert e.store.log_count("b") == 0 and e.store.correct_counts("b") == {}
    con = sqlite3.connect(tmp_path / "t.db")
    assert con.execute("SELECT count(*) FROM card_counts").fetchone()[0] == 0
    assert con.execute("SELECT count(*) FROM log_hours").fetchone()[0] == 0
    con.close()
    e.close()


def test_a_reset_keeps_the_counts_and_a_replay_moves_retention_with_the_states(
    tmp_path: Path,
) -> None:
    clock = Clock(T)
    e = open_engine(BANK, tmp_path / "t.db", clock, tz=UTC)
    for _ in range(4):
        answer(e, "a-2", Rating.GOOD)
        clock.advance(days=5)
    counts = e.store.retention_counts("b")
    e.reset_card("a-2")
    assert e.store.retention_counts("b") == counts  # the log is kept, and so are its counts
    # imported answers before the others change the states the later ones were given in
    import_revlog(e, [RevlogRow("a-2", T - timedelta(days=30 - 7 * i), 3, 0) for i in range(4)])
    assert e.store.counters_match_log()
    assert e.store.log_count("b") == 8
    e.close()


def test_rebuilt_counters_are_the_counters_kept(tmp_path: Path) -> None:
    clock = Clock(T)
    e = open_engine(BANK, tmp_path / "t.db", clock, tz=UTC)
    for qid in ("a-1", "a-2", "b-1"):
        answer(e, qid, Rating.GOOD)
        clock.advance(minutes=50)
    con = sqlite3.connect(tmp_path / "t.db")
    kept = con.execute("SELECT * FROM card_counts ORDER BY card_id").fetchall()
    con.execute("UPDATE card_counts SET answered = answered + 5")  # counters gone wrong
    con.execute("DELETE FROM log_hours")
    con.commit()
    assert not e.store.counters_match_log()
    e.store.rebuild_counters()
    assert e.store.counters_match_log()
    assert con.execute("SELECT * FROM card_counts ORDER BY card_id").fetchall() == kept
    con.close()
    e.close()
