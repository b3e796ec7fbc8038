"""Stats: whole-number count axes, retention on 0-100, full topic names (under the bars or in a
legend), "No reviews yet" instead of empty axes, a line under each figure, correct per topic."""

from __future__ import annotations

import re
from datetime import timedelta

import pytest
from textual.widgets import Static

from trainer.bank import load_bank
from trainer.bank.models import Bank, Question, topic_title
from trainer.engine import Rating
from trainer.paths import bundled_bank
from trainer.tui.app import TrainerApp
from trainer.tui.screens.stats import StatsScreen, count_ticks, topic_labels

from .conftest import AppFactory, Clock
from .helpers import text_of


def y_ticks(app: TrainerApp, name: str) -> list[str]:
    """The y-axis labels of a plot as drawn."""
    drawn = app.screen.query_one(f"#plot-{name}").render().plain  # type: ignore[attr-defined]
    return re.findall(r"^\s*(\S+)┤", drawn, re.MULTILINE)


def drawn(app: TrainerApp, name: str) -> str:
    return str(app.screen.query_one(f"#plot-{name}").render().plain)  # type: ignore[attr-defined]


def right_response(q: Question) -> object:
    return {"single": q.correct_indexes[0] if q.options else 0, "true_false": q.answer}[q.type]


def review_every_topic(app: TrainerApp, clock: Clock, *, wrong_first: bool = False) -> None:
    """One single or true/false question per topic learnt (Easy), then reviewed when due, so
    every topic has answers, retention and mastery."""
    engine = app.engine
    picked: dict[str, Question] = {}
    for q in engine.bank.active_questions:
        if q.type in ("single", "true_false"):
            picked.setdefault(engine.bank.topic_of(q), q)
    for q in picked.values():
        response = right_response(q)
        engine.answer(q.id, Rating.EASY, response=response, duration_ms=1000)  # type: ignore[arg-type]
    clock.advance(timedelta(days=60))
    for q in picked.values():
        response = right_response(q)
        engine.answer(q.id, Rating.GOOD, response=response, duration_ms=1000)  # type: ignore[arg-type]


async def open_stats(app: TrainerApp, pilot: object) -> None:
    await pilot.press("t")  # type: ignore[attr-defined]
    await app.workers.wait_for_complete()
    await pilot.pause()  # type: ignore[attr-defined]
    assert isinstance(app.screen, StatsScreen)


def test_count_ticks_are_whole_numbers_from_zero() -> None:
    assert count_ticks(0) == [0, 1]
    assert count_ticks(3) == [0, 1, 2, 3]
    assert count_ticks(116.7) == [0, 24, 48, 72, 96, 120]
    assert all(isinstance(t, int) for t in count_ticks(12.5))


def test_topic_labels_fit_or_become_a_legend() -> None:
    assert topic_labels(["Procedure", "Risks"], 80) == (["Procedure", "Risks"], "")
    titles = ["Indications", "Patient selection", "Contraindications", "Risks", "Outcomes"]
    labels, legend = topic_labels(titles, 80)
    assert labels == ["1", "2", "3", "4", "5"]
    assert legend.startswith("1. Indications  2. Patient selection")


async def test_a_new_database_says_no_reviews_yet_instead_of_empty_axes(app: TrainerApp) -> None:
    async with app.run_test(size=(80, 24)) as pilot:
        await open_stats(app, pilot)
        for name in ("reviews", "forecast", "retention"):
            assert not app.screen.query_one(f"#plot-{name}").display
            note = app.screen.query_one(f"#empty-{name}", Static)
            assert note.display and "No reviews yet" in str(note.content)
        assert "-1.00" not in "".join(drawn(app, n) for n in ("reviews", "retention"))
        assert app.screen.query_one("#plot-workload-year").display  # a forecast of new cards
        assert "Mastery:" in text_of(pilot, "#stats-topics")


async def test_counts_have_integer_ticks_and_retention_is_0_to_100(
    new_app: AppFactory, clock: Clock
) -> None:
    app = new_app()
    review_every_topic(app, clock)
    q = app.engine.bank.question("mini-q-multiple")  # learning: due today
    app.engine.answer(
        q.id,
        Rating.AGAIN,
        response=frozenset({2}),
        duration_ms=1000,
    )
    async with app.run_test(size=(120, 40)) as pilot:
        await open_stats(app, pilot)
        for name in ("reviews", "forecast", "workload-year", "workload-curve"):
            ticks = y_ticks(app, name)
            assert ticks and all(t.isdigit() for t in ticks), (name, ticks)
            assert ticks[-1] == "0", (name, ticks)  # from 0, at the bottom
        assert y_ticks(app, "retention") == ["100", "75", "50", "25", "0"]
        for name in ("reviews", "forecast", "retention", "workload-year", "workload-curve"):
            caption = app.screen.query_one(f"#caption-{name}", Static)
            assert caption.display and str(caption.content).strip()
        table = text_of(pilot, "#stats-topics")
        assert re.search(r"Procedure\s+4\s+\d+\s+\d+\s+2\s+100%\s+100%", table), table
        assert re.search(r"Risks\s+2\s+\d+\s+\d+\s+3\s+67%\s+100%", table), table
        assert "Correct: the share of your answers that were right" in table


@pytest.mark.parametrize("size", [(80, 24), (120, 40)], ids=["80x24", "120x40"])
async def test_every_topic_name_is_shown_in_full(
    new_app: AppFactory, clock: Clock, size: tuple[int, int]
) -> None:
    bundled, _problems = load_bank(bundled_bank())
    assert isinstance(bundled, Bank) and len(bundled.topics) > 8
    app = new_app(bundled)
    review_every_topic(app, clock)
    async with app.run_test(size=size) as pilot:
        await open_stats(app, pilot)
        table = text_of(pilot, "#stats-topics")
        caption = text_of(pilot, "#caption-retention")
        plot = drawn(app, "retention")
        for i, topic in enumerate(bundled.topics, start=1):
            title = topic_title(topic)
            assert re.search(rf"^  {re.escape(title)}\s+\d", table, re.MULTILINE), title
            assert f"{i}. {title}" in caption or title in plot, title


async def test_a_used_database_with_nothing_due_says_so(new_app: AppFactory, clock: Clock) -> None:
    app = new_app()
    review_every_topic(app, clock)  # everything due months ahead
    async with app.run_test(size=(80, 24)) as pilot:
        await open_stats(app, pilot)
        note = app.screen.query_one("#empty-forecast", Static)
        assert note.display and "Nothing falls due in the next 30 days" in str(note.content)
        assert app.screen.query_one("#plot-retention").display
