"""Child process for the start and memory benchmarks: run an app until its first screen is painted.

    python bench/paint_child.py MARKER bare
    python bench/paint_child.py MARKER trainer BANK DB

``bare`` is a Textual app that paints one Static; ``trainer`` is the real entry point
(``trainer.cli.main(["--bank", BANK, "--db", DB])``), so the whole start path is measured: argument
parsing, bank loading, engine open and sync, the home screen.

Both are measured the same way: ``App.run`` is wrapped to pass an auto-pilot that waits until the
screen has processed its pending events and the app's workers are done, then writes
``time.monotonic()`` (system-wide on Linux, so the parent can subtract its own start time) and the
peak RSS so far to MARKER after the next refresh, and exits. The app itself is not modified.
"""

from __future__ import annotations

import json
import sys
import time
from pathlib import Path
from typing import Any


def _vmhwm_kib() -> int:
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith("VmHWM:"):
            return int(line.split()[1])
    return 0


def _install_hook(marker: Path) -> None:
    from textual.app import App

    original_run = App.run

    async def autopilot(pilot: Any) -> None:
        app = pilot.app
        await pilot._wait_for_screen()
        await app.workers.wait_for_complete()
        await pilot._wait_for_screen()

        def painted() -> None:
            t = time.monotonic()
            marker.write_text(
                json.dumps(
                    {"t_paint": t, "vmhwm_kib": _vmhwm_kib(), "screen": type(app.screen).__name__}
                )
            )
            app.exit()

        app.screen.call_after_refresh(painted)

    def run(self: Any, *args: Any, **kwargs: Any) -> Any:
        kwargs["auto_pilot"] = autopilot
        return original_run(self, *args, **kwargs)

    App.run = run  # type: ignore[method-assign]


def main(argv: list[str]) -> int:
    marker = Path(argv[0])
    mode = argv[1]
    _install_hook(marker)
    if mode == "bare":
        from textual.app import App, ComposeResult
        from textual.widgets import Static

        class Bare(App[None]):
            def compose(self) -> ComposeResult:
                yield Static("Hello from a bare Textual app.")

        Bare().run()
        return 0
    if mode == "trainer":
        sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
        from trainer.cli import main as trainer_main

        return trainer_main(["--bank", argv[2], "--db", argv[3]])
    print(f"unknown mode {mode!r}", file=sys.stderr)
    return 2


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
