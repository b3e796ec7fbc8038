"""Choose what to practise: topics and a filter (all, unseen, missed, flagged, new cards beyond
today's limit, marked in exams), each with its count of questions.

The counts and the questions are read in the database worker (DbScreen), never on the UI
thread: ticking topics stays quick at any bank or log size (the newest counts win)."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any, ClassVar

from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Horizontal, Vertical
from textual.content import Content
from textual.widgets import Button, RadioButton, RadioSet, SelectionList, Static

from trainer.bank.models import topic_title
from trainer.tui.plain import plain_content
from trainer.tui.screens.db_screen import DbScreen
from trainer.tui.widgets.key_bar import KeyBar

if TYPE_CHECKING:
    from trainer.bank.models import Question
    from trainer.engine import Engine

FILTERS: tuple[tuple[str, str], ...] = (
    ("all", "All questions"),
    ("unseen", "Never answered"),
    ("missed", "Last answer wrong"),
    ("flagged", "Flagged"),
    ("new", "More new cards (scheduled)"),
    ("marked", "Marked in exams"),
)


def filter_counts(engine: Engine, topics: list[str]) -> dict[str, int]:
    """How many questions of ``topics`` each filter matches (in the database worker)."""
    return {
        key: len(engine.practice_questions(topics, key)) if topics else 0  # type: ignore[arg-type]
        for key, _label in FILTERS
    }


class PracticeSetupScreen(DbScreen):
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("s", "start", "Start", id="practice-start", tooltip="Start practising"),
        Binding("escape", "app.home", "Home", id="practice-home", tooltip="Back to home"),
    ]

    _asked = 0  # the newest counts asked for
    _starting = False  # the questions are being read: a second s waits for them

    def compose(self) -> ComposeResult:
        bank = self.app.engine.bank
        counts: dict[str, int] = {}
        for q in bank.active_questions:
            counts[bank.topic_of(q)] = counts.get(bank.topic_of(q), 0) + 1
        present = set(counts)
        with Vertical(id="practice-setup"):
            yield Static(
                "Practice: choose topics (Space ticks), a filter, then press s to start.",
                classes="panel-title",
                markup=False,
            )
            with Horizontal(id="practice-columns"):
                yield SelectionList[str](
                    *(
                        (plain_content(f"{topic_title(t)} ({counts[t]})"), t, True)
                        for t in bank.topics
                        if t in present
                    ),
                    id="practice-topics",
                )
                with RadioSet(id="practice-filter"):
                    for i, (key, label) in enumerate(FILTERS):
                        yield RadioButton(label, value=i == 0, id=f"filter-{key}")
            with Horizontal(id="practice-buttons"):
                yield Button("Start (s)", id="practice-start-button", variant="primary")
        yield KeyBar()

    def on_mount(self) -> None:
        self.query_one("#practice-topics", SelectionList).border_title = "Topics"
        self.query_one("#practice-filter", RadioSet).border_title = "Filter"
        self.query_one("#practice-topics", SelectionList).focus()
        self.update_counts()

    def on_selection_list_selected_changed(self, event: SelectionList.SelectedChanged[str]) -> None:
        self.update_counts()

    def update_counts(self) -> None:
        """Each filter's label with how many questions of the ticked topics it matches."""
        topics: list[str] = list(self.query_one("#practice-topics", SelectionList).selected)
        self._asked += 1
        asked = self._asked
        self.run_engine(
            "read-counts", lambda engine: (asked, filter_counts(engine, topics)), read=True
        )

    def db_done(self, tag: str, result: Any) -> None:
        if tag == "read-counts":
            asked, counts = result
            if asked != self._asked:
                return  # the topics changed since: newer counts are on their way
            for key, label in FILTERS:
                button = self.query_one(f"#filter-{key}", RadioButton)
                button.label = Content(f"{label} ({counts[key]})")
        elif tag == "read-questions":
            self._starting = False
            self._start(*result)

    def on_button_pressed(self, event: Button.Pressed) -> None:
        self.action_start()

    def chosen_filter(self) -> str:
        index = self.query_one("#practice-filter", RadioSet).pressed_index
        return FILTERS[max(0, index)][0]

    def action_start(self) -> None:
        topics: list[str] = list(self.query_one("#practice-topics", SelectionList).selected)
        if not topics:
            self.notify("Tick at least one topic.", severity="warning")
            return
        if self._starting:
            return
        self._starting = True
        which = self.chosen_filter()
        seed = self.app.next_seed()

        def read(engine: Engine) -> tuple[list[str], str, int, list[Question]]:
            questions = engine.practice_questions(topics, which, seed=seed)  # type: ignore[arg-type]
            return topics, which, seed, list(questions)

        self.run_engine("read-questions", read, read=True)

    def db_failed(self, tag: str, error: Exception) -> None:
        self._starting = False
        super().db_failed(tag, error)

    def _start(self, topics: list[str], which: str, seed: int, questions: list[Question]) -> None:
        label = dict(FILTERS)[which]
        if not questions:
            self.notify(f"No questions match ({label.lower()}).", severity="warning")
            return
        names = ", ".join(topic_title(t) for t in topics)
        self.app.start_practice(questions, seed, f"{label}: {names}.", schedules=which == "new")
