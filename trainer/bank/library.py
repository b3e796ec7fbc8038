"""Where ``--bank`` points: a bank, a bank's header file, or a library (a folder of banks).

- a bank folder (it holds the bank's .toml files): that bank;
- a bank file holding questions (a one-file bank): that file;
- a bank's header file (``[bank]`` and no questions, beside the bank's other files): its folder,
  since the header alone is an empty bank;
- a library: a folder holding no .toml files itself, whose subfolders each hold a bank (a .toml
  file with a ``[bank]`` header). The trainee picks one (the app's bank picker, or
  ``--bank LIBRARY/name`` on the command line).

Anything else (a missing path, a folder of unrelated files) is left to the bank loader, which
reports it. No Textual here; nothing is written.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Literal

_BANK_HEADER = re.compile(rb"^[ \t]*\[[ \t]*bank[ \t]*\][ \t]*(#.*)?$", re.MULTILINE)
_QUESTIONS = re.compile(rb"^[ \t]*\[\[[ \t]*questions[ \t]*\]\]", re.MULTILINE)
_HEADER_READ_LIMIT = 1 << 20  # a header is small; a bank file may be large: read the start only


@dataclass(frozen=True)
class LibraryBank:
    """One bank of a library: its subfolder's name and path."""

    name: str
    path: Path


@dataclass(frozen=True)
class BankTarget:
    """What ``--bank`` means: one bank to load, or a library to choose from.

    ``path``: the bank to load (kind "bank") or the library folder (kind "library"); ``note``:
    a sentence when the path given was read as something else (a header file as its folder).
    """

    kind: Literal["bank", "library"]
    path: Path
    banks: tuple[LibraryBank, ...] = field(default=())
    note: str = ""

    def names(self) -> list[str]:
        return [b.name for b in self.banks]


def _start(path: Path) -> bytes:
    try:
        with path.open("rb") as f:
            return f.read(_HEADER_READ_LIMIT)
    except OSError:
        return b""


def _toml_files(folder: Path) -> list[Path]:
    try:
        return sorted(p for p in folder.iterdir() if p.suffix == ".toml" and p.is_file())
    except OSError:
        return []


def is_header_only(path: Path) -> bool:
    """Whether ``path`` holds a ``[bank]`` header and no questions."""
    text = _start(path)
    return bool(_BANK_HEADER.search(text)) and not _QUESTIONS.search(text)


def holds_bank(folder: Path) -> bool:
    """Whether ``folder`` holds a bank: one of its .toml files has a ``[bank]`` header."""
    return any(_BANK_HEADER.search(_start(p)) for p in _toml_files(folder))


def library_banks(folder: Path) -> tuple[LibraryBank, ...]:
    """The banks in ``folder``'s subfolders (hidden ones skipped), by name."""
    try:
        subfolders = sorted(p for p in folder.iterdir() if p.is_dir())
    except OSError:
        return ()
    return tuple(
        LibraryBank(p.name, p) for p in subfolders if not p.name.startswith(".") and holds_bank(p)
    )


def resolve_bank(path: Path) -> BankTarget:
    """What ``--bank path`` points at (see the module's docstring)."""
    path = Path(path)
    if path.is_file():
        folder = path.parent
        if is_header_only(path) and len(_toml_files(folder)) > 1:
            return BankTarget(
                "bank",
                folder,
                note=f"{path} is the header of the bank in {folder}; loading that folder",
            )
        return BankTarget("bank", path)
    if path.is_dir() and not _toml_files(path):
        banks = library_banks(path)
        if banks:
            return BankTarget("library", path, banks)
    return BankTarget("bank", path)


def library_message(target: BankTarget) -> str:
    """For a command that needs one bank: which banks the library holds, and how to pick one."""
    names = target.names()
    example = target.path / names[0]
    return (
        f"{target.path} is a folder of {len(names)} banks: {', '.join(names)}. "
        f"Choose one with --bank, e.g. --bank {example}"
    )
