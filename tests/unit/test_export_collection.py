"""The collection written straight from rows is the one genanki's own writer makes.

``export_bank`` no longer makes ``genanki.Note`` objects: it writes the rows itself (collection.py)
and works out card ords by genanki's rules (card_rule). These tests compare both with genanki 0.13.1
doing the work, row for row, so the speed-up cannot drift from what genanki (and Anki) expect.
"""

from __future__ import annotations

import gc
import itertools
import sqlite3
import warnings
from dataclasses import replace
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from trainer.bank import load_bank
from trainer.bank.models import Bank
from trainer.export import ExportError, export_bank
from trainer.export.anki import build_decks, genanki_model, plan_decks, write_collection
from trainer.export.collection import card_rule, collection_bytes
from trainer.export.fields import NoteMaker, note_content
from trainer.export.templates import NOTE_TYPES
from trainer.paths import bundled_bank

DATA = Path(__file__).resolve().parent.parent / "data"
BANKS = {
    "mini": DATA / "mini",
    "hostile": DATA / "export" / "hostile",
    "bundled": bundled_bank(),
}
T0 = datetime(2026, 3, 1, 9, 30, tzinfo=UTC)
TABLES = ("col", "notes", "cards", "revlog", "graves")


def load(path: Path) -> Bank:
    if not path.exists():
        pytest.skip(f"no bank at {path}")
    bank, problems = load_bank(path)
    assert bank is not None, [p.format() for p in problems]
    return bank


def dump(db: Path) -> dict[str, Any]:
    conn = sqlite3.connect(db)
    try:
        out: dict[str, Any] = {
            t: conn.execute(f"select * from {t} order by rowid").fetchall() for t in TABLES
        }
        out["schema"] = conn.execute(
            "select type, name, tbl_name, sql from sqlite_master order by name"
        ).fetchall()
        return out
    finally:
        conn.close()


def genanki_collection(bank: Bank, db: Path, timestamp: float) -> None:
    """What genanki.Package.write_to_file puts in its zip, written by genanki itself (every
    warning an error: genanki warns about invalid HTML in a field)."""
    import genanki

    contents = [note_content(bank, q) for q in bank.active_questions]
    conn = sqlite3.connect(db)
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("error")
            genanki.Package(build_decks(bank, contents)).write_to_db(
                conn.cursor(), timestamp, itertools.count(int(timestamp * 1000))
            )
        conn.commit()
    finally:
        conn.close()


@pytest.mark.parametrize("name", sorted(BANKS))
def test_rows_are_genankis(name: str, tmp_path: Path) -> None:
    bank = load(BANKS[name])
    theirs = tmp_path / "genanki.anki2"
    genanki_collection(bank, theirs, T0.timestamp())

    maker = NoteMaker(bank)
    decks = plan_decks(bank, [maker.content(q) for q in bank.active_questions])
    ours = tmp_path / "ours.anki2"
    ours.write_bytes(collection_bytes(decks, T0.timestamp()))

    expected, got = dump(theirs), dump(ours)
    assert len(got["notes"]) == len(bank.active_questions)
    for key in expected:
        assert got[key] == expected[key], key


def test_write_collection_of_genanki_decks_is_genankis(tmp_path: Path) -> None:
    bank = load(BANKS["mini"])
    theirs = tmp_path / "genanki.anki2"
    genanki_collection(bank, theirs, T0.timestamp())
    decks = build_decks(bank, [note_content(bank, q) for q in bank.active_questions])
    ours = tmp_path / "ours.anki2"
    write_collection(decks, ours, T0.timestamp())
    assert dump(ours) == dump(theirs)
    assert sum(len(d.notes) for d in decks) == 6  # the decks keep their notes


def test_exported_package_holds_genankis_rows(tmp_path: Path) -> None:
    import zipfile

    bank = load(BANKS["hostile"])
    out = tmp_path / "h.apkg"
    summary = export_bank(bank, out, now=T0)
    with zipfile.ZipFile(out) as zf:
        (tmp_path / "ours.anki2").write_bytes(zf.read("collection.anki2"))
    genanki_collection(bank, tmp_path / "genanki.anki2", T0.timestamp())
    assert dump(tmp_path / "ours.anki2") == dump(tmp_path / "genanki.anki2")
    assert summary.raw_size_bytes == (tmp_path / "ours.anki2").stat().st_size


# -- card ords -------------------------------------------------------------------------------------

_field_text = st.text(alphabet="ab{}:c1230 ", max_size=30)


@settings(max_examples=300, deadline=None)
@given(kind=st.sampled_from(sorted(NOTE_TYPES)), data=st.data())
def test_card_rule_is_genankis(kind: str, data: st.DataObject) -> None:
    import genanki

    model = genanki_model(kind)
    fields = data.draw(
        st.lists(_field_text, min_size=len(model.fields), max_size=len(model.fields))
    )
    if kind == "cloze":
        numbers = data.draw(st.lists(st.integers(0, 12), max_size=5))
        fields[0] += "".join(f" {{{{c{n}::x{n}}}}}" for n in numbers)
    expected = [card.ord for card in genanki.Note(model=model, fields=fields).cards]
    assert card_rule(model)(fields) == expected


def test_card_rule_refuses_a_cloze_without_deletions_as_genanki_would() -> None:
    model = genanki_model("cloze")
    assert card_rule(model)(["no deletion", *[""] * 7]) == []
    assert card_rule(model)(["{{c2::b}} {{c1::a}} {{c2::c}}", *[""] * 7]) == [0, 1]


def test_a_note_that_would_lose_its_cards_stops_the_export(tmp_path: Path) -> None:
    """The cards check still runs without genanki.Note: a cloze whose deletions vanish."""
    bank = load(BANKS["mini"])
    maker = NoteMaker(bank)
    contents = [maker.content(q) for q in bank.active_questions]
    broken = [
        replace(c, fields=("plain text", *c.fields[1:])) if c.kind == "cloze" else c
        for c in contents
    ]
    with pytest.raises(ExportError, match=r"mini-q-cloze: would make 0 Anki cards, expected 2"):
        plan_decks(bank, broken)


# -- the paused collector ------------------------------------------------------------------------


def test_export_leaves_the_garbage_collector_as_it_found_it(tmp_path: Path) -> None:
    bank = load(BANKS["mini"])
    assert gc.isenabled()
    export_bank(bank, tmp_path / "a.apkg", now=T0)
    assert gc.isenabled()
    with pytest.raises(ExportError):
        export_bank(bank, tmp_path / "no-such-dir" / "b.apkg", now=T0)
    assert gc.isenabled()
    broken = replace(
        bank,
        questions=tuple(
            replace(q, stem="No blanks here.") if q.type == "cloze" else q for q in bank.questions
        ),
    )
    with pytest.raises(ExportError, match="blanks"):  # raised while the collector is paused
        export_bank(broken, tmp_path / "c.apkg", now=T0)
    assert gc.isenabled()
    gc.disable()
    try:
        export_bank(bank, tmp_path / "d.apkg", now=T0)
        assert not gc.isenabled()
    finally:
        gc.enable()
