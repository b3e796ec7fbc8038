"""Study and practice: one question at a time, graded on submit, then rated.

The answer is recorded when it is graded (with the suggested rating: Again if wrong, Good if
right), in the same transaction as the session's new state; choosing another rating replaces that
entry in one transaction. So an answer that was shown with feedback is never lost, whatever
happens next (Escape, quit, a crash): leaving without rating keeps the suggested rating.
"""

from __future__ import annotations

from dataclasses import dataclass, field, replace
from datetime import datetime, timedelta
from typing import TYPE_CHECKING, Any

from trainer.bank.models import Question
from trainer.engine import Rating
from trainer.sessions.base import (
    Kind,
    Marking,
    Progress,
    SessionStateError,
    Summary,
    Undone,
    dump,
    from_iso,
    iso,
    load,
    question_or_none,
)
from trainer.sessions.order import option_order

RIGHT_RATINGS = (Rating.HARD, Rating.GOOD, Rating.EASY)

if TYPE_CHECKING:
    from trainer.engine import Engine
    from trainer.engine.grading import Response


@dataclass(frozen=True)
class Shown:
    """A question answered in this session, as it was shown (for undo)."""

    qid: str
    order: tuple[int, ...]
    log_id: int
    correct: bool


@dataclass(frozen=True)
class DeckView:
    """Everything a screen needs to show a study or practice session (a snapshot)."""

    kind: Kind
    question: Question | None  # None when finished
    order: tuple[int, ...]
    marking: Marking | None  # set while the feedback is shown
    progress: Progress
    flagged: bool
    can_undo: bool
    summary: Summary | None  # set when finished


@dataclass
class _State:
    seed: str
    step: int = 0  # questions shown so far (seeds each showing's option order)
    current: str | None = None
    order: tuple[int, ...] = ()
    shown_at: datetime | None = None
    done: int = 0
    correct: int = 0
    history: list[Shown] = field(default_factory=list)
    marking: Marking | None = None
    answered_at: datetime | None = None  # when the marking was recorded
    finished: bool = False
    # practice
    qids: list[str] = field(default_factory=list)
    index: int = 0
    description: str = ""
    schedules: bool = False  # practice answered as study (new cards beyond today's limit)


class DeckSession:
    """The common part of StudySession and PracticeSession."""

    kind: Kind = "study"

    def __init__(self, engine: Engine, state: _State) -> None:
        self.engine = engine
        self._s = state

    # -- saving ----------------------------------------------------------------------------------

    def _dump(self, s: _State) -> str:
        from trainer.engine.grading import response_to_json

        m = s.marking
        marking: dict[str, Any] | None = None
        if m is not None:
            marking = {
                "response": response_to_json(m.response),
                "rated": int(m.rated),
                "log_id": m.log_id,
                "duration_ms": m.duration_ms,
                "intervals": None
                if m.intervals is None
                else {str(int(r)): d.total_seconds() for r, d in m.intervals.items()},
                "answered_at": iso(s.answered_at) if s.answered_at else None,
                "overridden": m.overridden,
            }
        return dump(
            self.kind,
            {
                "seed": s.seed,
                "step": s.step,
                "current": s.current,
                "order": list(s.order),
                "done": s.done,
                "correct": s.correct,
                "history": [[h.qid, list(h.order), h.log_id, h.correct] for h in s.history],
                "marking": marking,
                "qids": s.qids,
                "index": s.index,
                "description": s.description,
                "schedules": s.schedules,
            },
        )

    @classmethod
    def _load(cls, engine: Engine, text: str) -> _State:
        from trainer.engine.grading import response_from_json

        d = load(cls.kind, text)
        try:
            s = _State(
                seed=str(d["seed"]),
                step=int(d["step"]),
                current=d["current"],
                order=tuple(int(i) for i in d["order"]),
                done=int(d["done"]),
                correct=int(d["correct"]),
                history=[
                    Shown(str(q), tuple(int(i) for i in o), int(lid), bool(c))
                    for q, o, lid, c in d["history"]
                ],
                qids=[str(q) for q in d["qids"]],
                index=int(d["index"]),
                description=str(d["description"]),
                schedules=bool(d.get("schedules", False)),
            )
            m = d["marking"]
            question = question_or_none(engine, s.current)
            if m is not None and question is not None:
                response = response_from_json(m["response"])
                intervals = m["intervals"]
                s.marking = _marking(
                    question,
                    response,
                    Rating(int(m["rated"])),
                    int(m["log_id"]),
                    int(m["duration_ms"]),
                    None
                    if intervals is None
                    else {Rating(int(k)): timedelta(seconds=v) for k, v in intervals.items()},
                    overridden=bool(m.get("overridden", False)),
                )
                s.answered_at = from_iso(m["answered_at"]) if m["answered_at"] else None
        except (KeyError, TypeError, ValueError) as exc:
            raise SessionStateError(f"the saved {cls.kind} session cannot be read") from exc
        if question_or_none(engine, s.current) is None and s.current is not None:
            s.current, s.order, s.marking = None, (), None  # the bank dropped it: pick anew
        return s

    def _save(self, s: _State) -> None:
        """Write ``s`` (the state after a change) before making it this session's state."""
        if s.finished:
            self.engine.drop_session(self.kind)
        else:
            self.engine.save_session(self.kind, self._dump(s))
        self._s = s

    @property
    def answer_mode(self) -> Kind:
        """The mode answers are recorded in: the session's kind, except practice of new cards
        beyond today's limit, answered as study so that they are scheduled."""
        return "study" if self._s.schedules else self.kind

    # -- the queue (study and practice differ here) -------------------------------------------

    def _next_qid(self, s: _State) -> str | None:
        raise NotImplementedError

    def _advance_index(self, s: _State) -> None:
        """Practice moves its index past the current question; study has none."""

    def _progress(self) -> Progress:
        raise NotImplementedError

    def _summary(self) -> Summary:
        s = self._s
        return Summary(self.kind, s.done, s.correct, s.description)

    def _show_next(self, s: _State) -> _State:
        """``s`` with the next question chosen (and its option order), or finished."""
        qid = self._next_qid(s)
        if qid is None:
            return replace(s, current=None, order=(), marking=None, finished=True)
        step = s.step + 1
        question = self.engine.bank.question(qid)
        return replace(
            s,
            current=qid,
            order=option_order(question, f"{s.seed}:{step}"),
            step=step,
            shown_at=self.engine.now(),
            marking=None,
            answered_at=None,
        )

    # -- what the screen shows -----------------------------------------------------------------

    @property
    def question(self) -> Question | None:
        return question_or_none(self.engine, self._s.current)

    @property
    def marking(self) -> Marking | None:
        return self._s.marking

    @property
    def done(self) -> int:
        return self._s.done

    def view(self) -> DeckView:
        s = self._s
        question = self.question
        if question is None and not s.finished:
            self._save(self._show_next(s))  # a new session, or one whose question left the bank
            s = self._s
            question = self.question
        return DeckView(
            kind=self.kind,
            question=question,
            order=s.order,
            marking=s.marking,
            progress=self._progress(),
            flagged=question is not None and self.engine.is_flagged(question.id),
            can_undo=bool(s.history) or s.marking is not None,
            summary=self._summary() if s.finished else None,
        )

    def show(self) -> DeckView:
        """The view when the session is put on screen: started, resumed from home or from the
        database. The question waiting for an answer is shown again now, so its answer time
        counts from now: time away from it (at home, or with the app closed) is not counted,
        as Anki counts only the time a card is on screen."""
        s = self._s
        if s.current is not None and s.marking is None and not s.finished:
            self._s = replace(s, shown_at=self.engine.now())  # not saved: it never is
        return self.view()

    def description(self) -> str:
        """One line for home: what is paused (from memory: no database work)."""
        s = self._s
        if self.kind == "study":
            return f"study, {s.done} answered"
        return f"practice, {s.done} of {len(s.qids)} done"

    # -- input -----------------------------------------------------------------------------------

    def submit(self, response: Response) -> DeckView:
        """Grade ``response`` and record it (suggested rating) with the session, in one go."""
        from trainer.engine.grading import allowed_ratings, grade, suggested_rating

        s = self._s
        question = self.question
        if question is None or s.marking is not None:
            raise ValueError("there is no question waiting for an answer")
        g = None if question.type == "recall" else grade(question, response)
        suggested = suggested_rating(g) if g is not None else Rating.GOOD
        allowed = allowed_ratings(g) if g is not None else tuple(Rating)
        engine = self.engine
        intervals = (
            engine.intervals(question.id)
            if engine.schedules(question.id, self.answer_mode)
            else None
        )
        now = engine.now()
        shown_at = s.shown_at or now
        duration_ms = max(0, int((now - shown_at).total_seconds() * 1000))
        state_after = replace(s, answered_at=now)
        with engine.transaction():
            log_id = engine.answer(
                question.id,
                suggested,
                response=response,
                duration_ms=duration_ms,
                mode=self.answer_mode,
            )
            marking = Marking(
                response, g, suggested, allowed, intervals, suggested, log_id, duration_ms
            )
            state_after = replace(state_after, marking=marking)
            self._save(state_after)
        return self.view()

    def rate(self, rating: Rating) -> DeckView:
        """The trainee's rating of the graded answer; then the next question."""
        s = self._s
        m = s.marking
        question = self.question
        if m is None or question is None:
            raise ValueError("there is no graded answer to rate")
        rating = Rating(int(rating))
        if rating not in m.allowed:
            raise ValueError(f"a rating of {rating.name} is not allowed here")
        if m.overridden:
            correct = True
        elif m.grade is not None:
            correct = m.grade.correct
        else:
            correct = rating != Rating.AGAIN
        engine = self.engine
        with engine.transaction():
            log_id = m.log_id
            if rating != m.rated:
                new_id = engine.rerate(
                    m.log_id,
                    question.id,
                    rating,
                    response=m.response,
                    duration_ms=m.duration_ms,
                    mode=self.answer_mode,
                    at=s.answered_at,
                    override=m.overridden,
                )
                log_id = new_id if new_id is not None else log_id
            answered = replace(
                s,
                done=s.done + 1,
                correct=s.correct + int(correct),
                history=[*s.history, Shown(question.id, s.order, log_id, correct)],
            )
            self._advance_index(answered)
            self._save(self._show_next(answered))
        return self.view()

    def override(self) -> DeckView:
        """ "I was right": the wrong objective answer on screen is re-graded as right for
        scheduling (rated Good until the trainee rates it Hard, Good or Easy) and logged as an
        override. Raises ValueError when there is no such answer, or when it was answered again
        since in another trainer window (nothing changed)."""
        s = self._s
        m = s.marking
        question = self.question
        if m is None or question is None or not m.overridable:
            raise ValueError("there is no wrong answer to override")
        engine = self.engine
        with engine.transaction():
            new_id = engine.rerate(
                m.log_id,
                question.id,
                Rating.GOOD,
                response=m.response,
                duration_ms=m.duration_ms,
                mode=self.answer_mode,
                at=s.answered_at,
                override=True,
            )
            if new_id is None:
                raise ValueError("that question has since been answered in another trainer window")
            marking = replace(
                m,
                suggested=Rating.GOOD,
                allowed=RIGHT_RATINGS,
                rated=Rating.GOOD,
                log_id=new_id,
                overridden=True,
            )
            self._save(replace(s, marking=marking))
        return self.view()

    def leave(self) -> str | None:
        """The trainee leaves (Escape, quit): a graded answer keeps its suggested rating; the
        session moves past it. Returns what to tell the trainee, if anything."""
        m = self._s.marking
        question = self.question
        if m is None or question is None:
            return None
        self.rate(m.rated)
        return (
            f"Your answer to {question.id} is saved, rated {m.rated.name.title()} "
            "(the suggested rating)."
        )

    def undo(self) -> tuple[DeckView, Undone]:
        """Feedback shown: take back that answer and ask the question again. Otherwise: take back
        the last answer of this session and show that question again, as it was shown."""
        s = self._s
        engine = self.engine
        if s.marking is not None:
            back = replace(s, marking=None, answered_at=None, shown_at=engine.now())
            target, qid = s.marking.log_id, s.current
        elif s.history:
            last = s.history[-1]
            back = replace(
                s,
                current=last.qid,
                order=last.order,
                shown_at=engine.now(),
                marking=None,
                answered_at=None,
                done=max(0, s.done - 1),
                correct=max(0, s.correct - int(last.correct)),
                history=s.history[:-1],
                finished=False,
            )
            if self.kind == "practice":
                back.index = max(0, s.index - 1)
            target, qid = last.log_id, last.qid
        else:
            return self.view(), Undone(None, "Nothing to undo in this session.")
        with engine.transaction():
            undone = engine.undo_entry(target)
            if undone is None:
                refused = replace(s, history=[]) if s.marking is None else s
                self._save(refused)
                return self.view(), Undone(
                    None,
                    "Can't undo: that question has since been answered in another trainer window.",
                )
            self._save(back)
        return self.view(), Undone(qid)

    def toggle_flag(self) -> DeckView:
        question = self.question
        if question is not None:
            self.engine.set_flag(question.id, not self.engine.is_flagged(question.id))
        return self.view()


def _marking(
    question: Question,
    response: Response,
    rated: Rating,
    log_id: int,
    duration_ms: int,
    intervals: dict[Rating, timedelta] | None,
    overridden: bool = False,
) -> Marking:
    from trainer.engine.grading import allowed_ratings, grade, suggested_rating

    g = None if question.type == "recall" else grade(question, response)
    suggested = suggested_rating(g) if g is not None else Rating.GOOD
    allowed = allowed_ratings(g) if g is not None else tuple(Rating)
    if overridden and g is not None and not g.correct:
        suggested, allowed = Rating.GOOD, RIGHT_RATINGS
    else:
        overridden = False
    return Marking(
        response, g, suggested, allowed, intervals, rated, log_id, duration_ms, overridden
    )


class StudySession(DeckSession):
    """Today's queue: whatever the engine says is next, under the daily limits."""

    kind: Kind = "study"

    @classmethod
    def start(cls, engine: Engine, seed: int | str) -> StudySession:
        return cls(engine, _State(seed=str(seed)))

    @classmethod
    def resume(cls, engine: Engine) -> StudySession | None:
        saved = engine.saved_session(cls.kind)
        return None if saved is None else cls(engine, cls._load(engine, saved.state))

    def _next_qid(self, s: _State) -> str | None:
        q = self.engine.next_question()
        return q.id if q is not None else None

    def _progress(self) -> Progress:
        c = self.engine.counts()
        s = self._s
        left = c.new + c.learning + c.review
        if s.current is not None and s.marking is None:
            pass  # the question on screen is still counted as left
        text = f"Left today: {c.new} new, {c.learning} learning, {c.review} review"
        return Progress(s.done, s.done + left, s.correct, text)


class PracticeSession(DeckSession):
    """A fixed list of questions, chosen by topic and filter, shuffled with a seed."""

    kind: Kind = "practice"

    @classmethod
    def start(
        cls,
        engine: Engine,
        questions: list[Question],
        seed: int | str,
        description: str = "",
        *,
        schedules: bool = False,
    ) -> PracticeSession:
        """``schedules``: answers are recorded as study, so they schedule the cards (Anki's
        custom study "study more new cards"); otherwise practice (only due cards change)."""
        return cls(
            engine,
            _State(
                seed=str(seed),
                qids=[q.id for q in questions],
                description=description,
                schedules=schedules,
            ),
        )

    @classmethod
    def resume(cls, engine: Engine) -> PracticeSession | None:
        saved = engine.saved_session(cls.kind)
        if saved is None:
            return None
        s = cls._load(engine, saved.state)
        s.qids = [q for q in s.qids if question_or_none(engine, q) is not None]
        return cls(engine, s)

    @property
    def total(self) -> int:
        return len(self._s.qids)

    def _next_qid(self, s: _State) -> str | None:
        return s.qids[s.index] if s.index < len(s.qids) else None

    def _advance_index(self, s: _State) -> None:
        s.index += 1

    def _progress(self) -> Progress:
        s = self._s
        total = len(s.qids)
        return Progress(s.done, total, s.correct, f"{s.done} of {total} done, {s.correct} right")


__all__ = ["DeckSession", "DeckView", "PracticeSession", "Shown", "StudySession"]
