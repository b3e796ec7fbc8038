"""Answer path in the UI: from the rating chosen to the next question painted.

Subject: the real app (``make_app`` on the bundled bank, a real database) under Textual's Pilot
(headless, 120x40), in a study session. Each round answers the current question (untimed: the
answer widget's own actions), then times from the rating (``RatingBar.action_rate_suggested``,
what Enter does) until the screen has processed every resulting message (engine.answer,
next_question, counts, the new question's widgets mounted) and the next refresh has run.

Baseline: a bare Textual app whose screen, on a message, replaces a Static in a scrolling body with
a new one, timed the same way, in the same event loop, alternately.

This is the UI's part, reported apart from the engine's part (bench_answer.py); no goal is set.
"""

from __future__ import annotations

import argparse
import asyncio
import statistics
import sys
import tempfile
import time
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import harness
from harness import Result
from support import rate_current, rating_bar, settle, submit_current

from trainer.bank import load_bank
from trainer.engine import Engine, Settings
from trainer.paths import bundled_bank


def _bare_app() -> Any:
    from textual.app import App, ComposeResult
    from textual.containers import VerticalScroll
    from textual.message import Message
    from textual.widgets import Footer, Static

    class Next(Message):
        pass

    class Bare(App[None]):
        count = 0

        def compose(self) -> ComposeResult:
            yield VerticalScroll(Static("question 0"), id="body")
            yield Footer()

        async def on_next(self, _: Next) -> None:
            self.count += 1
            body = self.query_one("#body", VerticalScroll)
            await body.remove_children()
            await body.mount(Static(f"question {self.count}"))

    app = Bare()
    app.next_message = Next  # type: ignore[attr-defined]
    return app


async def measure(rounds: int) -> tuple[list[float], list[float]]:
    from trainer.tui.run import make_app
    from trainer.tui.screens.question import QuestionScreen

    bank, problems = load_bank(bundled_bank())
    assert bank is not None, problems
    now = [datetime(2030, 1, 1, 9, tzinfo=UTC)]
    with tempfile.TemporaryDirectory(prefix="trainer-bench-ui-") as tmp:
        db = Path(tmp) / "reviews.db"
        with Engine.open(bank, db, clock=lambda: now[0]) as e:
            e.save_settings(Settings(new_per_day=9999, reviews_per_day=9999, tz=UTC))
        app = make_app(bank, db, clock=lambda: now[0], seed=1, cursor_blink=False)
        bare = _bare_app()
        base: list[float] = []
        subj: list[float] = []
        async with (
            app.run_test(size=(120, 40)) as pilot,
            bare.run_test(size=(120, 40)) as bare_pilot,
        ):
            with app._context():
                app.action_study()
            await settle(pilot)
            i = 0
            while len(subj) < rounds:
                if not await submit_current(app, pilot):
                    now[0] += timedelta(days=1)
                    with app._context():
                        app.action_study()
                    await settle(pilot)
                    if not isinstance(app.screen, QuestionScreen):
                        raise RuntimeError(f"study did not start: {type(app.screen).__name__}")
                    continue
                bar = rating_bar(app)

                async def subject(bar: Any = bar) -> float:
                    t = time.perf_counter()
                    await rate_current(app, pilot, bar)
                    return time.perf_counter() - t

                async def baseline() -> float:
                    t = time.perf_counter()
                    bare.post_message(bare.next_message())
                    await settle(bare_pilot)
                    return time.perf_counter() - t

                if i % 2 == 0:
                    base.append(await baseline())
                    subj.append(await subject())
                else:
                    subj.append(await subject())
                    base.append(await baseline())
                i += 1
                now[0] += timedelta(seconds=30)
        return base, subj


def run(quick: bool = False) -> list[Result]:
    rounds = 15 if quick else 80
    b, s = asyncio.run(measure(rounds))
    extra_ms = statistics.median(x - y for x, y in zip(s, b, strict=True)) * 1000
    return [
        Result(
            "answer: UI repaint (Pilot)",
            "rating -> next question",
            "bare app: swap a Static",
            "s",
            s,
            b,
            note=(
                "headless Pilot; includes the engine's part (answer+next+counts) as the UI runs "
                f"it; median extra over the bare app {extra_ms:.1f} ms per answer; both sides "
                "wait for a frame-paced refresh (Textual paints at most ~60 times a second)"
            ),
        )
    ]


if __name__ == "__main__":
    ap = argparse.ArgumentParser()
    ap.add_argument("--quick", action="store_true")
    print(harness.table(run(ap.parse_args().quick)))
    sys.exit(0)
