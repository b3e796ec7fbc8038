"""Recomputing cards from their history: Anki's "reschedule cards on change".

A card's schedule is a function of its answers that rescheduled it (``review_log.scheduled = 1``:
study answers and practice answers to a due card; exam answers and other practice answers never
changed it), replayed in time order through :func:`scheduler.review` with a deterministic fuzz
seed. The same seed prefix as a live engine's seed gives exactly the schedule answering live gave.
Used after an import of reviews and after a change of FSRS parameters or desired retention.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, replace
from datetime import datetime
from typing import TYPE_CHECKING

from trainer.engine.records import CardRow
from trainer.engine.scheduler import CardSchedule, Rating, Settings, is_leech_lapse, review
from trainer.engine.store import from_us

if TYPE_CHECKING:
    from trainer.engine.engine import Engine

REPLAY_SEED = "replay"


@dataclass(frozen=True)
class Answer:
    """One answer that rescheduled a card."""

    log_id: int
    time: datetime
    rating: Rating


def scheduled_answers(engine: Engine) -> dict[str, list[Answer]]:
    """Per question id, the answers that rescheduled it since its last reset, oldest first."""
    out: dict[str, list[Answer]] = {}
    reset = engine.store.reset_times(engine.bank.id)
    for log_id, qid, t, rating, _ms, _mode, scheduled in engine.store.review_rows(engine.bank.id):
        if scheduled and t > reset.get(qid, -1):
            out.setdefault(qid, []).append(Answer(log_id, from_us(t), Rating(rating)))
    for answers in out.values():
        answers.sort(key=lambda a: (a.time, a.log_id))
    return out


def replay(
    row: CardRow,
    answers: Iterable[Answer],
    settings: Settings,
    *,
    seed: str,
    bank_id: str,
) -> tuple[CardRow, list[tuple[int, CardRow, CardRow]]]:
    """``row`` recomputed from ``answers`` (its flags kept; tagged leech if the replay says so)
    and, per answer, (log id, card before, card after)."""
    schedule = CardSchedule()
    steps: list[tuple[int, CardRow, CardRow]] = []
    leech = False
    for a in answers:
        after = review(
            schedule,
            a.rating,
            a.time,
            settings,
            card_id=row.id,
            fuzz_seed=f"{seed}:{bank_id}:{row.question_id}:{schedule.reps}",
        )
        if after.lapses > schedule.lapses and is_leech_lapse(
            after.lapses, settings.leech_threshold
        ):
            leech = True
        steps.append((a.log_id, replace(row, schedule=schedule), replace(row, schedule=after)))
        schedule = after
    newly_leech = leech and not row.leech
    card = replace(
        row,
        schedule=schedule,
        leech=row.leech or leech,
        suspended=row.suspended or (newly_leech and settings.leech_action == "suspend"),
    )
    return card, steps


def recompute(
    engine: Engine,
    settings: Settings | None = None,
    *,
    only: Iterable[str] | None = None,
    seed: str = REPLAY_SEED,
) -> int:
    """Recompute every card with a history (or those in ``only``) under ``settings`` (default:
    the engine's), in one transaction; the number of cards rewritten."""
    settings = settings if settings is not None else engine.settings
    wanted = None if only is None else set(only)
    n = 0
    with engine.store.write():
        history = scheduled_answers(engine)
        for row in engine.store.cards(engine.bank.id, include_retired=True):
            if wanted is not None and row.question_id not in wanted:
                continue
            answers = history.get(row.question_id)
            if not answers:
                continue
            card, steps = replay(row, answers, settings, seed=seed, bank_id=engine.bank.id)
            engine.store.rewrite_history(card, steps)
            n += 1
    engine.reload()
    return n


APPLIED_KEY = "replay.applied"  # the retention and parameters the stored schedules were made with


def _applied(settings: Settings) -> str:
    import json

    params = None if settings.parameters is None else list(settings.parameters)
    return json.dumps({"desired_retention": settings.desired_retention, "parameters": params})


def mark_applied(engine: Engine, settings: Settings | None = None) -> None:
    """Record that the stored schedules follow ``settings``' retention and parameters."""
    engine.set_setting(APPLIED_KEY, _applied(settings if settings is not None else engine.settings))


def reschedule_if_changed(engine: Engine) -> int | None:
    """If the desired retention or the FSRS parameters changed since the schedules were last
    computed (say, the config file was edited by hand), recompute every card; the number of
    cards, or None when nothing changed (or nothing was recorded yet: then it is recorded)."""
    stored = engine.get_setting(APPLIED_KEY)
    current = _applied(engine.settings)
    if stored == current:
        return None
    n = recompute(engine) if stored is not None else None
    engine.set_setting(APPLIED_KEY, current)
    return n
