"""``trainer reviews export|import FILE`` and ``trainer fsrs evaluate|optimize``.

Each opens the bank and the database as ``trainer stats`` does, with the settings of the config
file. Problems are one clear message on stderr and exit status 1, never a traceback.
"""

from __future__ import annotations

import sys
from dataclasses import replace
from pathlib import Path
from typing import TYPE_CHECKING, TextIO

if TYPE_CHECKING:
    from trainer.config import Config
    from trainer.engine.engine import Engine


def _err(message: str) -> int:
    sys.stderr.write(f"trainer: {message}\n")
    return 1


def say(message: str) -> None:
    """One line on stderr, at once (a step that may take a while is about to start)."""
    sys.stderr.write(f"trainer: {message}\n")
    sys.stderr.flush()


def open_engine(
    bank_path: Path, db_path: Path, config: Config, *, read_only: bool = False
) -> Engine | None:
    """The engine on ``db_path`` with the config's settings; None (reported) when it cannot open,
    or when ``read_only`` and the database does not exist (a read-only command creates none)."""
    from trainer.bank.check import check_bank
    from trainer.engine.engine import Engine
    from trainer.engine.errors import TrainerDBError

    report = check_bank(Path(bank_path))
    if report.bank is None:
        for problem in report.problems:
            sys.stderr.write(problem.format() + "\n")
        _err(f"the bank at {bank_path} has errors; fix them first.")
        return None
    from trainer.engine.stats_command import db_missing, missing_db

    if read_only and db_missing(db_path):
        _err(missing_db(db_path))
        return None
    from trainer.engine.replay import reschedule_if_changed

    try:
        engine = Engine.open(report.bank, Path(db_path), settings=config.settings, notice=say)
    except TrainerDBError as exc:
        _err(str(exc))
        return None
    try:
        reschedule_if_changed(engine)  # the config file was edited since the last run
    except TrainerDBError as exc:
        engine.close()
        _err(str(exc))
        return None
    return engine


def run_reviews(
    action: str,
    file: Path,
    bank_path: Path,
    db_path: Path,
    config: Config,
    out: TextIO | None = None,
) -> int:
    from trainer.engine.errors import TrainerDBError
    from trainer.engine.revlog import RevlogError, export_revlog, import_revlog, read_revlog

    stream = out if out is not None else sys.stdout
    rows = None
    if action == "import":  # read and check the file before touching the database
        try:
            with file.open(encoding="utf-8-sig", newline="") as f:
                rows = read_revlog(f, str(file))
        except OSError as exc:
            return _err(f"cannot read {file}: {exc}")
        except UnicodeDecodeError as exc:
            return _err(f"{file}: not UTF-8 text ({exc.reason} at byte {exc.start})")
        except RevlogError as exc:
            return _err(str(exc))
    engine = open_engine(bank_path, db_path, config, read_only=action == "export")
    if engine is None:
        return 1
    try:
        if rows is None:
            try:
                tmp = file.with_name(f".{file.name}.tmp")
                with tmp.open("w", encoding="utf-8", newline="") as f:
                    n = export_revlog(engine, f)
                tmp.replace(file)
            except OSError as exc:
                return _err(f"cannot write {file}: {exc}")
            stream.write(f"Exported {n} reviews to {file}\n")
            return 0
        try:
            report = import_revlog(engine, rows)
        except RevlogError as exc:
            return _err(f"{file}: {exc}")
        stream.write(
            f"Imported {report.added} reviews from {file} ({report.duplicates} duplicates "
            f"skipped); {report.cards} cards rescheduled from their history\n"
        )
        return 0
    except TrainerDBError as exc:
        return _err(str(exc))
    finally:
        engine.close()


def run_fsrs(
    action: str, bank_path: Path, db_path: Path, config: Config, out: TextIO | None = None
) -> int:
    from trainer.config import ConfigError, resolve_config_path, save_config
    from trainer.engine import fsrs_fit
    from trainer.engine.errors import TrainerDBError
    from trainer.engine.replay import mark_applied, recompute, scheduled_answers

    stream = out if out is not None else sys.stdout
    try:
        fsrs_fit.fsrs_rs()
    except fsrs_fit.FsrsUnavailable as exc:
        return _err(str(exc))
    engine = open_engine(bank_path, db_path, config, read_only=action == "evaluate")
    if engine is None:
        return 1
    try:
        settings = engine.settings
        items = fsrs_fit.items_from_settings(scheduled_answers(engine), settings)
        current = fsrs_fit.current_parameters(settings)
        which = "your fitted parameters" if settings.parameters else "the default parameters"
        if action == "evaluate":
            if not items:
                return _err("there is no history to evaluate yet (answer cards on several days)")
            metrics = fsrs_fit.evaluate(items, current)
            stream.write(f"FSRS with {which}: {metrics.format()}\n")
            return 0
        result = fsrs_fit.optimize(items, current)
        if result.current is None:
            stream.write(result.message + "\n")
            return 0
        stream.write(
            f"{result.items} training items: fitted on the first {result.train}, compared on "
            f"the last {result.test}\n"
            f"  current ({which}): {result.current.format()}\n"
        )
        if result.fitted is not None:
            stream.write(f"  fitted: {result.fitted.format()}\n")
        stream.write(result.message + "\n")
        if result.adopted and result.parameters is not None:
            new = replace(settings, parameters=result.parameters)
            path = config.path or resolve_config_path(None)
            try:
                save_config(replace(config, settings=new), path)
            except ConfigError as exc:
                return _err(str(exc))
            n = recompute(engine, new)
            mark_applied(engine, new)
            stream.write(
                f"Saved the parameters to {path}; {n} cards rescheduled from their history.\n"
                "  parameters = [" + ", ".join(f"{w:.4f}" for w in result.parameters) + "]\n"
            )
        return 0
    except TrainerDBError as exc:
        return _err(str(exc))
    finally:
        engine.close()
