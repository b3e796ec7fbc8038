"""Keys and responses written out as text (for feedback, the exam review and browse)."""

from __future__ import annotations

from typing import TYPE_CHECKING

from trainer.bank.models import CLOZE_BLANK, Question
from trainer.tui.formatting import letter

if TYPE_CHECKING:
    from trainer.engine.grading import Response


def key_text(question: Question) -> str:
    """The correct answer, written out."""
    if question.type == "true_false":
        return "True" if question.answer else "False"
    if question.type in ("single", "multiple"):
        return "; ".join(
            f"{letter(i)}. {question.options[i].text}" for i in question.correct_indexes
        )
    if question.type == "order":
        return "  ".join(f"{i + 1}. {step}" for i, step in enumerate(question.steps))
    if question.type == "cloze":
        return CLOZE_BLANK.sub(
            lambda m: "[" + m.group(1).split("|")[0].strip() + "]", question.stem
        )
    return question.model_answer


def response_text(question: Question, response: Response, *, answered: bool = True) -> str:
    """What the trainee answered, written out."""
    if not answered:
        return "(not answered)"
    if question.type == "recall":
        return "(answered in your head)"
    if isinstance(response, bool):
        return "True" if response else "False"
    if isinstance(response, int) and question.options:
        return f"{letter(response)}. {question.options[response].text}"
    if isinstance(response, frozenset):
        if not response:
            return "(nothing ticked)"
        return "; ".join(f"{letter(i)}. {question.options[i].text}" for i in sorted(response))
    if isinstance(response, tuple) and question.type == "order":
        steps = [question.steps[i] for i in response if isinstance(i, int)]
        return "  ".join(f"{pos + 1}. {step}" for pos, step in enumerate(steps))
    if isinstance(response, tuple):
        return "; ".join(f"[{i + 1}] {v or '(blank)'}" for i, v in enumerate(response))
    return "(not answered)"
