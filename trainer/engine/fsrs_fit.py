"""FSRS fitted to the trainee: Anki's Evaluate and Optimize, with fsrs-rs-python (the ``[fsrs]``
extra: ``pip install 'trainer[fsrs]'``; 1.6 MB, no dependencies).

Training items are built as Anki builds them: each card's whole history from its first answer,
as (rating, elapsed study days) pairs; every answer at least one study day after the previous one
is a target, predicted from everything before it. Only answers that rescheduled the card count
(``review_log.scheduled = 1``): exam answers and practice answers that did not reschedule are
left out.

Evaluate: log loss and RMSE over bins (as srs-benchmark bins them; fsrs-rs computes both) of the
current parameters on every item. Optimize: fit FSRS-6 parameters on the earlier 80% of the items
(by the time of their target answer) and compare them with the current ones on the later 20%;
they are adopted only when their log loss there is lower and the history has at least
MIN_ITEMS items. The adopted parameters are the ones that were compared.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime, tzinfo
from types import ModuleType
from typing import Any

import fsrs

from trainer.engine.days import elapsed_days
from trainer.engine.replay import Answer
from trainer.engine.scheduler import Settings, SettingsError, check_parameters

INSTALL_HINT = (
    "FSRS evaluation and optimization need the optional fsrs-rs-python package: "
    "pip install 'trainer[fsrs]'"
)
MIN_ITEMS = 1000
HOLDOUT = 0.2


class FsrsUnavailable(RuntimeError):
    """fsrs-rs-python is not installed; the message says how to get it."""


def fsrs_rs() -> ModuleType:
    """The fsrs_rs_python module, or FsrsUnavailable with the install hint."""
    try:
        import fsrs_rs_python
    except ImportError as exc:
        raise FsrsUnavailable(INSTALL_HINT) from exc
    return fsrs_rs_python


@dataclass(frozen=True)
class Item:
    """A target answer and the card's history up to it: ((rating, delta_t study days), ...)."""

    reviews: tuple[tuple[int, int], ...]
    time: datetime


@dataclass(frozen=True)
class Metrics:
    log_loss: float
    rmse_bins: float
    items: int

    def format(self) -> str:
        return (
            f"log loss {self.log_loss:.4f}, RMSE(bins) {self.rmse_bins:.4f} on {self.items} items"
        )


@dataclass(frozen=True)
class OptimizeResult:
    items: int
    train: int
    test: int
    current: Metrics | None  # the current parameters on the held-out items
    fitted: Metrics | None  # the fitted parameters on the held-out items
    parameters: tuple[float, ...] | None  # the fitted parameters
    adopted: bool
    message: str


def training_items(
    history: Mapping[str, Sequence[Answer]], hour: int, tz: tzinfo | None
) -> list[Item]:
    """Anki's training items from the answers that rescheduled each card, sorted by time."""
    items: list[Item] = []
    for answers in history.values():
        reviews: list[tuple[int, int]] = []
        previous: datetime | None = None
        for a in sorted(answers, key=lambda a: (a.time, a.log_id)):
            delta = 0 if previous is None else elapsed_days(previous, a.time, hour, tz)
            reviews.append((int(a.rating), delta))
            previous = a.time
            if len(reviews) > 1 and delta > 0:
                items.append(Item(tuple(reviews), a.time))
    items.sort(key=lambda i: i.time)
    return items


def items_from_settings(history: Mapping[str, Sequence[Answer]], settings: Settings) -> list[Item]:
    return training_items(history, settings.day_starts_hour, settings.tz)


def current_parameters(settings: Settings) -> tuple[float, ...]:
    """The trainee's parameters, or py-fsrs's defaults."""
    if settings.parameters is not None:
        return settings.parameters
    return tuple(float(w) for w in fsrs.scheduler.DEFAULT_PARAMETERS)


def _rs_items(rs: ModuleType, items: Sequence[Item]) -> list[Any]:
    return [rs.FSRSItem([rs.FSRSReview(r, d) for r, d in item.reviews]) for item in items]


def evaluate(items: Sequence[Item], parameters: Sequence[float]) -> Metrics:
    """Log loss and RMSE(bins) of ``parameters`` on ``items`` (FsrsUnavailable without fsrs-rs)."""
    rs = fsrs_rs()
    if not items:
        raise ValueError("there is no history to evaluate yet (answer cards on several days)")
    result = rs.FSRS(list(parameters)).evaluate(_rs_items(rs, items))
    return Metrics(float(result.log_loss), float(result.rmse_bins), len(items))


def optimize(items: Sequence[Item], current: Sequence[float]) -> OptimizeResult:
    """Fit on the earlier part, compare on the later part; see the module docstring."""
    rs = fsrs_rs()
    n = len(items)
    if n < MIN_ITEMS:
        return OptimizeResult(
            items=n,
            train=0,
            test=0,
            current=None,
            fitted=None,
            parameters=None,
            adopted=False,
            message=(
                f"Not enough history to optimize: {n} training items, {MIN_ITEMS - n} more are "
                f"needed (at least {MIN_ITEMS}: answers a study day or more after the previous "
                "answer to the same card)."
            ),
        )
    split = round(n * (1 - HOLDOUT))
    train, test = items[:split], items[split:]
    fitted = tuple(
        float(w) for w in rs.FSRS(list(current)).compute_parameters(_rs_items(rs, train))
    )
    before = evaluate(test, current)
    try:
        check_parameters(fitted)
    except SettingsError as exc:
        return OptimizeResult(n, len(train), len(test), before, None, fitted, False, str(exc))
    after = evaluate(test, fitted)
    adopted = after.log_loss < before.log_loss
    verdict = (
        "The fitted parameters predict the later answers better: adopted."
        if adopted
        else "The fitted parameters do not predict the later answers better: kept the current ones."
    )
    return OptimizeResult(n, len(train), len(test), before, after, fitted, adopted, verdict)
