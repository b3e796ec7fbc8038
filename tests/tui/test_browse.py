"""Browse: the question column, Enter from the search box, type names, sorting, and the card
actions (flag, suspend, unsuspend, reset) from the list and from a question, in the SQLite file."""

from __future__ import annotations

import sqlite3
from pathlib import Path

from trainer.engine import Rating
from trainer.tui.app import TrainerApp
from trainer.tui.screens.browse import COLUMNS, MIN_QUESTION_WIDTH, BrowseScreen
from trainer.tui.screens.browse_table import BrowseTable
from trainer.tui.screens.confirm import ConfirmScreen
from trainer.tui.screens.question_detail import QuestionDetailScreen

from .conftest import AppFactory
from .helpers import settle, text_of


def card(db_path: Path, qid: str) -> tuple[str, int, int, int, int]:
    """(state, reps, flagged, suspended, answers logged) of a card, from the file."""
    conn = sqlite3.connect(db_path)
    try:
        state, reps, flagged, suspended = conn.execute(
            "SELECT state, reps, flagged, suspended FROM cards WHERE question_id = ?", (qid,)
        ).fetchone()
        (logged,) = conn.execute(
            "SELECT COUNT(*) FROM review_log l JOIN cards c ON c.id = l.card_id "
            "WHERE c.question_id = ?",
            (qid,),
        ).fetchone()
    finally:
        conn.close()
    return state, reps, flagged, suspended, logged


def column(table: BrowseTable, name: str) -> list[str]:
    i = [n for n, _header, _width in table.columns].index(name)
    return [str(table.get_row_at(r)[i]) for r in range(table.row_count)]


def answer(app: TrainerApp, qid: str, rating: Rating = Rating.GOOD) -> None:
    """Answer right (wrong for AGAIN) a single or true/false question of the mini bank."""
    q = app.engine.bank.question(qid)
    right = rating != Rating.AGAIN
    response = {"single": 0 if right else 1, "true_false": right}[q.type]
    app.engine.answer(qid, rating, response=response, duration_ms=1000)


async def open_browse(app: TrainerApp, pilot: object) -> BrowseTable:
    await pilot.press("b")  # type: ignore[attr-defined]
    await settle(pilot)  # type: ignore[arg-type]
    assert isinstance(app.screen, BrowseScreen)
    return app.screen.query_one(BrowseTable)


async def test_columns_show_the_question_and_readable_type_names(app: TrainerApp) -> None:
    async with app.run_test(size=(160, 40)) as pilot:
        table = await open_browse(app, pilot)
        assert [name for name, _header, _width in table.columns] == list(COLUMNS)
        types = column(table, "Type")
        assert "Single best answer" in types and "True or false" in types
        assert "single" not in types and "true_false" not in types
        stems = dict(zip(column(table, "Id"), column(table, "Question"), strict=True))
        assert stems["mini-q-true-false"].startswith("Temporary numbness after")
        assert stems["mini-q-cloze"].startswith("Needles are placed under [1")
        assert "fluoroscopic" not in stems["mini-q-cloze"]  # the blank, not its answers


async def test_at_80_columns_the_table_fits_without_scrolling_sideways(app: TrainerApp) -> None:
    async with app.run_test(size=(80, 24)) as pilot:
        table = await open_browse(app, pilot)
        shown = [name for name, _header, _width in table.columns]
        assert {"Id", "Question", "State", "Due", "Flag"} <= set(shown)
        assert table.virtual_size.width <= table.scrollable_content_region.width
        assert table.max_scroll_x == 0
        question = dict((n, w) for n, _h, w in table.columns)["Question"]
        assert question >= MIN_QUESTION_WIDTH
        assert "wider shows" in text_of(pilot, "#browse-count")  # says what was left out
        await pilot.press("o", "o", "o")  # sorted by lapses: the column is shown
        await settle(pilot)
        assert "Lapses" in [name for name, _header, _width in table.columns]
        assert table.virtual_size.width <= table.scrollable_content_region.width


async def test_enter_in_the_search_box_opens_the_first_match(app: TrainerApp) -> None:
    async with app.run_test(size=(80, 24)) as pilot:
        table = await open_browse(app, pilot)
        await pilot.press("slash", *"numbness")
        await settle(pilot)
        assert table.row_count == 1
        await pilot.press("enter")
        await settle(pilot)
        assert isinstance(app.screen, QuestionDetailScreen)
        assert app.screen.qid == "mini-q-true-false"
        await pilot.press("escape")
        await settle(pilot)
        assert isinstance(app.screen, BrowseScreen)
        # with several matches, Enter opens the highlighted one
        app.screen.query_one("#browse-search").value = ""  # type: ignore[attr-defined]
        await settle(pilot)
        await pilot.press("down", "down")
        highlighted = column(table, "Id")[table.cursor_row]
        await pilot.press("slash", "enter")
        await settle(pilot)
        assert isinstance(app.screen, QuestionDetailScreen)
        assert app.screen.qid == highlighted != "mini-q-single"


async def test_flag_suspend_unsuspend_and_reset_from_the_list(
    app: TrainerApp, db_path: Path
) -> None:
    answer(app, "mini-q-single", Rating.EASY)
    async with app.run_test(size=(120, 40)) as pilot:
        table = await open_browse(app, pilot)
        assert column(table, "Id")[0] == "mini-q-single"
        assert card(db_path, "mini-q-single") == ("review", 1, 0, 0, 1)
        await pilot.press("f")
        await settle(pilot)
        assert card(db_path, "mini-q-single")[2] == 1
        assert column(table, "Flag")[0] == "yes"
        await pilot.press("s")
        await settle(pilot)
        assert card(db_path, "mini-q-single")[3] == 1
        assert column(table, "State")[0] == "suspended"
        await pilot.press("s")
        await settle(pilot)
        assert card(db_path, "mini-q-single")[3] == 0
        await pilot.press("r")
        await settle(pilot)
        assert isinstance(app.screen, ConfirmScreen)
        await pilot.press("n")  # cancelled: nothing changes
        await settle(pilot)
        assert card(db_path, "mini-q-single") == ("review", 1, 1, 0, 1)
        await pilot.press("r")
        await settle(pilot)
        await pilot.press("y")
        await settle(pilot)
        assert isinstance(app.screen, BrowseScreen)
        assert card(db_path, "mini-q-single") == ("new", 0, 1, 0, 1)  # history kept
        assert column(table, "State")[0] == "new"
        assert table.cursor_row == 0  # the cursor stays on the question acted on


async def test_flag_suspend_and_reset_from_a_question(app: TrainerApp, db_path: Path) -> None:
    answer(app, "mini-q-true-false")
    async with app.run_test(size=(80, 24)) as pilot:
        await open_browse(app, pilot)
        await pilot.press("slash", *"numbness", "enter")
        await settle(pilot)
        assert isinstance(app.screen, QuestionDetailScreen)
        await pilot.press("f", "s")
        await settle(pilot)
        assert card(db_path, "mini-q-true-false")[2:4] == (1, 1)
        assert "Flagged, suspended" in text_of(pilot, "#detail-card")
        await pilot.press("r", "y")
        await settle(pilot)
        assert card(db_path, "mini-q-true-false") == ("new", 0, 1, 1, 1)
        assert "State new" in text_of(pilot, "#detail-card")
        await pilot.press("s")
        await settle(pilot)
        assert card(db_path, "mini-q-true-false")[3] == 0
        await pilot.press("escape")
        await settle(pilot)
        table = app.screen.query_one(BrowseTable)
        assert column(table, "State")[column(table, "Id").index("mini-q-true-false")] == "new"


async def test_sort_by_due_lapses_difficulty_topic_and_id(new_app: AppFactory) -> None:
    app = new_app()
    answer(app, "mini-q-true-false", Rating.EASY)  # due in days
    answer(app, "mini-q-single", Rating.AGAIN)  # due in minutes, hardest
    async with app.run_test(size=(120, 40)) as pilot:
        table = await open_browse(app, pilot)
        ids = column(table, "Id")
        assert ids[:3] == ["mini-q-single", "mini-q-multiple", "mini-q-true-false"]
        await pilot.press("o")  # topic
        await settle(pilot)
        await pilot.press("o")  # due
        await settle(pilot)
        assert "sorted by due" in text_of(pilot, "#browse-count")
        assert column(table, "Id")[:2] == ["mini-q-single", "mini-q-true-false"]
        assert column(table, "Due")[2:] == ["-"] * 4  # new cards last
        await pilot.press("o", "o")  # lapses, then difficulty
        await settle(pilot)
        assert "sorted by difficulty" in text_of(pilot, "#browse-count")
        difficulty = column(table, "Difficulty")
        assert column(table, "Id")[:2] == ["mini-q-single", "mini-q-true-false"]
        assert float(difficulty[0]) > float(difficulty[1]) and difficulty[2:] == ["-"] * 4
        await pilot.press("o")  # back to id
        await settle(pilot)
        assert column(table, "Id") == ids


async def test_sort_by_lapses_puts_the_most_lapsed_first(new_app: AppFactory, clock) -> None:  # type: ignore[no-untyped-def]
    from datetime import timedelta

    app = new_app()
    answer(app, "mini-q-true-false", Rating.EASY)
    clock.advance(timedelta(days=30))
    app.engine.answer(
        "mini-q-true-false",
        Rating.AGAIN,
        response=False,
        duration_ms=1000,
    )
    async with app.run_test(size=(120, 40)) as pilot:
        table = await open_browse(app, pilot)
        await pilot.press("o", "o", "o")
        await settle(pilot)
        assert "sorted by lapses" in text_of(pilot, "#browse-count")
        assert column(table, "Id")[0] == "mini-q-true-false"
        assert column(table, "Lapses")[0] == "1"


async def test_help_names_ctrl_q_and_the_browse_keys(app: TrainerApp) -> None:
    from .helpers import screen_text

    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press("question_mark")
        await settle(pilot)
        text = screen_text(pilot)
        assert "Ctrl+Q quits from any screen" in text
        assert "o sorts · f flags · s suspends · r resets to new" in text
