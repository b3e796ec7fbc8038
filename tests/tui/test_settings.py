"""The Settings screen under Pilot: edit, validate, save to the config file and apply at once;
the workload beside the retention; FSRS buttons without the extra; the theme moved out of the
database; key bindings from the config (every binding has an id)."""

from __future__ import annotations

import sqlite3
import sys
import tomllib
from pathlib import Path

import pytest
from textual.binding import Binding
from textual.widgets import Input

from trainer.tui.app import THEME_SETTING, TrainerApp
from trainer.tui.keys import all_bindings
from trainer.tui.screens.home import HomeScreen
from trainer.tui.screens.question import QuestionScreen
from trainer.tui.screens.settings import SettingsScreen

from .conftest import AppFactory
from .helpers import screen_text, settle, text_of


async def _open_settings(app: TrainerApp, pilot: object) -> SettingsScreen:
    await pilot.press("comma")  # type: ignore[attr-defined]
    await settle(pilot)  # type: ignore[arg-type]
    assert isinstance(app.screen, SettingsScreen)
    return app.screen


async def _set(pilot: object, app: TrainerApp, field: str, value: str) -> None:
    box = app.screen.query_one(f"#set-{field}", Input)
    box.value = value
    await settle(pilot)  # type: ignore[arg-type]


async def test_change_retention_and_limits_save_and_apply(app: TrainerApp, tmp_path: Path) -> None:
    config = tmp_path / "config.toml"
    async with app.run_test(size=(100, 40)) as pilot:
        await _open_settings(app, pilot)
        await settle(pilot)
        await app.workers.wait_for_complete()
        await settle(pilot)
        assert "answers/day over a year" in text_of(pilot, "#hint-desired_retention")
        await _set(pilot, app, "desired_retention", "0.85")
        await _set(pilot, app, "new_per_day", "2")
        await _set(pilot, app, "learning_steps", "2m 15m 1h")
        await settle(pilot)
        await app.workers.wait_for_complete()
        await settle(pilot)
        assert "answers/day" in text_of(pilot, "#hint-desired_retention")
        await pilot.press("ctrl+s")
        await settle(pilot)
        assert "Saved to" in text_of(pilot, "#settings-status")
        # applied at once
        s = app.engine.settings
        assert (s.desired_retention, s.new_per_day) == (0.85, 2)
        assert [st.total_seconds() for st in s.learning_steps] == [120, 900, 3600]
        assert s.tz is not None  # the engine's time zone is kept
        await pilot.press("escape")
        await settle(pilot)
        assert isinstance(app.screen, HomeScreen)
        assert "Today: 2 new" in screen_text(pilot)
    data = tomllib.loads(config.read_text())
    assert data["fsrs"]["desired_retention"] == 0.85
    assert data["study"]["new_per_day"] == 2
    assert data["study"]["learning_steps"] == ["2m", "15m", "1h"]


async def test_bad_values_are_named_and_nothing_is_saved(app: TrainerApp, tmp_path: Path) -> None:
    async with app.run_test(size=(100, 40)) as pilot:
        await _open_settings(app, pilot)
        await _set(pilot, app, "desired_retention", "1.2")
        await _set(pilot, app, "day_starts_hour", "soon")
        await pilot.press("ctrl+s")
        await settle(pilot)
        status = text_of(pilot, "#settings-status")
        assert "Not saved" in status
        assert "Desired retention (desired_retention): must be from 0.70 to 0.99" in status
        assert "Day starts at (day_starts_hour): 'soon' is not a number" in status
        assert app.engine.settings.desired_retention == 0.9
    assert not (tmp_path / "config.toml").exists()


async def test_a_retention_change_reschedules_cards_from_their_history(
    app: TrainerApp,
) -> None:
    from trainer.engine import Rating

    engine = app.engine
    engine.answer("mini-q-recall", Rating.GOOD, response=None, duration_ms=1)
    engine.answer("mini-q-recall", Rating.GOOD, response=None, duration_ms=1)
    engine.answer("mini-q-recall", Rating.GOOD, response=None, duration_ms=1)
    before = engine.card_info("mini-q-recall")
    assert before.state == "review" and before.due is not None
    async with app.run_test(size=(100, 40)) as pilot:
        await _open_settings(app, pilot)
        await _set(pilot, app, "desired_retention", "0.97")
        await pilot.press("ctrl+s")
        await settle(pilot)
        assert "1 cards rescheduled from their history" in text_of(pilot, "#settings-status")
        after = engine.card_info("mini-q-recall")
    assert after.due is not None and after.due < before.due  # higher retention: sooner


async def test_fsrs_buttons_without_the_extra_say_how_to_get_it(
    app: TrainerApp, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setitem(sys.modules, "fsrs_rs_python", None)
    async with app.run_test(size=(100, 40)) as pilot:
        await _open_settings(app, pilot)
        await settle(pilot)
        await app.workers.wait_for_complete()
        await settle(pilot)
        assert "(estimate)" in text_of(pilot, "#hint-desired_retention")
        for button in ("#fsrs-evaluate", "#fsrs-optimize"):
            app.screen.query_one("#settings-status").update("")  # type: ignore[attr-defined]
            await pilot.click(button)
            await settle(pilot)
            assert "pip install 'trainer[fsrs]'" in text_of(pilot, "#settings-status")


async def test_fsrs_evaluate_and_optimize_buttons_run_in_workers(app: TrainerApp) -> None:
    pytest.importorskip("fsrs_rs_python")
    from trainer.engine import Rating

    app.engine.answer("mini-q-recall", Rating.GOOD, response=None, duration_ms=1)
    async with app.run_test(size=(100, 40)) as pilot:
        await _open_settings(app, pilot)
        await pilot.click("#fsrs-optimize")
        await settle(pilot)
        await app.workers.wait_for_complete()
        await settle(pilot)
        assert "Not enough history to optimize: 0 training items, 1000 more are needed" in (
            text_of(pilot, "#settings-status")
        )
        await pilot.click("#fsrs-evaluate")
        await settle(pilot)
        await app.workers.wait_for_complete()
        await settle(pilot)
        assert "No history to evaluate yet" in text_of(pilot, "#settings-status")


async def test_the_theme_moves_from_the_database_to_the_config_once(
    new_app: AppFactory, db_path: Path, tmp_path: Path
) -> None:
    first = new_app()  # creates the database
    async with first.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
    with sqlite3.connect(db_path) as conn:  # as an older version left it
        conn.execute("INSERT INTO settings VALUES (?, 'nord')", (THEME_SETTING,))
    second = new_app()
    async with second.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        assert second.theme == "nord"
    assert tomllib.loads((tmp_path / "config.toml").read_text())["ui"]["theme"] == "nord"
    third = new_app()
    async with third.run_test(size=(80, 24)) as pilot:
        third.theme = "gruvbox"
        await settle(pilot)
    assert tomllib.loads((tmp_path / "config.toml").read_text())["ui"]["theme"] == "gruvbox"
    fourth = new_app()
    async with fourth.run_test(size=(80, 24)) as pilot:
        assert fourth.theme == "gruvbox"  # the config wins over the old database value


async def test_key_bindings_from_the_config(new_app: AppFactory, tmp_path: Path) -> None:
    (tmp_path / "config.toml").write_text('[keys]\nhome-study = "f2"\nno-such-binding = "x"\n')
    app = new_app()
    async with app.run_test(size=(80, 24), notifications=True) as pilot:
        await settle(pilot)
        assert any("no-such-binding" in n.message for n in app._notifications)
        await pilot.press("s")  # rebound: s no longer studies
        await settle(pilot)
        assert isinstance(app.screen, HomeScreen)
        await pilot.press("f2")
        await settle(pilot)
        assert isinstance(app.screen, QuestionScreen)


async def test_settings_is_in_the_palette_and_the_help(app: TrainerApp) -> None:
    async with app.run_test(size=(100, 40)) as pilot:
        commands = [c.title for c in app.get_system_commands(app.screen)]
        assert "Settings" in commands
        await pilot.press("question_mark")
        await settle(pilot)
        assert ", settings" in screen_text(pilot)


def test_every_binding_has_an_id() -> None:
    bindings = all_bindings()
    assert len(bindings) > 40
    missing = [f"{owner}: {b.key}" for owner, b in bindings if not b.id]
    assert missing == []
    # and no BINDINGS entry is a bare tuple (it could not have an id)
    import importlib
    import inspect
    import pkgutil

    import trainer.tui

    for info in pkgutil.walk_packages(trainer.tui.__path__, "trainer.tui."):
        for _name, cls in inspect.getmembers(importlib.import_module(info.name), inspect.isclass):
            for b in cls.__dict__.get("BINDINGS", []):
                assert isinstance(b, Binding), (cls, b)


async def test_a_key_taken_twice_on_one_screen_is_refused(app: TrainerApp, tmp_path: Path) -> None:
    """Review finding: home-study=x was saved silently; x then studied and History had no key."""
    async with app.run_test(size=(100, 40)) as pilot:
        await _open_settings(app, pilot)
        await _set(pilot, app, "keys", "home-study=x")
        await pilot.press("ctrl+s")
        await settle(pilot)
        status = text_of(pilot, "#settings-status")
        assert "Not saved" in status
        assert "a key taken twice on one screen (x: home-past-exams, home-study)" in status
    assert not (tmp_path / "config.toml").exists()


async def test_home_shows_the_keys_as_bound_and_warns_of_a_clash(
    new_app: AppFactory, tmp_path: Path
) -> None:
    (tmp_path / "config.toml").write_text('[keys]\nhome-study = "g"\nhome-stats = "b"\n')
    app = new_app()
    async with app.run_test(size=(100, 30), notifications=True) as pilot:
        await settle(pilot)
        menu = text_of(pilot, "#menu-items")
        assert " g  Study" in menu and " s  Study" not in menu  # the menu follows the keymap
        assert " x  History" in menu and " ,  Settings" in menu and " ?  Help" in menu
        assert any("b: home-browse, home-stats" in n.message for n in app._notifications)
