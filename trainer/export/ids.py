"""Stable identifiers for what we put in Anki: note types, decks and notes.

Anki keys note types and decks by integer id and notes by GUID. All three are derived from fixed
names (never random, never the export time) so re-exporting updates what the user already has.
"""

from __future__ import annotations

import functools
import hashlib

from trainer.export.templates import MODEL_VERSION


def stable_id(name: str) -> int:
    """A positive id in [2**30, 2**31) from a fixed name (the range genanki recommends)."""
    digest = hashlib.sha256(name.encode("utf-8")).digest()
    return (1 << 30) + int.from_bytes(digest[:8], "big") % (1 << 30)


def model_id(kind: str) -> int:
    """The note type id of a question type, e.g. from "trainer:model:single:v1"."""
    return stable_id(f"trainer:model:{kind}:{MODEL_VERSION}")


def deck_id(bank_id: str, topic: str | None = None) -> int:
    """The id of a bank's deck, or of one topic's subdeck."""
    name = f"trainer:deck:{bank_id}"
    return stable_id(name if topic is None else f"{name}:{topic}")


def note_guid(bank_id: str, question_id: str) -> str:
    """The Anki GUID of a question: genanki.guid_for("trainer", bank id, question id).

    The same value (tests/unit/test_export_fields.py compares them), about twice as fast: the
    base-91 digits are taken two at a time from a table of digit pairs, with genanki's alphabet.
    """
    pairs = _base91_pairs()
    digits, single = pairs[0], pairs[1]
    value = "__".join(("trainer", bank_id, question_id)).encode("utf-8")
    n = int.from_bytes(hashlib.sha256(value).digest()[:8], "big")
    out = ""
    while n >= 91:
        n, pair = divmod(n, 91 * 91)
        out = digits[pair] + out
    return single[n] + out if n else out


@functools.cache
def _base91_pairs() -> tuple[tuple[str, ...], tuple[str, ...]]:
    """(every two-digit base-91 string by value, every digit), in genanki's alphabet."""
    from genanki.util import BASE91_TABLE

    table = tuple(BASE91_TABLE)
    return tuple(a + b for a in table for b in table), table
