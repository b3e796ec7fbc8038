"""Variants of a test bank for the bank-check tests: copy it with a few exact text edits.

Imported by the bank test files as ``bank_kit`` (this folder is put on sys.path by them).
"""

from __future__ import annotations

from pathlib import Path

from trainer.bank import load_bank
from trainer.bank.models import Problem


def edited(bank_file: Path, tmp: Path, *edits: tuple[str, str]) -> Path:
    """``tmp/bank.toml``: ``bank_file`` with each (old, new) replaced once (old must be there)."""
    text = bank_file.read_text()
    for old, new in edits:
        assert old in text, old
        text = text.replace(old, new, 1)
    path = tmp / "bank.toml"
    path.write_text(text)
    return path


def problems_of(bank_file: Path, tmp: Path, *edits: tuple[str, str]) -> list[Problem]:
    """Every problem load_bank finds in the edited copy."""
    return load_bank(edited(bank_file, tmp, *edits))[1]


def variant(bank_file: Path, tmp: Path, *edits: tuple[str, str]) -> tuple[Path, list[Problem]]:
    """The edited copy and its problems; the edits must leave it loadable (warnings only)."""
    path = edited(bank_file, tmp, *edits)
    bank, problems = load_bank(path)
    assert bank is not None, [p.format() for p in problems]
    return path, problems
