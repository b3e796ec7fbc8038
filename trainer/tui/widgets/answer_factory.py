"""The right answer widget for a question's type."""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING

from trainer.bank.models import Question
from trainer.tui.widgets.answer_base import AnswerWidget
from trainer.tui.widgets.choice_answer import ChoiceAnswer
from trainer.tui.widgets.cloze_answer import ClozeAnswer
from trainer.tui.widgets.order_answer import OrderAnswer
from trainer.tui.widgets.recall_answer import RecallAnswer

if TYPE_CHECKING:
    from trainer.engine.grading import Response


def make_answer_widget(
    question: Question,
    *,
    order: Sequence[int] = (),
    initial: Response = None,
    revealed: bool = False,
    exam: bool = False,
) -> AnswerWidget:
    """``order``: the session's shown order (trainer.sessions.option_order): of the options
    (single, multiple) or the steps' starting arrangement (order); () for bank order."""
    if question.type == "order":
        return OrderAnswer(question, arrangement=order, initial=initial, exam=exam)
    if question.type == "cloze":
        return ClozeAnswer(question, initial=initial, exam=exam)
    if question.type == "recall":
        return RecallAnswer(question, initial=initial, revealed=revealed, exam=exam)
    return ChoiceAnswer(question, order=order, initial=initial, exam=exam)


def display_stem(question: Question) -> str:
    """The stem as the trainee sees it before answering (cloze blanks masked)."""
    if question.type == "cloze":
        from trainer.tui.widgets.cloze_answer import masked_stem

        return masked_stem(question.stem)
    return question.stem
