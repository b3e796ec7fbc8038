"""Help: the keys, the question types, and how scheduling works."""

from __future__ import annotations

from typing import ClassVar

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Horizontal, VerticalScroll
from textual.screen import Screen
from textual.widgets import Static

from trainer.bank.models import TYPE_TITLES
from trainer.tui.widgets.key_bar import KeyBar

KEYS = (
    ("Home", "s study · p practice · e exam · b browse · t stats · ? help · r resume · q quit"),
    ("", ", settings: daily limits, retention, steps, burying, theme, keys, FSRS"),
    ("Anywhere", "Ctrl+P command palette (themes, export to Anki) · Escape goes back"),
    ("", "Ctrl+Q quits from any screen; Ctrl+C too, asking first if a session is kept"),
    ("", "PgUp/PgDn scroll a long question, the feedback or a review"),
    ("Answering", "a letter chooses (T/F for true or false) · x then a letter rules an option out"),
    ("", "↑/↓ and Shift+↑/↓ order steps · Tab moves between blanks · Enter submits"),
    ("", "Space reveals a recall answer · u undoes the last answer · f flags the question"),
    ("", "(in a true/false question F answers False: flag it after submitting)"),
    ("Rating", "1 Again · 2 Hard · 3 Good · 4 Easy · Enter or Space takes the suggestion"),
    ("", "only the ratings that apply are shown · o I was right (after a wrong answer)"),
    ("Browse", "Enter opens · / searches · o sorts · f flags · s suspends · r resets to new"),
    ("Exam", "Enter keeps an answer and goes on · →/n next · ←/p previous · m marks for review"),
    ("", "recall: Space reveals, then k (I knew it) or d (I did not) · Ctrl+S submits the exam"),
    ("", "tutor mode: Enter shows the feedback, Enter again goes on · x on home: past exams"),
)

TYPES = {
    "single": "choose the one best option.",
    "multiple": "tick every option that applies; all must be right to count as right.",
    "true_false": "decide whether the statement is true.",
    "order": "put the steps of a procedure in order.",
    "cloze": "type the missing words; case and punctuation are ignored, and one slip in an "
    "answer of five or more letters is accepted (marked 'accepted (spelling)').",
    "recall": "answer in your head, reveal the model answer and rate yourself honestly.",
}

SCHEDULING = (
    "Each question is a card scheduled by FSRS, a model of memory. When you answer, your rating "
    "(Again, Hard, Good or Easy) updates how stable the memory is, and the card comes back just "
    "before you are likely to forget it: minutes for new or missed cards, then days, weeks and "
    "months as it sticks. A wrong answer is rated Again; when trainer marked a right answer "
    "wrong (a typo), o (I was right) schedules it as right and logs the override.",
    "Study shows what is due today, new questions limited per day; a new question waits until "
    "tomorrow once a question on the same objective was studied today (Settings, key ',', changes "
    "the limits, the desired retention and the burying). Practice and exams do not push cards "
    "later: practice only counts for cards that were due anyway, and exam answers are only logged.",
)


class HelpScreen(Screen[None]):
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape,q", "app.home", "Home", id="help-home", tooltip="Back to home"),
    ]

    def compose(self) -> ComposeResult:
        with VerticalScroll(id="help-body"):
            yield Static(Text("Keys", style="bold"))
            for section, text in KEYS:
                with Horizontal(classes="help-row"):
                    yield Static(section, classes="help-key", markup=False)
                    yield Static(text, classes="help-text", markup=False)
            yield Static(Text("\nQuestion types", style="bold"))
            for key, text in TYPES.items():
                with Horizontal(classes="help-row"):
                    yield Static(TYPE_TITLES[key], classes="help-type", markup=False)
                    yield Static(text, classes="help-text", markup=False)
            yield Static(Text("\nHow scheduling works", style="bold"))
            for paragraph in SCHEDULING:
                yield Static(paragraph, classes="help-section", markup=False)
        yield KeyBar()
