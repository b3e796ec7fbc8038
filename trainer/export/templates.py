"""The Anki note types: names, fields, card templates and CSS (plain data, no genanki).

One note type per question type. Every note type starts with the field that holds the stem (the
sort field) and ends with the same shared fields, in the same order, with one spare (``Extra``) so a
later version can add something without changing the note type's schema.

Templates are HTML and CSS only (no JavaScript) so they behave the same on Anki desktop, AnkiDroid
and AnkiMobile. Right and wrong answers are marked in words, never by colour alone.
"""

from __future__ import annotations

from dataclasses import dataclass

from trainer.bank.models import QUESTION_TYPES, TYPE_TITLES

# Bump the version (and so every model id) only if a note type's fields change: Anki keys note
# types by id, and a changed field list under an old id would not import cleanly into collections.
MODEL_VERSION = "v1"

SHARED_FIELDS: tuple[str, ...] = (
    "Explanation",
    "Objective",
    "Source",
    "QuestionId",
    "Topic",
    "Extra",
)

# The fields before the shared ones, per question type. The first is the sort field.
OWN_FIELDS: dict[str, tuple[str, ...]] = {
    "single": ("Stem", "Options", "Answer"),
    "multiple": ("Stem", "Options", "Answer"),
    "true_false": ("Stem", "Options", "Answer"),
    "order": ("Stem", "Steps", "Order"),
    "cloze": ("Text", "AlsoAccepted"),
    "recall": ("Stem", "ModelAnswer"),
}

KIND_LABELS: dict[str, str] = {
    "single": "Single best answer",
    "multiple": "Multiple response: select all that apply",
    "true_false": "True or false?",
    "order": "Put the steps in order",
    "cloze": "Fill in the blank",
    "recall": "Free recall",
}

CSS = """\
.card {
  font-family: -apple-system, "Segoe UI", Roboto, "Helvetica Neue", Arial, sans-serif;
  font-size: 20px;
  line-height: 1.45;
  text-align: left;
  color: #1d1d1f;
  background-color: #ffffff;
  max-width: 44em;
  margin: 0 auto;
  padding: 0 0.6em;
}
.nightMode.card, .night_mode .card { color: #e8e8e8; background-color: #1e1e1e; }
.trainer .kind {
  font-size: 0.7em; text-transform: uppercase; letter-spacing: 0.05em; opacity: 0.7;
}
.trainer .stem { margin: 0.4em 0 0.8em 0; }
.trainer ol.options, .trainer ol.steps { list-style: none; padding-left: 0; margin: 0.4em 0; }
.trainer ol.options li, .trainer ol.steps li { margin: 0.35em 0; padding: 0.2em 0.4em; }
.trainer .letter, .trainer .number { font-weight: bold; margin-right: 0.3em; }
.trainer li.correct { border-left: 4px solid #2e7d32; }
.trainer li.incorrect { border-left: 4px solid #9e9e9e; }
.trainer .verdict { font-weight: bold; white-space: nowrap; }
.trainer li.correct .verdict { color: #2e7d32; }
.nightMode .trainer li.correct .verdict { color: #81c784; }
.trainer .why { font-size: 0.85em; margin-top: 0.15em; opacity: 0.9; }
.trainer .was { font-size: 0.8em; opacity: 0.7; }
.trainer .key { font-weight: bold; margin: 0.4em 0; }
.trainer .model-answer, .trainer .accepted { margin: 0.4em 0; }
.trainer .explanation { margin-top: 0.8em; }
.trainer .label { font-weight: bold; }
.trainer .meta { margin-top: 1.2em; font-size: 0.7em; opacity: 0.75; }
.trainer .meta div { margin: 0.15em 0; }
.trainer .extra { margin-top: 0.8em; font-size: 0.85em; }
.cloze { font-weight: bold; color: #1565c0; }
.nightMode .cloze { color: #90caf9; }
"""

_BACK_FOOTER = """\
{{#Explanation}}<div class="explanation"><span class="label">Explanation:</span> \
{{Explanation}}</div>{{/Explanation}}
{{#Extra}}<div class="extra">{{Extra}}</div>{{/Extra}}
<div class="meta">
{{#Topic}}<div><span class="label">Topic:</span> {{Topic}}</div>{{/Topic}}
{{#Objective}}<div><span class="label">Objective:</span> {{Objective}}</div>{{/Objective}}
{{#Source}}<div><span class="label">Source:</span> {{Source}}</div>{{/Source}}
<div><span class="label">Question:</span> {{QuestionId}}</div>
</div>"""


def _wrap(kind: str, body: str) -> str:
    return (
        f'<div class="trainer {kind.replace("_", "-")}">\n'
        f'<div class="kind">{KIND_LABELS[kind]}</div>\n{body}\n</div>'
    )


def _templates(kind: str) -> tuple[str, str]:
    """(front, back) for a question type."""
    if kind in ("single", "multiple", "true_false"):
        front = '<div class="stem">{{Stem}}</div>\n{{Options}}'
        back = '<div class="stem">{{Stem}}</div>\n<hr id="answer">\n{{Answer}}\n' + _BACK_FOOTER
    elif kind == "order":
        front = '<div class="stem">{{Stem}}</div>\n{{Steps}}'
        back = (
            '<div class="stem">{{Stem}}</div>\n<hr id="answer">\n'
            '<div class="key">The right order:</div>\n{{Order}}\n' + _BACK_FOOTER
        )
    elif kind == "cloze":
        front = '<div class="stem">{{cloze:Text}}</div>'
        back = (
            '<div class="stem">{{cloze:Text}}</div>\n<hr id="answer">\n'
            '{{#AlsoAccepted}}<div class="accepted">{{AlsoAccepted}}</div>{{/AlsoAccepted}}\n'
            + _BACK_FOOTER
        )
    elif kind == "recall":
        front = '<div class="stem">{{Stem}}</div>'
        back = (
            '<div class="stem">{{Stem}}</div>\n<hr id="answer">\n'
            '<div class="model-answer"><span class="label">Model answer:</span> '
            "{{ModelAnswer}}</div>\n" + _BACK_FOOTER
        )
    else:
        raise ValueError(f"unknown question type: {kind}")
    return _wrap(kind, front), _wrap(kind, back)


@dataclass(frozen=True)
class NoteTypeSpec:
    """Everything Anki needs to know about one of our note types."""

    kind: str
    name: str
    fields: tuple[str, ...]
    front: str
    back: str
    is_cloze: bool

    @property
    def template_name(self) -> str:
        return "Cloze" if self.is_cloze else "Card 1"


def note_type(kind: str) -> NoteTypeSpec:
    front, back = _templates(kind)
    return NoteTypeSpec(
        kind=kind,
        name=f"trainer: {TYPE_TITLES[kind]}",
        fields=OWN_FIELDS[kind] + SHARED_FIELDS,
        front=front,
        back=back,
        is_cloze=kind == "cloze",
    )


NOTE_TYPES: dict[str, NoteTypeSpec] = {kind: note_type(kind) for kind in QUESTION_TYPES}
