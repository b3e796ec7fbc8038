"""Stable identifiers for what we put in Anki: note types, decks and notes.

Anki keys note types and decks by integer id and notes by GUID. All three are derived from fixed
names (never random, never the export time) so re-exporting updates what the user already has.
"""

from __future__ import annotations

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
    """The Anki GUID of a question: genanki.guid_for("trainer", bank id, question id)."""
    import genanki

    guid: str = genanki.guid_for("trainer", bank_id, question_id)
    return guid
