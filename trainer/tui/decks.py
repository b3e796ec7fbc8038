"""What a running session has done, as plain objects (no Textual); the screens are views of them.

A study deck asks the engine for the next due question; a practice deck walks a fixed shuffled list;
an exam state holds the trainee's responses until the exam is submitted. Each survives Escape so the
session can be resumed.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from typing import TYPE_CHECKING, Literal

from trainer.bank.models import Question

if TYPE_CHECKING:
    from trainer.engine import Engine
    from trainer.engine.grading import Response

DeckMode = Literal["study", "practice"]


class StudyDeck:
    """Today's queue: whatever the engine says is next, under the daily limits."""

    mode: DeckMode = "study"

    def __init__(self, engine: Engine) -> None:
        self.engine = engine
        self.done = 0
        self.correct = 0
        self._current: Question | None = None

    def current(self) -> Question | None:
        if self._current is None:
            self._current = self.engine.next_question()
        return self._current

    def answered(self, correct: bool) -> None:
        self.done += 1
        self.correct += int(correct)
        self._current = None

    def undone(self, qid: str) -> None:
        """The engine undid the answer to ``qid``: show that question again."""
        self.done = max(0, self.done - 1)
        self._current = self.engine.bank.question(qid)

    def progress(self) -> tuple[int, int]:
        """(answered this session, answered + still to do today)."""
        counts = self.engine.counts()
        left = counts.new + counts.learning + counts.review
        return self.done, self.done + left


class PracticeDeck:
    """A fixed list of questions, chosen by topic and filter, shuffled with a seed."""

    mode: DeckMode = "practice"

    def __init__(self, questions: list[Question], description: str = "") -> None:
        self.questions = questions
        self.description = description
        self.index = 0
        self.results: list[bool] = []

    def current(self) -> Question | None:
        return self.questions[self.index] if self.index < len(self.questions) else None

    def answered(self, correct: bool) -> None:
        self.results.append(correct)
        self.index += 1

    @property
    def done(self) -> int:
        return len(self.results)

    @property
    def correct(self) -> int:
        return sum(self.results)

    def undone(self, qid: str) -> None:
        """The engine undid the last answer (``qid``): step back to it."""
        if self.results:
            self.results.pop()
            self.index -= 1

    def progress(self) -> tuple[int, int]:
        return self.index, len(self.questions)


@dataclass
class ExamAnswer:
    """The trainee's response to one exam question (None until answered)."""

    response: Response = None
    answered: bool = False
    # recall questions are self-marked in an exam: True "I knew it", False "I did not"
    knew_it: bool | None = None


@dataclass
class ExamState:
    questions: list[Question]
    seed: int
    started: datetime
    index: int = 0
    answers: dict[str, ExamAnswer] = field(default_factory=dict)
    marked: set[str] = field(default_factory=set)
    finished: datetime | None = None
    # answers already written to the review log by a submit that then failed part way: a retried
    # submit skips them, so no answer is logged twice
    logged: set[str] = field(default_factory=set)

    def answer_for(self, qid: str) -> ExamAnswer:
        return self.answers.setdefault(qid, ExamAnswer())

    @property
    def current(self) -> Question:
        return self.questions[self.index]

    def answered_count(self) -> int:
        return sum(1 for a in self.answers.values() if a.answered)

    def unanswered(self) -> list[int]:
        """1-based numbers of the questions not yet answered."""
        return [i + 1 for i, q in enumerate(self.questions) if not self.answer_for(q.id).answered]

    def not_self_marked(self) -> list[int]:
        """1-based numbers of the recall questions revealed but not marked k or d (they count
        as not known)."""
        return [
            i + 1
            for i, q in enumerate(self.questions)
            if q.type == "recall"
            and self.answer_for(q.id).answered
            and self.answer_for(q.id).knew_it is None
        ]
