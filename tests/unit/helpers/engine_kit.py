"""Builders for engine tests: banks made from trainer.bank.models, a settable clock, answer helpers.

Imported by the engine's test files as ``engine_kit`` (this folder is put on sys.path by them), a
name chosen not to clash with other helpers' modules.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import UTC, datetime, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

from trainer.bank import load_bank
from trainer.bank.models import Bank, Objective, Option, Question, Source
from trainer.engine import Engine, Rating, Settings

DATA = Path(__file__).resolve().parents[2] / "data"
MINI = DATA / "mini" / "bank.toml"
TZ = ZoneInfo("Europe/London")
# 10:00 local (UTC in November) on Thursday 26 November 2026.
T0 = datetime(2026, 11, 26, 10, 0, tzinfo=UTC)

# The right response for each of the mini bank's questions, and a wrong one.
MINI_RIGHT: dict[str, object] = {
    "mini-q-single": 0,
    "mini-q-multiple": frozenset({0, 1}),
    "mini-q-true-false": True,
    "mini-q-order": (0, 1, 2, 3, 4),
    "mini-q-cloze": ("X-ray", "stimulation."),
    "mini-q-recall": None,
}
MINI_WRONG: dict[str, object] = {
    "mini-q-single": 1,
    "mini-q-multiple": frozenset({0, 2}),
    "mini-q-true-false": False,
    "mini-q-order": (1, 0, 2, 3, 4),
    "mini-q-cloze": ("ultrasound", "stimulation"),
    "mini-q-recall": None,
}


class Clock:
    """A settable clock (UTC-aware)."""

    def __init__(self, t: datetime = T0) -> None:
        self.t = t

    def __call__(self) -> datetime:
        return self.t

    def advance(self, **kw: float) -> datetime:
        self.t = self.t + timedelta(**kw)
        return self.t

    def set(self, t: datetime) -> datetime:
        self.t = t
        return t


def settings(**kw: object) -> Settings:
    """Test settings: London time, fuzz off unless asked."""
    kw.setdefault("tz", TZ)
    kw.setdefault("enable_fuzzing", False)
    return Settings(**kw)  # type: ignore[arg-type]


def mini_bank() -> Bank:
    bank, problems = load_bank(MINI)
    assert bank is not None, [p.format() for p in problems]
    return bank


def tf_question(qid: str, objective: str, answer: bool = True, retired: bool = False) -> Question:
    return Question(
        id=qid,
        type="true_false",
        objectives=(objective,),
        stem=f"Statement {qid}.",
        explanation="Because.",
        answer=answer,
        retired=retired,
    )


def make_bank(
    layout: dict[str, dict[str, int]],
    *,
    bank_id: str = "b",
    retired: Sequence[str] = (),
    extra: Sequence[Question] = (),
) -> Bank:
    """A true/false bank. ``layout`` is {topic: {objective: number of questions}}.

    Question ids are ``<objective>-<n>`` (n from 1), in layout order.
    """
    objectives: dict[str, Objective] = {}
    questions: list[Question] = []
    for topic, objs in layout.items():
        for oid, count in objs.items():
            objectives[oid] = Objective(oid, topic, f"Objective {oid}", ("doc:S1",))
            for n in range(1, count + 1):
                qid = f"{oid}-{n}"
                questions.append(tf_question(qid, oid, retired=qid in retired))
    questions.extend(extra)
    return Bank(
        id=bank_id,
        title=f"Bank {bank_id}",
        version="1",
        topics=tuple(layout),
        sources={"doc": Source("doc", "Doc", {"S1": ()})},
        references={},
        objectives=objectives,
        questions=tuple(questions),
    )


def single_question(qid: str, objective: str) -> Question:
    return Question(
        id=qid,
        type="single",
        objectives=(objective,),
        stem="Which?",
        explanation="Because.",
        options=(
            Option("right", True, "yes"),
            Option("wrong", False, "no"),
            Option("also wrong", False, "no"),
        ),
    )


def open_engine(
    bank: Bank, db: Path, clock: Clock | None = None, seed: int | None = 7, **kw: object
) -> Engine:
    return Engine.open(bank, db, clock=clock or Clock(), seed=seed, settings=settings(**kw))


def answer(engine: Engine, qid: str, rating: Rating = Rating.GOOD, mode: str = "study") -> None:
    """Answer a question with a response consistent with ``rating`` (wrong iff AGAIN)."""
    q = engine.bank.question(qid)
    ok = rating != Rating.AGAIN
    if q.type == "recall":
        response: object = None
    elif q.type == "true_false":
        response = q.answer if ok else not q.answer
    elif q.type == "single":
        response = (
            q.correct_indexes[0]
            if ok
            else next(i for i, o in enumerate(q.options) if not o.correct)
        )
    else:
        response = (MINI_RIGHT if ok else MINI_WRONG)[qid]
    engine.answer(
        qid,
        rating,
        response=response,
        duration_ms=1000,
        mode=mode,  # type: ignore[arg-type]
    )
