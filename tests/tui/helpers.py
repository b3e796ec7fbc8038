"""Keystrokes that answer each question type, right or wrong, through the real widgets."""

from __future__ import annotations

from textual.pilot import Pilot
from textual.widgets import Static

from trainer.tui.widgets.order_answer import OrderAnswer

# For each question of the mini bank: keys before Enter for a right and for a wrong answer.
CHOICE_KEYS: dict[str, tuple[list[str], list[str]]] = {
    "mini-q-single": (["a"], ["b"]),
    "mini-q-multiple": (["a", "b"], ["a", "c"]),
    "mini-q-true-false": (["t"], ["f"]),
}
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
        keys = CHOICE_KEYS[qid][0 if right else 1]
        await pilot.press(*keys, "enter")
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
    await pilot.pause()


def text_of(pilot: Pilot[None], selector: str) -> str:
    return str(pilot.app.screen.query_one(selector, Static).content)


def screen_text(pilot: Pilot[None]) -> str:
    """Every Static's text on the current screen, joined (for 'is this said somewhere' checks)."""
    return "\n".join(str(s.content) for s in pilot.app.screen.query(Static))
