"""Export a bank to an Anki package: ``export_bank`` (no printing; the CLI and the UI call it).

One deck per bank, a subdeck per topic ("Thermal rhizotomy::Indications"), one note type per
question type, one note per question. genanki is imported only inside the functions that use it.
"""

from __future__ import annotations

import sqlite3
import tempfile
from collections import Counter
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from trainer.bank.models import TYPE_TITLES, Bank, topic_title
from trainer.export.errors import ExportError
from trainer.export.escape import deck_component, text_html
from trainer.export.fields import NoteContent, note_content
from trainer.export.ids import deck_id, model_id, note_guid
from trainer.export.package_file import check_target, write_apkg
from trainer.export.selection import select_questions
from trainer.export.templates import CSS, NOTE_TYPES

Progress = Callable[[int, int], None]


@dataclass(frozen=True)
class ExportSummary:
    """What an export wrote."""

    path: Path
    notes_by_type: dict[str, int]
    cards: int
    decks: tuple[str, ...]
    size_bytes: int
    raw_size_bytes: int  # the collection before compression (what genanki would have stored)
    exported_at: datetime
    notes_by_deck: dict[str, int] = field(default_factory=dict)

    @property
    def notes(self) -> int:
        return sum(self.notes_by_type.values())

    def format(self) -> str:
        lines = [
            f"Exported {self.notes} notes ({self.cards} cards) to {self.path} "
            f"({human_size(self.size_bytes)})"
        ]
        for kind, count in self.notes_by_type.items():
            lines.append(f"  {TYPE_TITLES.get(kind, kind)}: {count}")
        lines.append("Decks:")
        lines.extend(f"  {name}: {count}" for name, count in self.notes_by_deck.items())
        return "\n".join(lines)


def human_size(n: int) -> str:
    if n < 1024:
        return f"{n} bytes"
    if n < 1024 * 1024:
        return f"{n / 1024:.1f} KB"
    return f"{n / (1024 * 1024):.1f} MB"


def bank_deck_name(bank: Bank) -> str:
    return deck_component(bank.title, bank.id)


def topic_deck_name(bank: Bank, topic: str) -> str:
    return f"{bank_deck_name(bank)}::{deck_component(topic_title(topic), topic)}"


def genanki_model(kind: str) -> Any:
    """The genanki.Model of a question type (fixed id, our own name, stem as sort field)."""
    import genanki

    spec = NOTE_TYPES[kind]
    return genanki.Model(
        model_id(kind),
        spec.name,
        fields=[{"name": name} for name in spec.fields],
        templates=[{"name": spec.template_name, "qfmt": spec.front, "afmt": spec.back}],
        css=CSS,
        model_type=genanki.Model.CLOZE if spec.is_cloze else genanki.Model.FRONT_BACK,
        sort_field_index=0,
    )


def build_decks(bank: Bank, contents: Iterable[NoteContent]) -> list[Any]:
    """genanki decks (the bank's deck first, then one per topic in bank order) holding the notes.

    Raises ExportError if genanki would give a note a different number of cards than it should have
    (a cloze note without deletions gets none, which Anki would drop silently).
    """
    import genanki

    models = {kind: genanki_model(kind) for kind in NOTE_TYPES}
    parent = genanki.Deck(
        deck_id(bank.id),
        bank_deck_name(bank),
        description=text_html(f"{bank.title} (version {bank.version}), exported by trainer"),
    )
    decks: dict[str, Any] = {}
    for content in contents:
        deck = decks.get(content.topic)
        if deck is None:
            deck = genanki.Deck(
                deck_id(bank.id, content.topic), topic_deck_name(bank, content.topic)
            )
            decks[content.topic] = deck
        note = genanki.Note(
            model=models[content.kind],
            fields=list(content.fields),
            tags=list(content.tags),
            guid=note_guid(bank.id, content.question_id),
        )
        if len(note.cards) != content.cards:
            raise ExportError(
                f"{content.question_id}: would make {len(note.cards)} Anki cards, "
                f"expected {content.cards}"
            )
        deck.add_model(note.model)
        deck.add_note(note)
    order = {t: i for i, t in enumerate(bank.topics)}
    topic_decks = [decks[t] for t in sorted(decks, key=lambda t: (order.get(t, len(order)), t))]
    return [parent, *topic_decks]


def write_collection(
    decks: Sequence[Any], db_path: Path, timestamp: float, progress: Progress | None = None
) -> None:
    """Write decks, note types, notes and cards to a new SQLite collection at ``db_path``.

    Every note's modification time is ``timestamp`` (whole seconds), so Anki's "update if newer"
    replaces notes from an older export. Done here rather than by ``genanki.Package.write_to_file``,
    which leaves its temporary database behind in the system temp folder and does not compress.
    """
    import itertools

    from genanki.apkg_col import APKG_COL
    from genanki.apkg_schema import APKG_SCHEMA

    total = sum(len(d.notes) for d in decks)
    done = 0
    id_gen = itertools.count(int(timestamp * 1000))
    conn = sqlite3.connect(db_path)
    try:
        cursor = conn.cursor()
        cursor.executescript(APKG_SCHEMA)
        cursor.executescript(APKG_COL)
        for deck in decks:
            notes, deck.notes = deck.notes, []
            try:
                deck.write_to_db(cursor, timestamp, id_gen)  # the deck and its note types
            finally:
                deck.notes = notes
            for note in notes:
                note.write_to_db(cursor, timestamp, deck.deck_id, id_gen)
                done += 1
                if progress is not None:
                    progress(done, total)
        conn.commit()
    finally:
        conn.close()


def export_bank(
    bank: Bank,
    out: Path,
    *,
    topics: Iterable[str] | None = None,
    types: Iterable[str] | None = None,
    now: datetime | None = None,
    progress: Progress | None = None,
    force: bool = False,
) -> ExportSummary:
    """Write the bank's non-retired questions (optionally some topics/types only) to ``out``.

    ``now`` (UTC-aware; default the current time) becomes every note's modification time.
    ``progress(done, total)`` is called as notes are written. An existing ``out`` is replaced only
    if it is an .apkg, unless ``force``. Raises ExportError with a user-facing message for an
    unknown topic or type, an empty selection, a target that may not be written, or a question
    that would make a broken note; OSError if writing fails.
    """
    out = Path(out)
    when = now if now is not None else datetime.now(UTC)
    if when.tzinfo is None:
        raise ValueError("now must be a timezone-aware datetime")
    questions = select_questions(bank, topics or (), types or ())
    check_target(out, force=force)
    contents = [note_content(bank, q) for q in questions]
    decks = build_decks(bank, contents)
    with tempfile.TemporaryDirectory(prefix="trainer-export-") as tmp:
        db_path = Path(tmp) / "collection.anki2"
        write_collection(decks, db_path, when.timestamp(), progress)
        raw_size = db_path.stat().st_size
        size = write_apkg(out, db_path)
    by_type = Counter(c.kind for c in contents)
    return ExportSummary(
        path=out,
        notes_by_type={k: by_type[k] for k in NOTE_TYPES if by_type[k]},
        cards=sum(c.cards for c in contents),
        decks=tuple(d.name for d in decks),
        size_bytes=size,
        raw_size_bytes=raw_size,
        exported_at=when,
        notes_by_deck={d.name: len(d.notes) for d in decks[1:]},
    )
