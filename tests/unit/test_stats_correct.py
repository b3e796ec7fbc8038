"""Per-topic correct rate (Engine.correct_by_topic): every answer in every mode, as a QBank's
"percent correct", beside mastery and retention."""

from __future__ import annotations

import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).parent / "helpers"))
from engine_kit import Clock, answer, make_bank, open_engine

from trainer.engine import Rating

BANK = make_bank({"A": {"a1": 2}, "B": {"b1": 2}, "C": {"c1": 1}})


def test_correct_by_topic_counts_every_mode_in_bank_order(tmp_path: Path) -> None:
    clock = Clock()
    engine = open_engine(BANK, tmp_path / "t.db", clock, new_per_day=10)
    assert engine.correct_by_topic() == {"A": (0, 0), "B": (0, 0), "C": (0, 0)}
    answer(engine, "a1-1", Rating.GOOD)  # study, right
    answer(engine, "a1-2", Rating.AGAIN, mode="practice")  # practice, wrong
    answer(engine, "a1-2", Rating.GOOD, mode="practice")  # practice, right
    answer(engine, "b1-1", Rating.AGAIN, mode="exam")  # exam, wrong
    by_topic = engine.correct_by_topic()
    assert list(by_topic) == ["A", "B", "C"]
    assert by_topic == {"A": (2, 3), "B": (0, 1), "C": (0, 0)}
    engine.close()
