"""The right answer widget for a question's type."""

from __future__ import annotations

import random
from typing import TYPE_CHECKING

from trainer.bank.models import Question
from trainer.tui.widgets.answer_base import AnswerWidget
from trainer.tui.widgets.choice_answer import ChoiceAnswer
from trainer.tui.widgets.cloze_answer import ClozeAnswer
from trainer.tui.widgets.order_answer import OrderAnswer
from trainer.tui.widgets.recall_answer import RecallAnswer

if TYPE_CHECKING:
    from trainer.engine.grading import Response


def question_rng(seed: int | None, qid: str) -> random.Random:
    """A per-question rng: the same question is shuffled the same way for a given seed."""
    return random.Random(f"{seed}:{qid}") if seed is not None else random.Random()


def make_answer_widget(
    question: Question,
    *,
    seed: int | None,
    initial: Response = None,
    revealed: bool = False,
    exam: bool = False,
) -> AnswerWidget:
    if question.type == "order":
        rng = question_rng(seed, question.id)
        return OrderAnswer(question, rng=rng, initial=initial, exam=exam)
    if question.type == "cloze":
        return ClozeAnswer(question, initial=initial, exam=exam)
    if question.type == "recall":
        return RecallAnswer(question, initial=initial, revealed=revealed, exam=exam)
    return ChoiceAnswer(question, initial=initial, exam=exam)


def display_stem(question: Question) -> str:
    """The stem as the trainee sees it before answering (cloze blanks masked)."""
    if question.type == "cloze":
        from trainer.tui.widgets.cloze_answer import masked_stem

        return masked_stem(question.stem)
    return question.stem
