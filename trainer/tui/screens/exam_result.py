"""The end of an exam (a QBank block): the score, a per-topic table in bank order, the time per
question, and every question reviewed: the trainee's answer, the key, every option's why, the
explanation, objective and source (cloze blanks shown as blanks). Marked questions were flagged
for later practice when the block was submitted."""

from __future__ import annotations

from typing import TYPE_CHECKING, ClassVar

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Vertical, VerticalScroll
from textual.screen import Screen
from textual.widgets import Static

from trainer.bank.models import Bank, topic_title
from trainer.engine import ExamResult
from trainer.sessions import ExamAnswer
from trainer.tui.answer_text import response_text
from trainer.tui.formatting import format_duration, format_when, percent
from trainer.tui.paging import page_bindings, scroll_page
from trainer.tui.widgets.answer_factory import display_stem
from trainer.tui.widgets.feedback import Feedback
from trainer.tui.widgets.key_bar import KeyBar

if TYPE_CHECKING:
    from trainer.sessions import ExamOutcome
    from trainer.tui.app import TrainerApp


def by_topic_text(bank: Bank, result: ExamResult) -> Text:
    """The per-topic table, in the bank's topic order."""
    table = Text("\nBy topic\n", style="bold")
    order = {t: i for i, t in enumerate(bank.topics)}
    for topic, (ok, n) in sorted(
        result.by_topic.items(), key=lambda kv: (order.get(kv[0], len(order)), kv[0])
    ):
        table.append(f"  {topic_title(topic):<22.22} {ok:>3} of {n:<3} ", style="")
        table.append(f"{percent(ok / n if n else 0.0):>5}\n", style="")
    return table


class ExamResultScreen(Screen[None]):
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape,h", "leave", "Back", id="exam-result-home", tooltip="Back"),
        *page_bindings("exam-result", "the review", down_keys="pagedown,space"),
    ]

    app: TrainerApp

    def __init__(
        self, outcome: ExamOutcome, orders: dict[str, tuple[int, ...]], *, past: bool = False
    ) -> None:
        super().__init__()
        self.past = past  # opened from the exam history
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
            when = f"Exam of {format_when(result.started)}" if self.past else "Exam result"
            yield Static(
                Text(f"{when}: {right} of {total} right ({percent(result.score)})", style="bold"),
                id="exam-score",
            )
            if len(outcome.questions) < total:
                yield Static(
                    f"{total - len(outcome.questions)} of its questions are no longer in the bank.",
                    markup=False,
                )
            average = elapsed // total if total else 0
            yield Static(
                f"Time taken {format_duration(elapsed)} ({format_duration(average)} a question)",
                markup=False,
            )
            marked = [n for n, q in enumerate(outcome.questions, 1) if q.id in outcome.marked]
            if marked:
                yield Static(
                    f"Marked {', '.join(map(str, marked))}: flagged for later practice "
                    "(Practice, filter Flagged).",
                    id="exam-marked",
                    markup=False,
                )
            yield Static(by_topic_text(bank, result), id="exam-by-topic")
            yield Static(Text("Every question", style="bold"), classes="help-section")
            for number, q in enumerate(outcome.questions, start=1):
                g = self.grades[q.id]
                order = self.orders.get(q.id, ())
                answer = outcome.answers.get(q.id) or ExamAnswer()
                verdict = "Right" if g.correct else "Wrong"
                if not answer.answered:
                    verdict = "Not answered"
                head = Text()
                head.append(f"{number}. {verdict}  ", style="bold")
                spent = outcome.seconds.get(q.id)
                when = "" if spent is None else f", {format_duration(int(spent))}"
                flag = ", marked" if q.id in outcome.marked else ""
                topic = topic_title(bank.topic_of(q))
                head.append(f"({q.id}, {topic}{when}{flag})\n", style="dim")
                head.append(display_stem(q).strip() + "\n")
                head.append("Your answer: ", style="bold")
                if q.type == "recall" and answer.answered:
                    mark = "knew it" if answer.knew_it else "did not know it"
                    head.append(f"(self-marked: {mark})")
                else:
                    head.append(
                        response_text(q, answer.response, answered=answer.answered, order=order)
                    )
                with Vertical(classes="exam-item") as item:
                    item.add_class("-correct-item" if g.correct else "-wrong-item")
                    yield Static(head, classes="exam-item-head")
                    yield Feedback(bank, q, g, verdict=False, order=order)
            yield Static(
                "Press Escape to go back." if self.past else "Press Escape to go home.",
                classes="hint",
                markup=False,
            )
        yield KeyBar()

    def action_leave(self) -> None:
        if self.past:
            self.app.pop_screen()  # back to the exam history
        else:
            self.app.go_home()

    def action_scroll(self, direction: int) -> None:
        scroll_page(self.query_one("#exam-result-body", VerticalScroll), direction)
