"""Plain records the engine hands to its clients."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from typing import NamedTuple

from trainer.engine.scheduler import CardSchedule, CardStateName


@dataclass(frozen=True)
class SyncReport:
    """What syncing the bank into the database did."""

    added: int = 0
    retired: int = 0
    revived: int = 0


@dataclass(frozen=True)
class Counts:
    """Cards left to study today, by queue."""

    new: int
    learning: int
    review: int

    @property
    def total(self) -> int:
        return self.new + self.learning + self.review


@dataclass(frozen=True)
class CardInfo:
    qid: str
    state: CardStateName
    due: datetime | None
    reps: int
    lapses: int
    flagged: bool
    suspended: bool
    leech: bool
    stability: float | None
    difficulty: float | None
    retrievability: float | None


@dataclass(frozen=True)
class ReviewEntry:
    time: datetime
    rating: int
    correct: bool | None
    mode: str
    duration_ms: int
    response: str  # JSON, see grading.response_to_json


@dataclass(frozen=True)
class ExamResult:
    started: datetime
    finished: datetime
    seed: int
    question_ids: tuple[str, ...]
    correct_ids: tuple[str, ...]
    by_topic: dict[str, tuple[int, int]] = field(default_factory=dict)  # topic -> (right, total)
    id: int | None = None  # set when read back from the database

    @property
    def score(self) -> float:
        return len(self.correct_ids) / len(self.question_ids) if self.question_ids else 0.0


@dataclass(frozen=True)
class Overview:
    """The home screen's summary (Engine.overview): no full statistics needed."""

    counts: Counts
    mastery: dict[str, float]  # per topic, as Stats.mastery
    streak: int


@dataclass(frozen=True)
class CardRow:
    """One card as stored."""

    id: int
    question_id: str
    schedule: CardSchedule
    suspended: bool = False
    flagged: bool = False
    leech: bool = False
    retired: bool = False

    @property
    def state(self) -> CardStateName:
        return self.schedule.state


class CardCols(NamedTuple):
    """A card's stored columns (times in UTC microseconds): the cheap form the cache keeps."""

    id: int
    question_id: str
    state: CardStateName
    step: int | None
    stability: float | None
    difficulty: float | None
    due: int | None
    last_review: int | None
    reps: int
    lapses: int
    suspended: int
    flagged: int
    leech: int
    retired: int


@dataclass(frozen=True)
class LogRow:
    """A review log entry, without the snapshots."""

    id: int
    question_id: str
    time: datetime
    rating: int
    correct: bool | None
    mode: str
    scheduled: bool
    state_before: str


@dataclass(frozen=True)
class NewLogEntry:
    """An answer about to be logged (see Store.save_answer)."""

    time: datetime
    rating: int
    correct: bool | None
    response: str
    duration_ms: int
    mode: str
    scheduled: bool


@dataclass(frozen=True)
class SavedSession:
    """A session in progress, as kept in the ``sessions`` table (one per kind and bank)."""

    kind: str  # "study" | "practice" | "exam"
    state: str  # JSON, owned by trainer/sessions
    updated: datetime
