"""The exam: N questions, a timer, no feedback until the end; move freely, mark for review.

Every change (an answer kept, a move, a mark) is saved with the session, so a paused, quit or
crashed exam resumes where it was, timer included (time away does not count). Submitting writes
every answer and the result in one transaction: all of it, or nothing (then it can be retried).
"""

from __future__ import annotations

import copy
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import datetime
from typing import TYPE_CHECKING, Any

from trainer.bank.models import Question
from trainer.engine import ExamResult, Rating
from trainer.sessions.base import Kind, SessionStateError, dump, from_iso, iso, load
from trainer.sessions.order import option_order

if TYPE_CHECKING:
    from trainer.engine import Engine, Grade
    from trainer.engine.grading import Response


@dataclass
class ExamAnswer:
    """The trainee's response to one exam question (None until answered)."""

    response: Response = None
    answered: bool = False
    # recall questions are self-marked in an exam: True "I knew it", False "I did not"
    knew_it: bool | None = None


@dataclass(frozen=True)
class Kept:
    """What the answer widget holds when the trainee moves on (see ExamSession.keep)."""

    response: Response
    complete: bool
    submitted: bool = False  # Enter: keep whatever is there


@dataclass(frozen=True)
class ExamOutcome:
    result: ExamResult
    grades: dict[str, Grade]
    answers: dict[str, ExamAnswer]
    questions: list[Question]
    seconds: dict[str, float] = field(default_factory=dict)  # time spent on each question
    marked: frozenset[str] = frozenset()  # flagged for later practice at submit


@dataclass
class _State:
    seed: int
    started: datetime
    qids: list[str]
    orders: dict[str, tuple[int, ...]]
    index: int = 0
    answers: dict[str, ExamAnswer] = field(default_factory=dict)
    marked: set[str] = field(default_factory=set)
    elapsed: float = 0.0  # seconds on the clock before this run
    time_limit: int | None = None  # seconds for the whole block (None: untimed)
    tutor: bool = False  # feedback after each question (else: block mode, none until the end)
    checked: set[str] = field(default_factory=set)  # tutor mode: feedback shown, answer final
    spent: dict[str, float] = field(default_factory=dict)  # seconds on each question


class ExamSession:
    kind: Kind = "exam"

    def __init__(self, engine: Engine, state: _State) -> None:
        self.engine = engine
        self._s = state
        self._run_started = engine.now()
        self.questions = [engine.bank.question(q) for q in state.qids]

    @classmethod
    def start(
        cls,
        engine: Engine,
        questions: list[Question],
        seed: int,
        *,
        seconds_per_question: int | None = None,
        tutor: bool = False,
    ) -> ExamSession:
        """``seconds_per_question``: a timed block of that many seconds per question (None or 0:
        untimed); ``tutor``: feedback after each question (else block mode)."""
        if seconds_per_question is not None and seconds_per_question < 0:
            raise ValueError("the time per question cannot be negative")
        state = _State(
            seed=seed,
            started=engine.now(),
            qids=[q.id for q in questions],
            orders=exam_orders(questions, seed),
            time_limit=seconds_per_question * len(questions) if seconds_per_question else None,
            tutor=tutor,
        )
        return cls(engine, state)

    @classmethod
    def resume(cls, engine: Engine) -> ExamSession | None:
        saved = engine.saved_session(cls.kind)
        if saved is None:
            return None
        return cls(engine, cls._load(engine, saved.state))

    # -- saving ----------------------------------------------------------------------------------

    def _dump(self, s: _State) -> str:
        from trainer.engine.grading import response_to_json

        return dump(
            self.kind,
            {
                "seed": s.seed,
                "started": iso(s.started),
                "qids": s.qids,
                "orders": {q: list(o) for q, o in s.orders.items()},
                "index": s.index,
                "answers": {
                    q: [response_to_json(a.response), a.answered, a.knew_it]
                    for q, a in s.answers.items()
                },
                "marked": sorted(s.marked),
                "elapsed": s.elapsed,
                "time_limit": s.time_limit,
                "tutor": s.tutor,
                "checked": sorted(s.checked),
                "spent": s.spent,
            },
        )

    @classmethod
    def _load(cls, engine: Engine, text: str) -> _State:
        from trainer.engine.grading import response_from_json

        d = load(cls.kind, text)
        try:
            qids = [str(q) for q in d["qids"]]
            known = set()
            for q in qids:
                try:
                    engine.topic_of(q)
                    known.add(q)
                except KeyError:
                    pass
            qids = [q for q in qids if q in known]
            if not qids:
                raise SessionStateError("the saved exam's questions are no longer in the bank")
            s = _State(
                seed=int(d["seed"]),
                started=from_iso(d["started"]),
                qids=qids,
                orders={q: tuple(int(i) for i in o) for q, o in d["orders"].items() if q in known},
                index=min(int(d["index"]), len(qids) - 1),
                answers={
                    q: ExamAnswer(response_from_json(r), bool(a), None if k is None else bool(k))
                    for q, (r, a, k) in d["answers"].items()
                    if q in known
                },
                marked={str(q) for q in d["marked"] if q in known},
                elapsed=float(d["elapsed"]),
                time_limit=None if d.get("time_limit") is None else int(d["time_limit"]),
                tutor=bool(d.get("tutor", False)),
                checked={str(q) for q in d.get("checked", ()) if q in known},
                spent={str(q): float(t) for q, t in d.get("spent", {}).items() if q in known},
            )
        except (KeyError, TypeError, ValueError) as exc:
            raise SessionStateError("the saved exam cannot be read") from exc
        return s

    def _change(self) -> _State:
        """A copy of the state to change; then _commit() it."""
        return copy.deepcopy(self._s)

    def _commit(self, s: _State) -> None:
        """Save ``s`` with the clock so far, then make it this session's state (a failed write
        changes nothing)."""
        now = self.engine.now()
        run = max(0.0, (now - self._run_started).total_seconds())
        s.elapsed = self._s.elapsed + run
        on = self._s.qids[self._s.index]  # the question on screen until now
        s.spent[on] = self._s.spent.get(on, 0.0) + run
        self.engine.save_session(self.kind, self._dump(s))
        self._s = s
        self._run_started = now

    # -- what the screen shows -----------------------------------------------------------------

    @property
    def index(self) -> int:
        return self._s.index

    @property
    def current(self) -> Question:
        return self.questions[self._s.index]

    def order_of(self, qid: str) -> tuple[int, ...]:
        return self._s.orders.get(qid, ())

    @property
    def seed(self) -> int:
        return self._s.seed

    @property
    def started(self) -> datetime:
        return self._s.started

    @property
    def marked(self) -> frozenset[str]:
        return frozenset(self._s.marked)

    @property
    def tutor(self) -> bool:
        return self._s.tutor

    @property
    def time_limit(self) -> int | None:
        return self._s.time_limit

    def remaining_seconds(self) -> int | None:
        """Seconds left on a timed block (never below 0); None when untimed."""
        if self._s.time_limit is None:
            return None
        return max(0, self._s.time_limit - self.elapsed_seconds())

    def time_up(self) -> bool:
        remaining = self.remaining_seconds()
        return remaining is not None and remaining <= 0

    def checked(self, qid: str) -> bool:
        """Tutor mode: the feedback for ``qid`` was shown (its answer can no longer change)."""
        return qid in self._s.checked

    def grade_of(self, qid: str) -> Grade:
        """The mark of the answer kept for ``qid`` so far (for tutor mode's feedback)."""
        from trainer.engine import Grade, grade

        q = self.engine.bank.question(qid)
        answer = self.answer_for(qid)
        if not answer.answered:
            return Grade(False, 0.0, "Not answered.")
        if q.type == "recall":
            knew = bool(answer.knew_it)
            return Grade(knew, 1.0 if knew else 0.0, "Self-marked.")
        return grade(q, answer.response)

    def seconds_on(self, qid: str) -> float:
        """Seconds spent on ``qid`` (the current question's running time included)."""
        spent = self._s.spent.get(qid, 0.0)
        if qid == self.current.id:
            spent += max(0.0, (self.engine.now() - self._run_started).total_seconds())
        return spent

    def answer_for(self, qid: str) -> ExamAnswer:
        return self._s.answers.get(qid) or ExamAnswer()

    def elapsed_seconds(self) -> int:
        run = max(0.0, (self.engine.now() - self._run_started).total_seconds())
        return int(self._s.elapsed + run)

    def answered_count(self) -> int:
        return sum(1 for q in self._s.qids if self.answer_for(q).answered)

    def unanswered(self) -> list[int]:
        """1-based numbers of the questions not yet answered."""
        return [i + 1 for i, q in enumerate(self._s.qids) if not self.answer_for(q).answered]

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

    def marked_numbers(self) -> list[int]:
        return [i + 1 for i, q in enumerate(self._s.qids) if q in self._s.marked]

    def description(self) -> str:
        return f"exam, {self.answered_count()} of {len(self.questions)} answered"

    # -- input (each saves the session) ---------------------------------------------------------

    @staticmethod
    def _keep(s: _State, question: Question, kept: Kept | None) -> None:
        """Keep what is on screen as the answer to ``question``: moving away keeps only a
        complete answer; Enter (``submitted``) keeps whatever is there. Recall answers are
        recorded by reveal() and knew()."""
        if kept is None or question.type == "recall" or question.id in s.checked:
            return
        answer = s.answers.setdefault(question.id, ExamAnswer())
        if kept.complete or kept.submitted:
            response = kept.response
            blank = isinstance(response, tuple) and not any(str(v).strip() for v in response)
            answer.response = response
            answer.answered = not (question.type == "cloze" and blank)

    def keep(self, kept: Kept) -> None:
        s = self._change()
        self._keep(s, self.current, kept)
        self._commit(s)

    def check(self, kept: Kept | None = None) -> Grade:
        """Tutor mode: keep the answer on screen as final and return its mark (the feedback)."""
        if not self._s.tutor:
            raise ValueError("feedback after each question is for tutor mode")
        s = self._change()
        self._keep(s, self.current, kept)
        s.checked.add(self.current.id)
        self._commit(s)
        return self.grade_of(self.current.id)

    def go(self, delta: int, kept: Kept | None = None) -> bool:
        """Keep the answer, then move by ``delta``; False (answer still kept) past either end."""
        s = self._change()
        self._keep(s, self.current, kept)
        target = s.index + delta
        moved = 0 <= target < len(s.qids)
        if moved:
            s.index = target
        self._commit(s)
        return moved

    def toggle_mark(self, kept: Kept | None = None) -> bool:
        s = self._change()
        self._keep(s, self.current, kept)
        qid = self.current.id
        s.marked ^= {qid}
        self._commit(s)
        return qid in s.marked

    def reveal(self) -> None:
        """A recall question's model answer was shown: it counts as answered."""
        s = self._change()
        s.answers.setdefault(self.current.id, ExamAnswer()).answered = True
        self._commit(s)

    def knew(self, knew: bool) -> None:
        if self.current.id in self._s.checked:
            return  # tutor mode: already final
        s = self._change()
        s.answers.setdefault(self.current.id, ExamAnswer()).knew_it = knew
        self._commit(s)

    def pause(self, kept: Kept | None = None) -> None:
        """Keep the answer on screen and stop the clock (resume() starts it again)."""
        s = self._change()
        self._keep(s, self.current, kept)
        self._commit(s)

    # -- the end ---------------------------------------------------------------------------------

    def grades(self) -> dict[str, Grade]:
        """Mark every exam question; unanswered ones are wrong."""
        from trainer.engine import Grade, grade

        grades: dict[str, Grade] = {}
        for q in self.questions:
            answer = self.answer_for(q.id)
            if not answer.answered:
                grades[q.id] = Grade(False, 0.0, "Not answered.")
            elif q.type == "recall":
                knew = bool(answer.knew_it)
                grades[q.id] = Grade(knew, 1.0 if knew else 0.0, "Self-marked.")
            else:
                grades[q.id] = grade(q, answer.response)
        return grades

    def submit(self, kept: Kept | None = None) -> ExamOutcome:
        """Write every answer and the result in one transaction (and end the saved session);
        if that fails nothing is written, this session is unchanged and submit can be retried."""
        from trainer.engine.engine import ExamAnswerIn
        from trainer.engine.grading import suggested_rating

        s = self._change()
        self._keep(s, self.current, kept)
        engine = self.engine
        previous = self._s
        self._s = s  # grade what is kept (restored below if the write fails)
        try:
            seconds = {q.id: self.seconds_on(q.id) for q in self.questions}
            grades = self.grades()
            bank = engine.bank
            by_topic: dict[str, tuple[int, int]] = {}
            answers: list[ExamAnswerIn] = []
            for q in self.questions:
                g = grades[q.id]
                topic = bank.topic_of(q)
                right, total = by_topic.get(topic, (0, 0))
                by_topic[topic] = (right + int(g.correct), total + 1)
                answer = self.answer_for(q.id)
                if answer.answered:
                    rating = (
                        suggested_rating(g)
                        if q.type != "recall"
                        else (Rating.GOOD if g.correct else Rating.AGAIN)
                    )
                    ms = int(seconds[q.id] * 1000)
                    answers.append(ExamAnswerIn(q.id, rating, answer.response, ms))
            result = ExamResult(
                started=s.started,
                finished=engine.now(),
                seed=s.seed,
                question_ids=tuple(s.qids),
                correct_ids=tuple(q.id for q in self.questions if grades[q.id].correct),
                by_topic=by_topic,
            )
            with engine.transaction():
                exam_id = engine.submit_exam(result, answers)
                for qid in s.marked:  # marked questions: flagged for later practice
                    engine.set_flag(qid, True)
                if s.marked:
                    engine.mark_from_exam(sorted(s.marked))
        except BaseException:
            self._s = previous
            raise
        from dataclasses import replace

        return ExamOutcome(
            replace(result, id=exam_id),
            grades,
            dict(s.answers),
            list(self.questions),
            seconds=seconds,
            marked=frozenset(s.marked),
        )


def exam_orders(questions: Sequence[Question], seed: int) -> dict[str, tuple[int, ...]]:
    """Each question's options in the order a block of ``seed`` shows them (also when a past
    block is reviewed)."""
    return {q.id: option_order(q, f"exam:{seed}") for q in questions}


def past_outcome(engine: Engine, result: ExamResult) -> ExamOutcome:
    """A stored exam result as an outcome to review: its questions still in the bank, each
    answer and its time as logged (mode "exam", at the exam's end), graded again."""
    from datetime import timedelta

    from trainer.engine import Grade, grade
    from trainer.engine.grading import GradingError, response_from_json

    questions: list[Question] = []
    grades: dict[str, Grade] = {}
    answers: dict[str, ExamAnswer] = {}
    seconds: dict[str, float] = {}
    correct = set(result.correct_ids)
    for qid in result.question_ids:
        try:
            engine.topic_of(qid)
        except KeyError:
            continue
        q = engine.bank.question(qid)
        questions.append(q)
        right = qid in correct
        entry = next(
            (
                e
                for e in engine.history(qid)
                if e.mode == "exam"
                and result.finished - timedelta(seconds=1)
                <= e.time
                <= result.finished + timedelta(minutes=5)
            ),
            None,
        )
        if entry is None:
            grades[qid] = Grade(False, 0.0, "Not answered.")
            continue
        seconds[qid] = entry.duration_ms / 1000
        try:
            response = response_from_json(entry.response)
        except GradingError:
            response = None
        answers[qid] = ExamAnswer(response, True, right if q.type == "recall" else None)
        if q.type == "recall":
            grades[qid] = Grade(right, 1.0 if right else 0.0, "Self-marked.")
        else:
            g = grade(q, response)
            grades[qid] = g if g.correct == right else Grade(right, g.score, g.detail)
    return ExamOutcome(result, grades, answers, questions, seconds=seconds)


def state_for_tests(session: ExamSession) -> dict[str, Any]:
    """The saved form of ``session`` (for tests that compare a resumed session)."""
    import json

    return dict(json.loads(session._dump(session._s)))
