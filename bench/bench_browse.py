"""Browse at scale: opening browse, sorting it and one search keystroke, at 20,000 and 50,000
questions, against the same on the bundled bank, under Textual's Pilot (headless, 80x24).

Each side is the real app (``make_app`` on its bank, a fresh database) running in one event loop;
rounds alternate (ABBA) between the bundled bank and the large bank. Timed:

* open: from ``b`` on home until the screen has shown its rows (the browse screen's ``building``
  flag is clear, every pending message processed) and the next refresh has run;
* sort: ``o`` (the next sort order) until the rows are shown again;
* search: one character typed into the search box until the rows are shown again (the debounce,
  if any, included).

The ratio is large / bundled: how much slower browse is at scale. Beside each step, the longest
stall of the event loop (the UI thread) during it: a ticker task in the same loop sleeps 2 ms at a
time and records how late it wakes; the longest lateness is how long a key pressed then would
have waited (in this process, mostly the cyclic collector's full passes, which stop every
thread; both apps freeze the heap as `trainer` does). No goal is set (the product rule: browse
stays responsive, and keys pressed while rows are built are handled at once).
"""

from __future__ import annotations

import argparse
import asyncio
import gc
import sys
import tempfile
import time
from collections.abc import Awaitable, Callable
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import harness
from harness import Result
from support import settle
from workspace import generated_bank

from trainer.bank import load_bank
from trainer.engine import Engine, Settings
from trainer.paths import bundled_bank

NOW = datetime(2030, 1, 1, 9, tzinfo=UTC)


async def shown(pilot: Any) -> None:
    """The browse rows are on screen: no row building left, then one refresh."""
    for _ in range(20000):
        await settle(pilot)
        if not getattr(pilot.app.screen, "building", False):
            return
        await asyncio.sleep(0.002)
    raise RuntimeError("browse never showed its rows")


class Stall:
    """The longest lateness of a 2 ms sleep in this event loop since ``reset()``."""

    def __init__(self) -> None:
        self.longest = 0.0
        self._task = asyncio.get_running_loop().create_task(self._tick())

    async def _tick(self) -> None:
        while True:
            t = time.perf_counter()
            await asyncio.sleep(0.002)
            self.longest = max(self.longest, time.perf_counter() - t - 0.002)

    def reset(self) -> None:
        self.longest = 0.0

    def stop(self) -> None:
        self._task.cancel()


async def measure(sizes: list[int], rounds: int) -> dict[int, dict[str, tuple[list[float], ...]]]:
    from trainer.tui.run import make_app
    from trainer.tui.screens.browse import BrowseScreen

    paths = {0: bundled_bank(), **{n: generated_bank(n) for n in sizes}}
    out: dict[int, dict[str, tuple[list[float], ...]]] = {}
    with tempfile.TemporaryDirectory(prefix="trainer-bench-browse-") as tmp:
        apps: dict[int, Any] = {}
        for n, path in paths.items():
            bank, problems = load_bank(path)
            assert bank is not None, problems
            db = Path(tmp) / f"reviews-{n}.db"
            with Engine.open(bank, db, clock=lambda: NOW) as e:
                e.save_settings(Settings(tz=UTC))
            apps[n] = make_app(bank, db, clock=lambda: NOW, seed=1, cursor_blink=False)
            apps[n].freeze_heap = True  # as `trainer` does: gc.freeze() once home is painted
        gc.freeze()  # as `trainer` does once the bank is loaded (tui/run.py)
        small = apps[0]
        stall = Stall()
        async with small.run_test(size=(80, 24)) as small_pilot:
            await settle(small_pilot)
            for n in sizes:
                big = apps[n]
                async with big.run_test(size=(80, 24)) as big_pilot:
                    await settle(big_pilot)

                    def steps(app: Any, pilot: Any) -> dict[str, Callable[[], Awaitable[float]]]:
                        async def open_() -> float:
                            if isinstance(app.screen, BrowseScreen):
                                await pilot.press("escape")
                                await settle(pilot)
                            t = time.perf_counter()
                            await pilot.press("b")
                            await shown(pilot)
                            return time.perf_counter() - t

                        async def sort() -> float:
                            t = time.perf_counter()
                            await pilot.press("o")
                            await shown(pilot)
                            return time.perf_counter() - t

                        async def search() -> float:
                            await pilot.press("slash")
                            await settle(pilot)
                            t = time.perf_counter()
                            await pilot.press("q")
                            await shown(pilot)
                            spent = time.perf_counter() - t
                            await pilot.press("backspace", "ctrl+t")
                            await shown(pilot)
                            return spent

                        return {"open": open_, "sort": sort, "search": search}

                    a, b = steps(small, small_pilot), steps(big, big_pilot)
                    result: dict[str, tuple[list[float], ...]] = {}
                    for name in ("open", "sort", "search"):
                        base: list[float] = []
                        subj: list[float] = []
                        base_stall: list[float] = []
                        subj_stall: list[float] = []

                        async def timed(
                            step: Callable[[], Awaitable[float]],
                            times: list[float],
                            stalls: list[float],
                        ) -> None:
                            stall.reset()
                            times.append(await step())
                            stalls.append(stall.longest)

                        await a[name]()  # warm-up
                        await b[name]()
                        for i in range(rounds):
                            if i % 2 == 0:
                                await timed(a[name], base, base_stall)
                                await timed(b[name], subj, subj_stall)
                            else:
                                await timed(b[name], subj, subj_stall)
                                await timed(a[name], base, base_stall)
                        result[name] = (base, subj, base_stall, subj_stall)
                    out[n] = result
                    await small_pilot.press("escape")
                    await settle(small_pilot)
        stall.stop()
    return out


def run(quick: bool = False) -> list[Result]:
    sizes = [20_000] if quick else [20_000, 50_000]
    rounds = 3 if quick else 6
    measured = asyncio.run(measure(sizes, rounds))
    results: list[Result] = []
    for n, by_step in measured.items():
        for step, (base, subj, base_stall, subj_stall) in by_step.items():
            results.append(
                Result(
                    f"browse {step}, {n // 1000}k questions (Pilot)",
                    f"browse {step} at {n:,} questions",
                    "the same on the bundled bank",
                    "s",
                    subj,
                    base,
                    note="headless Pilot, 80x24; fresh databases (every card new)",
                )
            )
            results.append(
                Result(
                    f"browse {step}, {n // 1000}k: longest UI stall (Pilot)",
                    f"longest event-loop stall during browse {step} at {n:,} questions",
                    "the same on the bundled bank",
                    "s",
                    subj_stall,
                    base_stall,
                    note="how late a 2 ms sleep in the app's event loop woke, at worst",
                )
            )
    return results


if __name__ == "__main__":
    ap = argparse.ArgumentParser()
    ap.add_argument("--quick", action="store_true")
    print(harness.table(run(ap.parse_args().quick)))
    sys.exit(0)
