"""Past exams: each stored result with its date (local time), score and size; Enter opens one for
review (ExamResultScreen, rebuilt from the log by sessions.exam.past_outcome). Both are read in the
database worker (DbScreen), never on the UI thread."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any, ClassVar

from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.widgets import DataTable, Static

from trainer.engine import ExamResult
from trainer.tui.formatting import format_duration, format_when, percent
from trainer.tui.screens.db_screen import DbScreen
from trainer.tui.widgets.key_bar import KeyBar

if TYPE_CHECKING:
    from trainer.engine import Engine
    from trainer.sessions.exam import ExamOutcome


class ExamHistoryScreen(DbScreen):
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape", "app.home", "Home", id="exam-history-home", tooltip="Back to home"),
        Binding("enter", "open", "Open", id="exam-history-open", tooltip="Review this exam"),
    ]

    def __init__(self) -> None:
        super().__init__()
        self.results: list[ExamResult] = []

    def compose(self) -> ComposeResult:
        yield Static("Past exams (newest first); Enter opens one.", classes="panel-title")
        table: DataTable[str] = DataTable(id="exam-history", cursor_type="row", zebra_stripes=True)
        yield table
        yield Static("", id="exam-history-empty", markup=False)
        yield KeyBar()

    def on_mount(self) -> None:
        self.query_one("#exam-history", DataTable).focus()
        self.run_engine("read-results", lambda engine: engine.exam_results(), read=True)

    def db_done(self, tag: str, result: Any) -> None:
        if tag == "read-results":
            self.show(list(reversed(result)))
        elif tag == "read-outcome":
            self._review(*result)

    def show(self, results: list[ExamResult]) -> None:
        self.results = results
        table = self.query_one("#exam-history", DataTable)
        table.add_columns("Date", "Score", "Right", "Questions", "Time")
        for r in self.results:
            right, total = len(r.correct_ids), len(r.question_ids)
            taken = int((r.finished - r.started).total_seconds())
            table.add_row(
                format_when(r.started),
                percent(r.score),
                str(right),
                str(total),
                format_duration(taken),
            )
        if not self.results:
            table.display = False
            self.query_one("#exam-history-empty", Static).update(
                "No exams yet: press Escape, then e to start one."
            )

    def on_data_table_row_selected(self, event: DataTable.RowSelected) -> None:
        event.stop()
        self.action_open()

    def action_open(self) -> None:
        from trainer.sessions.exam import past_outcome

        if not self.results:
            return
        table = self.query_one("#exam-history", DataTable)
        result = self.results[max(0, table.cursor_row)]

        def read(engine: Engine) -> tuple[ExamResult, ExamOutcome]:
            return result, past_outcome(engine, result)

        self.run_engine("read-outcome", read, read=True)

    def _review(self, result: ExamResult, outcome: ExamOutcome) -> None:
        from trainer.sessions.exam import exam_orders
        from trainer.tui.screens.exam_result import ExamResultScreen

        orders = exam_orders(outcome.questions, result.seed)
        self.app.push_screen(ExamResultScreen(outcome, orders, past=True))
