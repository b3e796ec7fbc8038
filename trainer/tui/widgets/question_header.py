"""The line above a question: where you are, what kind of question, its topic, whether flagged."""

from __future__ import annotations

from textual.widgets import Static

from trainer.bank.models import TYPE_TITLES, Bank, Question, topic_title


def header_text(
    bank: Bank, question: Question, mode: str, *, flagged: bool, marked: bool = False
) -> str:
    parts = [
        mode,
        TYPE_TITLES.get(question.type, question.type),
        topic_title(bank.topic_of(question)),
        question.id,
    ]
    if flagged:
        parts.append("Flagged")
    if marked:
        parts.append("Marked for review")
    return "  ·  ".join(parts)


class QuestionHeader(Static):
    DEFAULT_CSS = """
    QuestionHeader { height: 1; width: 1fr; text-style: bold; padding: 0 1; }
    """

    def show(
        self, bank: Bank, question: Question, mode: str, *, flagged: bool, marked: bool = False
    ) -> None:
        text = header_text(bank, question, mode, flagged=flagged, marked=marked)
        if text != self.content:  # the same line: no refresh (the screen shows it per answer)
            self.update(text)
