"""Keys and responses written out as text (for feedback, the exam review and browse)."""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING

from trainer.bank.models import CLOZE_BLANK, Question, blank_answers
from trainer.tui.formatting import letter

if TYPE_CHECKING:
    from trainer.engine.grading import Response


def shown_letter(order: Sequence[int], index: int) -> str:
    """The letter option ``index`` (bank order) was shown with, given the shown ``order``."""
    return letter(order.index(index)) if index in order else letter(index)


def key_text(question: Question, order: Sequence[int] = ()) -> str:
    """The correct answer, written out (letters as shown in ``order``, bank order if ())."""
    if question.type == "true_false":
        return "True" if question.answer else "False"
    if question.type in ("single", "multiple"):
        picks = sorted(question.correct_indexes, key=lambda i: shown_letter(order, i))
        return "; ".join(f"{shown_letter(order, i)}. {question.options[i].text}" for i in picks)
    if question.type == "order":
        return "  ".join(f"{i + 1}. {step}" for i, step in enumerate(question.steps))
    if question.type == "cloze":
        return CLOZE_BLANK.sub(lambda m: f"[{(blank_answers(m) or ('',))[0]}]", question.stem)
    return question.model_answer


def response_text(
    question: Question, response: Response, *, answered: bool = True, order: Sequence[int] = ()
) -> str:
    """What the trainee answered, written out."""
    if not answered:
        return "(not answered)"
    if question.type == "recall":
        return "(answered in your head)"
    if isinstance(response, bool):
        return "True" if response else "False"
    if isinstance(response, int) and question.options:
        return f"{shown_letter(order, response)}. {question.options[response].text}"
    if isinstance(response, frozenset):
        if not response:
            return "(nothing ticked)"
        picks = sorted(response, key=lambda i: shown_letter(order, i))
        return "; ".join(f"{shown_letter(order, i)}. {question.options[i].text}" for i in picks)
    if isinstance(response, tuple) and question.type == "order":
        steps = [question.steps[i] for i in response if isinstance(i, int)]
        return "  ".join(f"{pos + 1}. {step}" for pos, step in enumerate(steps))
    if isinstance(response, tuple):
        return "; ".join(f"[{i + 1}] {v or '(blank)'}" for i, v in enumerate(response))
    return "(not answered)"
