"""Keystrokes that answer each question type, right or wrong, through the real widgets."""

from __future__ import annotations

import asyncio

from textual.pilot import Pilot
from textual.widget import Widget
from textual.widgets import Static

from trainer.tui.formatting import letter
from trainer.tui.widgets.choice_answer import ChoiceAnswer
from trainer.tui.widgets.order_answer import OrderAnswer

# For each choice question of the mini bank: the options (bank indexes) to choose for a right and
# for a wrong answer. The screen shows them shuffled: see choice_keys().
CHOICES: dict[str, tuple[list[int], list[int]]] = {
    "mini-q-single": ([0], [1]),
    "mini-q-multiple": ([0, 1], [0, 2]),
}
TRUE_FALSE_KEYS = (["t"], ["f"])
CHOICE_KEYS = {*CHOICES, "mini-q-true-false"}


def choice_keys(pilot: Pilot[None], qid: str, right: bool) -> list[str]:
    """The letters that choose the right (or a wrong) answer, as the options are shown now."""
    if qid == "mini-q-true-false":
        return TRUE_FALSE_KEYS[0 if right else 1]
    widget = pilot.app.screen.query_one(ChoiceAnswer)
    return [letter(widget.order.index(i)).lower() for i in CHOICES[qid][0 if right else 1]]


async def settle(pilot: Pilot[None]) -> None:
    """Wait until the database work started so far (worker threads) is done and shown."""
    app = pilot.app
    for _ in range(1000):
        await pilot.pause()
        db = getattr(app, "db", None)
        if not (db is not None and db.pending) and not getattr(app.screen, "busy", 0):
            await pilot.pause()
            return
        await asyncio.sleep(0.005)
    raise AssertionError("the database work did not finish")


CLOZE_RIGHT = ["Fluoroscopy", "stimulation."]
CLOZE_WRONG = ["ultrasound", "stimulation"]


async def put_steps_in_order(pilot: Pilot[None]) -> None:
    """Move the shuffled steps into the right order with the cursor and shift+up."""
    widget = pilot.app.screen.query_one(OrderAnswer)
    for target in range(len(widget.arrangement)):
        here = widget.arrangement.index(target)
        while widget.cursor < here:
            await pilot.press("down")
        while widget.cursor > here:
            await pilot.press("up")
        for _ in range(here - target):
            await pilot.press("shift+up")
    assert widget.arrangement == sorted(widget.arrangement)


async def type_blanks(pilot: Pilot[None], values: list[str]) -> None:
    for i, value in enumerate(values):
        if i:
            await pilot.press("tab")
        await pilot.press(*value)


async def answer(pilot: Pilot[None], qid: str, right: bool) -> None:
    """Answer the question on screen (``qid``) right or wrong and submit it."""
    if qid in CHOICE_KEYS:
        await pilot.press(*choice_keys(pilot, qid, right), "enter")
    elif qid == "mini-q-order":
        if right:
            await put_steps_in_order(pilot)
        await pilot.press("enter")
    elif qid == "mini-q-cloze":
        await type_blanks(pilot, CLOZE_RIGHT if right else CLOZE_WRONG)
        await pilot.press("enter")
    elif qid == "mini-q-recall":
        await pilot.press("space")
    else:  # pragma: no cover - the mini bank has only these
        raise AssertionError(qid)
    await settle(pilot)


def text_of(pilot: Pilot[None], selector: str) -> str:
    return str(pilot.app.screen.query_one(selector, Static).content)


def feedback_text(pilot: Pilot[None], part: str | None = None) -> str:
    """What the feedback on screen says: one part ("verdict", "detail", "main", "why",
    "objective"; "" when not shown), or all of it."""
    from trainer.tui.widgets.feedback import Feedback

    return pilot.app.screen.query_one(Feedback).text(part)


def drawn_text(widget: Widget) -> str:
    """What ``widget`` draws now (its content lines), words joined by single spaces: for
    checking a widget that draws its lines itself (Feedback), as wrapped on screen."""
    lines = [widget.render_line(y).text for y in range(widget.size.height)]
    return " ".join(" ".join(lines).split())


def screen_text(pilot: Pilot[None]) -> str:
    """Every Static's and feedback's text on the current screen, joined (for 'is this said
    somewhere' checks)."""
    from trainer.tui.widgets.feedback import Feedback

    screen = pilot.app.screen
    texts = [str(s.content) for s in screen.query(Static)]
    texts += [f.text() for f in screen.query(Feedback)]
    return "\n".join(texts)
