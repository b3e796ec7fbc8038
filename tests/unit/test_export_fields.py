"""Unit tests of the pure parts of the Anki export: escaping, cloze text, ids, fields, selection."""

from __future__ import annotations

import re
from dataclasses import replace
from html import unescape
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from trainer.bank import load_bank
from trainer.bank.models import QUESTION_TYPES, Bank, Question
from trainer.export.card_script import SCRIPT
from trainer.export.errors import ExportError
from trainer.export.escape import (
    cloze_html,
    deck_component,
    tag_component,
    text_html,
    texts_html,
    visible_text,
)
from trainer.export.fields import NoteMaker, note_content, step_order
from trainer.export.ids import deck_id, model_id, note_guid, stable_id
from trainer.export.selection import select_questions
from trainer.export.templates import CSS, NOTE_TYPES, SCRIPTED, SHARED_FIELDS

MINI = Path(__file__).resolve().parent.parent / "data" / "mini"


@pytest.fixture(scope="module")
def mini() -> Bank:
    bank, problems = load_bank(MINI)
    assert bank is not None, [p.format() for p in problems]
    return bank


# -- escaping -------------------------------------------------------------------------------------


def test_text_html_escapes_markup_braces_and_media_syntax() -> None:
    out = text_html("  <b onclick='x()'>{{Front}}</b> [sound:a.mp3] & \"q\"\nnext\r\nlast  ")
    assert out == (
        "&lt;b onclick=&#x27;x()&#x27;&gt;&#123;&#123;Front&#125;&#125;&lt;/b&gt; "
        "&#91;sound:a.mp3&#93; &amp; &quot;q&quot;<br>next<br>last"
    )


@given(st.text())
def test_text_html_is_inert_and_round_trips(text: str) -> None:
    out = text_html(text, strip=False)
    without_br = out.replace("<br>", "")
    assert not set("<>{}[]\"'\r\n") & set(without_br)
    normalised = text.replace("\r\n", "\n").replace("\r", "\n")
    assert unescape(out.replace("<br>", "\n")) == normalised


@given(st.lists(st.text()))
def test_texts_html_is_text_html_of_each(texts: list[str]) -> None:
    """The one-pass escaping of a note's texts (joined with NUL) is text_html of each, NULs,
    carriage returns and edge whitespace included."""
    assert texts_html(texts) == [text_html(t) for t in texts]


def test_texts_html_with_nul_and_line_ends() -> None:
    texts = [" a\x00b ", "\r\n<x>\r", "", "{[\"'&]}"]
    assert texts_html(texts) == [text_html(t) for t in texts]
    assert texts_html(texts)[0] == "a\x00b"


@given(st.text())
def test_a_letter_or_digit_is_always_visible(text: str) -> None:
    """Why note_content may skip the HTML parse of a stem with a letter or digit in it."""
    if re.search(r"[^\W_]", text):
        assert visible_text(text_html(text))
        html, blanks = cloze_html(text)
        if blanks and all(blanks):  # what a cloze must have before the check (else refused)
            assert visible_text(html)


def test_cloze_html_makes_one_deletion_per_blank_with_canonical_answer() -> None:
    text, blanks = cloze_html(
        "Under {{fluoroscopic|x-ray}} guidance, tested with {{ stimulation }}."
    )
    assert text == "Under {{c1::fluoroscopic}} guidance, tested with {{c2::stimulation}}."
    assert blanks == (("fluoroscopic", "x-ray"), ("stimulation",))


def test_cloze_html_escapes_text_and_answers() -> None:
    text, blanks = cloze_html("<i>a</i> {{x::y <b>|z}} {c1::no} }\nend")
    assert text == (
        "&lt;i&gt;a&lt;/i&gt; {{c1::x&#58;&#58;y &lt;b&gt;}} &#123;c1::no&#125; &#125;<br>end"
    )
    assert blanks == (("x::y <b>", "z"),)


@given(st.lists(st.text(alphabet=st.characters(blacklist_characters="{}|")), min_size=1))
def test_cloze_deletions_are_exactly_the_blanks(pieces: list[str]) -> None:
    answers = [p.replace("\r\n", "\n").replace("\r", "\n").strip() or "a" for p in pieces]
    stem = "start " + " mid ".join("{{" + a + "}}" for a in answers) + " end"
    text, blanks = cloze_html(stem)
    assert [b[0] for b in blanks] == answers
    assert re.findall(r"\{\{c(\d+)::", text) == [str(i + 1) for i in range(len(answers))]
    outside = re.sub(r"\{\{c\d+::[^{}]*\}\}", "", text)
    assert "{" not in outside and "}" not in outside


@pytest.mark.parametrize(
    ("fragment", "text"),
    [("<div><br></div>", ""), ("  <br> &nbsp; ", ""), ("<b>x</b>", "x"), ("&lt;b&gt;", "<b>")],
)
def test_visible_text(fragment: str, text: str) -> None:
    assert visible_text(fragment) == text


@pytest.mark.parametrize(
    ("name", "clean"),
    [
        ("Thermal rhizotomy", "Thermal rhizotomy"),
        ("Evil::Bank", "Evil:Bank"),
        ("a:::b", "a:b"),
        ("ends with: ", "ends with"),
        (":: ::", "fallback"),
        ("two\nlines", "two lines"),
    ],
)
def test_deck_component_has_no_separator(name: str, clean: str) -> None:
    assert deck_component(name, "fallback") == clean


@pytest.mark.parametrize(
    ("value", "clean"),
    [
        ("patient-selection", "patient-selection"),
        ("a::b c", "a_b_c"),
        ("{{x}}", "x"),
        ("", "unknown"),
    ],
)
def test_tag_component(value: str, clean: str) -> None:
    assert tag_component(value) == clean


# -- ids ------------------------------------------------------------------------------------------


def test_ids_are_stable_distinct_and_in_range() -> None:
    models = [model_id(k) for k in QUESTION_TYPES]
    assert len(set(models)) == len(models)
    assert all((1 << 30) <= i < (1 << 31) for i in models)
    # Fixed forever: changing these would make Anki treat our note types as new ones.
    assert model_id("single") == stable_id("trainer:model:single:v1") == 1453325532
    assert deck_id("mini") != deck_id("mini", "risks") != deck_id("mini", "procedure")
    assert note_guid("mini", "mini-q-single") == note_guid("mini", "mini-q-single")
    assert note_guid("mini", "mini-q-single") != note_guid("other", "mini-q-single")


def test_guid_is_genanki_guid_for() -> None:
    import genanki

    assert note_guid("b", "q") == genanki.guid_for("trainer", "b", "q")


@given(st.text(max_size=20), st.text(max_size=20))
def test_guid_is_genanki_guid_for_any_ids(bank_id: str, question_id: str) -> None:
    import genanki

    assert note_guid(bank_id, question_id) == genanki.guid_for("trainer", bank_id, question_id)


# -- note types and fields ------------------------------------------------------------------------


def test_note_types_share_trailing_fields() -> None:
    assert set(NOTE_TYPES) == set(QUESTION_TYPES)
    for spec in NOTE_TYPES.values():
        assert spec.fields[-len(SHARED_FIELDS) :] == SHARED_FIELDS
        assert spec.name.startswith("trainer: ")
        # The one script is ours (no field is ever inside it) and on the kinds that need it.
        scripted = spec.kind in SCRIPTED
        for side in (spec.front, spec.back):
            assert side.count("<script") == (1 if scripted else 0), spec.kind
            assert side.endswith(SCRIPT) if scripted else True
        assert "{{" not in SCRIPT and "}}" not in SCRIPT and "{{" not in CSS
        assert SCRIPT.count("</script") == 1
        # Every field the templates name exists.
        used = set(re.findall(r"\{\{[#/]?(?:cloze:)?(\w+)\}\}", spec.front + spec.back))
        assert used - {"FrontSide"} <= set(spec.fields), spec.kind
    assert NOTE_TYPES["cloze"].is_cloze and "{{cloze:Text}}" in NOTE_TYPES["cloze"].front


def test_note_content_fields_match_note_type(mini: Bank) -> None:
    for q in mini.active_questions:
        content = note_content(mini, q)
        assert len(content.fields) == len(NOTE_TYPES[q.type].fields)
        assert visible_text(content.fields[0])
        assert content.cards == (len(q.blanks) if q.type == "cloze" else 1)


def test_one_note_maker_makes_what_note_content_makes(mini: Bank) -> None:
    """The shared parts a NoteMaker remembers (objectives, topics, tags) change nothing."""
    maker = NoteMaker(mini)
    twice = [maker.content(q) for q in mini.active_questions * 2]
    assert twice == [note_content(mini, q) for q in mini.active_questions * 2]


def test_objective_and_source_fields(mini: Bank) -> None:
    for q in mini.active_questions:
        objectives = [mini.objectives[o] for o in q.objectives]
        citations = dict.fromkeys(mini.citation_text(c) for o in objectives for c in o.sources)
        fields = dict(zip(NOTE_TYPES[q.type].fields, note_content(mini, q).fields, strict=True))
        assert fields["Objective"] == "<br>".join(text_html(o.text) for o in objectives)
        assert fields["Source"] == "<br>".join(text_html(c) for c in citations)
        assert fields["Source"]


def test_stem_of_punctuation_only_is_visible_and_kept(mini: Bank) -> None:
    q = mini.question("mini-q-recall")
    assert note_content(mini, replace(q, stem="?")).fields[0] == "?"
    with pytest.raises(ExportError, match="empty"):
        note_content(mini, replace(q, stem="\u00a0 \u2003"))


def test_step_order_is_fixed_and_never_identity(mini: Bank) -> None:
    q = mini.question("mini-q-order")
    assert step_order(q) == step_order(q)
    for i in range(200):
        for n in (2, 3, 5, 7):
            other = replace(q, id=f"q-{i}", steps=tuple(f"s{j}" for j in range(n)))
            order = step_order(other)
            assert sorted(order) == list(range(n))
            assert list(order) != list(range(n))


@given(st.text(max_size=12), st.integers(0, 30))
def test_step_order_is_random_shuffle_seeded_by_id(qid: str, n: int) -> None:
    """step_order writes out random.Random(seed).shuffle: the same orders, fixed forever."""
    import hashlib
    import random

    seed = int.from_bytes(hashlib.sha256(f"order:{qid}".encode()).digest()[:8], "big")
    expected = list(range(n))
    random.Random(seed).shuffle(expected)
    if n > 1 and expected == sorted(expected):
        expected = expected[1:] + expected[:1]
    steps = tuple(map(str, range(n)))
    q = Question(id=qid, type="order", objectives=(), stem="s", explanation="", steps=steps)
    assert step_order(q) == tuple(expected)


def test_blank_stem_is_refused(mini: Bank) -> None:
    q = mini.question("mini-q-recall")
    with pytest.raises(ExportError, match="empty"):
        note_content(mini, replace(q, stem=" \n "))


def test_cloze_without_blanks_is_refused(mini: Bank) -> None:
    q = mini.question("mini-q-cloze")
    with pytest.raises(ExportError, match="blanks"):
        note_content(mini, replace(q, stem="No blanks here."))
    with pytest.raises(ExportError, match="blanks"):
        note_content(mini, replace(q, stem="An empty {{ | }} blank."))


def test_genanki_gives_a_cloze_without_deletions_no_cards(mini: Bank) -> None:
    """The genanki 0.13.1 trap our checks guard against: such a note silently has zero cards."""
    import genanki

    from trainer.export.anki import genanki_model

    note = genanki.Note(model=genanki_model("cloze"), fields=["no deletion", *[""] * 7])
    assert note.cards == []


# -- selection ------------------------------------------------------------------------------------


def test_select_questions_filters_and_skips_retired(mini: Bank) -> None:
    assert len(select_questions(mini)) == 6
    risks = select_questions(mini, topics=["Risks"])
    assert {q.id for q in risks} == {"mini-q-multiple", "mini-q-true-false"}
    assert [q.id for q in select_questions(mini, types=["true-false"])] == ["mini-q-true-false"]
    retired = replace(mini.question("mini-q-recall"), retired=True)
    questions: tuple[Question, ...] = tuple(
        retired if q.id == retired.id else q for q in mini.questions
    )
    assert "mini-q-recall" not in {
        q.id for q in select_questions(replace(mini, questions=questions))
    }


@pytest.mark.parametrize(
    ("topics", "types", "message"),
    [
        (["nope"], [], "unknown topic 'nope'; the topics of this bank are: procedure, risks"),
        ([], ["essay"], "unknown question type 'essay'"),
        (["risks"], ["order"], "no question matches the filter"),
    ],
)
def test_select_questions_errors(
    mini: Bank, topics: list[str], types: list[str], message: str
) -> None:
    with pytest.raises(ExportError, match=re.escape(message)):
        select_questions(mini, topics, types)
