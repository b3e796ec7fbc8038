"""``trainer export-anki OUT.apkg``: load the bank, refuse it if broken, export, summarise."""

from __future__ import annotations

import sys
from pathlib import Path

PROG = "trainer export-anki"


def _fail(message: str) -> int:
    print(f"{PROG}: error: {message}", file=sys.stderr)
    return 1


def run_export(
    out: Path, bank_path: Path, *, topics: list[str], types: list[str], force: bool
) -> int:
    """Export the bank at ``bank_path`` to ``out``. Returns the exit code (0 done, 1 not done)."""
    from trainer.bank import load_bank
    from trainer.export.anki import export_bank
    from trainer.export.errors import ExportError
    from trainer.export.progress import ProgressBar

    try:
        bank, problems = load_bank(bank_path)
    except OSError as exc:
        return _fail(f"cannot read the bank {bank_path}: {exc.strerror or exc}")
    errors = [p for p in problems if p.severity == "error"]
    if bank is None or errors:
        for problem in problems:
            print(problem.format(), file=sys.stderr)
        count = len(errors) or 1
        return _fail(
            f"the bank {bank_path} has {count} error{'s' if count != 1 else ''}; nothing exported "
            f"(see `trainer check --bank {bank_path}`)"
        )
    warnings = len(problems)
    if warnings:
        print(
            f"{PROG}: note: the bank has {warnings} warning{'s' if warnings != 1 else ''} "
            f"(see `trainer check --bank {bank_path}`)",
            file=sys.stderr,
        )
    bar = ProgressBar(sys.stderr)
    try:
        summary = export_bank(bank, out, topics=topics, types=types, progress=bar, force=force)
    except ExportError as exc:
        bar.close()
        return _fail(str(exc))
    except OSError as exc:
        bar.close()
        return _fail(f"cannot write {out}: {exc.strerror or exc}")
    bar.close()
    print(summary.format())
    return 0
