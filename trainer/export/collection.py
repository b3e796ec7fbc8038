"""The SQLite collection inside an .apkg, written straight from rows into an in-memory database.

``genanki.Package.write_to_file`` makes a ``genanki.Note`` per note and inserts its note and cards
one statement at a time into a database file with full durability (several fsyncs), which the zip
then reads back. Here the same rows (the same ids in the same order, GUIDs, fields, tags and card
ords, by genanki's own rules) go in with ``executemany`` into a database in memory, serialised to
bytes for the zip: no temporary file, no fsync on a scratch copy. genanki still writes the schema,
the decks and the note types (a handful of rows), so those are exactly what genanki writes.
tests/unit/test_export_collection.py checks the rows against genanki's own writer.
"""

from __future__ import annotations

import itertools
import re
import sqlite3
from collections.abc import Callable, Iterator, Sequence
from typing import Any, NamedTuple

Progress = Callable[[int, int], None]

# genanki's rows with its constants written into the statement (fewer values to bind per row):
# usn -1; csum, flags 0, data "" for a note; type, queue, due, ivl, factor, reps, lapses, left,
# odue, odid, flags 0, data "" for a card.
NOTE_SQL = "INSERT INTO notes VALUES(?,?,?,?,-1,?,?,?,0,0,'')"
CARD_SQL = "INSERT INTO cards VALUES(?,?,?,?,?,-1,0,0,0,0,0,0,0,0,0,0,0,'')"
# genanki's patterns (genanki/note.py, 0.13.1) for the cloze fields of a template and the
# deletions in a field.
_CLOZE_FIELDS = (re.compile(r"{{[^}]*?cloze:(?:[^}]?:)*(.+?)}}"), re.compile(r"<%cloze:(.+?)%>"))
_DELETION = re.compile(r"{{c(\d+)::.+?}}", re.DOTALL)


class CollectionNote(NamedTuple):
    """One note as it goes into the collection."""

    guid: str
    model: Any  # genanki.Model
    fields: Sequence[str]
    tags: Sequence[str]
    ords: Sequence[int]  # the card ords (see card_ords)


CardRule = Callable[[Sequence[str]], list[int]]


def card_rule(model: Any) -> CardRule:
    """``rule(fields)``: the ords of the cards a note of ``model`` makes, by genanki's rules
    (``genanki.Note(model, fields).cards``, genanki/note.py 0.13.1), worked out once per model.

    A front/back note makes a card for each template whose required fields (``model._req``) are
    filled; a cloze note one per distinct deletion number in its cloze fields.
    """
    if model.model_type == model.CLOZE:
        qfmt = model.templates[0]["qfmt"]
        names = set(_CLOZE_FIELDS[0].findall(qfmt) + _CLOZE_FIELDS[1].findall(qfmt))
        indexes = [
            next((i for i, f in enumerate(model.fields) if f["name"] == name), -1) for name in names
        ]

        def cloze(fields: Sequence[str]) -> list[int]:
            ords: set[int] = set()
            for index in indexes:
                value = fields[index] if index >= 0 else ""
                ords.update(int(m) - 1 for m in _DELETION.findall(value) if int(m) > 0)
            return list(ords)  # genanki's order: the set's

        return cloze

    req = [
        (card_ord, any if any_or_all == "any" else all, tuple(fields))
        for card_ord, any_or_all, fields in model._req
    ]

    def front_back(fields: Sequence[str]) -> list[int]:
        get = fields.__getitem__
        return [card_ord for card_ord, op, required in req if op(map(get, required))]

    return front_back


def card_ords(model: Any, fields: Sequence[str]) -> list[int]:
    """The ords of the cards a note makes: ``genanki.Note(model, fields).cards`` (see card_rule)."""
    return card_rule(model)(fields)


def _reporting(rows: list[tuple[Any, ...]], progress: Progress | None) -> Iterator[tuple[Any, ...]]:
    """The rows, calling ``progress(done, total)`` as each one has been inserted."""
    total = len(rows)
    for done, row in enumerate(rows, start=1):
        yield row
        if progress is not None:
            progress(done, total)


def collection_bytes(
    decks: Sequence[tuple[Any, Sequence[CollectionNote]]],
    timestamp: float,
    progress: Progress | None = None,
) -> bytes:
    """An Anki collection (SQLite file contents) holding the decks and their notes, in order.

    ``decks`` pairs each ``genanki.Deck`` with its notes (any ``genanki.Note`` objects the deck
    holds are left out: the notes written are the ones paired with it).
    Ids count up from ``timestamp`` in milliseconds, a note's id followed by its cards' ids, as
    genanki numbers them; every note and card is modified at ``timestamp`` (whole seconds).
    ``progress(done, total)`` is called as notes are written.
    """
    from genanki.apkg_col import APKG_COL
    from genanki.apkg_schema import APKG_SCHEMA

    id_gen = itertools.count(int(timestamp * 1000))
    mod = int(timestamp)
    note_rows: list[tuple[Any, ...]] = []
    card_rows: list[tuple[Any, ...]] = []
    conn = sqlite3.connect(":memory:")
    try:
        cursor = conn.cursor()
        cursor.executescript(APKG_SCHEMA)
        cursor.executescript(APKG_COL)
        for deck, notes in decks:
            for model in {id(n.model): n.model for n in notes}.values():
                deck.add_model(model)
            kept, deck.notes = deck.notes, []
            try:
                deck.write_to_db(cursor, timestamp, id_gen)  # the deck and its note types
            finally:
                deck.notes = kept
            if not notes:
                continue
            # genanki numbers a note, then its cards, then the next note: the id of each note
            # is where the count stands after the notes and cards before it.
            start = next(id_gen)
            nids = list(itertools.accumulate((1 + len(n.ords) for n in notes[:-1]), initial=start))
            note_rows += [
                (
                    nid,
                    n.guid,
                    n.model.model_id,
                    mod,
                    f" {' '.join(n.tags)} ",
                    "\x1f".join(n.fields),
                    n.fields[n.model.sort_field_index],
                )
                for nid, n in zip(nids, notes, strict=True)
            ]
            did = deck.deck_id
            card_rows += [
                (nid + k, nid, did, card_ord, mod)
                for nid, n in zip(nids, notes, strict=True)
                for k, card_ord in enumerate(n.ords, start=1)
            ]
            id_gen = itertools.count(nids[-1] + 1 + len(notes[-1].ords))
        cursor.executemany(
            NOTE_SQL, note_rows if progress is None else _reporting(note_rows, progress)
        )
        cursor.executemany(CARD_SQL, card_rows)
        conn.commit()
        return conn.serialize()
    finally:
        conn.close()
