"""The workload simulation (engine/workload.py): seeded, from the trainee's cards, higher desired
retention costs more answers a day; fsrs-rs when the extra is installed, else the estimate."""

from __future__ import annotations

import sys
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).parent / "helpers"))
from engine_kit import Clock, answer, make_bank, open_engine

from trainer.engine import Rating, Settings
from trainer.engine.workload import Deck, SimCard, deck_of, simulate, workload_curve


def test_the_deck_starts_from_the_trainees_cards(tmp_path: Path) -> None:
    bank = make_bank({"t": {"a": 1, "b": 1, "c": 1}})
    clock = Clock()
    with open_engine(bank, tmp_path / "t.db", clock) as engine:
        for _ in range(3):
            answer(engine, "a-1", Rating.GOOD)
        engine.set_suspended("c-1", True)
        deck = deck_of(engine)
    assert deck.new == 1  # b-1 (c-1 is suspended)
    [card] = deck.cards
    assert card.last == 0 and card.due >= 1 and card.stability > 0


def test_the_estimate_is_seeded_and_grows_with_retention() -> None:
    deck = Deck(tuple(SimCard(5.0, 5.0, -3, i % 7) for i in range(40)), new=200)
    settings = Settings(new_per_day=10)
    a = simulate(deck, settings, 0.9, method="estimate")
    assert a == simulate(deck, settings, 0.9, method="estimate")
    assert a.method == "estimate" and len(a.reviews) == 365
    assert sum(a.learned) == 200 and a.learned[:3] == (10, 10, 10)
    curve = workload_curve(deck, settings, (0.70, 0.80, 0.90, 0.97), method="estimate")
    loads = [w for _r, w in curve]
    assert loads[0] < loads[2] < loads[3]
    assert all(n <= settings.reviews_per_day for n in a.reviews)


def test_the_review_limit_caps_reviews_and_new_cards() -> None:
    deck = Deck(tuple(SimCard(1.0, 5.0, -10, 0) for _ in range(30)), new=50)
    forecast = simulate(deck, Settings(reviews_per_day=12), 0.9, method="estimate", days=5)
    assert forecast.reviews[0] == 12 and forecast.learned[0] == 0


def test_fsrs_rs_is_used_when_installed(monkeypatch: pytest.MonkeyPatch) -> None:
    pytest.importorskip("fsrs_rs_python")
    deck = Deck((), new=100)
    rs = simulate(deck, Settings(), 0.9)
    assert rs.method == "fsrs-rs" and len(rs.reviews) == 365 and rs.per_day > 0
    assert sum(rs.learned) == 100
    monkeypatch.setitem(sys.modules, "fsrs_rs_python", None)
    assert simulate(deck, Settings(), 0.9).method == "estimate"
