"""Export a bank to an Anki package: ``export_bank`` (no printing; the CLI and the UI call it).

One deck per bank, a subdeck per topic ("Thermal rhizotomy::Indications"), one note type per
question type, one note per question. genanki is imported only inside the functions that use it.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime
from operator import attrgetter
from pathlib import Path
from typing import Any

from trainer.bank.limits import fold
from trainer.bank.models import TYPE_TITLES, Bank, topic_title
from trainer.export.collection import CollectionNote, card_rule, collection_bytes
from trainer.export.errors import ExportError
from trainer.export.escape import deck_component, text_html
from trainer.export.fields import NoteContent, NoteMaker
from trainer.export.ids import deck_id, model_id, note_guid
from trainer.export.package_file import check_target, write_apkg
from trainer.export.selection import select_questions
from trainer.export.templates import CSS, NOTE_TYPES
from trainer.gcpause import gc_paused

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
    """The deck name of a topic (unique among the bank's topics: see DeckNames)."""
    return DeckNames(bank).name(topic)


class DeckNames:
    """Topic deck names, unique by construction as Anki compares them (case-insensitive).

    ``trainer check`` already refuses topics that differ only by case, Unicode form, spaces,
    '-' or '_'; names can still meet when ':' is collapsed ("a::b" and "a:b"). A later topic whose
    name is taken gets its key, then a number, appended. The bank's topics are named first, in
    bank order, so a name never depends on which topics an export selects.
    """

    def __init__(self, bank: Bank) -> None:
        self.parent = bank_deck_name(bank)
        self.names: dict[str, str] = {}
        self.used: set[str] = set()
        for topic in bank.topics:
            self.name(topic)

    def name(self, topic: str) -> str:
        known = self.names.get(topic)
        if known is not None:
            return known
        base = f"{self.parent}::{deck_component(topic_title(topic), topic)}"
        name, n = base, 1
        while fold(name) in self.used:
            n += 1
            suffix = deck_component(topic, "topic") if n == 2 else f"{n}"
            name = f"{base} ({suffix})"
        self.used.add(fold(name))
        self.names[topic] = name
        return name


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


def plan_decks(
    bank: Bank, contents: Iterable[NoteContent]
) -> list[tuple[Any, list[CollectionNote]]]:
    """The decks (the bank's deck first, then one per topic in bank order), each a genanki.Deck
    holding no notes, paired with its notes.

    Raises ExportError if a note would get a different number of cards than it should have (a
    cloze note without deletions gets none, which Anki would drop silently).
    """
    import genanki

    models = {kind: genanki_model(kind) for kind in NOTE_TYPES}
    rules = {kind: card_rule(model) for kind, model in models.items()}
    bank_id = bank.id
    parent = genanki.Deck(
        deck_id(bank.id),
        bank_deck_name(bank),
        description=text_html(f"{bank.title} (version {bank.version}), exported by trainer"),
    )
    groups: dict[str, tuple[Any, list[CollectionNote]]] = {}
    names = DeckNames(bank)
    for content in contents:
        group = groups.get(content.topic)
        if group is None:
            deck = genanki.Deck(deck_id(bank.id, content.topic), names.name(content.topic))
            group = groups[content.topic] = (deck, [])
        model = models[content.kind]
        ords = rules[content.kind](content.fields)
        if len(ords) != content.cards:
            raise ExportError(
                f"{content.question_id}: would make {len(ords)} Anki cards, "
                f"expected {content.cards}"
            )
        group[1].append(
            CollectionNote(
                note_guid(bank_id, content.question_id), model, content.fields, content.tags, ords
            )
        )
    order = {t: i for i, t in enumerate(bank.topics)}
    topics = sorted(groups, key=lambda t: (order.get(t, len(order)), t))
    return [(parent, []), *(groups[t] for t in topics)]


def build_decks(bank: Bank, contents: Iterable[NoteContent]) -> list[Any]:
    """The same decks as genanki objects holding ``genanki.Note`` objects, for genanki's own
    writer (``genanki.Package(decks).write_to_file``). ``export_bank`` does not make these.

    Raises ExportError as ``plan_decks`` does.
    """
    import genanki

    decks = []
    for deck, notes in plan_decks(bank, contents):
        for note in notes:
            deck.add_note(
                genanki.Note(
                    model=note.model, fields=list(note.fields), tags=list(note.tags), guid=note.guid
                )
            )
        decks.append(deck)
    return decks


def write_collection(
    decks: Sequence[Any], db_path: Path, timestamp: float, progress: Progress | None = None
) -> None:
    """Write genanki decks (holding ``genanki.Note`` objects, as ``build_decks`` makes them) to a
    new collection file at ``db_path``, as ``export_bank`` writes its collection.

    Every note's modification time is ``timestamp`` (whole seconds), so Anki's "update if newer"
    replaces notes from an older export.
    """
    groups = [
        (
            deck,
            [
                CollectionNote(
                    guid=n.guid,
                    model=n.model,
                    fields=n.fields,
                    tags=n.tags,
                    ords=[card.ord for card in n.cards],
                )
                for n in deck.notes
            ],
        )
        for deck in decks
    ]
    db_path.write_bytes(collection_bytes(groups, timestamp, progress))


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
    with gc_paused():
        maker = NoteMaker(bank)
        contents = [maker.content(q) for q in questions]
        decks = plan_decks(bank, contents)
        by_type = Counter(map(attrgetter("kind"), contents))
        cards = sum(map(attrgetter("cards"), contents))
        notes_by_deck = {deck.name: len(notes) for deck, notes in decks[1:]}
        deck_names = tuple(deck.name for deck, _ in decks)
        del contents, maker  # freed while the collector sleeps, so it wakes to little to scan
        collection = collection_bytes(decks, when.timestamp(), progress)
        del decks
        raw_size = len(collection)
        size = write_apkg(out, collection)
        del collection
    return ExportSummary(
        path=out,
        notes_by_type={k: by_type[k] for k in NOTE_TYPES if by_type[k]},
        cards=cards,
        decks=deck_names,
        size_bytes=size,
        raw_size_bytes=raw_size,
        exported_at=when,
        notes_by_deck=notes_by_deck,
    )
