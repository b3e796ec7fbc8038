"""Start the UI: load and check the bank, open the database, build the app (the app factory)."""

from __future__ import annotations

import sys
from collections.abc import Callable
from datetime import datetime
from pathlib import Path
from typing import TYPE_CHECKING

UI_LOCK_WAIT = 2.0  # seconds

if TYPE_CHECKING:
    from trainer.bank.models import Bank
    from trainer.config import Config
    from trainer.engine import Settings
    from trainer.tui.app import TrainerApp


def make_app(
    bank: Bank,
    db_path: Path,
    *,
    clock: Callable[[], datetime] | None = None,
    seed: int | None = None,
    settings: Settings | None = None,
    export_dir: Path | None = None,
    cursor_blink: bool = True,
    config: Config | None = None,
) -> TrainerApp:
    """Open the engine on ``db_path`` and build the app around it.

    ``config``: the settings file (its settings are used unless ``settings`` is given; the
    Settings screen saves to its path). Raises TrainerDBError when the database cannot be used.
    Tests pass a fixed clock and seed (and turn the cursor blink off) so that every run and every
    snapshot is the same.
    """
    from trainer.engine import Engine
    from trainer.engine.commands import say
    from trainer.tui.app import TrainerApp

    if settings is None and config is not None:
        settings = config.settings
    engine = Engine.open(
        bank,
        db_path,
        clock=clock,
        seed=seed,
        settings=settings,
        read_only_fallback=True,
        notice=say,
    )
    # the few writes made on the UI thread (browse's flag) wait briefly; sessions use workers
    engine.store.lock_wait = UI_LOCK_WAIT
    if config is not None and not engine.read_only:
        from trainer.engine.replay import reschedule_if_changed

        try:  # the desired retention or the FSRS parameters were edited in the file
            reschedule_if_changed(engine)
        except BaseException:
            engine.close()
            raise
    return TrainerApp(
        engine, seed=seed, export_dir=export_dir, cursor_blink=cursor_blink, config=config
    )


def run_app(bank_path: Path, db_path: Path, config: Config | None = None) -> int:
    """``trainer`` with no command: returns the process exit code."""
    from trainer.bank import load_bank
    from trainer.engine import TrainerDBError
    from trainer.gcpause import gc_paused

    # The cyclic collector is off from here until home is painted (TrainerApp.started), then
    # what the start built is frozen and it is turned back on (trainer/gcpause.py).
    with gc_paused() as collecting:
        bank, problems = load_bank(bank_path)
        errors = [p for p in problems if p.severity == "error"]
        if bank is None or errors:
            for problem in errors or problems:
                print(problem.format(), file=sys.stderr)
            if not errors and not problems:
                print(f"{bank_path}: no bank could be read", file=sys.stderr)
            print(f"trainer: the bank at {bank_path} has errors; fix them first.", file=sys.stderr)
            return 1
        try:
            app = make_app(bank, db_path, config=config)
        except TrainerDBError as exc:
            print(f"trainer: {exc}", file=sys.stderr)
            return 1
        if app.engine.read_only:
            print(f"trainer: read-only: {app.engine.read_only}", file=sys.stderr)
        app.freeze_heap = True
        app.collect_after_start = collecting
        app.run()
        return app.return_code or 0  # 1 when a database found damaged in use ended the app
