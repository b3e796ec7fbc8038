"""Export banks with genanki and open the result with the real ``anki`` package.

Each test imports an exported .apkg into a fresh Anki collection in tmp_path, the way the desktop
app does (update notes and note types "if newer"), and checks what Anki made of it: notes, cards,
rendered card text, decks, tags, and what re-importing does.
"""

from __future__ import annotations

import re
import shutil
import warnings
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from html import unescape
from html.parser import HTMLParser
from pathlib import Path
from typing import Any

import pytest

from trainer.bank import load_bank
from trainer.bank.models import TYPE_TITLES, Bank, topic_title
from trainer.export import export_bank
from trainer.export.anki import topic_deck_name
from trainer.export.card_script import SCRIPT
from trainer.export.escape import tag_component
from trainer.export.templates import SCRIPTED
from trainer.paths import bundled_bank

anki_collection = pytest.importorskip("anki.collection")
import_export_pb2 = pytest.importorskip("anki.import_export_pb2")

DATA = Path(__file__).resolve().parent.parent / "data"
MINI = DATA / "mini"
HOSTILE = DATA / "export" / "hostile"
T0 = datetime(2026, 3, 1, 9, 30, tzinfo=UTC)
CARD_SCRIPT = SCRIPT.removeprefix("<script>").removesuffix("</script>")

# The only markup that may reach a rendered card: what our templates and fields write.
OUR_TAGS = {"div", "span", "ol", "li", "hr", "br", "style", "button", "script"}
# Markup inside a field: only these elements, with at most a class attribute (and the position of
# an ordering step in the shown list).
OUR_MARKUP = re.compile(r'</?(div|span|ol|li|br)( class="[a-z -]+")?( data-shown="\d+")?>')


# -- helpers -------------------------------------------------------------------------------------


class _Html(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.tags: list[tuple[str, list[tuple[str, str | None]]]] = []
        self.text: list[str] = []
        self._in_style = False
        self.scripts: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.tags.append((tag, attrs))
        self._in_style = tag in ("style", "script")
        if tag == "script":
            self.scripts.append("")

    def handle_startendtag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.tags.append((tag, attrs))

    def handle_endtag(self, tag: str) -> None:
        if tag in ("style", "script"):
            self._in_style = False

    def handle_data(self, data: str) -> None:
        if not self._in_style:
            self.text.append(data)
        elif self.scripts and self.tags[-1][0] == "script":
            self.scripts[-1] += data


def parse(rendered: str) -> _Html:
    parser = _Html()
    parser.feed(rendered)
    parser.close()
    return parser


def visible(rendered: str) -> str:
    """What a rendered card shows, as text, whitespace collapsed."""
    return " ".join("".join(parse(rendered).text).split())


def load(path: Path) -> Bank:
    bank, problems = load_bank(path)
    errors = [p.format() for p in problems if p.severity == "error"]
    assert bank is not None, errors
    return bank


def open_collection(path: Path) -> Any:
    return anki_collection.Collection(str(path))


def import_apkg(col: Any, apkg: Path) -> Any:
    """Import like the desktop's defaults: update notes and note types if newer. Returns the log."""
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


def export_quietly(bank: Bank, out: Path, **kwargs: Any) -> Any:
    """Export with every warning an error (genanki warns about invalid HTML in fields)."""
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        return export_bank(bank, out, **kwargs)


def cards_by_question(col: Any) -> dict[str, list[Any]]:
    """Our cards, keyed by the QuestionId field of their note."""
    out: dict[str, list[Any]] = {}
    for cid in col.find_cards(""):
        card = col.get_card(cid)
        out.setdefault(unescape(card.note()["QuestionId"]), []).append(card)
    for cards in out.values():
        cards.sort(key=lambda c: c.ord)
    return out


def check_collection_matches(col: Any, bank: Bank) -> None:
    """The checks every exported bank must pass once imported into Anki."""
    active = bank.active_questions
    assert col.note_count() == len(active)
    by_q = cards_by_question(col)
    assert set(by_q) == {q.id for q in active}
    for q in active:
        cards = by_q[q.id]
        expected_cards = len(q.blanks) if q.type == "cloze" else 1
        assert [c.ord for c in cards] == list(range(expected_cards)), q.id
        note = cards[0].note()
        assert note.note_type()["name"] == f"trainer: {TYPE_TITLES[q.type]}"
        topic = bank.topic_of(q)
        assert col.decks.name(cards[0].did) == topic_deck_name(bank, topic)
        assert f"trainer::{tag_component(bank.id)}::{tag_component(topic)}" in note.tags
        tags = set(note.tags)
        assert f"trainer::type::{q.type}" in tags
        assert {f"trainer::objective::{o}" for o in q.objectives} <= tags
        assert all(" " not in t for t in tags)
        for card in cards:
            front, back = card.question(), card.answer()
            assert visible(front), f"{q.id}: blank front"
            assert visible(back), f"{q.id}: blank back"
            for side in (parse(front), parse(back)):
                for tag, attrs in side.tags:
                    assert tag in OUR_TAGS, (q.id, tag)
                    assert not any(name.startswith("on") for name, _ in attrs), (q.id, tag)
                # The only script is ours, whole, and only on the kinds that have one.
                ours = [CARD_SCRIPT] if q.type in SCRIPTED else []
                assert side.scripts == ours, q.id
            if q.type == "cloze":
                assert "[...]" in visible(front)
                assert "[...]" not in visible(back)


# -- the mini bank: one question of each type ------------------------------------------------------


@pytest.fixture(scope="module")
def mini_export(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[Bank, Path, Any]]:
    tmp = tmp_path_factory.mktemp("mini-export")
    bank = load(MINI)
    out = tmp / "mini.apkg"
    summary = export_quietly(bank, out, now=T0)
    assert summary.notes == len(bank.active_questions)
    col = open_collection(tmp / "collection.anki2")
    log = import_apkg(col, out)
    assert len(log.new) == len(bank.active_questions)
    yield bank, out, col
    col.close()


def test_mini_bank_imports_with_a_note_per_question(mini_export: tuple[Bank, Path, Any]) -> None:
    bank, _, col = mini_export
    check_collection_matches(col, bank)
    assert {q.type for q in bank.active_questions} == set(TYPE_TITLES)


def test_mini_decks_are_bank_and_topic(mini_export: tuple[Bank, Path, Any]) -> None:
    _, _, col = mini_export
    names = {d.name for d in col.decks.all_names_and_ids()}
    assert {"Mini bank", "Mini bank::Procedure", "Mini bank::Risks"} <= names
    single = cards_by_question(col)["mini-q-single"][0]
    assert col.decks.name(single.did) == "Mini bank::Procedure"


def test_mini_tags(mini_export: tuple[Bank, Path, Any]) -> None:
    _, _, col = mini_export
    note = cards_by_question(col)["mini-q-single"][0].note()
    assert sorted(note.tags) == [
        "trainer::mini::procedure",
        "trainer::objective::mini-o-guidance",
        "trainer::tag::stimulation",
        "trainer::type::single",
    ]


def test_note_types_have_fixed_fields_and_stem_sort_field(
    mini_export: tuple[Bank, Path, Any],
) -> None:
    _, _, col = mini_export
    ours = {m["name"]: m for m in col.models.all() if m["name"].startswith("trainer: ")}
    assert set(ours) == {f"trainer: {t}" for t in TYPE_TITLES.values()}
    shared = ["Explanation", "Objective", "Source", "QuestionId", "Topic", "Extra"]
    for model in ours.values():
        names = [f["name"] for f in model["flds"]]
        assert names[-6:] == shared, model["name"]
        assert model["sortf"] == 0
        assert names[0] in ("Stem", "Text")
    assert ours["trainer: Cloze"]["type"] == 1  # Anki's cloze note type
    assert "Basic" not in ours and "Cloze" not in ours
    # The sort field Anki stores is the stem's text.
    single = cards_by_question(col)["mini-q-single"][0].note()
    sfld = col.db.scalar("select sfld from notes where id = ?", single.id)
    assert sfld.startswith("A 58-year-old man is on the table")


def test_choice_cards_mark_the_answer_in_words(mini_export: tuple[Bank, Path, Any]) -> None:
    bank, _, col = mini_export
    by_q = cards_by_question(col)
    single = by_q["mini-q-single"][0]
    front, back = visible(single.question()), visible(single.answer())
    assert "A. Motor stimulation at about 2 Hz" in front
    assert "D. An ultrasound scan of the kidneys" in front
    assert "Correct" not in front and "Incorrect" not in front
    assert "Correct answer: A" in back
    assert "watching for a leg twitch ✓ Correct" in back
    assert "outline the epidural space ✗ Incorrect" in back
    for option in bank.question("mini-q-single").options:
        assert option.why in back
    assert bank.question("mini-q-single").explanation in back

    multiple = visible(by_q["mini-q-multiple"][0].answer())
    assert "Correct answers: A, B" in multiple
    assert multiple.count("✓ Correct") == 2 and multiple.count("✗ Incorrect") == 2

    tf_front = visible(by_q["mini-q-true-false"][0].question())
    tf_back = visible(by_q["mini-q-true-false"][0].answer())
    assert "A. True" in tf_front and "B. False" in tf_front
    assert "The statement is true." in tf_back
    assert "A. True ✓ Correct" in tf_back and "B. False ✗ Incorrect" in tf_back


def test_order_card_shows_steps_shuffled_and_back_in_order(
    mini_export: tuple[Bank, Path, Any],
) -> None:
    bank, _, col = mini_export
    steps = bank.question("mini-q-order").steps
    card = cards_by_question(col)["mini-q-order"][0]
    front, back = visible(card.question()), visible(card.answer())
    shown = [front.index(s) for s in steps]
    assert shown != sorted(shown), "the front shows the steps in the right order"
    in_back = [back.index(s) for s in steps]
    assert in_back == sorted(in_back)
    assert "1. Position the patient prone" in back


def test_cloze_has_a_card_per_blank_and_alternatives(mini_export: tuple[Bank, Path, Any]) -> None:
    _, _, col = mini_export
    first, second = cards_by_question(col)["mini-q-cloze"]
    assert "Needles are placed under [...] guidance, then tested with stimulation" in visible(
        first.question()
    )
    assert "under fluoroscopic guidance, then tested with [...]" in visible(second.question())
    back = visible(first.answer())
    assert "under fluoroscopic guidance" in back
    assert "Also accepted for blank 1 (fluoroscopic): fluoroscopy, x-ray" in back
    assert "{{c1::fluoroscopic}}" in first.note()["Text"]


def test_recall_front_prompt_back_model_answer(mini_export: tuple[Bank, Path, Any]) -> None:
    bank, _, col = mini_export
    q = bank.question("mini-q-recall")
    card = cards_by_question(col)["mini-q-recall"][0]
    assert q.stem in visible(card.question())
    assert q.model_answer not in visible(card.question())
    assert f"Model answer: {q.model_answer}" in visible(card.answer())


def test_reimporting_the_same_file_adds_nothing(mini_export: tuple[Bank, Path, Any]) -> None:
    bank, out, col = mini_export
    before = (col.note_count(), col.card_count())
    log = import_apkg(col, out)
    assert len(log.new) == 0
    assert len(log.updated) == 0
    assert len(log.duplicate) == len(bank.active_questions)
    assert (col.note_count(), col.card_count()) == before


def test_reexport_after_edit_updates_the_note(tmp_path: Path) -> None:
    bank_dir = tmp_path / "bank"
    shutil.copytree(MINI, bank_dir)
    col = open_collection(tmp_path / "collection.anki2")
    try:
        first = tmp_path / "first.apkg"
        export_quietly(load(bank_dir), first, now=T0)
        assert len(import_apkg(col, first).new) == 6
        tf = cards_by_question(col)["mini-q-true-false"][0].note()
        ids_before = set(col.find_notes(""))

        toml = bank_dir / "bank.toml"
        old = "Temporary numbness after thermal rhizotomy"
        assert old in toml.read_text()
        toml.write_text(
            toml.read_text().replace(old, "Short-lived numbness after thermal rhizotomy")
        )
        second = tmp_path / "second.apkg"
        export_quietly(load(bank_dir), second, now=T0 + timedelta(minutes=5))
        log = import_apkg(col, second)

        assert len(log.new) == 0
        assert tf.id in {n.id.nid for n in log.updated}
        assert set(col.find_notes("")) == ids_before
        edited = col.get_note(tf.id)
        assert edited["Stem"].startswith("Short-lived numbness after")
        assert col.note_count() == 6 and col.card_count() == 7
        assert col.db.scalar("select mod from notes where id = ?", tf.id) == int(
            (T0 + timedelta(minutes=5)).timestamp()
        )
    finally:
        col.close()


def test_topic_and_type_filters(tmp_path: Path) -> None:
    bank = load(MINI)
    out = tmp_path / "risks.apkg"
    summary = export_quietly(bank, out, topics=["risks"], types=["multiple", "true-false"], now=T0)
    assert summary.notes_by_type == {"multiple": 1, "true_false": 1}
    col = open_collection(tmp_path / "collection.anki2")
    try:
        import_apkg(col, out)
        assert set(cards_by_question(col)) == {"mini-q-multiple", "mini-q-true-false"}
    finally:
        col.close()


# -- hostile text --------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def hostile(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[Bank, Any, Any]]:
    tmp = tmp_path_factory.mktemp("hostile-export")
    bank = load(HOSTILE)
    out = tmp / "hostile.apkg"
    export_quietly(bank, out, now=T0)
    col = open_collection(tmp / "collection.anki2")
    log = import_apkg(col, out)
    yield bank, col, log
    col.close()


def test_hostile_bank_imports_cleanly(hostile: tuple[Bank, Any, Any]) -> None:
    bank, col, log = hostile
    assert len(log.new) == len(bank.active_questions)
    for bad in ("conflicting", "missing_notetype", "missing_deck", "empty_first_field"):
        assert len(getattr(log, bad)) == 0, bad
    check_collection_matches(col, bank)


def test_hostile_text_is_shown_as_typed(hostile: tuple[Bank, Any, Any]) -> None:
    bank, col, _ = hostile
    by_q = cards_by_question(col)
    single = by_q["h-q-single"][0]
    front, back = visible(single.question()), visible(single.answer())
    for typed in (
        "<script>alert('stem')</script>",
        "<img src=x onerror=alert('img')>",
        "{{c1::fake cloze}}",
        "{{FrontSide}}",
        "[sound:evil.mp3]",
        "&amp; done?",
        "<b onmouseover=alert('opt')>Bold</b>",
        "An option ending in }}",
        "[latex]x^2[/latex]",
    ):
        assert typed in front, typed
    assert "Why with {{Answer}} and <script>x()</script>" in back
    assert "<iframe src=javascript:alert(1)></iframe> and }} {{" in back
    assert "Objective with <script>alert('objective')</script> and {{Objective}}" in back
    assert "Notes <b>bold</b> & {{Source}}, S1 (A reference with <i>markup</i>" in back
    assert single.question_av_tags() == [] and single.answer_av_tags() == []
    # The line break in the stem is kept.
    assert "<br>" in single.note()["Stem"]

    recall = by_q["h-q-recall"][0]
    assert "What does {{ModelAnswer}} show?" in visible(recall.question())
    assert "<img src=x onerror=alert('recall')> and {{Stem}}" in visible(recall.answer())
    order = visible(by_q["h-q-order"][0].answer())
    for step in bank.question("h-q-order").steps:
        assert step in order


def test_hostile_fields_hold_no_markup_or_template_syntax(hostile: tuple[Bank, Any, Any]) -> None:
    _, col, _ = hostile
    for nid in col.find_notes(""):
        note = col.get_note(nid)
        for name, value in note.items():
            assert "<script" not in value.lower(), name
            braces = re.sub(r"\{\{c\d+::[^{}]*\}\}", "", value)
            assert "{" not in braces and "}" not in braces, (name, value)
            for tag in re.findall(r"<[^>]*>", value):
                assert OUR_MARKUP.fullmatch(tag), (name, tag)


def test_hostile_cloze_keeps_only_our_deletions(hostile: tuple[Bank, Any, Any]) -> None:
    _, col, _ = hostile
    first, second = cards_by_question(col)["h-q-cloze"]
    text = first.note()["Text"]
    assert re.findall(r"\{\{c(\d+)::", text) == ["1", "2"]
    f1, f2 = visible(first.question()), visible(second.question())
    assert "Line one has <script>alert('cloze')</script> and [...]." in f1
    assert "Line two has a::b <b>c</b> and a brace }" in f1
    assert "and the answer." in f2 and "Line two has [...] and a brace }" in f2
    back = visible(second.answer())
    assert "Line two has a::b <b>c</b> and a brace }" in back
    assert "Also accepted for blank 2 (a::b <b>c</b>): alt <i>two</i>" in back


def test_hostile_deck_names_and_tags_are_sanitised(hostile: tuple[Bank, Any, Any]) -> None:
    _, col, _ = hostile
    bank_deck = "Evil:Bank <script>alert('title')</script> {{Deck}}"
    names = {d.name for d in col.decks.all_names_and_ids()}
    assert {bank_deck, f"{bank_deck}::Tricky:topic {{{{x}}}}", f"{bank_deck}::Plain"} <= names
    ours = {n for n in names if n.startswith("Evil")}
    assert all(len(n.split("::")) <= 2 for n in ours)
    tags = set(col.tags.all())
    assert {
        "trainer::hostile.bank::tricky_topic_x",
        "trainer::hostile.bank::plain",
        "trainer::tag::odd_tag",
        "trainer::tag::has_space",
    } <= tags
    assert all(" " not in t and t.startswith("trainer::") for t in tags)


# -- the bundled bank ----------------------------------------------------------------------------


@pytest.fixture(scope="module")
def bundled(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[Bank, Any, Any]]:
    path = bundled_bank()
    if not path.exists() or not any(path.glob("*.toml")):
        pytest.skip(f"the bundled bank is not written yet ({path} has no .toml files)")
    bank, problems = load_bank(path)
    if bank is None:
        errors = [p.format() for p in problems if p.severity == "error"][:5]
        pytest.skip(f"the bundled bank does not load yet: {errors}")
    tmp = tmp_path_factory.mktemp("bundled-export")
    out = tmp / "bundled.apkg"
    summary = export_quietly(bank, out, now=T0)
    col = open_collection(tmp / "collection.anki2")
    log = import_apkg(col, out)
    yield bank, col, (summary, log)
    col.close()


def test_bundled_bank_exports_every_active_question(bundled: tuple[Bank, Any, Any]) -> None:
    bank, col, (summary, log) = bundled
    assert summary.notes == len(bank.active_questions) == len(log.new)
    assert summary.cards == col.card_count()
    check_collection_matches(col, bank)
    retired = {q.id for q in bank.questions if q.retired}
    assert not retired & set(cards_by_question(col))


def test_bundled_bank_decks_follow_topics(bundled: tuple[Bank, Any, Any]) -> None:
    bank, col, _ = bundled
    used = {bank.topic_of(q) for q in bank.active_questions}
    names = {d.name for d in col.decks.all_names_and_ids()}
    assert {f"{bank.title}::{topic_title(t)}" for t in used} <= names
    for q_id, cards in cards_by_question(col).items():
        q = bank.question(q_id)
        assert f"trainer::{bank.id}::{bank.topic_of(q)}" in cards[0].note().tags
