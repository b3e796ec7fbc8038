"""``trainer stats``: study statistics for a bank and a review database, as text or JSON.

Opening the database never disturbs another process using it (WAL); a bad database or a bank with
errors is reported in one clear message and exit status 1, never a traceback.
"""

from __future__ import annotations

import json
import sqlite3
import stat
import sys
from dataclasses import asdict
from pathlib import Path
from typing import TYPE_CHECKING, TextIO

from trainer.bank.models import topic_title
from trainer.engine.records import Counts
from trainer.engine.stats import Stats

if TYPE_CHECKING:
    from trainer.engine.scheduler import Settings


def _pct(x: float | None) -> str:
    return "-" if x is None else f"{round(100 * x)}%"


def format_stats(stats: Stats, left: Counts | None = None) -> str:
    """A readable summary of a Stats value (and of what is left to study today)."""
    c = stats.cards
    total = sum(c.values())
    lines = [
        f"{stats.bank_title} ({stats.bank_id}): {total} cards",
        f"  New {c['new']}  Learning {c['learning']}  Review {c['review']}  "
        f"Relearning {c['relearning']}  Suspended {c['suspended']}",
        f"  Due now {stats.due_now}  Due today {stats.due_today}"
        + (
            f"  Left today: {left.new} new, {left.learning} learning, {left.review} review"
            if left is not None
            else ""
        ),
        f"  Answers logged {stats.reviews}  True retention {_pct(stats.true_retention)}  "
        f"Mean retrievability {_pct(stats.mean_retrievability)}  "
        f"Streak {stats.streak} day{'s' if stats.streak != 1 else ''}",
        "  Due on the next 7 days: " + " ".join(str(n) for n in stats.forecast[:7]),
        "  Answers on the last 7 days: " + " ".join(str(n) for _, n in stats.reviews_per_day[-7:]),
        "",
    ]
    width = max([len("Topic")] + [len(topic_title(t)) for t in stats.by_topic])
    lines.append(
        f"  {'Topic':<{width}}  {'Cards':>5}  {'New':>5}  {'Due':>5}  {'Mastery':>7}  "
        f"{'Retention':>9}"
    )
    for topic, t in stats.by_topic.items():
        lines.append(
            f"  {topic_title(topic):<{width}}  {t.cards:>5}  {t.new:>5}  {t.due:>5}  "
            f"{_pct(t.mastery):>7}  {_pct(t.retention):>9}"
        )
    return "\n".join(lines) + "\n"


def db_missing(db_path: Path) -> bool:
    """Whether there is no database to read: the file does not exist, or is empty (an empty
    file is where the app would create one; a read-only command must not). A path that cannot
    even be looked at (a folder the user cannot enter) is not "missing": opening it says what
    is wrong."""
    try:
        st = Path(db_path).stat()
    except FileNotFoundError:
        return True
    except OSError:
        return False
    return stat.S_ISREG(st.st_mode) and st.st_size == 0


def missing_db(db_path: Path) -> str:
    """What a read-only command says when its database does not exist (or is empty)."""
    what = "is empty" if Path(db_path).exists() else "does not exist"
    return (
        f"the database {db_path} {what} (nothing has been studied with it yet); "
        "give an existing one with --db or $TRAINER_DB"
    )


def run_stats(
    db_path: Path,
    bank_path: Path,
    as_json: bool,
    out: TextIO | None = None,
    settings: Settings | None = None,
) -> int:
    """Print the statistics; 0 on success, 1 on a bank with errors or an unusable database."""
    from trainer.bank.check import check_bank
    from trainer.engine.engine import Engine
    from trainer.engine.errors import TrainerDBError

    stream = out if out is not None else sys.stdout
    report = check_bank(Path(bank_path))
    bank = report.bank
    if bank is None:
        for problem in report.problems:  # as `trainer check` prints them
            sys.stderr.write(problem.format() + "\n")
        sys.stderr.write(f"trainer: the bank at {bank_path} has errors; fix them first.\n")
        return 1
    if db_missing(db_path):  # a read-only command never creates a database
        sys.stderr.write(f"trainer: {missing_db(db_path)}\n")
        return 1
    from trainer.engine.commands import say

    try:
        engine = Engine.open(bank, Path(db_path), settings=settings, notice=say)
    except TrainerDBError as exc:
        sys.stderr.write(f"trainer: {exc}\n")
        return 1
    try:
        stats = engine.stats()
        left = engine.counts()
    except (TrainerDBError, sqlite3.Error) as exc:
        sys.stderr.write(f"trainer: cannot read {db_path}: {exc}\n")
        return 1
    finally:
        engine.close()
    if as_json:
        data = {**stats.to_dict(), "left_today": asdict(left)}
        stream.write(json.dumps(data, indent=2, ensure_ascii=False) + "\n")
    else:
        stream.write(format_stats(stats, left))
    return 0
