"""The content of one Anki note: a question's fields (HTML), tags and deck (no genanki).

Every piece of bank text goes through ``escape.text_html`` (or ``texts_html``, the same escaping
done for all the texts of a note at once); the only markup in a field is ours.
"""

from __future__ import annotations

import hashlib
import random
import re
from collections.abc import Sequence
from dataclasses import dataclass

from trainer.bank.models import CHOICE_TYPES, LETTERS, Bank, Question, topic_title
from trainer.bank.models import letter as option_letter
from trainer.export.errors import ExportError
from trainer.export.escape import cloze_html, tag_component, text_html, texts_html, visible_text
from trainer.export.templates import NOTE_TYPES

_TYPE_TAGS = {kind: f"trainer::type::{tag_component(kind)}" for kind in NOTE_TYPES}
# A letter or digit: escaping keeps it as text, so a stem holding one is never blank in Anki.
_ALNUM = re.compile(r"[^\W_]")


@dataclass(frozen=True)
class NoteContent:
    question_id: str
    kind: str
    topic: str
    fields: tuple[str, ...]
    tags: tuple[str, ...]
    cards: int  # how many cards Anki should make from it


def step_order(question: Question) -> tuple[int, ...]:
    """The shuffled order an ``order`` question's steps are shown in (indexes into ``steps``).

    Seeded by the question id, so it is the same on every export; never the identity (a shown order
    that is already right would give the answer away). The shuffle is ``random.Random(seed)
    .shuffle`` (Fisher-Yates drawing ``getrandbits``), written out so it is fixed here rather
    than by the Python version (tests/unit/test_export_fields.py compares the two).
    """
    n = len(question.steps)
    seed = int.from_bytes(hashlib.sha256(f"order:{question.id}".encode()).digest()[:8], "big")
    getrandbits = random.Random(seed).getrandbits
    order = list(range(n))
    for i in range(n - 1, 0, -1):
        bound = i + 1
        bits = bound.bit_length()
        j = getrandbits(bits)
        while j >= bound:
            j = getrandbits(bits)
        order[i], order[j] = order[j], order[i]
    if n > 1 and order == sorted(order):
        order = order[1:] + order[:1]
    return tuple(order)


_LETTER_SPANS = tuple(
    f'<span class="letter">{option_letter(i)}.</span> ' for i in range(len(LETTERS))
)


def _letter_span(i: int) -> str:
    return (
        _LETTER_SPANS[i]
        if i < len(_LETTER_SPANS)
        else f'<span class="letter">{option_letter(i)}.</span> '
    )


def _choice_fields(
    question: Question, texts: Sequence[str], whys: Sequence[str]
) -> tuple[str, str]:
    """(Options, Answer) HTML for single, multiple and true_false, from the escaped option texts
    and whys (True/False and no whys for true_false).

    Both lists hold the options in the bank's order; the card script shuffles the front per review
    (unless the list is ``fixed``) and puts the back in the same order. The back's ``correct`` and
    ``incorrect`` classes are what the script marks the choice by."""
    if question.type == "true_false":
        correct = [question.answer is True, question.answer is False]
        key = f'<div class="key">The statement is {"true" if question.answer else "false"}.</div>'
    else:
        correct = [o.correct for o in question.options]
        keys = [option_letter(i) for i, ok in enumerate(correct) if ok]
        label = "Correct answer" if len(keys) == 1 else "Correct answers"
        key = f'<div class="key">{label}: <span class="keys">{", ".join(keys)}</span></div>'
    # True stays before False; a question with ``shuffle = false`` keeps its options' order.
    fixed = question.type == "true_false" or not question.shuffle
    front = ['<ol class="options fixed">' if fixed else '<ol class="options">']
    back = [key, '<ol class="options answers">']
    for i, (text, ok, why) in enumerate(zip(texts, correct, whys, strict=True)):
        letter = _letter_span(i)
        front.append(f"<li>{letter}{text}</li>")
        why_html = f'<div class="why">{why}</div>' if why else ""
        if ok:
            back.append(
                f'<li class="correct">{letter}{text} <span class="verdict">✓ Correct</span>'
                f"{why_html}</li>"
            )
        else:
            back.append(
                f'<li class="incorrect">{letter}{text} <span class="verdict">✗ Incorrect</span>'
                f"{why_html}</li>"
            )
    front.append("</ol>")
    back.append("</ol>")
    return "\n".join(front), "\n".join(back)


def _order_fields(question: Question, steps: Sequence[str]) -> tuple[str, str]:
    """(Steps shown shuffled, the right Order) HTML, from the escaped steps.

    Each step of the Order list says (``data-shown``) where it is in the Steps list, so the card
    script can mark the numbers the student gave the steps on the front."""
    shown = step_order(question)
    letter_pos = {step: pos for pos, step in enumerate(shown)}
    front = ['<ol class="steps shuffled">']
    for pos, step in enumerate(shown):
        front.append(f"<li>{_letter_span(pos)}{steps[step]}</li>")
    front.append("</ol>")
    back = ['<ol class="steps">']
    for step, text in enumerate(steps):
        back.append(
            f'<li data-shown="{letter_pos[step]}"><span class="number">{step + 1}.</span> {text} '
            f'<span class="was">(shown as {option_letter(letter_pos[step])})</span></li>'
        )
    back.append("</ol>")
    return "\n".join(front), "\n".join(back)


def _also_accepted(blanks: tuple[tuple[str, ...], ...]) -> str:
    lines = []
    for n, answers in enumerate(blanks, start=1):
        if len(answers) > 1:
            others = ", ".join(text_html(a) for a in answers[1:])
            prefix = (
                f"blank {n} ({text_html(answers[0])})" if len(blanks) > 1 else text_html(answers[0])
            )
            lines.append(
                f'<div><span class="label">Also accepted</span> for {prefix}: {others}</div>'
            )
    return "\n".join(lines)


@dataclass(frozen=True)
class _Shared:
    """What every question with the same objectives has in common (a question's topic is its
    first objective's)."""

    topic: str
    objective: str  # field HTML
    source: str  # field HTML
    topic_title: str  # field HTML
    topic_tag: str
    objective_tags: tuple[str, ...]


class NoteMaker:
    """Makes the notes of one bank, remembering what many notes share (the objective, source and
    topic fields and tags of a set of objectives, the tags of a set of tags) as long as it lives.

    Use one per export: it does not notice changes to the bank it was given.
    """

    def __init__(self, bank: Bank) -> None:
        self.bank = bank
        self._bank_tag = tag_component(bank.id, "bank")
        self._shared: dict[tuple[str, ...], _Shared] = {}
        self._tags: dict[tuple[str, ...], tuple[str, ...]] = {}
        self._topics: dict[str, tuple[str, str]] = {}  # topic -> (title HTML, tag)
        self._citations: dict[str, str] = {}  # citation key -> text
        self._citation_html: dict[str, str] = {}  # citation text -> HTML

    def _topic(self, topic: str) -> tuple[str, str]:
        known = self._topics.get(topic)
        if known is None:
            known = self._topics[topic] = (
                text_html(topic_title(topic)),
                f"trainer::{self._bank_tag}::{tag_component(topic)}",
            )
        return known

    def _citation(self, key: str) -> str:
        text = self._citations.get(key)
        if text is None:
            text = self._citations[key] = self.bank.citation_text(key)
        return text

    def _shared_by(self, question: Question) -> _Shared:
        """The Objective field (each objective's text), the Source field (the distinct citations
        of those objectives, in order), the topic's fields and the tags of ``question``."""
        bank = self.bank
        objectives = [bank.objectives[o] for o in question.objectives if o in bank.objectives]
        objective = "<br>".join(text_html(o.text) for o in objectives)
        citations = dict.fromkeys(self._citation(c) for o in objectives for c in o.sources)
        html = self._citation_html
        for text in citations:
            if text not in html:
                html[text] = text_html(text)
        topic = bank.topic_of(question)
        title, topic_tag = self._topic(topic)
        return _Shared(
            topic=topic,
            objective=objective,
            source="<br>".join(html[text] for text in citations),
            topic_title=title,
            topic_tag=topic_tag,
            objective_tags=tuple(
                f"trainer::objective::{tag_component(o)}" for o in question.objectives
            ),
        )

    def content(self, question: Question) -> NoteContent:
        """The fields, tags and card count of a question's note. Raises ExportError if it would
        make an empty or cardless note (the bank checker should have caught it first)."""
        kind = question.type
        type_tag = _TYPE_TAGS.get(kind)
        if type_tag is None:
            raise ExportError(f"{question.id}: unknown question type {kind!r}")
        cards = 1
        own: tuple[str, ...]
        if kind in CHOICE_TYPES:
            if kind == "true_false":
                texts: Sequence[str] = ("True", "False")
                whys: Sequence[str] = ("", "")
            else:
                texts = [o.text for o in question.options]
                whys = [o.why for o in question.options]
            n = len(texts)
            esc = texts_html([question.stem, question.explanation, question.id, *texts, *whys])
            own = (esc[0], *_choice_fields(question, esc[3 : 3 + n], esc[3 + n :]))
        elif kind == "order":
            esc = texts_html([question.stem, question.explanation, question.id, *question.steps])
            own = (esc[0], *_order_fields(question, esc[3:]))
        elif kind == "cloze":
            text, blanks = cloze_html(question.stem)
            if not blanks or any(not answers for answers in blanks):
                raise ExportError(
                    f"{question.id}: a cloze question needs blanks, each with an answer"
                )
            own = (text, _also_accepted(blanks))
            cards = len(blanks)
            esc = ["", *texts_html([question.explanation, question.id])]
        else:  # recall
            esc = texts_html(
                [question.stem, question.explanation, question.id, question.model_answer]
            )
            own = (esc[0], esc[3])
        # A letter or digit in the stem is visible text after escaping (in a cloze, either as
        # text or inside a deletion); only a stem without one needs the full check.
        if _ALNUM.search(question.stem) is None and not visible_text(own[0]):
            raise ExportError(f"{question.id}: the stem is empty; Anki would show a blank card")
        shared = self._shared.get(question.objectives)
        if shared is None:
            shared = self._shared[question.objectives] = self._shared_by(question)
        tags = self._tags.get(question.tags)
        if tags is None:
            tags = self._tags[question.tags] = tuple(
                f"trainer::tag::{tag_component(t)}" for t in question.tags
            )
        fields = (*own, esc[1], shared.objective, shared.source, esc[2], shared.topic_title, "")
        assert len(fields) == len(NOTE_TYPES[kind].fields)
        return NoteContent(
            question_id=question.id,
            kind=kind,
            topic=shared.topic,
            fields=fields,
            tags=tuple(dict.fromkeys((shared.topic_tag, type_tag, *shared.objective_tags, *tags))),
            cards=cards,
        )


def note_content(bank: Bank, question: Question) -> NoteContent:
    """The fields, tags and card count of a question's note (one note; for many, use one
    ``NoteMaker``). Raises ExportError if it would make an empty or cardless note."""
    return NoteMaker(bank).content(question)
