"""SIGKILL of the real app (headless, in a child process) while it answers: nothing shown as done
is lost.

The app promises each answer is saved before the next question appears. ui_child.py answers
through the app's own widgets and prints a question id once the next question is on screen. Over
10 seeded kills on one database: integrity_check is ok, and every question has at least as many
saved answers as were printed for it (at most one unprinted answer per kill).
"""

from __future__ import annotations

import random
import signal
import sqlite3
import time
from collections import Counter
from pathlib import Path

from childproc import spawn

from trainer.bank import load_bank
from trainer.engine import Engine

RUNS = 10
SEED = 4242
UI_CHILD = Path(__file__).resolve().parent / "ui_child.py"


def test_killing_the_app_loses_no_shown_answer(tmp_path: Path, mini_bank_path: Path) -> None:
    rng = random.Random(SEED)
    db = tmp_path / "reviews.db"
    printed: Counter[str] = Counter()
    bank, problems = load_bank(mini_bank_path)
    assert bank is not None, problems
    for run in range(RUNS):
        child = spawn(UI_CHILD, mini_bank_path, db)
        proc = child.proc
        assert child.ready.wait(timeout=60), "the app never showed a question"
        # Kill at a random moment after the first shown answer of this run, so the test does not
        # depend on how fast a loaded machine repaints.
        assert child.wait_answers(1, timeout=60), child.output
        time.sleep(rng.uniform(0.0, 0.4))
        proc.send_signal(signal.SIGKILL)
        rc = child.finish()
        assert not [x for x in child.lines if x.startswith("error")], child.output
        assert rc == -signal.SIGKILL, child.output
        printed.update(x.split()[1] for x in child.lines if x.startswith("answered "))

        con = sqlite3.connect(f"file:{db}?mode=ro", uri=True)
        try:
            assert con.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
        finally:
            con.close()
        with Engine.open(bank, db) as engine:
            saved = Counter({q.id: len(engine.history(q.id)) for q in bank.questions})
        short = {qid: (n, saved[qid]) for qid, n in printed.items() if saved[qid] < n}
        assert not short, f"run {run}: printed (n) > saved: {short}"
        assert saved.total() - printed.total() <= run + 1
    assert printed.total() >= RUNS, printed
