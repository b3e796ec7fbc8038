"""App-wide behaviour: theme persistence, home, browse, stats, help, export, start-up errors."""

from __future__ import annotations

import importlib
import pkgutil
import subprocess
import sys
from pathlib import Path

import pytest
from textual.widgets import Input

from trainer.tui.app import TrainerApp
from trainer.tui.run import run_app
from trainer.tui.screens.browse import BrowseScreen
from trainer.tui.screens.browse_table import BrowseTable
from trainer.tui.screens.help import HelpScreen
from trainer.tui.screens.home import HomeScreen
from trainer.tui.screens.question_detail import QuestionDetailScreen
from trainer.tui.screens.stats import StatsScreen

from .conftest import AppFactory
from .helpers import screen_text, settle, text_of


async def test_theme_persists_across_two_app_instances(new_app: AppFactory) -> None:
    first = new_app()
    async with first.run_test(size=(80, 24)) as pilot:
        assert first.theme != "nord"
        first.theme = "nord"
        await settle(pilot)
    second = new_app()
    async with second.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        assert second.theme == "nord"


async def test_home_shows_counts_mastery_and_streak(app: TrainerApp) -> None:
    async with app.run_test(size=(80, 24)) as pilot:
        assert isinstance(app.screen, HomeScreen)
        counts = text_of(pilot, "#home-counts")
        assert "6 new, 0 learning, 0 due" in counts
        assert "Streak: 0 days" in counts
        mastery = text_of(pilot, "#mastery")
        assert "Procedure" in mastery and "Risks" in mastery and "0%" in mastery
        assert "Mini bank" in text_of(pilot, "#home-title")


async def test_every_home_action_is_in_the_palette(app: TrainerApp) -> None:
    async with app.run_test(size=(80, 24)):
        titles = {c.title for c in app.get_system_commands(app.screen)}
    assert {"Study", "Practice", "Exam", "Browse", "Stats", "Help", "Export to Anki"} <= titles
    assert "Quit" in titles and "Theme" in titles


def test_every_binding_has_an_id_description_and_tooltip() -> None:
    """Every screen and widget of the UI (found by walking the package, so none is missed)."""
    import trainer.tui

    classes: list[type] = []
    for module_info in pkgutil.walk_packages(trainer.tui.__path__, "trainer.tui."):
        module = importlib.import_module(module_info.name)
        classes += [
            cls
            for cls in vars(module).values()
            if isinstance(cls, type)
            and cls.__module__ == module.__name__
            and "BINDINGS" in vars(cls)
        ]
    names = {cls.__name__ for cls in classes}
    assert {
        "TrainerApp",
        "HomeScreen",
        "ConfirmScreen",
        "ExamSetupScreen",
        "QuestionScreen",
    } <= names
    for cls in classes:
        for binding in vars(cls)["BINDINGS"]:
            assert not isinstance(binding, tuple), cls
            assert binding.id and binding.description and binding.tooltip, (cls, binding)


async def test_browse_filters_and_opens_a_question(app: TrainerApp) -> None:
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press("b")
        await settle(pilot)
        assert isinstance(app.screen, BrowseScreen)
        table = app.screen.query_one(BrowseTable)
        assert table.row_count == 6
        await pilot.press("slash", *"stimulation")
        await settle(pilot)
        # the single (tag + stem), the order (a step), the cloze (stem), the recall (model answer)
        assert table.row_count == 4
        search = app.screen.query_one("#browse-search", Input)
        search.value = "sunburn"  # only in an option of the multiple
        await settle(pilot)
        assert table.row_count == 1 and table.get_row_at(0)[0] == "mini-q-multiple"
        search.value = ""
        await settle(pilot)
        assert table.row_count == 6
        await pilot.press("enter")  # search Enter opens the highlighted (first) row
        await settle(pilot)
        assert isinstance(app.screen, QuestionDetailScreen)
        assert "Never answered" in screen_text(pilot)
        await pilot.press("escape")
        await settle(pilot)
        assert isinstance(app.screen, BrowseScreen)


async def test_stats_and_help_open(app: TrainerApp) -> None:
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press("t")
        await settle(pilot)
        assert isinstance(app.screen, StatsScreen)
        assert "6 new" in text_of(pilot, "#stats-summary")
        assert len(app.screen.query(".plot")) == 5  # 3 of the history, 2 of the workload
        await app.workers.wait_for_complete()
        await pilot.pause()
        assert "answers a day over the next year" in text_of(pilot, "#stats-workload")
        await pilot.press("escape", "question_mark")
        await settle(pilot)
        assert isinstance(app.screen, HelpScreen)
        assert "How scheduling works" in screen_text(pilot)


async def test_export_to_anki_from_the_palette_action(app: TrainerApp, tmp_path: Path) -> None:
    async with app.run_test(size=(80, 24), notifications=True) as pilot:
        app.action_export_anki()
        await app.workers.wait_for_complete()
        await settle(pilot)
        out = tmp_path / "exports" / "mini.apkg"
        assert out.is_file() and out.stat().st_size > 0
        assert any(f"to {out}" in n.message for n in app._notifications)


def test_start_path_imports_nothing_heavy(mini_bank_path: Path, tmp_path: Path) -> None:
    """Up to the home screen on show, neither genanki nor plotext (nor anki) is imported."""
    code = (
        "import asyncio, sys\n"
        "from pathlib import Path\n"
        "from trainer.bank import load_bank\n"
        "from trainer.tui.run import make_app\n"
        "from trainer.tui.screens.home import HomeScreen\n"
        "async def main():\n"
        f"    bank, _ = load_bank(Path({str(mini_bank_path)!r}))\n"
        f"    app = make_app(bank, Path({str(tmp_path / 't.db')!r}))\n"
        "    async with app.run_test(size=(80, 24)) as pilot:\n"
        "        await pilot.pause()\n"
        "        assert isinstance(app.screen, HomeScreen)\n"
        "asyncio.run(main())\n"
        "print(sorted(m for m in ('genanki', 'plotext', 'textual_plotext', 'anki') "
        "if m in sys.modules))"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "[]"


def test_run_app_reports_bank_errors(
    data_dir: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    code = run_app(data_dir / "broken" / "no-correct", tmp_path / "db" / "t.db")
    err = capsys.readouterr().err
    assert code == 1
    assert "error" in err and "has errors" in err
    assert not (tmp_path / "db").exists()


def test_run_app_reports_a_bad_database(
    mini_bank_path: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    db = tmp_path / "not-a-db.db"
    db.write_bytes(b"this is not sqlite at all" * 100)
    code = run_app(mini_bank_path, db)
    err = capsys.readouterr().err
    assert code == 1
    assert str(db.name) in err
    assert "Traceback" not in err
    assert db.read_bytes() == b"this is not sqlite at all" * 100
