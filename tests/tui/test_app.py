"""App-wide behaviour: theme persistence, home, browse, stats, help, export, start-up errors."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest
from textual.widgets import DataTable, Input

from trainer.tui.app import TrainerApp
from trainer.tui.run import run_app
from trainer.tui.screens.browse import BrowseScreen
from trainer.tui.screens.help import HelpScreen
from trainer.tui.screens.home import HomeScreen
from trainer.tui.screens.question_detail import QuestionDetailScreen
from trainer.tui.screens.stats import StatsScreen

from .conftest import AppFactory
from .helpers import screen_text, text_of


async def test_theme_persists_across_two_app_instances(new_app: AppFactory) -> None:
    first = new_app()
    async with first.run_test(size=(80, 24)) as pilot:
        assert first.theme != "nord"
        first.theme = "nord"
        await pilot.pause()
    second = new_app()
    async with second.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
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


async def test_every_binding_has_an_id_and_description() -> None:
    from trainer.tui.screens import (
        browse,
        done,
        exam,
        exam_result,
        help,
        home,
        practice_setup,
        question,
        question_detail,
        stats,
    )
    from trainer.tui.widgets import choice_answer, order_answer, rating_bar, recall_answer

    classes = [
        browse.BrowseScreen,
        done.DoneScreen,
        exam.ExamScreen,
        exam_result.ExamResultScreen,
        help.HelpScreen,
        home.HomeScreen,
        practice_setup.PracticeSetupScreen,
        question.QuestionScreen,
        question_detail.QuestionDetailScreen,
        stats.StatsScreen,
        choice_answer.ChoiceAnswer,
        order_answer.OrderAnswer,
        rating_bar.RatingBar,
        recall_answer.RecallAnswer,
        TrainerApp,
    ]
    for cls in classes:
        for binding in cls.BINDINGS:
            assert not isinstance(binding, tuple), cls
            assert binding.id and binding.description and binding.tooltip, (cls, binding)


async def test_browse_filters_and_opens_a_question(app: TrainerApp) -> None:
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press("b")
        await pilot.pause()
        assert isinstance(app.screen, BrowseScreen)
        table = app.screen.query_one(DataTable)
        assert table.row_count == 6
        await pilot.press("slash", *"stimulation")
        await pilot.pause()
        assert table.row_count == 2  # the single (tag + stem) and the cloze
        app.screen.query_one("#browse-search", Input).value = ""
        await pilot.pause()
        assert table.row_count == 6
        await pilot.press("enter")  # search Enter moves to the table
        await pilot.press("enter")  # open the first row
        await pilot.pause()
        assert isinstance(app.screen, QuestionDetailScreen)
        assert "Never answered" in screen_text(pilot)
        await pilot.press("escape")
        await pilot.pause()
        assert isinstance(app.screen, BrowseScreen)


async def test_stats_and_help_open(app: TrainerApp) -> None:
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press("t")
        await pilot.pause()
        assert isinstance(app.screen, StatsScreen)
        assert "6 new" in text_of(pilot, "#stats-summary")
        assert len(app.screen.query(".plot")) == 3
        await pilot.press("escape", "question_mark")
        await pilot.pause()
        assert isinstance(app.screen, HelpScreen)
        assert "How scheduling works" in screen_text(pilot)


async def test_export_to_anki_from_the_palette_action(app: TrainerApp, tmp_path: Path) -> None:
    async with app.run_test(size=(80, 24), notifications=True) as pilot:
        app.action_export_anki()
        await app.workers.wait_for_complete()
        await pilot.pause()
        out = tmp_path / "exports" / "mini.apkg"
        assert out.is_file() and out.stat().st_size > 0
        assert any(f"to {out}" in n.message for n in app._notifications)


def test_start_path_imports_nothing_heavy(mini_bank_path: Path) -> None:
    code = (
        "import sys, trainer.tui.run as r, trainer.tui.app, trainer.tui.screens.home\n"
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
