"""A child process that answers questions through the real app (headless, under Pilot).

    python ui_child.py BANK DB

Prints ``ready`` once the study screen shows, then answers question after question as a trainee
would (the answer widget's own actions, then the suggested rating, which is what Enter does) and,
once the next question is on screen, prints ``answered QID`` (flushed): the app promises the answer
is saved before the next question appears. Runs until killed. Errors print ``error: ...``, exit 3.
"""

from __future__ import annotations

import asyncio
import os
import sys
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

REPO = Path(__file__).resolve().parents[2]
if str(REPO / "bench") not in sys.path:  # bench/support.py: shared with the benchmarks
    sys.path.insert(0, str(REPO / "bench"))

from support import rate_current, settle, submit_current  # noqa: E402


def say(line: str) -> None:
    """Straight to fd 1, unbuffered (Textual captures print() while an app runs)."""
    os.write(1, (line + "\n").encode())


async def study(app: Any, pilot: Any) -> None:
    """``s`` on home: a study session paused by an earlier run (restored at start) is resumed,
    as the trainee answers the question ``s`` then asks."""
    from trainer.tui.screens.confirm import ConfirmScreen

    app.action_study()
    await settle(pilot)
    if isinstance(app.screen, ConfirmScreen):
        await pilot.press("n")  # Resume it
        await settle(pilot)


async def run(bank_path: Path, db: Path) -> int:
    from trainer.bank import load_bank
    from trainer.tui.run import make_app
    from trainer.tui.screens.question import QuestionScreen

    bank, problems = load_bank(bank_path)
    if bank is None:
        say(f"error: bank did not load: {problems}")
        return 3
    now = [datetime(2030, 1, 1, 9, tzinfo=UTC)]
    app = make_app(bank, db, clock=lambda: now[0], seed=1, cursor_blink=False)
    async with app.run_test(size=(100, 40)) as pilot:
        await study(app, pilot)
        say("ready")
        idle = 0
        while True:
            screen = app.screen
            if not isinstance(screen, QuestionScreen) or screen.question is None:
                idle += 1
                if idle > 3650:
                    say("error: nothing to study")
                    return 3
                now[0] += timedelta(days=1)
                await study(app, pilot)
                continue
            idle = 0
            qid = screen.question.id
            if not await submit_current(app, pilot):
                say("error: no rating bar after submitting")
                return 3
            try:
                await rate_current(app, pilot)
            except RuntimeError:
                say("error: the rating did not move on")
                return 3
            say(f"answered {qid}")
            now[0] += timedelta(minutes=2)


if __name__ == "__main__":
    try:
        sys.exit(asyncio.run(run(Path(sys.argv[1]), Path(sys.argv[2]))))
    except Exception as exc:  # reported to the parent test, which fails with it
        import traceback

        print(f"error: {type(exc).__name__}: {exc}", flush=True)
        traceback.print_exc()
        sys.exit(3)
