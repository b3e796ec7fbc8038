"""What the trainee sees after submitting: the verdict in words, the key, the why, the source."""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING

from rich.text import Text
from textual.app import ComposeResult
from textual.containers import Vertical
from textual.widgets import Static

from trainer.bank.models import Bank, Question
from trainer.tui.answer_text import key_text
from trainer.tui.formatting import letter

if TYPE_CHECKING:
    from trainer.engine import Grade


def verdict_text(question: Question, grade: Grade | None) -> str:
    """Right or wrong in words (never colour alone)."""
    if grade is None:
        return "Compare with the model answer and rate how well you recalled it."
    if grade.correct:
        return "Correct."
    if grade.score > 0:
        return f"Not correct (partly right: {round(grade.score * 100)}%)."
    return "Not correct."


def _labelled(label: str, body: str) -> Text:
    return Text.assemble((f"{label}: ", "bold"), body)


class Feedback(Vertical):
    """The verdict, the correct answer, the explanation, each option's why, objective and source.

    ``pending=True``: built before the answer is graded (the study screen mounts one, hidden, and
    keeps it for the whole session); ``show_question`` fills it in for another question and
    ``set_grade`` with the verdict and the detail, the only parts that depend on the answer, so
    that showing the feedback mounts nothing. A pending Feedback always has the same parts (those
    a question has no use for are hidden)."""

    DEFAULT_CSS = """
    Feedback { height: auto; }
    """

    def __init__(
        self,
        bank: Bank,
        question: Question,
        grade: Grade | None,
        *,
        verdict: bool = True,
        key: bool = True,
        order: Sequence[int] = (),
        pending: bool = False,
    ) -> None:
        super().__init__(id="feedback")
        self.pending = pending
        self.bank = bank
        self.question = question
        self.grade = grade
        self.show_verdict = verdict
        self.show_key = key
        self.order = tuple(order)  # options as shown (bank order if empty)

    def compose(self) -> ComposeResult:
        q, grade = self.question, self.grade
        if self.show_verdict:
            verdict = Static(
                "" if self.pending else verdict_text(q, grade), id="verdict", markup=False
            )
            if grade is not None and not self.pending:
                verdict.add_class("-correct" if grade.correct else "-wrong")
            yield verdict
        detail = grade.detail if grade is not None and not self.pending else ""
        if self.pending or (detail and q.type in ("multiple", "order", "cloze")):
            shown = Static(detail, id="grade-detail", markup=False)
            shown.display = bool(detail)
            yield shown
        # Few widgets: each Static below holds the lines of what were several Statics of the
        # same width and style, one after the other (no margins between them: ``#feedback >
        # Static`` sets them to 0), so it looks the same: a screen lays out and paints a widget
        # at a time, and the study screen shows this on every answer.
        main, whys, objectives = self._texts()
        yield Static(main, id="feedback-text")
        if self.pending or whys is not None:
            why = Static(whys or "", classes="why")
            why.display = whys is not None
            yield why
        if self.pending or objectives is not None:
            objective = Static(objectives or "", classes="objective")
            objective.display = objectives is not None
            yield objective

    def _keyed(self) -> bool:
        return self.question.type != "recall" and self.show_key

    def _texts(self) -> tuple[Text, Text | None, Text | None]:
        """The answer and explanation; each option's why (None: no options); the objectives
        and their sources (None: none), one after another."""
        q = self.question
        lines: list[Text] = []
        if self._keyed():
            lines.append(_labelled("Answer", key_text(q, self.order)))
        lines.append(_labelled("Explanation", q.explanation))
        if q.options:
            lines.append(Text("Why each option", style="bold"))
        whys: Text | None = None
        if q.options:
            shown = self.order if sorted(self.order) == list(range(len(q.options))) else None
            parts: list[Text] = []
            for pos, i in enumerate(shown or range(len(q.options))):
                option = q.options[i]
                status = "correct" if option.correct else "wrong"
                parts.append(Text.assemble(f"{letter(pos)} ({status}) ", (option.why, "")))
            whys = Text("\n").join(parts)
        blocks: list[Text] = []
        for oid in q.objectives:
            objective = self.bank.objectives.get(oid)
            if objective is None:
                continue
            block = [_labelled("Objective", objective.text)]
            block.extend(
                _labelled("Source", self.bank.citation_text(citation))
                for citation in objective.sources
            )
            blocks.append(Text("\n").join(block))
        objectives = Text("\n").join(blocks) if blocks else None
        return Text("\n").join(lines), whys, objectives

    def show_question(self, question: Question, *, order: Sequence[int] = ()) -> None:
        """Fill a pending Feedback in for another question, ungraded (mounted, hidden)."""
        self.question, self.order, self.grade = question, tuple(order), None
        main, whys, objectives = self._texts()
        self.query_one("#feedback-text", Static).update(main)
        why = self.query_one(".why", Static)
        why.update(whys or "")
        why.display = whys is not None
        objective = self.query_one(".objective", Static)
        objective.update(objectives or "")
        objective.display = objectives is not None

    def set_grade(self, grade: Grade | None) -> None:
        """Fill in what depends on the answer (a ``pending`` Feedback, mounted)."""
        self.grade = grade
        for verdict in self.query("#verdict").results(Static):
            verdict.update(verdict_text(self.question, grade))
            verdict.set_class(grade is not None and grade.correct, "-correct")
            verdict.set_class(grade is not None and not grade.correct, "-wrong")
        for detail in self.query("#grade-detail").results(Static):
            text = grade.detail if grade is not None else ""
            if self.question.type not in ("multiple", "order", "cloze"):
                text = ""
            detail.update(text)
            detail.display = bool(text)
