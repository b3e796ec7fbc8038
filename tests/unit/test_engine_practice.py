"""Practice by topic with filters, and exams drawn with a seed and stored."""

from __future__ import annotations

import sys
from datetime import timedelta
from itertools import pairwise
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).parent / "helpers"))
from engine_kit import T0, Clock, answer, make_bank, open_engine

from trainer.engine import ExamResult, Rating

BANK = make_bank({"A": {"a": 4}, "B": {"b": 3}, "C": {"c": 2}})


def ids(questions: list) -> list[str]:  # type: ignore[type-arg]
    return [q.id for q in questions]


def test_practice_all_is_seeded_shuffled_and_interleaved(tmp_path: Path) -> None:
    engine = open_engine(BANK, tmp_path / "t.db")
    first = ids(engine.practice_questions(None, "all", seed=3))
    assert sorted(first) == sorted(q.id for q in BANK.questions)
    assert ids(engine.practice_questions(None, "all", seed=3)) == first
    assert any(ids(engine.practice_questions(None, "all", seed=s)) != first for s in range(4, 10))
    topics = [engine.topic_of(qid) for qid in first]
    # topics alternate (4 A, 3 B, 2 C: round-robin never repeats a topic back to back)
    assert all(a != b for a, b in pairwise(topics))
    engine.close()


def test_practice_by_topic(tmp_path: Path) -> None:
    engine = open_engine(BANK, tmp_path / "t.db")
    chosen = ids(engine.practice_questions(["B", "C"], "all", seed=1))
    assert sorted(chosen) == ["b-1", "b-2", "b-3", "c-1", "c-2"]
    with pytest.raises(ValueError, match="unknown topic 'Z'"):
        engine.practice_questions(["Z"], "all")
    with pytest.raises(ValueError, match="unknown filter"):
        engine.practice_questions(None, "hard")  # type: ignore[arg-type]
    engine.close()


def test_practice_filters(tmp_path: Path) -> None:
    engine = open_engine(BANK, tmp_path / "t.db")
    answer(engine, "a-1", Rating.GOOD)
    answer(engine, "b-1", Rating.AGAIN)
    answer(engine, "c-1", Rating.AGAIN, mode="exam")
    answer(engine, "c-2", Rating.AGAIN, mode="practice")
    answer(engine, "c-2", Rating.GOOD, mode="practice")  # last answer right: not missed
    engine.set_flag("a-3", True)
    unseen = set(ids(engine.practice_questions(None, "unseen", seed=1)))
    assert unseen == {"a-2", "a-3", "a-4", "b-2", "b-3"}
    assert set(ids(engine.practice_questions(None, "missed", seed=1))) == {"b-1", "c-1"}
    assert ids(engine.practice_questions(None, "flagged", seed=1)) == ["a-3"]
    assert ids(engine.practice_questions(["B"], "flagged")) == []
    engine.close()


def test_exam_draw_is_seeded(tmp_path: Path) -> None:
    engine = open_engine(BANK, tmp_path / "t.db")
    draw = ids(engine.exam_questions(5, seed=42))
    assert len(draw) == len(set(draw)) == 5
    assert ids(engine.exam_questions(5, seed=42)) == draw
    assert ids(engine.exam_questions(5, seed=43)) != draw
    assert sorted(ids(engine.exam_questions(50, seed=1))) == sorted(q.id for q in BANK.questions)
    assert set(ids(engine.exam_questions(3, seed=1, topics=["C"]))) == {"c-1", "c-2"}
    with pytest.raises(ValueError, match="at least 1"):
        engine.exam_questions(0, seed=1)
    engine.close()


def test_exam_results_are_stored(tmp_path: Path) -> None:
    db = tmp_path / "t.db"
    clock = Clock()
    engine = open_engine(BANK, db, clock)
    qs = engine.exam_questions(4, seed=9)
    for q in qs:
        answer(engine, q.id, Rating.GOOD, mode="exam")
    result = ExamResult(
        started=T0,
        finished=T0 + timedelta(minutes=7),
        seed=9,
        question_ids=tuple(q.id for q in qs),
        correct_ids=tuple(q.id for q in qs[:3]),
        by_topic={"A": (2, 2), "B": (1, 2)},
    )
    rid = engine.record_exam(result)
    assert rid > 0
    assert all(engine.card_info(q.id).state == "new" for q in qs)  # exams do not schedule
    engine.close()
    again = open_engine(BANK, db, clock)
    stored = again.exam_results()
    assert len(stored) == 1
    assert stored[0] == ExamResult(**{**result.__dict__, "id": rid})
    assert stored[0].score == 0.75
    with pytest.raises(ValueError, match="finish before"):
        again.record_exam(ExamResult(T0, T0 - timedelta(seconds=1), 1, (), ()))
    other = open_engine(make_bank({"A": {"a": 1}}, bank_id="other"), db, clock)
    assert other.exam_results() == []  # per bank
    other.close()
    again.close()
