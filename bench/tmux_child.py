"""The process bench_tmux.py starts in each tmux pane: the real app, or a bare Textual baseline.

    python bench/tmux_child.py trainer --bank BANK --db DB   # trainer.cli.main, unchanged
    python bench/tmux_child.py bare-start                    # a Static and a Footer
    python bench/tmux_child.py bare-answer                   # a question screen swapped per answer

Nothing in the app is modified. When ``BENCH_PROBE`` names a file, this launcher installs, before
the app starts, a ``gc.callbacks`` hook that records every collection (generation, pause in ms),
and a SIGUSR1 handler that writes a JSON probe to that file: the collections so far, the live
Textual widgets (after a ``gc.collect()`` that is not reported as a pause; every widget created
is put in a WeakSet by a wrapper around ``Widget.__init__``, so widgets the app moved out of the
collector's view with ``gc.freeze()`` are still counted), VmRSS and VmHWM. bench_tmux.py sends
SIGUSR1 between answers, never while it times one.

The bare-answer app paints a question like the study screen (header, a stem, four options, a hint,
a Footer); ``a`` selects an option (untimed), Enter shows the feedback (an explanation and a rating
line), Enter again swaps the whole question for the next one: each step removes and mounts widgets
like the app does, so it is the cost of a plain Textual screen update of similar content.
"""

from __future__ import annotations

import gc
import json
import os
import signal
import sys
import time
import weakref
from collections import Counter
from pathlib import Path
from typing import Any, ClassVar

BENCH_DIR = Path(__file__).resolve().parent
sys.path.insert(0, str(BENCH_DIR.parent))

PROBE_ENV = "BENCH_PROBE"

_pauses: list[tuple[int, float]] = []
_started: list[float] = [0.0]


def _gc_hook(phase: str, info: dict[str, Any]) -> None:
    if phase == "start":
        _started[0] = time.perf_counter()
    else:
        _pauses.append((int(info.get("generation", -1)), (time.perf_counter() - _started[0]) * 1e3))


def _status(field: str) -> int:
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith(field + ":"):
            return int(line.split()[1])
    return 0


_widgets: weakref.WeakSet[Any] = weakref.WeakSet()


def _count_widgets() -> None:
    from textual.widget import Widget

    init = Widget.__init__

    def counted(self: Widget, *args: Any, **kwargs: Any) -> None:
        _widgets.add(self)
        init(self, *args, **kwargs)

    Widget.__init__ = counted  # type: ignore[method-assign]


def _probe(path: Path) -> None:
    # Widgets still alive: collect first (with the pause hook off, so that this collection is not
    # reported as one of the app's), then count what the collector tracks.
    gc.callbacks.remove(_gc_hook)
    try:
        gc.collect()
        widgets = len(_widgets)
        gone = [w for w in _widgets if not w.is_attached]
        detached = Counter(type(w).__name__ for w in gone)
        # what the detached toasts said: which notify() they came from
        toasts = Counter(
            str(getattr(w, "_notification", None) and w._notification.message)[:60]
            for w in gone
            if type(w).__name__ == "Toast"
        )
        tracked = len(gc.get_objects())
    finally:
        gc.callbacks.append(_gc_hook)
    doc = {
        "gc": _pauses,
        "widgets": widgets,
        "detached": dict(detached.most_common(6)),  # alive, not on any screen: what leaks
        "toasts": dict(toasts.most_common(3)),
        "tracked": tracked,  # objects the collector scans in a full pass (not the frozen ones)
        "frozen": gc.get_freeze_count(),
        "rss_kib": _status("VmRSS"),
        "hwm_kib": _status("VmHWM"),
        "t": time.monotonic(),
    }
    tmp = path.with_suffix(".tmp")
    tmp.write_text(json.dumps(doc))
    os.replace(tmp, path)


def _install_probe() -> None:
    where = os.environ.get(PROBE_ENV)
    if not where:
        return
    path = Path(where)
    _count_widgets()
    gc.callbacks.append(_gc_hook)
    signal.signal(signal.SIGUSR1, lambda *_: _probe(path))


def bare_start() -> None:
    from textual.app import App, ComposeResult
    from textual.widgets import Footer, Static

    class Bare(App[None]):
        BINDINGS: ClassVar = [
            ("s", "bell", "Study"),
            ("p", "bell", "Practice"),
            ("q", "quit", "Quit"),
        ]

        def compose(self) -> ComposeResult:
            yield Static("BARE READY: a bare Textual app with a Static and a Footer.")
            yield Footer()

    Bare().run()


def bare_answer() -> None:
    from textual.app import App, ComposeResult
    from textual.containers import VerticalScroll
    from textual.widgets import Footer, Static

    words = [
        "the",
        "probe",
        "is",
        "placed",
        "near",
        "the",
        "medial",
        "branch",
        "under",
        "fluoroscopy",
        "before",
        "heating",
    ]

    def sentence(n: int, k: int) -> str:
        return " ".join(words[(k + i) % len(words)] for i in range(n)).capitalize() + "."

    class Bare(App[None]):
        BINDINGS: ClassVar = [
            ("a", "choose", "Choose"),
            ("enter", "step", "Submit"),
            ("q", "quit", "Quit"),
        ]
        count = 0
        answered = False

        def compose(self) -> ComposeResult:
            yield VerticalScroll(id="body")
            yield Footer()

        def on_mount(self) -> None:
            self.call_later(self._question)

        async def _question(self) -> None:
            body = self.query_one("#body", VerticalScroll)
            await body.remove_children()
            n = self.count
            await body.mount_all(
                [
                    Static(f" Study  ·  Single best answer  ·  Topic  ·  BARE-Q {n}"),
                    Static(" ".join(sentence(12, n + i) for i in range(3))),
                    *(Static(f"  {c}  ( )  {sentence(8, n + i)}") for i, c in enumerate("ABCD")),
                    Static("Press A-D to choose one, then Enter to submit."),
                ]
            )

        def action_choose(self) -> None:
            self.query_one("#body", VerticalScroll).children[2].update("  A  (•)  chosen")  # type: ignore[attr-defined]

        async def action_step(self) -> None:
            body = self.query_one("#body", VerticalScroll)
            if not self.answered:
                self.answered = True
                await body.mount_all(
                    [
                        Static("Not correct.  Answer: B."),
                        Static("Explanation: " + " ".join(sentence(14, i) for i in range(4))),
                        *(Static(f"  {c} (wrong) {sentence(10, i)}") for i, c in enumerate("ABCD")),
                        Static(
                            f"  1 Again  2 Hard  3 Good  4 Easy  (Enter)  BARE-RATE {self.count}"
                        ),
                    ]
                )
            else:
                self.answered = False
                self.count += 1
                await self._question()

    Bare().run()


def main(argv: list[str]) -> int:
    _install_probe()
    mode = argv[0] if argv else ""
    if mode == "bare-start":
        bare_start()
        return 0
    if mode == "bare-answer":
        bare_answer()
        return 0
    if mode == "trainer":
        from trainer.cli import main as trainer_main

        return trainer_main(argv[1:])
    print(f"unknown mode {mode!r}", file=sys.stderr)
    return 2


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
