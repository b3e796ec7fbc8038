"""The hostile banks that `trainer check` accepts, exported and opened with the real ``anki``
package: every card shows the bank's text literally (markup, actions, right-to-left letters,
joiners), and deck names stay unique in Anki's sense even when topics collapse to one name."""

from __future__ import annotations

import unicodedata
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pytest
from test_export_anki import cards_by_question, import_apkg, open_collection
from test_export_anki import visible as shown

from trainer.bank import load_bank
from trainer.bank.limits import fold
from trainer.bank.models import Bank
from trainer.export import export_bank
from trainer.export.anki import DeckNames, topic_deck_name

HOSTILE = Path(__file__).resolve().parents[1] / "data" / "hostile"
T0 = datetime(2026, 3, 1, 9, 30, tzinfo=UTC)


def nfc(text: str) -> str:
    """Anki stores note text NFC-normalised (its default), so compare in that form."""
    return unicodedata.normalize("NFC", text)


def exported(name: str, tmp_path: Path) -> tuple[Bank, Any]:
    bank, problems = load_bank(HOSTILE / name)
    assert bank is not None, [p.format() for p in problems]
    out = tmp_path / f"{name}.apkg"
    export_bank(bank, out, now=T0)
    col = open_collection(tmp_path / "collection.anki2")
    log = import_apkg(col, out)
    assert len(log.new) == len(bank.active_questions)
    return bank, col


def test_markup_and_actions_in_every_field_reach_anki_as_literal_text(tmp_path: Path) -> None:
    _, col = exported("markup-text", tmp_path)
    try:
        by_q = cards_by_question(col)
        single = by_q["mini-q-single"][0]
        front, back = shown(single.question()), shown(single.answer())
        assert "[@click=app.quit]Motor[/] stimulation [link=x]at 2 Hz[/link]" in front
        assert "[red]A twitch[/red] means a [/] motor root." in back
        assert "[i]Name[/i] the risks [/]." in shown(by_q["mini-q-multiple"][0].answer())
        assert "[bold]Numbness[/bold] resolves. a[/]b" in shown(
            by_q["mini-q-true-false"][0].question()
        )
        assert "Position the [b]patient[/b] prone" in shown(by_q["mini-q-order"][0].answer())
        assert "[b]stimulation[/b]" in shown(by_q["mini-q-cloze"][-1].answer())
        names = {d.name for d in col.decks.all_names_and_ids()}
        assert "[b]Mini[/b] a[/]b [@click=app.quit]bank[/]" in names
    finally:
        col.close()


@pytest.mark.parametrize(
    ("name", "title"),
    [
        ("topic-quit", "[@click=app.quit]quit[/]"),
        ("topic-unbalanced", "Risky a[/]b"),
        ("topic-shot", "[@click=app.screenshot('victim.txt','shot')]shot[/]"),
    ],
)
def test_markup_topics_are_literal_deck_names(name: str, title: str, tmp_path: Path) -> None:
    bank, col = exported(name, tmp_path)
    try:
        names = {d.name for d in col.decks.all_names_and_ids()}
        assert f"Mini bank::{title}" in names
        assert topic_deck_name(bank, bank.topics[0]) == f"Mini bank::{title}"
    finally:
        col.close()


def test_right_to_left_letters_marks_and_joiners_are_kept(tmp_path: Path) -> None:
    _, col = exported("rtl-ok", tmp_path)
    try:
        by_q = cards_by_question(col)
        front = shown(by_q["mini-q-single"][0].question())
        assert nfc("Motor \u0627\u0644\u0639\u0635\u0628\u200f stimulation, 2 Hz") in front
        stem = shown(by_q["mini-q-true-false"][0].question())
        assert nfc("Numbness (\U0001f469\u200d\u2695\ufe0f says) resolves; cafe\u0301.") in stem
        names = {d.name for d in col.decks.all_names_and_ids()}
        assert nfc("Mini \u05d1\u05e0\u05e7 bank::Ri\u200dsks") in names
    finally:
        col.close()


def test_topics_whose_deck_names_meet_get_unique_decks(tmp_path: Path) -> None:
    bank, col = exported("deck-colon", tmp_path)
    try:
        ours = {
            d.name: d.id for d in col.decks.all_names_and_ids() if d.name.startswith("Mini bank::")
        }
        assert set(ours) == {"Mini bank::A:b", "Mini bank::A:b (a:b)"}
        assert len({fold(n) for n in ours}) == 2
        counts = {name: len(col.find_cards(f"did:{did}")) for name, did in ours.items()}
        expected_first = sum(1 for q in bank.active_questions if bank.topic_of(q) == "a::b")
        assert counts["Mini bank::A:b"] == expected_first + 1  # the cloze has two cards
        assert counts["Mini bank::A:b (a:b)"] == 2  # the multiple and the true/false
    finally:
        col.close()


def test_deck_names_are_unique_whatever_the_topics() -> None:
    bank, _ = load_bank(HOSTILE / "deck-colon")
    assert bank is not None
    names = DeckNames(bank)
    for topic in ["A::B", "a: b", "a:B", "a::b", "A:b (a:b)", "a:b"]:
        names.name(topic)
    folded = [fold(n) for n in names.names.values()]
    assert len(folded) == len(set(folded))
    assert names.name("a::b") == "Mini bank::A:b"  # the bank's own topics come first, as before
