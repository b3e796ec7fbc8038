"""The end of an exam: the score, a per-topic breakdown, and every question reviewed."""

from __future__ import annotations

from typing import TYPE_CHECKING, ClassVar

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import VerticalScroll
from textual.screen import Screen
from textual.widgets import Static

from trainer.bank.models import topic_title
from trainer.sessions import ExamAnswer
from trainer.tui.answer_text import key_text, response_text
from trainer.tui.formatting import format_duration, percent
from trainer.tui.paging import page_bindings, scroll_page
from trainer.tui.widgets.key_bar import KeyBar

if TYPE_CHECKING:
    from trainer.sessions import ExamOutcome
    from trainer.tui.app import TrainerApp


class ExamResultScreen(Screen[None]):
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape,h", "app.home", "Home", id="exam-result-home", tooltip="Back to home"),
        *page_bindings("exam-result", "the review", down_keys="pagedown,space"),
    ]

    app: TrainerApp

    def __init__(self, outcome: ExamOutcome, orders: dict[str, tuple[int, ...]]) -> None:
        super().__init__()
        self.outcome = outcome
        self.grades = outcome.grades
        self.result = outcome.result
        self.orders = orders  # each question's options as they were shown

    def compose(self) -> ComposeResult:
        outcome, result = self.outcome, self.result
        bank = self.app.engine.bank
        right, total = len(result.correct_ids), len(result.question_ids)
        elapsed = int((result.finished - result.started).total_seconds())
        with VerticalScroll(id="exam-result-body"):
            yield Static(
                Text(
                    f"Exam result: {right} of {total} right ({percent(result.score)})",
                    style="bold",
                ),
                id="exam-score",
            )
            yield Static(f"Time taken {format_duration(elapsed)}", markup=False)
            table = Text("\nBy topic\n", style="bold")
            for topic, (ok, n) in sorted(result.by_topic.items()):
                table.append(f"  {topic_title(topic):<22.22} {ok:>3} of {n:<3} ", style="")
                table.append(f"{percent(ok / n if n else 0.0):>5}\n", style="")
            yield Static(table, id="exam-by-topic")
            yield Static(Text("Every question", style="bold"), classes="help-section")
            for number, q in enumerate(outcome.questions, start=1):
                g = self.grades[q.id]
                order = self.orders.get(q.id, ())
                answer = outcome.answers.get(q.id) or ExamAnswer()
                verdict = "Right" if g.correct else "Wrong"
                if not answer.answered:
                    verdict = "Not answered"
                item = Text()
                item.append(f"{number}. {verdict}  ", style="bold")
                item.append(f"({q.id}, {topic_title(bank.topic_of(q))})\n", style="dim")
                item.append(q.stem.strip() + "\n")
                item.append("Your answer: ", style="bold")
                if q.type == "recall" and answer.answered:
                    mark = "knew it" if answer.knew_it else "did not know it"
                    item.append(f"(self-marked: {mark})\n")
                else:
                    shown = response_text(q, answer.response, answered=answer.answered, order=order)
                    item.append(shown + "\n")
                item.append("Key: ", style="bold")
                item.append(key_text(q, order) + "\n")
                item.append("Explanation: ", style="bold")
                item.append(q.explanation.strip())
                row = Static(item, classes="exam-item")
                row.add_class("-correct-item" if g.correct else "-wrong-item")
                yield row
            yield Static("Press Escape to go home.", classes="hint", markup=False)
        yield KeyBar()

    def action_scroll(self, direction: int) -> None:
        scroll_page(self.query_one("#exam-result-body", VerticalScroll), direction)
