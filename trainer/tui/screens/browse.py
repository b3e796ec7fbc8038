"""Browse: a searchable table of every question, filtered by topic, type and state."""

from __future__ import annotations

from typing import TYPE_CHECKING, ClassVar

from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Horizontal
from textual.screen import Screen
from textual.widgets import DataTable, Footer, Input, Select, Static

from trainer.bank.models import QUESTION_TYPES, TYPE_TITLES, Question, topic_title
from trainer.tui.formatting import format_due
from trainer.tui.plain import plain
from trainer.tui.widgets.text_input import TextInput

if TYPE_CHECKING:
    from trainer.engine import CardInfo
    from trainer.tui.app import TrainerApp

STATES = ("new", "learning", "review", "relearning", "suspended", "flagged")
COLUMNS = ("Id", "Topic", "Type", "State", "Due", "Lapses", "Flag")


def matches(
    question: Question,
    info: CardInfo | None,
    topic_of: str,
    *,
    text: str,
    topic: str | None,
    qtype: str | None,
    state: str | None,
) -> bool:
    """Whether a question passes the search text and the three filters."""
    if topic and topic_of != topic:
        return False
    if qtype and question.type != qtype:
        return False
    if state:
        if info is None:
            return False
        if state == "suspended" and not info.suspended:
            return False
        if state == "flagged" and not info.flagged:
            return False
        if state not in ("suspended", "flagged") and info.state != state:
            return False
    if text:
        haystack = " ".join(
            [
                question.id,
                question.stem,
                topic_of,
                question.type,
                *question.tags,
                *(o.text for o in question.options),
                *question.steps,
                question.model_answer,
            ]
        ).casefold()
        return all(word in haystack for word in text.casefold().split())
    return True


class BrowseScreen(Screen[None]):
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape", "app.home", "Home", id="browse-home", tooltip="Back to home"),
        Binding(
            "slash",
            "focus_search",
            "Search",
            key_display="/",
            id="browse-search",
            tooltip="Search ids, question text and answers",
        ),
        Binding(
            "ctrl+t",
            "focus_table",
            "Table",
            id="browse-table-focus",
            tooltip="Move to the table (Enter opens a question)",
        ),
    ]

    app: TrainerApp

    def compose(self) -> ComposeResult:
        bank = self.app.engine.bank
        with Horizontal(id="browse-filters"):
            yield TextInput(placeholder="Search (/)", id="browse-search")
            yield Select[str](
                [(plain(topic_title(t)), t) for t in bank.topics],
                prompt="All topics",
                id="browse-topic",
            )
            yield Select[str](
                [(TYPE_TITLES[t], t) for t in QUESTION_TYPES], prompt="All types", id="browse-type"
            )
            yield Select[str](
                [(s.capitalize(), s) for s in STATES], prompt="Any state", id="browse-state"
            )
        yield Static("", id="browse-count", markup=False)
        table: DataTable[str] = DataTable(id="browse-table", cursor_type="row", zebra_stripes=True)
        yield table
        yield Footer()

    def on_mount(self) -> None:
        table = self.query_one("#browse-table", DataTable)
        table.add_columns(*COLUMNS)
        self.info = self.app.engine.all_card_info()
        self.refill()
        table.focus()

    def on_screen_resume(self) -> None:
        self.info = self.app.engine.all_card_info()
        self.refill()

    def _select_value(self, selector: str) -> str | None:
        value = self.query_one(selector, Select).value
        return value if isinstance(value, str) else None

    def refill(self) -> None:
        engine = self.app.engine
        bank = engine.bank
        now = engine.now()
        table = self.query_one("#browse-table", DataTable)
        table.clear()
        text = self.query_one("#browse-search", Input).value.strip()
        topic = self._select_value("#browse-topic")
        qtype = self._select_value("#browse-type")
        state = self._select_value("#browse-state")
        shown = 0
        for q in bank.active_questions:
            info = self.info.get(q.id)
            q_topic = bank.topic_of(q)
            if not matches(q, info, q_topic, text=text, topic=topic, qtype=qtype, state=state):
                continue
            shown += 1
            state_text: str = info.state if info else "-"
            if info and info.suspended:
                state_text = "suspended"
            table.add_row(
                q.id,  # an id is letters, digits, ".", "_" and "-": never markup
                plain(topic_title(q_topic)),
                q.type,
                state_text,
                format_due(info.due, now) if info and info.state != "new" else "-",
                str(info.lapses) if info else "-",
                "yes" if info and info.flagged else "",
                key=q.id,
            )
        total = len(bank.active_questions)
        self.query_one("#browse-count", Static).update(
            f"{shown} of {total} questions · Enter opens one"
        )

    def on_input_changed(self, event: Input.Changed) -> None:
        self.refill()

    def on_input_submitted(self, event: Input.Submitted) -> None:
        self.action_focus_table()

    def on_select_changed(self, event: Select.Changed) -> None:
        self.refill()

    def action_focus_search(self) -> None:
        self.query_one("#browse-search", Input).focus()

    def action_focus_table(self) -> None:
        self.query_one("#browse-table", DataTable).focus()

    def on_data_table_row_selected(self, event: DataTable.RowSelected) -> None:
        from trainer.tui.screens.question_detail import QuestionDetailScreen

        qid = event.row_key.value
        if qid:
            self.app.push_screen(QuestionDetailScreen(qid))
