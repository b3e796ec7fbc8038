"""A later export updates a student's collection in place, checked with the real ``anki`` package.

``tests/data/export/v1/mini-v1.apkg`` is the mini bank as exported before the cards had scripts
(see the README beside it). A student imports it and reviews a card; then imports today's export
of the same bank, the way the desktop app imports by default (update notes and note types if
newer, no merging). The note types must be updated in place (new templates and CSS, same ids and
fields, no "+" copy), the notes updated without conflicts, and the cards and their history kept.
"""

from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest

from trainer.bank import load_bank
from trainer.export import export_bank
from trainer.export.card_script import SCRIPT
from trainer.export.templates import CSS, NOTE_TYPES

anki_collection = pytest.importorskip("anki.collection")
import_export_pb2 = pytest.importorskip("anki.import_export_pb2")

DATA = Path(__file__).resolve().parent.parent / "data"
OLD_EXPORT = DATA / "export" / "v1" / "mini-v1.apkg"
OLD_TIME = datetime(2026, 3, 1, 9, 30, tzinfo=UTC)  # when OLD_EXPORT was made


def import_apkg(col: Any, apkg: Path) -> Any:
    """Import as Anki desktop does by default: update notes and note types if newer."""
    cond = import_export_pb2.ImportAnkiPackageUpdateCondition
    options = anki_collection.ImportAnkiPackageOptions(
        merge_notetypes=False,
        update_notes=cond.IMPORT_ANKI_PACKAGE_UPDATE_CONDITION_IF_NEWER,
        update_notetypes=cond.IMPORT_ANKI_PACKAGE_UPDATE_CONDITION_IF_NEWER,
        with_scheduling=False,
        with_deck_configs=False,
    )
    request = anki_collection.ImportAnkiPackageRequest(package_path=str(apkg), options=options)
    return col.import_anki_package(request).log


def ours(col: Any) -> dict[int, Any]:
    """Our note types as the collection holds them (not as the Python side cached them)."""
    col.models._clear_cache()
    return {m["id"]: m for m in col.models.all() if m["name"].startswith("trainer")}


@pytest.fixture
def student(tmp_path: Path) -> Iterator[tuple[Any, Any]]:
    """A collection holding the old export, with one card of it reviewed."""
    col = anki_collection.Collection(str(tmp_path / "collection.anki2"))
    log = import_apkg(col, OLD_EXPORT)
    assert len(log.new) == 6
    single = next(
        col.get_card(cid)
        for cid in col.find_cards("")
        if col.get_card(cid).note()["QuestionId"] == "mini-q-single"
    )
    single.start_timer()
    col.sched.answerCard(single, 3)
    yield col, single
    col.close()


def test_the_old_export_has_the_old_templates(student: tuple[Any, Any]) -> None:
    col, _ = student
    models = ours(col)
    assert len(models) == len(NOTE_TYPES)
    for model in models.values():
        assert "<script" not in model["tmpls"][0]["qfmt"]
        assert model["css"] != CSS


def test_a_new_export_updates_note_types_notes_and_keeps_history(
    student: tuple[Any, Any], tmp_path: Path
) -> None:
    col, reviewed = student
    before_models = {
        mid: (m["name"], [f["name"] for f in m["flds"]]) for mid, m in ours(col).items()
    }
    before_cards = {cid: col.get_card(cid) for cid in col.find_cards("")}
    before_notes = set(col.find_notes(""))
    revlog = col.db.list("select id from revlog where cid = ?", reviewed.id)
    assert len(revlog) == 1

    bank, _ = load_bank(DATA / "mini")
    assert bank is not None
    new = tmp_path / "new.apkg"
    export_bank(bank, new, now=OLD_TIME + timedelta(days=30))
    log = import_apkg(col, new)

    for bad in ("new", "conflicting", "missing_notetype", "missing_deck", "first_field_match"):
        assert len(getattr(log, bad)) == 0, bad
    assert len(log.updated) == 6
    # The same note types, updated in place: no "+" copy, same ids, names and fields.
    after = ours(col)
    assert {mid: (m["name"], [f["name"] for f in m["flds"]]) for mid, m in after.items()} == (
        before_models
    )
    assert not [m["name"] for m in col.models.all() if "+" in m["name"]]
    by_name = {m["name"]: m for m in after.values()}
    for spec in NOTE_TYPES.values():
        model = by_name[spec.name]
        assert model["tmpls"][0]["qfmt"] == spec.front
        assert model["tmpls"][0]["afmt"] == spec.back
        assert model["css"] == CSS
    # The same notes and cards, with their scheduling and history.
    assert set(col.find_notes("")) == before_notes
    for cid, card in before_cards.items():
        now = col.get_card(cid)
        assert (now.nid, now.ord, now.did, now.type, now.queue, now.due, now.ivl) == (
            card.nid,
            card.ord,
            card.did,
            card.type,
            card.queue,
            card.due,
            card.ivl,
        )
    assert col.db.list("select id from revlog where cid = ?", reviewed.id) == revlog
    # The updated cards render with the new templates.
    assert SCRIPT in col.get_card(reviewed.id).question()
    assert 'data-side="back"' in col.get_card(reviewed.id).answer()

    # Importing the new export again changes nothing.
    again = import_apkg(col, new)
    assert len(again.new) == len(again.updated) == 0
    assert len(again.duplicate) == 6
