"""The hostile banks of tests/data/hostile in the real app under Pilot (reliability-1.md 1, 2, 3,
7, 15): what is drawn is the literal text, no markup applied, no action attached, nothing run
on a click, no freeze; paths in the palette and toasts are literal; input drops control
characters; the worst bank the limits allow shows a question in under 100 ms."""

from __future__ import annotations

import time
from datetime import UTC
from pathlib import Path

import pytest
from textual import events
from textual.command import CommandPalette
from textual.pilot import Pilot
from textual.widgets import SelectionList

from trainer.bank import load_bank
from trainer.bank.models import Bank, topic_title
from trainer.engine import Settings
from trainer.tui.app import TrainerApp
from trainer.tui.run import make_app
from trainer.tui.screens.browse import BrowseScreen
from trainer.tui.screens.browse_table import BrowseTable
from trainer.tui.screens.practice_setup import PracticeSetupScreen
from trainer.tui.screens.question import QuestionScreen
from trainer.tui.widgets.text_input import TextInput

from .conftest import SEED, Clock
from .helpers import settle

HOSTILE = Path(__file__).resolve().parents[1] / "data" / "hostile"
MARKUP_TOPICS = ["topic-bold", "topic-link", "topic-quit", "topic-shot", "topic-unbalanced"]


def hostile_bank(name: str) -> Bank:
    bank, problems = load_bank(HOSTILE / name)
    assert bank is not None, [p.format() for p in problems]
    return bank


def build(bank: Bank, tmp_path: Path, export_dir: Path | None = None) -> TrainerApp:
    return make_app(
        bank,
        tmp_path / "trainer.db",
        clock=Clock(),
        seed=SEED,
        settings=Settings(tz=UTC),
        export_dir=export_dir or tmp_path / "exports",
        cursor_blink=False,
    )


def drawn(app: TrainerApp) -> tuple[str, set[str]]:
    """The screen as drawn (lines of text) and every action attached to any of its cells."""
    lines: list[str] = []
    actions: set[str] = set()
    for strip in app.screen._compositor.render_strips():
        lines.append("".join(segment.text for segment in strip))
        for segment in strip:
            meta = segment.style.meta if segment.style is not None else {}
            actions.update(str(meta[k]) for k in meta if k.startswith("@"))
    return "\n".join(lines), actions


async def click_text(pilot: Pilot[None], app: TrainerApp, text: str) -> None:
    """Click the first cell where ``text`` is drawn."""
    screen, _ = drawn(app)
    for y, line in enumerate(screen.splitlines()):
        x = line.find(text)
        if x >= 0:
            await pilot.click(offset=(x + 1, y))
            await pilot.pause()
            return
    raise AssertionError(f"{text!r} is not on screen:\n{screen}")


@pytest.mark.parametrize("name", MARKUP_TOPICS)
async def test_markup_topics_are_literal_in_browse_and_practice_and_clicks_run_nothing(
    name: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tmp_path)  # where topic-shot's screenshot would land
    bank = hostile_bank(name)
    title = topic_title(bank.topics[0])
    app = build(bank, tmp_path)
    async with app.run_test(size=(160, 40)) as pilot:
        await pilot.press("b")
        await settle(pilot)
        assert isinstance(app.screen, BrowseScreen)
        table = app.screen.query_one(BrowseTable)
        topic_column = [n for n, _header, _width in table.columns].index("Topic")
        cells = {str(table.get_row_at(i)[topic_column]) for i in range(table.row_count)}
        assert title in cells
        screen, actions = drawn(app)
        assert title[:40] in screen and not actions
        await click_text(pilot, app, title[:12])
        assert app.is_running and isinstance(app.screen, BrowseScreen)

        await pilot.press("escape", "p")
        await pilot.pause()
        assert isinstance(app.screen, PracticeSetupScreen)
        topics = app.screen.query_one(SelectionList)
        prompt = str(topics.get_option_at_index(0).prompt)
        name, count = prompt.rsplit(" (", 1)  # the topic, then its number of questions
        assert name == title and count.rstrip(")").isdigit()
        screen, actions = drawn(app)
        assert title[:40] in screen and not actions
        await click_text(pilot, app, title[:12])
        assert app.is_running and isinstance(app.screen, PracticeSetupScreen)
        assert list(topics.selected) == ["risks"]  # the click toggled the topic, nothing else

        await pilot.press("escape", "s")
        await pilot.pause()
        assert isinstance(app.screen, QuestionScreen)
        assert app.is_running
    assert app.return_code in (None, 0)
    assert list(tmp_path.glob("shot*")) == [] and not (tmp_path / "victim.txt").exists()


async def test_markup_in_every_text_is_drawn_literally(tmp_path: Path) -> None:
    bank = hostile_bank("markup-text")
    app = build(bank, tmp_path)
    async with app.run_test(size=(160, 50)) as pilot:
        screen, actions = drawn(app)
        assert "[b]Mini[/b] a[/]b [@click=app.quit]bank[/]" in screen and not actions
        await pilot.press("s")
        await pilot.pause()
        question = app.screen
        assert isinstance(question, QuestionScreen)
        seen: set[str] = set()
        for _ in range(len(bank.questions)):
            q = question.question
            if q is None or q.id in seen:
                break
            seen.add(q.id)
            screen, actions = drawn(app)
            assert not actions, actions
            first_line = q.stem.splitlines()[0][:60]
            assert first_line.split("{{")[0][:40] in screen
            if q.id == "mini-q-single":
                assert "[@click=app.quit]Motor[/] stimulation [link=x]at 2 Hz[/link]" in screen
            await pilot.press("escape")
            await pilot.pause()
            await pilot.press("s")
            await pilot.pause()
            break
        assert app.is_running


async def test_paths_with_markup_are_literal_in_the_palette_and_toasts(tmp_path: Path) -> None:
    folder = tmp_path / "a[/]b [bold]x[/bold] \x1b[2J"
    folder.mkdir(parents=True)  # "a[" then "]b [bold]x[" then "bold] ESC[2J"
    app = build(hostile_bank("topic-unbalanced"), tmp_path, export_dir=folder)
    async with app.run_test(size=(160, 40), notifications=True) as pilot:
        await pilot.press("ctrl+p")
        await pilot.pause()
        assert isinstance(app.screen, CommandPalette)
        await pilot.press(*"export")
        await pilot.pause(0.3)
        screen, actions = drawn(app)
        assert "a[/]b [bold]x[/bold] \\u001b[2J" in screen and not actions
        assert "\x1b" not in screen
        await pilot.press("enter")  # runs the export
        await app.workers.wait_for_complete()
        await pilot.pause()
        messages = [n.message for n in app._notifications]
        assert any(
            m.startswith("Exporting to ") and "a[/]b [bold]x[/bold] \\u001b[2J" in m
            for m in messages
        ), messages
        assert any(m.startswith("Saved 7 cards to ") for m in messages), messages
        assert all(not n.markup for n in app._notifications)
        screen, actions = drawn(app)
        assert "Saved 7 cards to" in screen and not actions
    assert (folder / "mini.apkg").is_file()


async def test_every_toast_is_plain_text(tmp_path: Path) -> None:
    app = build(hostile_bank("topic-bold"), tmp_path)
    async with app.run_test(size=(120, 30), notifications=True) as pilot:
        app.notify("a[/]b [@click=app.quit]q[/] \x1b]0;T\x07", title="[b]t")
        await pilot.pause()
        screen, actions = drawn(app)
        assert "a[/]b [@click=app.quit]q[/] \\u001b]0;T\\u0007" in screen
        assert not actions and "\x1b" not in screen
        await click_text(pilot, app, "[@click")
        assert app.is_running


async def test_typed_or_pasted_control_characters_are_dropped(tmp_path: Path) -> None:
    app = build(hostile_bank("topic-bold"), tmp_path)
    async with app.run_test(size=(120, 30)) as pilot:
        await pilot.press("b")
        await pilot.pause()
        search = app.screen.query_one(TextInput)
        search.focus()
        search.post_message(events.Paste("a\x1b[2J\u202eb\u009b[c]"))
        await pilot.pause()
        assert search.value == "a[2Jb[c]"
        screen, _ = drawn(app)
        assert "a[2Jb[c]" in screen and "\x1b" not in screen


async def question_cpu(bank: Bank, tmp_path: Path, expect: str) -> float:
    """The least CPU time, over 5 tries, from resuming study on home (`r`; `s` the first time)
    to the first question drawn."""
    app = build(bank, tmp_path)
    timings = []
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.press("s")  # warm up: imports and the first compose of the screen
        await pilot.pause()
        await pilot.press("escape")
        await pilot.pause()
        for _ in range(5):
            started = time.process_time()
            await pilot.press("r")  # the paused study again (s would ask: resume or start anew)
            await pilot.pause()
            screen = app.screen
            assert isinstance(screen, QuestionScreen) and screen.question is not None
            assert screen.question.id == expect
            drawn(app)  # the frame itself
            timings.append(time.process_time() - started)
            await pilot.press("escape")
            await pilot.pause()
    return min(timings)


async def test_the_worst_allowed_bank_shows_a_question_as_fast_as_an_ordinary_one(
    tmp_path: Path, mini_bank: Bank
) -> None:
    """The limits' worst case, a cloze of MAX_BLANKS blanks of MAX_ALTERNATIVES answers in a
    MAX_TEXT stem, costs less than 100 ms more than the mini bank's first question (the harness
    itself, screen switch included, costs about as much again on this machine)."""
    worst = await question_cpu(hostile_bank("worst-allowed"), tmp_path / "worst", "mini-q-cloze")
    ordinary = await question_cpu(mini_bank, tmp_path / "mini", "mini-q-single")
    assert worst - ordinary < 0.1, (worst, ordinary)
    assert worst < 1.0, worst  # the 3,000-blank cloze this replaces took 27 s
