"""The Anki note types: names, fields, card templates and CSS (plain data, no genanki).

One note type per question type. Every note type starts with the field that holds the stem (the
sort field) and ends with the same shared fields, in the same order, with one spare (``Extra``) so a
later version can add something without changing the note type's schema.

The choice, multiple-response, true/false and ordering cards carry a small script
(``card_script.SCRIPT``): the student chooses on the front, the back marks the choice. Everything
the back needs is in its HTML, so with scripts off (or the choice lost) it still shows the full
answer with every why. Right and wrong are marked in words, never by colour alone.

A later export may change the templates and the CSS freely: Anki updates a note type in place when
its fields and template names are unchanged and the imported one is newer (genanki stamps it with
the export time). Changing the fields needs a new MODEL_VERSION (tests/unit/test_export_update.py).
"""

from __future__ import annotations

from dataclasses import dataclass

from trainer.bank.models import CHOICE_TYPES, QUESTION_TYPES, TYPE_TITLES
from trainer.export.card_script import SCRIPT

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
  font-size: 1.25rem;
  line-height: 1.45;
  text-align: left;
  color: #1d1d1f;
  background-color: #ffffff;
  max-width: 44em;
  margin: 0 auto;
  padding: 0 0.6em;
}
.nightMode.card, .nightMode .card, .night_mode.card, .night_mode .card {
  color: #e8e8e8; background-color: #1e1e1e;
}
.trainer {
  --t-ok: #1b5e20; --t-bad: #b71c1c; --t-accent: #0d47a1; --t-line: #b0b0b0;
  --t-chosen: #e3f2fd; --t-on-accent: #ffffff;
  overflow-wrap: anywhere; word-break: break-word;
}
.nightMode .trainer, .night_mode .trainer {
  --t-ok: #81c784; --t-bad: #ef9a9a; --t-accent: #90caf9; --t-line: #5f5f5f;
  --t-chosen: #1f3347; --t-on-accent: #10161c;
}
.trainer *, .trainer *::before, .trainer *::after { box-sizing: border-box; }
.trainer .kind {
  font-size: 0.7em; text-transform: uppercase; letter-spacing: 0.05em; opacity: 0.75;
}
.trainer .stem { margin: 0.4em 0 0.8em 0; font-weight: normal; }
.trainer ol.options, .trainer ol.steps { list-style: none; padding-left: 0; margin: 0.4em 0; }
.trainer ol.options li, .trainer ol.steps li {
  margin: 0.35em 0; padding: 0.25em 0.5em; border-left: 4px solid transparent;
}
.trainer ol.live li {
  border: 1px solid var(--t-line); border-radius: 0.4em; min-height: 2.4em;
  padding: 0.4em 0.6em; cursor: pointer; -webkit-tap-highlight-color: transparent;
  user-select: none; -webkit-user-select: none;
}
.trainer ol.live li.chosen {
  border: 2px solid var(--t-accent); background-color: var(--t-chosen);
}
.trainer ol.live li:focus-visible { outline: 3px solid var(--t-accent); outline-offset: 1px; }
.trainer .box {
  display: inline-block; min-width: 1.4em; margin-right: 0.3em; text-align: center;
  color: var(--t-accent); font-weight: bold;
}
.trainer .letter, .trainer .number { font-weight: bold; margin-right: 0.3em; }
.trainer ol li.correct, .trainer ol li.placed-right { border-left-color: var(--t-ok); }
.trainer ol li.incorrect { border-left-color: var(--t-line); }
.trainer ol.marked li.chosen { background-color: var(--t-chosen); }
.trainer ol.marked li.chosen.incorrect, .trainer ol li.placed-wrong {
  border-left-color: var(--t-bad);
}
.trainer .verdict { font-weight: bold; white-space: nowrap; }
.trainer li.correct .verdict, .trainer li.correct .mark, .trainer li.placed-right .mark {
  color: var(--t-ok);
}
.trainer li.chosen.incorrect .mark, .trainer li.placed-wrong .mark { color: var(--t-bad); }
.trainer .mark { font-weight: bold; font-size: 0.85em; margin-top: 0.15em; }
.trainer .why { font-size: 0.85em; margin-top: 0.15em; opacity: 0.9; }
.trainer .was { font-size: 0.8em; opacity: 0.75; }
.trainer .key { font-weight: bold; margin: 0.4em 0; }
.trainer .result { font-weight: bold; margin: 0.4em 0; }
.trainer .result.right { color: var(--t-ok); }
.trainer .result.wrong { color: var(--t-bad); }
.trainer .result.lost { font-weight: normal; font-style: italic; opacity: 0.85; }
.trainer .hint, .trainer .checked { font-size: 0.8em; opacity: 0.8; margin: 0.5em 0; }
.trainer .actions { margin: 0.6em 0; }
.trainer button {
  font: inherit; font-size: 0.9em; min-height: 2.4em; padding: 0.3em 1.2em;
  border-radius: 0.4em; border: 1px solid var(--t-accent); cursor: pointer;
  background-color: var(--t-accent); color: var(--t-on-accent);
}
.trainer button.clear { background-color: transparent; color: var(--t-accent); }
.trainer .model-answer, .trainer .accepted { margin: 0.4em 0; }
.trainer .explanation { margin-top: 0.8em; }
.trainer .label { font-weight: bold; }
.trainer .meta { margin-top: 1.2em; font-size: 0.7em; opacity: 0.8; }
.trainer .meta div { margin: 0.15em 0; }
.trainer .extra { margin-top: 0.8em; font-size: 0.85em; }
.trainer span.cloze { font-weight: bold; color: var(--t-accent); }
.trainer span.cloze-inactive { font-weight: normal; color: inherit; }
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

# What the front says once its script runs (hidden when scripts are off, where nothing is chosen).
_HINTS: dict[str, str] = {
    "single": "Choose one option (tap it, or press its number), then show the answer.",
    "multiple": "Choose every correct option (tap them, or press their numbers), then Check.",
    "true_false": "Choose True or False (tap it, or press 1 or 2), then show the answer.",
    "order": (
        "Tap the steps in the order they are done (or press their numbers); "
        "tap a step again to take its number off. Then show the answer."
    ),
}

# Kinds whose cards run the card script (trainer/export/card_script.py).
SCRIPTED = CHOICE_TYPES | {"order"}


def _wrap(kind: str, side: str, body: str) -> str:
    """A card side: our wrapper (the kind's class never clashes with Anki's ``cloze`` class), the
    question id for the script (the field is escaped text, so safe in a quoted attribute), the
    body, and the card script for the kinds that have one."""
    script = f"\n{SCRIPT}" if kind in SCRIPTED else ""
    return (
        f'<div class="trainer t-{kind.replace("_", "-")}" data-kind="{kind}" data-side="{side}" '
        f'data-qid="{{{{QuestionId}}}}">\n'
        f'<div class="kind">{KIND_LABELS[kind]}</div>\n{body}\n</div>{script}'
    )


def _templates(kind: str) -> tuple[str, str]:
    """(front, back) for a question type."""
    result = '<div class="result" hidden></div>\n'
    if kind in CHOICE_TYPES:
        front = (
            f'<div class="stem">{{{{Stem}}}}</div>\n{{{{Options}}}}\n'
            f'<div class="hint" hidden>{_HINTS[kind]}</div>'
        )
        if kind == "multiple":
            front += (
                '\n<div class="actions"><button type="button" class="check" hidden>Check</button>'
                '</div>\n<div class="checked" hidden>Saved: now show the answer.</div>'
            )
        back = (
            '<div class="stem">{{Stem}}</div>\n<hr id="answer">\n'
            + result
            + "{{Answer}}\n"
            + _BACK_FOOTER
        )
    elif kind == "order":
        front = (
            f'<div class="stem">{{{{Stem}}}}</div>\n{{{{Steps}}}}\n'
            f'<div class="hint" hidden>{_HINTS[kind]}</div>\n'
            '<div class="actions"><button type="button" class="clear" hidden>Start again</button>'
            "</div>"
        )
        back = (
            '<div class="stem">{{Stem}}</div>\n<hr id="answer">\n'
            + result
            + '<div class="key">The right order:</div>\n{{Order}}\n'
            + _BACK_FOOTER
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
    return _wrap(kind, "front", front), _wrap(kind, "back", back)


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
