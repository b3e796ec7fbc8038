"""The content of one Anki note: a question's fields (HTML), tags and deck (no genanki).

Every piece of bank text goes through ``escape.text_html``; the only markup in a field is ours.
"""

from __future__ import annotations

import hashlib
import random
from dataclasses import dataclass

from trainer.bank.models import Bank, Question, topic_title
from trainer.export.errors import ExportError
from trainer.export.escape import cloze_html, tag_component, text_html, visible_text
from trainer.export.templates import NOTE_TYPES

LETTERS = "ABCDEFGHIJKLMNOPQRSTUVWXYZ"


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
    that is already right would give the answer away).
    """
    n = len(question.steps)
    seed = int.from_bytes(hashlib.sha256(f"order:{question.id}".encode()).digest()[:8], "big")
    order = list(range(n))
    random.Random(seed).shuffle(order)
    if n > 1 and order == sorted(order):
        order = order[1:] + order[:1]
    return tuple(order)


def _letter(i: int) -> str:
    return LETTERS[i] if i < len(LETTERS) else str(i + 1)


def _choice_fields(question: Question) -> tuple[str, str]:
    """(Options, Answer) HTML for single, multiple and true_false."""
    if question.type == "true_false":
        texts = ["True", "False"]
        correct = [question.answer is True, question.answer is False]
        whys = ["", ""]
    else:
        texts = [o.text for o in question.options]
        correct = [o.correct for o in question.options]
        whys = [o.why for o in question.options]
    front = ['<ol class="options">']
    back = []
    keys = [_letter(i) for i, ok in enumerate(correct) if ok]
    if question.type == "true_false":
        back.append(
            f'<div class="key">The statement is {"true" if question.answer else "false"}.</div>'
        )
    else:
        label = "Correct answer" if len(keys) == 1 else "Correct answers"
        back.append(f'<div class="key">{label}: {", ".join(keys)}</div>')
    back.append('<ol class="options answers">')
    for i, (text, ok, why) in enumerate(zip(texts, correct, whys, strict=True)):
        letter = f'<span class="letter">{_letter(i)}.</span> '
        front.append(f"<li>{letter}{text_html(text)}</li>")
        verdict = "✓ Correct" if ok else "✗ Incorrect"
        why_html = f'<div class="why">{text_html(why)}</div>' if why.strip() else ""
        back.append(
            f'<li class="{"correct" if ok else "incorrect"}">{letter}{text_html(text)} '
            f'<span class="verdict">{verdict}</span>{why_html}</li>'
        )
    front.append("</ol>")
    back.append("</ol>")
    return "\n".join(front), "\n".join(back)


def _order_fields(question: Question) -> tuple[str, str]:
    """(Steps shown shuffled, the right Order) HTML."""
    shown = step_order(question)
    letter_of = {step: _letter(pos) for pos, step in enumerate(shown)}
    front = ['<ol class="steps shuffled">']
    for pos, step in enumerate(shown):
        letter = f'<span class="letter">{_letter(pos)}.</span>'
        front.append(f"<li>{letter} {text_html(question.steps[step])}</li>")
    front.append("</ol>")
    back = ['<ol class="steps">']
    for step, text in enumerate(question.steps):
        back.append(
            f'<li><span class="number">{step + 1}.</span> {text_html(text)} '
            f'<span class="was">(shown as {letter_of[step]})</span></li>'
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


def _objective_and_source(bank: Bank, question: Question) -> tuple[str, str]:
    objectives = [bank.objectives[o] for o in question.objectives if o in bank.objectives]
    objective = "<br>".join(text_html(o.text) for o in objectives)
    citations: list[str] = []
    for o in objectives:
        for c in o.sources:
            text = bank.citation_text(c)
            if text not in citations:
                citations.append(text)
    return objective, "<br>".join(text_html(c) for c in citations)


def note_content(bank: Bank, question: Question) -> NoteContent:
    """The fields, tags and card count of a question's note. Raises ExportError if it would make an
    empty or cardless note (the bank checker should have caught it first)."""
    kind = question.type
    if kind not in NOTE_TYPES:
        raise ExportError(f"{question.id}: unknown question type {kind!r}")
    cards = 1
    own: tuple[str, ...]
    if kind in ("single", "multiple", "true_false"):
        own = (text_html(question.stem), *_choice_fields(question))
    elif kind == "order":
        own = (text_html(question.stem), *_order_fields(question))
    elif kind == "cloze":
        text, blanks = cloze_html(question.stem)
        if not blanks or any(not answers for answers in blanks):
            raise ExportError(f"{question.id}: a cloze question needs blanks, each with an answer")
        own = (text, _also_accepted(blanks))
        cards = len(blanks)
    else:  # recall
        own = (text_html(question.stem), text_html(question.model_answer))
    if not visible_text(own[0]):
        raise ExportError(f"{question.id}: the stem is empty; Anki would show a blank card")
    topic = bank.topic_of(question)
    objective, source = _objective_and_source(bank, question)
    shared = (
        text_html(question.explanation),
        objective,
        source,
        text_html(question.id),
        text_html(topic_title(topic)),
        "",
    )
    bank_tag = tag_component(bank.id, "bank")
    tags = [
        f"trainer::{bank_tag}::{tag_component(topic)}",
        f"trainer::type::{tag_component(kind)}",
        *(f"trainer::objective::{tag_component(o)}" for o in question.objectives),
        *(f"trainer::tag::{tag_component(t)}" for t in question.tags),
    ]
    fields = own + shared
    assert len(fields) == len(NOTE_TYPES[kind].fields)
    return NoteContent(
        question_id=question.id,
        kind=kind,
        topic=topic,
        fields=fields,
        tags=tuple(dict.fromkeys(tags)),
        cards=cards,
    )
