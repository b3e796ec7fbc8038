"""What an id may look like: stable, printable, and safe in an Anki GUID seed."""

from __future__ import annotations

import re

from trainer.bank.fields import Block

ID_PATTERN = re.compile(r"[A-Za-z0-9][A-Za-z0-9._-]{0,99}")


def check_id(block: Block, key: str, value: str) -> bool:
    if ID_PATTERN.fullmatch(value):
        return True
    block.error(
        "bad-value",
        key,
        f"{key} {value[:40]!r} must be 1-100 letters, digits, '.', '_' or '-', "
        "starting with a letter or digit",
    )
    return False
