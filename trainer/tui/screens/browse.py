"""Browse: a searchable table of every question, filtered by topic, type and state, sorted by
id, topic, due date, lapses or difficulty; suspend, reset (forget) and flag from the list.

Nothing here waits on the UI thread: the cards are read in the database worker (DbScreen), the
rows are searched, filtered and sorted in a thread worker (the newest request wins; a search is
debounced), and the table is virtual (browse_table.py: only the rows on screen are drawn), so
opening, sorting and typing stay responsive at 50,000 questions. Flag, suspend and reset are
written in the database worker too: a key is handled at once while another program holds the
database, and the change lands when it lets go."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import TYPE_CHECKING, Any, ClassVar

from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Horizontal
from textual.message import Message
from textual.widgets import Input, Select, Static
from textual.worker import get_current_worker

from trainer.bank.models import (
    QUESTION_TYPES,
    TYPE_TITLES,
    Bank,
    Question,
    topic_title,
)
from trainer.gcpause import freeze_alive, gc_paused
from trainer.tui.formatting import format_due
from trainer.tui.plain import one_line, plain
from trainer.tui.screens.browse_table import BrowseTable
from trainer.tui.screens.db_screen import DbScreen
from trainer.tui.widgets.cloze_answer import masked_stem
from trainer.tui.widgets.key_bar import KeyBar
from trainer.tui.widgets.text_input import TextInput

if TYPE_CHECKING:
    from trainer.engine import CardInfo, Engine

STATES = ("new", "learning", "review", "relearning", "suspended", "flagged")
COLUMNS = ("Id", "Question", "Topic", "Type", "State", "Due", "Lapses", "Difficulty", "Flag")
QUESTION_COLUMN = 1
MIN_QUESTION_WIDTH = 20
SEARCH_DEBOUNCE = 0.15  # seconds of no typing before a search runs
# Type names where the full ones do not fit
SHORT_TYPES = {
    "single": "Single",
    "multiple": "Multiple",
    "true_false": "True/false",
    "order": "Ordering",
    "cloze": "Cloze",
    "recall": "Recall",
}
# Columns left out, in this order, when the terminal is too narrow (never the sorted one)
DROPPABLE = ("Difficulty", "Lapses", "Type", "Topic")
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
    return question.stem if question.type != "cloze" else masked_stem(question.stem, fill="___")


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
    haystack: str | None = None,
) -> bool:
    """Whether a question passes the search text and the three filters (``haystack``: the
    question's searchable text, casefolded, when already made)."""
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
        if haystack is None:
            haystack = search_text(question, topic_of)
        return all(word in haystack for word in text.casefold().split())
    return True


def search_text(question: Question, topic_of: str) -> str:
    """What a search looks in: id, stem, topic, type, tags, options, steps, model answer."""
    return " ".join(
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


_haystacks: dict[int, tuple[Bank, list[str]]] = {}  # id(bank) -> (bank, text per active question)


def haystacks(bank: Bank) -> list[str]:
    """The search text of each active question, made once per bank (in a worker thread)."""
    held = _haystacks.get(id(bank))
    if held is None or held[0] is not bank:
        _haystacks.clear()
        texts = [search_text(q, bank.topic_of(q)) for q in bank.active_questions]
        held = _haystacks[id(bank)] = (bank, texts)
    return held[1]


@dataclass(frozen=True)
class Query:
    """What the rows are: the search, the filters and the sort."""

    text: str
    topic: str | None
    qtype: str | None
    state: str | None
    sort: str


def pick_rows(bank: Bank, info: dict[str, CardInfo], query: Query) -> list[str] | None:
    """The ids of the questions that pass ``query``, sorted; None when cancelled (a newer query
    came, in a worker)."""
    worker = None
    try:
        worker = get_current_worker()
    except Exception:  # not in a worker (a direct call)
        worker = None
    texts = haystacks(bank) if query.text else None
    topic_rank = {t: i for i, t in enumerate(bank.topics)}
    picked: list[tuple[tuple[object, ...], str]] = []
    for position, q in enumerate(bank.active_questions):
        if position % 2000 == 0 and worker is not None and worker.is_cancelled:
            return None
        card = info.get(q.id)
        q_topic = bank.topic_of(q)
        if matches(
            q,
            card,
            q_topic,
            text=query.text,
            topic=query.topic,
            qtype=query.qtype,
            state=query.state,
            haystack=texts[position] if texts is not None else None,
        ):
            key = sort_key(query.sort, position, topic_rank.get(q_topic, 0), card)
            picked.append((key, q.id))
    picked.sort(key=lambda row: row[0])
    return [qid for _key, qid in picked]


def fit_columns(
    width: int, id_width: int, topic_width: int, sort: str, topic_full: int = 0
) -> list[tuple[str, str, int]]:
    """The columns shown in ``width`` characters, as (name, header, width): the question gets
    what is left; the type names are shortened, then columns dropped (DROPPABLE), until the
    question has MIN_QUESTION_WIDTH (the sorted column always stays). Where there is room to
    spare, the topic column grows up to ``topic_full`` (its longest name, at most 60)."""
    sorted_by = SORTS.get(sort, "Id")
    widths = {
        "Id": id_width,
        "Question": 0,
        "Topic": topic_width,
        "Type": max(len(t) for t in TYPE_TITLES.values()),
        "State": len("relearning"),
        "Due": len("2030-01-01"),
        "Lapses": len("Lapses"),
        "Difficulty": len("Difficulty"),
        "Flag": len("Flag"),
    }
    shown = list(COLUMNS)

    def left() -> int:
        return width - sum(widths[c] for c in shown) - (len(shown) - 1)

    if left() < MIN_QUESTION_WIDTH:
        widths["Type"] = max(len(t) for t in SHORT_TYPES.values())
    for name in DROPPABLE:
        if left() >= MIN_QUESTION_WIDTH:
            break
        if name != sorted_by:
            shown.remove(name)
    spare = left() - MIN_QUESTION_WIDTH - 10
    if spare > 0 and "Topic" in shown:
        widths["Topic"] = max(topic_width, min(topic_full, 60, topic_width + spare))
    widths["Question"] = max(MIN_QUESTION_WIDTH, left())
    return [(name, name, widths[name]) for name in shown]


class RowsBuilt(Message):
    """The rows of request ``number`` (None: cancelled)."""

    def __init__(self, number: int, keys: list[str] | None) -> None:
        super().__init__()
        self.number = number
        self.keys = keys


class BrowseScreen(DbScreen):
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

    DEFAULT_CSS = """
    #browse-table { scrollbar-size-vertical: 1; overflow-x: hidden; }
    """

    def __init__(self) -> None:
        super().__init__()
        self.sort = "id"
        self.info: dict[str, CardInfo] = {}
        self._read = False  # the cards have been read once
        self._asked = 0  # the newest rows request
        self._shown = 0  # the request whose rows are on screen
        self._open_first = False  # Enter in the search box before its rows were ready
        self._cells: dict[str, tuple[str, ...]] = {}
        self._layout: list[tuple[str, str, int]] = []
        self._debounce: Any = None
        bank = self.app.engine.bank
        self._id_width = min(18, max([2, *(len(q.id) for q in bank.active_questions)]))
        self._topic_full = max([5, *(len(topic_title(t)) for t in bank.topics)])
        self._topic_width = min(16, self._topic_full)

    @property
    def busy(self) -> int:
        """Reads, writes and rows not yet shown (tests and benchmarks wait for 0)."""
        return self._db_calls + (self._asked != self._shown) + (not self._read)

    @property
    def building(self) -> bool:
        return bool(self.busy)

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
        yield Static(
            f"Reading {len(bank.active_questions)} questions...", id="browse-count", markup=False
        )
        yield BrowseTable(self.cells, id="browse-table")
        yield KeyBar()

    @property
    def table(self) -> BrowseTable:
        return self.query_one("#browse-table", BrowseTable)

    def on_mount(self) -> None:
        self._fit()
        self.table.focus()
        self.load()

    def on_screen_resume(self) -> None:
        if self._read:  # back from a question: its card may have changed
            self.load()

    def on_resize(self) -> None:
        self._fit()

    def load(self) -> None:
        """Read every card's state (in the database worker), then show the rows."""
        freeze = self.app.freeze_heap

        def read(engine: Engine) -> dict[str, CardInfo]:
            # One record per card (50,000 at scale): built with the collector paused, whose
            # full passes would otherwise stall the UI thread too (they hold the GIL), then,
            # in a real run, frozen out of its way as the app's start-up objects are.
            with gc_paused():
                info = engine.all_card_info()
                if freeze:
                    freeze_alive()
            return info

        self.run_engine("read-cards", read, read=True)

    def db_done(self, tag: str, result: Any) -> None:
        if tag == "read-cards":
            self._read = True
            self.info = result
            self._cells.clear()
            self.refill()
        elif tag == "write":
            message, card = result
            if card is not None:
                self.info = {**self.info, card.qid: card}
                self._cells.pop(card.qid, None)
                self.refill()
            self.notify(message, timeout=3, markup=False)

    def db_failed(self, tag: str, error: Exception) -> None:
        if tag == "read-cards":
            self._read = True
        super().db_failed(tag, error)

    # -- rows --------------------------------------------------------------------------------

    def _select_value(self, selector: str) -> str | None:
        value = self.query_one(selector, Select).value
        return value if isinstance(value, str) else None

    def _query(self) -> Query:
        return Query(
            text=self.query_one("#browse-search", Input).value.strip(),
            topic=self._select_value("#browse-topic"),
            qtype=self._select_value("#browse-type"),
            state=self._select_value("#browse-state"),
            sort=self.sort,
        )

    def refill(self) -> None:
        """Search, filter and sort the rows again, in a thread worker (the newest wins)."""
        if self._debounce is not None:
            self._debounce.stop()
            self._debounce = None
        if not self._read:
            return  # load() refills once the cards are read
        self._asked += 1
        number, bank, info, query = self._asked, self.app.engine.bank, self.info, self._query()

        def build() -> None:
            keys = pick_rows(bank, info, query)
            self.post_message(RowsBuilt(number, keys))

        self.run_worker(build, thread=True, exclusive=True, group="browse-rows")

    def on_rows_built(self, message: RowsBuilt) -> None:
        if message.number != self._asked or message.keys is None:
            return  # a newer request is on its way
        self._shown = message.number
        keys = message.keys
        self.table.set_rows(keys, keep=self.table.current_key)
        total = len(self.app.engine.bank.active_questions)
        sort = "" if self.sort == "id" else f" · sorted by {self.sort}"
        hint = " · Enter opens one" if keys else ""
        noun = "question" if total == 1 else "questions"
        hidden = [c for c in COLUMNS if c not in {name for name, _h, _w in self._layout}]
        wider = f" · wider shows {', '.join(hidden).lower()}" if hidden else ""
        self.query_one("#browse-count", Static).update(
            f"{len(keys)} of {total} {noun}{sort}{hint}{wider}"
        )
        if self._open_first:
            self._open_first = False
            if keys:
                self.action_focus_table()
                self._open(keys[self.table.cursor_row])

    def _fit(self) -> None:
        width = self.app.size.width - 1  # the table's scrollbar
        layout = fit_columns(width, self._id_width, self._topic_width, self.sort, self._topic_full)
        if layout != self._layout:
            self._layout = layout
            self._cells.clear()
            self.table.set_columns(layout)

    def cells(self, qid: str) -> tuple[str, ...]:
        """The cells of ``qid``'s row, in the shown columns (made when first painted)."""
        shown = self._cells.get(qid)
        if shown is None:
            engine = self.app.engine
            bank = engine.bank
            q = bank.question(qid)
            info = self.info.get(qid)
            state_text: str = info.state if info else "-"
            if info and info.suspended:
                state_text = "suspended"
            difficulty = info.difficulty if info else None
            names = {name for name, _h, w in self._layout}
            short = any(name == "Type" and w < 18 for name, _h, w in self._layout)
            every = {
                "Id": q.id,
                "Question": " ".join(stem_text(q).split()),
                "Topic": topic_title(bank.topic_of(q)),
                "Type": (SHORT_TYPES if short else TYPE_TITLES).get(q.type, q.type),
                "State": state_text,
                "Due": format_due(info.due, engine.now()) if info and info.state != "new" else "-",
                "Lapses": str(info.lapses) if info else "-",
                "Difficulty": f"{difficulty:.1f}" if difficulty is not None else "-",
                "Flag": "yes" if info and info.flagged else "",
            }
            # drawn as plain text (never markup), with no character a terminal would act on
            shown = self._cells[qid] = tuple(one_line(every[n]) for n in COLUMNS if n in names)
        return shown

    def _current_qid(self) -> str | None:
        return self.table.current_key

    def on_input_changed(self, event: Input.Changed) -> None:
        """A search runs once typing pauses (SEARCH_DEBOUNCE); the cursor goes to the top."""
        if self._debounce is not None:
            self._debounce.stop()
        self._asked += 1  # busy until the search has run and its rows are shown
        self.table.cursor_row = 0
        self._debounce = self.set_timer(SEARCH_DEBOUNCE, self._search_now)

    def _search_now(self) -> None:
        self._debounce = None
        self.refill()
        self.table.cursor_row = 0

    def on_input_submitted(self, event: Input.Submitted) -> None:
        """Enter in the search box opens the highlighted question (the first match at first)."""
        if self._debounce is not None or self._asked != self._shown:
            self._open_first = True  # once the rows of what was typed are shown
            if self._debounce is not None:
                self._search_now()
            return
        qid = self._current_qid()
        if qid is not None:
            self.action_focus_table()
            self._open(qid)

    def on_select_changed(self, event: Select.Changed) -> None:
        self.refill()

    def on_browse_table_header_clicked(self, event: BrowseTable.HeaderClicked) -> None:
        for sort, column in SORTS.items():
            if event.column == column:
                self._set_sort(sort)

    def action_cycle_sort(self) -> None:
        names = list(SORTS)
        self._set_sort(names[(names.index(self.sort) + 1) % len(names)])

    def _set_sort(self, sort: str) -> None:
        self.sort = sort  # the count line says how the list is sorted
        self._fit()  # the sorted column is always shown
        self.refill()

    def action_focus_search(self) -> None:
        self.query_one("#browse-search", Input).focus()

    def action_focus_table(self) -> None:
        self.table.focus()

    def on_browse_table_selected(self, event: BrowseTable.Selected) -> None:
        self._open(event.key)

    def _open(self, qid: str) -> None:
        from trainer.tui.screens.question_detail import QuestionDetailScreen

        self.app.push_screen(QuestionDetailScreen(qid))

    # -- card actions, on the highlighted question ---------------------------------------------

    def action_flag(self) -> None:
        qid = self._current_qid()
        if qid is not None:
            self.run_engine("write", lambda engine: toggle_flag(engine, qid))

    def action_suspend(self) -> None:
        qid = self._current_qid()
        if qid is not None:
            self.run_engine("write", lambda engine: toggle_suspended(engine, qid))

    def action_reset(self) -> None:
        qid = self._current_qid()
        if qid is not None:
            confirm_reset(self, qid)


# The card actions, run in the database worker (DbScreen.run_engine, tag "write"): each reads the
# card as it is in the file when its turn comes (two quick presses flag, then unflag) and returns
# what was done, in words, and the card as it is now.


def toggle_flag(engine: Engine, qid: str) -> tuple[str, CardInfo]:
    """Flag or unflag ``qid``."""
    flagged = not engine.is_flagged(qid)
    engine.set_flag(qid, flagged)
    return f"{qid} {'flagged' if flagged else 'unflagged'}.", engine.card_info(qid)


def toggle_suspended(engine: Engine, qid: str) -> tuple[str, CardInfo]:
    """Suspend or unsuspend ``qid``."""
    suspended = not engine.card_info(qid).suspended
    engine.set_suspended(qid, suspended)
    if suspended:
        message = f"{qid} suspended: study will not show it until you unsuspend it (s)."
    else:
        message = f"{qid} unsuspended."
    return message, engine.card_info(qid)


def reset(engine: Engine, qid: str) -> tuple[str, CardInfo]:
    """Forget ``qid``: back to new, its history kept."""
    engine.reset_card(qid)
    return f"{qid} reset: it is new again; its history is kept.", engine.card_info(qid)


def confirm_reset(screen: DbScreen, qid: str) -> None:
    """Ask, then reset ``qid`` in the database worker (``screen.db_done("write", ...)`` follows)."""
    from trainer.tui.screens.confirm import ConfirmScreen

    def answered(yes: bool | None) -> None:
        if yes:
            screen.run_engine("write", lambda engine: reset(engine, qid))

    screen.app.push_screen(
        ConfirmScreen(
            f"Reset {qid}?",
            "It becomes a new card, as if never studied; its answer history is kept.",
            yes="Reset",
            no="Cancel",
        ),
        answered,
    )
