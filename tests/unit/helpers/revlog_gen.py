"""A generated trainee: a year of answers to many cards, as a revlog (seeded, reproducible).

The trainee's memory follows FSRS with ``true`` parameters (by default weaker than py-fsrs's
defaults: shorter initial stabilities and a faster decay); trainer schedules the cards with the
default parameters (fuzz on, seeded), as the app would before any optimization. From
``switch_day`` on, the trainee's memory follows ``later`` parameters instead (for the held-out
rule: a fit to the earlier history need not predict the later one).
"""

from __future__ import annotations

import random
from collections.abc import Sequence
from datetime import UTC, datetime, timedelta
from pathlib import Path

import fsrs

from trainer.engine.revlog import RevlogRow
from trainer.engine.scheduler import CardSchedule, Rating, Settings, review

DEFAULT = tuple(float(w) for w in fsrs.scheduler.DEFAULT_PARAMETERS)
# A trainee who forgets faster than FSRS's average learner.
WEAK = (0.1, 0.5, 1.0, 4.0, *DEFAULT[4:8], 1.2, *DEFAULT[9:20], 0.35)
START = datetime(2025, 1, 6, 9, 0, tzinfo=UTC)
FIRST = (0.24, 0.094, 0.495, 0.171)
RECALLED = (0.224, 0.631, 0.145)


def _pick(rng: random.Random, probs: Sequence[float]) -> int:
    return rng.choices(range(len(probs)), weights=probs)[0]


def generate(
    qids: Sequence[str],
    *,
    days: int = 365,
    seed: int = 1,
    true: Sequence[float] = WEAK,
    later: Sequence[float] | None = None,
    switch_day: int | None = None,
    spread: int = 120,
) -> list[RevlogRow]:
    """Answers to ``qids`` (card i starts on day i % spread) until ``days`` have passed."""
    rng = random.Random(seed)
    settings = Settings(tz=UTC)
    models = [fsrs.Scheduler(parameters=tuple(true), enable_fuzzing=False)]
    if later is not None:
        models.append(fsrs.Scheduler(parameters=tuple(later), enable_fuzzing=False))
    end = START + timedelta(days=days)
    switch = START + timedelta(days=switch_day if switch_day is not None else days + 1)
    rows: list[RevlogRow] = []
    for i, qid in enumerate(qids):
        t = START + timedelta(days=i % spread, minutes=rng.randint(0, 600))
        ours = CardSchedule()
        memory = fsrs.Card(card_id=i + 1)
        while t < end:
            model = models[1 if (later is not None and t >= switch) else 0]
            if ours.reps == 0:
                rating = Rating(1 + _pick(rng, FIRST))
            else:
                r = model.get_card_retrievability(memory, t)
                rating = Rating(2 + _pick(rng, RECALLED)) if rng.random() < r else Rating.AGAIN
            rows.append(RevlogRow(qid, t, int(rating), rng.randint(2000, 20000)))
            memory, _ = model.review_card(memory, fsrs.Rating(int(rating)), t)
            seed_ = f"gen:{qid}:{ours.reps}"
            ours = review(ours, rating, t, settings, card_id=i + 1, fuzz_seed=seed_)
            assert ours.due is not None
            t = max(ours.due, t + timedelta(seconds=30)) + timedelta(minutes=rng.randint(0, 240))
    rows.sort(key=lambda r: (r.time, r.qid))
    return rows


def write_bank(path: Path, n: int) -> list[str]:
    """The mini bank plus ``n`` true/false questions ``gen-q-1``...: a bank file big enough for
    a year of generated history. Returns the new question ids."""
    from engine_kit import MINI

    qids = [f"gen-q-{i}" for i in range(1, n + 1)]
    extra = "".join(
        f'\n[[questions]]\nid = "{qid}"\ntype = "true_false"\nobjectives = ["mini-o-risks"]\n'
        f'stem = "Generated statement number {i}."\nanswer = true\n'
        'explanation = "Generated."\n'
        for i, qid in enumerate(qids, 1)
    )
    path.write_text(MINI.read_text() + extra)
    return qids


def write_revlog(path: Path, rows: Sequence[RevlogRow]) -> None:
    from trainer.engine.revlog import COLUMNS, format_time

    lines = [",".join(COLUMNS)]
    lines += [f"{r.qid},{format_time(r.time)},{r.rating},{r.duration_ms}" for r in rows]
    path.write_text("\n".join(lines) + "\n")
