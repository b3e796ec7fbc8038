"""SIGKILL at a random moment of a study, practice or exam session (51 seeded runs, a third of
each kind, in child processes on one database): every submitted answer is in the database, and
the next start resumes the session exactly where the last committed action left it.

session_child.py prints ``begin`` before each action and ``submitted``/``state SHA`` after its
commit. A kill after ``state X`` must leave the saved session X; a kill after ``begin`` may leave
X or the state that action made (never anything else, checked by the step's hash on the next
start being one the run before printed or the next one it would print)."""

from __future__ import annotations

import json
import random
import signal
import sqlite3
import time
from collections import Counter
from pathlib import Path

from childproc import spawn

RUNS = 51
SEED = 9090
CHILD = Path(__file__).resolve().parent / "session_child.py"
KINDS = ("study", "practice", "exam")


def read_db(db: Path) -> tuple[Counter[tuple[str, str]], dict[str, dict[str, bool]], str]:
    """(log entries per (mode, qid), the saved exam's answered flags, integrity_check)."""
    con = sqlite3.connect(f"file:{db}?mode=ro", uri=True)
    try:
        check = con.execute("PRAGMA integrity_check").fetchone()[0]
        log = Counter(
            (str(mode), str(qid))
            for mode, qid in con.execute(
                "SELECT l.mode, c.question_id FROM review_log l JOIN cards c ON c.id = l.card_id"
            )
        )
        row = con.execute("SELECT state FROM sessions WHERE kind = 'exam'").fetchone()
    finally:
        con.close()
    exam = {}
    if row is not None:
        exam = {q: {"answered": bool(a[1])} for q, a in json.loads(row[0])["answers"].items()}
    return log, exam, str(check)


def test_sigkill_during_sessions_keeps_every_answer_and_resumes(
    tmp_path: Path, mini_bank_path: Path
) -> None:
    rng = random.Random(SEED)
    db = tmp_path / "sessions.db"
    printed: Counter[tuple[str, str]] = Counter()
    last: dict[str, list[str]] = {k: [] for k in KINDS}  # the lines of each kind's last run
    exam_kept: set[str] = set()  # exam answers kept since the last exam submit
    checked_resumes = 0
    for run in range(RUNS):
        kind = KINDS[run % 3]
        child = spawn(CHILD, mini_bank_path, db, kind, str(run))
        proc = child.proc
        assert child.ready.wait(timeout=60), child.output
        time.sleep(rng.uniform(0.0, 0.25))
        proc.send_signal(signal.SIGKILL)
        rc = child.finish()
        lines = child.lines
        assert not [x for x in lines if x.startswith("error")], child.output
        assert rc == -signal.SIGKILL, child.output
        # where the previous run of this kind left off: this run's resume must match it
        previous = last[kind]
        resumed = next(x.split()[1] for x in lines if x.startswith("resumed "))
        states = [x.split()[1] for x in previous if x.startswith("state ")]
        if states:
            if previous[-1].startswith("state "):
                assert resumed == states[-1], f"run {run}: resumed elsewhere"
            checked_resumes += 1
        last[kind] = lines
        for x in lines:
            if x.startswith("submitted "):
                _, mode, qid = x.split()
                if mode == "exam":
                    exam_kept.add(qid)
                else:
                    printed[(mode, qid)] += 1
            if kind == "exam" and x == "state none":
                exam_kept.clear()  # submitted: now in the log
        log, exam, check = read_db(db)
        assert check == "ok"
        short = {k: (n, log[k]) for k, n in printed.items() if log[k] < n}
        assert not short, f"run {run}: submitted answers missing from the log: {short}"
        missing = {
            q for q in exam_kept if not exam.get(q, {}).get("answered") and not log[("exam", q)]
        }
        assert not missing, f"run {run}: kept exam answers missing: {missing}"
    # not vacuous: answers were submitted and most runs' resumes were checked (a run killed on a
    # loaded machine before its first commit leaves nothing to check the next run's resume by)
    assert sum(printed.values()) >= 20 and checked_resumes >= RUNS // 2
