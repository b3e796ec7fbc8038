"""Build tests/data/v4/history.db (a schema-4 database with a varied history) and golden.json
(every figure derived from it), with the trainer code of schema 4 (commit 032b246).

Kept for the record: it runs only against that code (it writes the schema-4 log). The migration
test (tests/unit/test_store_migrate5.py) opens a copy with today's code and compares.

    PYTHONPATH=$PWD python tests/data/v4/make_v4.py
"""

from __future__ import annotations

import io
import json
import shutil
import sqlite3
import sys
from dataclasses import asdict
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE.parents[1] / "unit" / "helpers"))

from engine_kit import MINI_RIGHT, MINI_WRONG, Clock, mini_bank, open_engine  # noqa: E402

from trainer.engine import Engine, Rating  # noqa: E402
from trainer.engine.engine import ExamAnswerIn  # noqa: E402
from trainer.engine.records import ExamResult  # noqa: E402
from trainer.engine.replay import recompute  # noqa: E402
from trainer.engine.revlog import RevlogRow, export_revlog, import_revlog  # noqa: E402

QIDS = (
    "mini-q-single",
    "mini-q-multiple",
    "mini-q-true-false",
    "mini-q-order",
    "mini-q-cloze",
    "mini-q-recall",
)
START = datetime(2026, 3, 20, 9, 0, tzinfo=UTC)  # crosses the change to summer time
END = datetime(2026, 5, 2, 18, 30, tzinfo=UTC)


def resp(qid: str, ok: bool) -> Any:
    return (MINI_RIGHT if ok else MINI_WRONG)[qid]


def build(db: Path) -> None:
    clock = Clock(START)
    e = open_engine(mini_bank(), db, clock, seed=11, enable_fuzzing=True)
    plan = [Rating.GOOD, Rating.AGAIN, Rating.HARD, Rating.EASY, Rating.GOOD, Rating.GOOD]
    k = 0
    for day in range(40):
        clock.set(START + timedelta(days=day, hours=(day * 7) % 10, minutes=(day * 13) % 60))
        if day % 9 == 4:
            continue  # a day off
        for qid in QIDS:
            r = plan[k % len(plan)]
            k += 1
            e.answer(qid, r, response=resp(qid, r != Rating.AGAIN), duration_ms=900 + 37 * k)
            clock.advance(seconds=41)
        if day % 5 == 2:  # practice: a card not due (not rescheduled)
            e.answer(
                "mini-q-order",
                Rating.GOOD,
                response=resp("mini-q-order", True),
                duration_ms=1234,
                mode="practice",
            )
        if day % 6 == 1:  # a cloze with text that is not ASCII, wrong
            e.answer(
                "mini-q-cloze",
                Rating.AGAIN,
                response=("café «x»", "naïve"),
                duration_ms=70_000,
                mode="practice",
            )
        if day == 5:  # an answer undone, one rerated, one overridden ("I was right")
            e.answer("mini-q-single", Rating.GOOD, response=0, duration_ms=10)
            e.undo()
            lid = e.answer("mini-q-true-false", Rating.AGAIN, response=False, duration_ms=20)
            e.rerate(
                lid, "mini-q-true-false", Rating.HARD, response=True, duration_ms=20, mode="study"
            )
            lid = e.answer("mini-q-single", Rating.AGAIN, response=1, duration_ms=30)
            e.rerate(
                lid,
                "mini-q-single",
                Rating.GOOD,
                response=1,
                duration_ms=30,
                mode="study",
                override=True,
            )
        if day == 8:  # an exam
            answers = [
                ExamAnswerIn(
                    q, Rating.GOOD if i % 2 else Rating.AGAIN, resp(q, bool(i % 2)), 500 + i
                )
                for i, q in enumerate(QIDS)
            ]
            result = ExamResult(
                started=clock.t - timedelta(minutes=10),
                finished=clock.t,
                seed=3,
                question_ids=QIDS,
                correct_ids=QIDS[1::2],
                by_topic={"procedure": (1, 3), "risks": (2, 3)},
            )
            e.submit_exam(result, answers)
        if day == 12:
            e.set_suspended("mini-q-recall", True)
            e.answer("mini-q-recall", Rating.GOOD, response=None, duration_ms=5, mode="practice")
        if day == 14:
            e.set_suspended("mini-q-recall", False)
            e.set_flag("mini-q-multiple", True)
        if day == 20:
            e.reset_card("mini-q-order")
        if day == 22:  # imported history: some before the reset, some after, one duplicate
            rows = [
                RevlogRow("mini-q-order", START + timedelta(days=1, hours=3), 3, 4000),
                RevlogRow("mini-q-order", START + timedelta(days=21, hours=1), 2, 5000),
                RevlogRow("mini-q-cloze", START + timedelta(days=2, minutes=5), 1, 6000),
                RevlogRow("mini-q-recall", START + timedelta(days=22, minutes=1), 4, 0),
            ]
            import_revlog(e, rows)
        if day == 30:  # far ahead of time: practice on due cards
            e.answer(
                "mini-q-multiple",
                Rating.EASY,
                response=resp("mini-q-multiple", True),
                duration_ms=1,
                mode="practice",
            )
    clock.set(END)
    e.answer("mini-q-recall", Rating.AGAIN, response=None, duration_ms=3333)
    e.close()


def figures(e: Engine) -> dict[str, Any]:
    out = io.StringIO()
    export_revlog(e, out)
    day = datetime(2026, 5, 2, 0, 0, tzinfo=UTC)
    return {
        "stats": e.stats().to_dict(),
        "counts": asdict(e.counts()),
        "overview": asdict(e.overview()),
        "correct_by_topic": {k: list(v) for k, v in e.correct_by_topic().items()},
        "history": {
            q: [{**asdict(h), "time": h.time.isoformat()} for h in e.history(q)] for q in QIDS
        },
        "last_results": e.store.last_results(e.bank.id),
        "log_since": [
            {**asdict(r), "time": r.time.isoformat()}
            for r in e.store.log_since(e.bank.id, day - timedelta(days=9))
        ],
        "log_all": [
            {**asdict(r), "time": r.time.isoformat()} for r in e.store.log_since(e.bank.id)
        ],
        "review_rows": [list(r) for r in e.store.review_rows(e.bank.id)],
        "export_csv": out.getvalue(),
        "exams": [
            {**asdict(x), "started": x.started.isoformat(), "finished": x.finished.isoformat()}
            for x in e.exam_results()
        ],
        "cards": {
            q: {**asdict(c), "due": c.due and c.due.isoformat()}
            for q, c in e.all_card_info().items()
        },
        "unseen": [q.id for q in e.practice_questions(None, "unseen", seed=1)],
        "missed": [q.id for q in e.practice_questions(None, "missed", seed=1)],
        "log_count": e.store.log_count(e.bank.id),
        "retention_counts": {k: list(v) for k, v in e.store.retention_counts(e.bank.id).items()},
        "correct_counts": {k: list(v) for k, v in e.store.correct_counts(e.bank.id).items()},
    }


def rows(db: Path) -> list[dict[str, Any]]:
    con = sqlite3.connect(db)
    con.row_factory = sqlite3.Row
    out = [dict(r) for r in con.execute("SELECT * FROM review_log ORDER BY id")]
    con.close()
    for r in out:
        r["card_before"] = json.loads(r["card_before"])
        del r["card_after"], r["state_after"]
    return out


def main() -> None:
    db = HERE / "history.db"
    for p in HERE.glob("history.db*"):
        p.unlink()
    build(db)
    con = sqlite3.connect(db)
    con.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    con.execute("PRAGMA journal_mode = DELETE")
    con.close()
    work = HERE / "work.db"
    golden: dict[str, Any] = {"rows": rows(db)}
    clock = Clock(END + timedelta(hours=2))
    shutil.copy(db, work)
    e = open_engine(mini_bank(), work, clock, seed=11, enable_fuzzing=True)
    golden["figures"] = figures(e)
    # undo each card's last answer, one card after another
    undone = []
    last = {}
    for r in golden["rows"]:
        last[r["card_id"]] = r["id"]
    for _card_id, log_id in sorted(last.items()):
        qid = e.undo_entry(log_id)
        undone.append([log_id, qid, asdict(e.card_info(qid)) if qid else None])
    for u in undone:
        if u[2] is not None and u[2]["due"] is not None:
            u[2]["due"] = u[2]["due"].isoformat()
    golden["undone"] = undone
    golden["after_undo"] = figures(e)
    e.close()
    shutil.copy(db, work)
    e = open_engine(mini_bank(), work, clock, seed=11, enable_fuzzing=True, desired_retention=0.8)
    golden["recomputed"] = recompute(e)
    golden["after_recompute"] = figures(e)
    e.close()
    for p in HERE.glob("work.db*"):
        p.unlink()
    (HERE / "golden.json").write_text(
        json.dumps(golden, sort_keys=True, default=str) + "\n", encoding="utf-8"
    )
    print(len(golden["rows"]), "log entries")


if __name__ == "__main__":
    main()
