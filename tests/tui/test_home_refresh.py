"""The home screen refreshes once per showing, from Engine.overview, and keeps its footer right."""

from __future__ import annotations

import gc
from pathlib import Path
from typing import Any

import pytest
from textual.pilot import Pilot
from textual.widgets import Static

from trainer.bank import load_bank
from trainer.bank.models import LazyBank
from trainer.engine import Engine, TrainerDBError
from trainer.tui.app import TrainerApp
from trainer.tui.run import run_app
from trainer.tui.screens.home import HomeScreen
from trainer.tui.screens.question import QuestionScreen

from .helpers import answer, settle, text_of


class OverviewCalls:
    def __init__(self, monkeypatch: pytest.MonkeyPatch) -> None:
        self.n = 0
        original = Engine.overview

        def overview(engine: Engine) -> object:
            self.n += 1
            return original(engine)

        monkeypatch.setattr(Engine, "overview", overview)


def footer_keys(app: TrainerApp) -> set[str]:
    """The keys the footer shows (bindings that are active and shown)."""
    return {key for key, active in app.screen.active_bindings.items() if active.binding.show}


async def test_home_is_summarised_once_at_start_and_once_per_return(
    app: TrainerApp, monkeypatch: pytest.MonkeyPatch
) -> None:
    calls = OverviewCalls(monkeypatch)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        assert isinstance(app.screen, HomeScreen)
        assert calls.n == 1
        before = app.engine.counts()
        assert f"Today: {before.new} new," in text_of(pilot, "#home-counts")
        await pilot.press("b")  # browse, then back home
        await settle(pilot)
        assert not isinstance(app.screen, HomeScreen)
        await pilot.press("escape")
        await settle(pilot)
        assert isinstance(app.screen, HomeScreen)
        assert calls.n == 2
        await pilot.press("s")  # study one question: home then shows what is left
        await settle(pilot)
        screen = app.screen
        assert isinstance(screen, QuestionScreen) and screen.question is not None
        await answer(pilot, screen.question.id, right=True)
        await pilot.press("enter")
        await settle(pilot)
        await pilot.press("escape")
        await settle(pilot)
        assert isinstance(app.screen, HomeScreen)
        assert calls.n == 3
        after = app.engine.counts()
        assert after != before
        assert f"Today: {after.new} new, {after.learning} learning, {after.review} due" in (
            text_of(pilot, "#home-counts")
        )


async def test_the_footer_offers_resume_only_while_a_session_is_paused(app: TrainerApp) -> None:
    bank = app.engine.bank
    questions = [bank.question("mini-q-single"), bank.question("mini-q-true-false")]
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        assert "r" not in footer_keys(app)
        app.start_practice(questions, 1, "")
        await settle(pilot)
        await answer(pilot, "mini-q-single", right=True)
        await pilot.press("enter", "escape")
        await settle(pilot)
        assert isinstance(app.screen, HomeScreen)
        assert "r" in footer_keys(app)
        await pilot.press("r")
        await settle(pilot)
        await answer(pilot, "mini-q-true-false", right=True)
        await pilot.press("enter")
        await settle(pilot)
        app.go_home()
        await settle(pilot)
        assert isinstance(app.screen, HomeScreen)
        assert not app.paused
        assert "r" not in footer_keys(app)


async def test_damage_found_in_use_ends_the_app_with_a_message_not_a_traceback(
    app: TrainerApp, monkeypatch: pytest.MonkeyPatch
) -> None:
    def damaged(engine: Engine) -> object:
        raise TrainerDBError("/x/trainer.db is damaged (database disk image is malformed).")

    monkeypatch.setattr(Engine, "stats", damaged)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        app.action_stats()  # the stats screen reads the damaged part (the app then exits)
        await settle(pilot)  # the read runs in the database worker
    assert app.return_code == 1  # ended cleanly (the message: see the run_app test below)


def test_run_app_exits_1_with_the_message_when_damage_is_found_in_use(
    mini_bank_path: Path,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    """The whole entry point, run headless: the exit status is 1 and the message is printed."""

    def damaged(engine: Engine) -> object:
        raise TrainerDBError("/x/trainer.db is damaged (database disk image is malformed).")

    async def open_stats(pilot: Pilot[None]) -> None:
        await settle(pilot)
        pilot.app.action_stats()  # the stats screen reads the damaged part; the app exits

    real_run = TrainerApp.run

    def run_headless(self: TrainerApp, **kwargs: Any) -> None:
        real_run(self, headless=True, size=(80, 24), auto_pilot=open_stats)

    monkeypatch.setattr(Engine, "stats", damaged)
    monkeypatch.setattr(TrainerApp, "run", run_headless)
    assert run_app(mini_bank_path, tmp_path / "t.db") == 1
    captured = capsys.readouterr()
    assert "trainer: /x/trainer.db is damaged" in captured.out + captured.err
    assert "Traceback" not in captured.out + captured.err


def test_run_app_keeps_the_collector_off_until_home_is_painted_then_freezes_the_start(
    mini_bank_path: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The whole entry point, headless: no collection from the start until home is painted with
    its figures; then the start's objects are frozen and the collector is on again."""
    seen: dict[str, Any] = {}
    real_started = TrainerApp.started

    def started(self: TrainerApp) -> None:
        assert isinstance(self.screen, HomeScreen)
        counts = str(self.screen.query_one("#home-counts", Static).render())
        seen.setdefault("painted", (gc.isenabled(), len(gc.get_objects()), counts))
        real_started(self)
        seen.setdefault("then", (gc.isenabled(), len(gc.get_objects())))

    async def leave(pilot: Pilot[None]) -> None:
        await settle(pilot)
        pilot.app.exit()

    real_run = TrainerApp.run

    def run_headless(self: TrainerApp, **kwargs: Any) -> None:
        seen["before run"] = gc.isenabled()
        real_run(self, headless=True, size=(80, 24), auto_pilot=leave)

    monkeypatch.setattr(TrainerApp, "started", started)
    monkeypatch.setattr(TrainerApp, "run", run_headless)
    assert gc.isenabled()
    try:
        assert run_app(mini_bank_path, tmp_path / "t.db") == 0
        assert seen["before run"] is False
        enabled, tracked, counts = seen["painted"]  # what a full collection would scan
        assert enabled is False and tracked > 10_000  # the start's objects, not frozen yet
        assert counts.startswith("Today: ")  # the real figures are on screen
        enabled, tracked = seen["then"]
        assert enabled is True and tracked < 1_000  # frozen: out of the collector's way
        assert gc.isenabled()
    finally:
        gc.unfreeze()


async def test_a_cached_bank_shows_home_without_making_its_questions_then_studies(
    new_app: Any, mini_bank_path: Path
) -> None:
    """A second start (a cache hit: a LazyBank): home is painted with its figures from the
    entry's index and SQL alone, the bank's questions not made; ``s`` at once still studies."""
    parsed, _ = load_bank(mini_bank_path, use_cache=False)
    cached, _ = load_bank(mini_bank_path)  # the new_app fixture's load stored the entry
    assert isinstance(cached, LazyBank) and parsed is not None
    app = new_app(cached)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        assert isinstance(app.screen, HomeScreen)
        assert "questions" not in cached.__dict__
        counts = text_of(pilot, "#home-counts")
        assert f"{len(parsed.active_questions)} questions" in counts
        assert f"Today: {app.engine.counts().new} new," in counts
        await pilot.press("s")
        await settle(pilot)
        screen = app.screen
        assert isinstance(screen, QuestionScreen) and screen.question is not None
        assert "questions" in cached.__dict__
        assert cached.questions == parsed.questions
        assert screen.question in parsed.active_questions
