"""Browse: a searchable table of every question, filtered by topic, type and state, sorted by
id, topic, due date, lapses or difficulty; suspend, reset (forget) and flag from the list."""

from __future__ import annotations

import itertools
from datetime import datetime
from typing import TYPE_CHECKING, ClassVar

from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Horizontal
from textual.coordinate import Coordinate
from textual.screen import Screen
from textual.widgets import DataTable, Input, Select, Static

from trainer.bank.models import CLOZE_BLANK, QUESTION_TYPES, TYPE_TITLES, Question, topic_title
from trainer.tui.formatting import format_due
from trainer.tui.plain import plain
from trainer.tui.widgets.key_bar import KeyBar
from trainer.tui.widgets.text_input import TextInput

if TYPE_CHECKING:
    from collections.abc import Callable

    from trainer.engine import CardInfo
    from trainer.tui.app import TrainerApp

STATES = ("new", "learning", "review", "relearning", "suspended", "flagged")
COLUMNS = ("Id", "Question", "Topic", "Type", "State", "Due", "Lapses", "Difficulty", "Flag")
QUESTION_COLUMN = 1
MIN_QUESTION_WIDTH = 24
# Sort orders, in the order the sort key cycles through them: (name, column it sorts by)
SORTS: dict[str, str] = {
    "id": "Id",
    "topic": "Topic",
    "due": "Due",
    "lapses": "Lapses",
    "difficulty": "Difficulty",
}
_NEVER = datetime.max.replace(tzinfo=None)


def stem_text(question: Question) -> str:
    """The stem as study shows it: a cloze's blanks as [1]___, not its answers."""
    if question.type != "cloze":
        return question.stem
    count = itertools.count(1)
    return CLOZE_BLANK.sub(lambda _m: f"[{next(count)}]___", question.stem)


def one_line(text: str, width: int) -> str:
    """``text`` on one line, cut to ``width`` characters with an ellipsis."""
    flat = " ".join(text.split())
    return flat if len(flat) <= width else flat[: max(0, width - 1)] + "…"


def sort_key(sort: str, position: int, topic: int, info: CardInfo | None) -> tuple[object, ...]:
    """How a question ranks under ``sort``: topics in bank order (``topic``: its index), soonest
    due first (new cards last), most lapses first, hardest first; ties in bank order
    (``position``)."""
    if sort == "topic":
        return (topic, position)
    if sort == "due":
        due = info.due.replace(tzinfo=None) if info and info.due and info.state != "new" else None
        return (due is None, due or _NEVER, position)
    if sort == "lapses":
        return (-(info.lapses if info else 0), position)
    if sort == "difficulty":
        d = info.difficulty if info else None
        return (d is None, -(d or 0.0), position)
    return (position,)


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
            tooltip="Search ids, question text and answers (Enter opens the highlighted one)",
        ),
        Binding(
            "ctrl+t",
            "focus_table",
            "Table",
            id="browse-table-focus",
            tooltip="Move to the table (Enter opens a question)",
        ),
        Binding(
            "o",
            "cycle_sort",
            "Sort",
            id="browse-sort",
            tooltip="Sort by id, topic, due, lapses or difficulty (or click a column's header)",
        ),
        Binding("f", "flag", "Flag", id="browse-flag", tooltip="Flag or unflag this question"),
        Binding(
            "s",
            "suspend",
            "Suspend",
            id="browse-suspend",
            tooltip="Suspend this question (no longer studied) or unsuspend it",
        ),
        Binding(
            "r",
            "reset",
            "Reset",
            id="browse-reset",
            tooltip="Forget this question: back to new, its history kept",
        ),
    ]

    app: TrainerApp

    def __init__(self) -> None:
        super().__init__()
        self.sort = "id"
        self.info: dict[str, CardInfo] = {}

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
        yield KeyBar()

    def on_mount(self) -> None:
        table = self.query_one("#browse-table", DataTable)
        for name in COLUMNS:
            table.add_column(name, key=name)
        self.info = self.app.read(self.app.engine.all_card_info) or {}
        self.refill()
        table.focus()

    def on_screen_resume(self) -> None:
        self.info = self.app.read(self.app.engine.all_card_info) or {}
        self.refill()

    def on_resize(self) -> None:
        self.refill()

    def _select_value(self, selector: str) -> str | None:
        value = self.query_one(selector, Select).value
        return value if isinstance(value, str) else None

    def _rows(self) -> list[tuple[str, list[str]]]:
        """The questions that pass the search and filters, sorted: (id, cells but the question)."""
        engine = self.app.engine
        bank = engine.bank
        now = engine.now()
        text = self.query_one("#browse-search", Input).value.strip()
        topic = self._select_value("#browse-topic")
        qtype = self._select_value("#browse-type")
        state = self._select_value("#browse-state")
        topic_rank = {t: i for i, t in enumerate(bank.topics)}
        picked = []
        for position, q in enumerate(bank.active_questions):
            info = self.info.get(q.id)
            q_topic = bank.topic_of(q)
            if matches(q, info, q_topic, text=text, topic=topic, qtype=qtype, state=state):
                picked.append(
                    (
                        sort_key(self.sort, position, topic_rank.get(q_topic, 0), info),
                        q,
                        q_topic,
                        info,
                    )
                )
        picked.sort(key=lambda row: row[0])
        rows: list[tuple[str, list[str]]] = []
        for _key, q, q_topic, info in picked:
            state_text: str = info.state if info else "-"
            if info and info.suspended:
                state_text = "suspended"
            difficulty = info.difficulty if info else None
            rows.append(
                (
                    q.id,
                    [
                        q.id,
                        topic_title(q_topic),
                        TYPE_TITLES.get(q.type, q.type),
                        state_text,
                        format_due(info.due, now) if info and info.state != "new" else "-",
                        str(info.lapses) if info else "-",
                        f"{difficulty:.1f}" if difficulty is not None else "-",
                        "yes" if info and info.flagged else "",
                    ],
                )
            )
        return rows

    def _question_width(self, rows: list[tuple[str, list[str]]]) -> int:
        """The question column's width: what the other columns leave of the screen."""
        others = [name for i, name in enumerate(COLUMNS) if i != QUESTION_COLUMN]
        used = 0
        for i, name in enumerate(others):
            used += max([len(name), *(len(cells[i]) for _qid, cells in rows)]) + 2
        return max(MIN_QUESTION_WIDTH, self.app.size.width - used - 4)

    def refill(self) -> None:
        bank = self.app.engine.bank
        table = self.query_one("#browse-table", DataTable)
        keep = self._current_qid()
        table.clear()
        rows = self._rows()
        width = self._question_width(rows)
        for qid, cells in rows:
            stem = one_line(stem_text(bank.question(qid)), width)
            shown = [*cells[:QUESTION_COLUMN], stem, *cells[QUESTION_COLUMN:]]
            # an id is letters, digits, ".", "_" and "-": never markup; the rest is shown literally
            table.add_row(qid, *(plain(cell) for cell in shown[1:]), key=qid)
        if keep is not None and keep in table.rows:
            table.move_cursor(row=table.get_row_index(keep), animate=False)
        total = len(bank.active_questions)
        sort = "" if self.sort == "id" else f" · sorted by {self.sort}"
        hint = " · Enter opens one" if rows else ""
        noun = "question" if total == 1 else "questions"
        self.query_one("#browse-count", Static).update(f"{len(rows)} of {total} {noun}{sort}{hint}")

    def _current_qid(self) -> str | None:
        table = self.query_one("#browse-table", DataTable)
        if not table.row_count:
            return None
        row = min(max(table.cursor_row, 0), table.row_count - 1)
        key = table.coordinate_to_cell_key(Coordinate(row, 0)).row_key
        return key.value

    def on_input_changed(self, event: Input.Changed) -> None:
        self.refill()
        table = self.query_one("#browse-table", DataTable)
        if table.row_count:
            table.move_cursor(row=0, animate=False)

    def on_input_submitted(self, event: Input.Submitted) -> None:
        """Enter in the search box opens the highlighted question (the first match at first)."""
        qid = self._current_qid()
        if qid is not None:
            self.action_focus_table()
            self._open(qid)

    def on_select_changed(self, event: Select.Changed) -> None:
        self.refill()

    def on_data_table_header_selected(self, event: DataTable.HeaderSelected) -> None:
        for sort, column in SORTS.items():
            if event.column_key.value == column:
                self._set_sort(sort)

    def action_cycle_sort(self) -> None:
        names = list(SORTS)
        self._set_sort(names[(names.index(self.sort) + 1) % len(names)])

    def _set_sort(self, sort: str) -> None:
        self.sort = sort  # the count line says how the list is sorted
        self.refill()

    def action_focus_search(self) -> None:
        self.query_one("#browse-search", Input).focus()

    def action_focus_table(self) -> None:
        self.query_one("#browse-table", DataTable).focus()

    def on_data_table_row_selected(self, event: DataTable.RowSelected) -> None:
        qid = event.row_key.value
        if qid:
            self._open(qid)

    def _open(self, qid: str) -> None:
        from trainer.tui.screens.question_detail import QuestionDetailScreen

        self.app.push_screen(QuestionDetailScreen(qid))

    # -- card actions, on the highlighted question ---------------------------------------------

    def _changed(self, message: str) -> None:
        self.info = self.app.read(self.app.engine.all_card_info) or {}
        self.refill()
        self.notify(message, timeout=3, markup=False)

    def action_flag(self) -> None:
        qid = self._current_qid()
        if qid is not None:
            self._changed(toggle_flag(self.app, qid))

    def action_suspend(self) -> None:
        qid = self._current_qid()
        if qid is not None:
            self._changed(toggle_suspended(self.app, qid))

    def action_reset(self) -> None:
        qid = self._current_qid()
        if qid is not None:
            confirm_reset(self.app, qid, self._changed)


def _saved(write: Callable[[], object]) -> str:
    """Run a small write on the UI thread (it waits briefly for a lock): '' when saved, else why
    not (the database is read-only, full, busy...)."""
    from trainer.engine import TrainerDBError

    try:
        write()
    except TrainerDBError as exc:
        return f"Not saved: {exc}"
    return ""


def toggle_flag(app: TrainerApp, qid: str) -> str:
    """Flag or unflag ``qid``; what was done, in words."""
    flagged = not app.engine.is_flagged(qid)
    failed = _saved(lambda: app.engine.set_flag(qid, flagged))
    return failed or f"{qid} {'flagged' if flagged else 'unflagged'}."


def toggle_suspended(app: TrainerApp, qid: str) -> str:
    """Suspend or unsuspend ``qid``; what was done, in words."""
    suspended = not app.engine.card_info(qid).suspended
    failed = _saved(lambda: app.engine.set_suspended(qid, suspended))
    if failed:
        return failed
    if suspended:
        return f"{qid} suspended: study will not show it until you unsuspend it (s)."
    return f"{qid} unsuspended."


def confirm_reset(app: TrainerApp, qid: str, done: Callable[[str], None]) -> None:
    """Ask, then forget ``qid`` (back to new, its history kept) and call ``done`` with a message."""
    from trainer.tui.screens.confirm import ConfirmScreen

    def answered(yes: bool | None) -> None:
        if yes:
            failed = _saved(lambda: app.engine.reset_card(qid))
            done(failed or f"{qid} reset: it is new again; its history is kept.")

    app.push_screen(
        ConfirmScreen(
            f"Reset {qid}?",
            "It becomes a new card, as if never studied; its answer history is kept.",
            yes="Reset",
            no="Cancel",
        ),
        answered,
    )
