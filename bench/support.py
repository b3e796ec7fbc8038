"""What the benchmarks and the reliability tests both need, in one place.

Importable from ``bench/`` (``import support``) and from the tests (a conftest puts ``bench/`` on
``sys.path``); it never imports from ``tests/``. Importing it has no side effect besides putting
the repository on ``sys.path`` (unlike ``harness``, it does not move the bank cache).

- ``respond(question, right)``: a right or a wrong response in the engine's Response shapes.
- ``settle(pilot)``: wait until the database work started so far (the sessions' worker threads,
  tui/dbwork.py) is shown, and the screen has processed its messages and refreshed once.
- ``submit_current(app, pilot)`` / ``rate_current(app, pilot)``: the two halves of one answer in
  the real app under Pilot, as a trainee would do them (the answer widget's own actions, then the
  suggested rating, which is what Enter does).

The UI helpers reach into the study screen (``QuestionScreen``, its answer widget, ``RatingBar``):
when the screens change, this is the one file to update.
"""

from __future__ import annotations

import asyncio
import sys
from pathlib import Path
from typing import TYPE_CHECKING, Any

BENCH_DIR = Path(__file__).resolve().parent
REPO = BENCH_DIR.parent
if str(REPO) not in sys.path:
    sys.path.insert(0, str(REPO))

if TYPE_CHECKING:
    from trainer.bank.models import Question


def respond(q: Question, right: bool) -> Any:
    """A right or a wrong response to q, in the engine's Response shapes (None: self-rated)."""
    if q.type == "single":
        good = q.correct_indexes[0]
        return good if right else (good + 1) % len(q.options)
    if q.type == "multiple":
        return frozenset(q.correct_indexes) if right else frozenset()
    if q.type == "true_false":
        return bool(q.answer) if right else not q.answer
    if q.type == "order":
        steps = tuple(range(len(q.steps)))
        return steps if right else steps[::-1]
    if q.type == "cloze":
        return tuple(b[0] for b in q.blanks) if right else tuple("zzz" for _ in q.blanks)
    return None  # recall: self-rated


async def settle(pilot: Any) -> None:
    """The database work started so far shown, every pending message of the screen processed,
    then one refresh."""
    for _ in range(2000):
        await pilot.pause()
        if not pilot.app.db.pending and not getattr(pilot.app.screen, "busy", 0):
            break
        await asyncio.sleep(0.005)
    await pilot._wait_for_screen()
    done = asyncio.get_running_loop().create_future()

    def mark() -> None:
        if not done.done():
            done.set_result(None)

    pilot.app.screen.call_after_refresh(mark)
    await done


def current_question(app: Any) -> Any:
    """The question the study screen shows, or None (no study screen, or nothing left)."""
    from trainer.tui.screens.question import QuestionScreen

    screen = app.screen
    if not isinstance(screen, QuestionScreen):
        return None
    return screen.question


async def submit_current(app: Any, pilot: Any) -> bool:
    """Answer the shown question through its widget, then settle. False if no question is shown;
    True once the rating bar is on screen."""
    from trainer.bank.models import CHOICE_TYPES
    from trainer.tui.messages import AnswerSubmitted
    from trainer.tui.widgets.rating_bar import RatingBar

    question = current_question(app)
    if question is None:
        return False
    screen = app.screen
    widget: Any = screen._answer_widget()  # the concrete widget of this question type
    with app._context():  # when two apps share one task (bench), act as this one
        if question.type in CHOICE_TYPES:
            widget.action_press_letter(widget.keys[0])
            widget.action_submit()
        elif question.type == "order":
            widget.action_submit()
        elif question.type == "cloze":
            for inp in widget._inputs():
                inp.value = "x"
            widget.post_message(AnswerSubmitted())
        else:
            widget.action_reveal()
    await settle(pilot)
    return bool(screen.query(RatingBar))


def rating_bar(app: Any) -> Any:
    """The study screen's rating bar (its own reference: a query_one here would keep every
    removed bar alive in the screen's query cache)."""
    bar = getattr(app.screen, "_bar", None)
    if bar is None:
        raise RuntimeError("no rating bar on screen")
    return bar


async def rate_current(app: Any, pilot: Any, bar: Any = None) -> None:
    """Choose the suggested rating (Enter) and settle; raises if the screen did not move on."""
    from trainer.tui.screens.question import QuestionScreen

    bar = bar if bar is not None else rating_bar(app)
    with app._context():
        bar.action_rate_suggested()
    await settle(pilot)
    if isinstance(app.screen, QuestionScreen) and app.screen.submitted:
        raise RuntimeError("the rating did not lead to the next question")
