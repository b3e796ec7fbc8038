"""Two processes answering on one database at the same time: nothing lost, never "locked".

Both children open the same fresh database at once (both may try to create it), wait for a shared
go signal, then each saves 100 answers, kept in lockstep (neither gets more than 5 answers ahead,
through progress files) so that their transactions interleave whatever the scheduler does. Every
answer each printed must be in the history, the log must show the two interleaved, and neither may
report "database is locked" (or any error).
"""

from __future__ import annotations

import itertools
import sqlite3
from pathlib import Path

from childproc import start_child

from trainer.bank import load_bank
from trainer.engine import Engine

PER_CHILD = 100


def test_two_processes_answer_on_one_database(tmp_path: Path, mini_bank_path: Path) -> None:
    db = tmp_path / "shared.db"
    go = tmp_path / "go"
    pace = tmp_path / "pace"
    pace.mkdir()
    children = [
        start_child(
            mini_bank_path,
            db,
            tag,
            *("--count", str(PER_CHILD), "--go", str(go), "--seed", str(tag)),
            *("--lockstep", str(pace), "--partner", str(3 - tag)),
        )
        for tag in (1, 2)
    ]
    for child in children:
        assert child.ready.wait(timeout=30), "a child never opened the database"
    go.touch()
    for child in children:
        rc = child.finish(timeout=60)
        assert "locked" not in child.output.lower(), child.output
        assert "busy" not in child.output.lower(), child.output
        assert rc == 0, child.output
        assert child.lines[-1] == "done", child.output
        assert len(child.answers) == PER_CHILD, child.output

    bank, problems = load_bank(mini_bank_path)
    assert bank is not None, problems
    engine = Engine.open(bank, db)
    try:
        saved = [(q.id, e.duration_ms) for q in bank.questions for e in engine.history(q.id)]
        total = engine.stats().reviews
    finally:
        engine.close()
    printed = children[0].answers + children[1].answers
    assert sorted(saved) == sorted(printed)
    assert total == 2 * PER_CHILD
    # Commit order: the children's answers alternate in runs, not one block after the other.
    con = sqlite3.connect(f"file:{db}?mode=ro", uri=True)
    try:
        writers = [
            d // 1_000_000 for (d,) in con.execute("SELECT duration_ms FROM review_log ORDER BY id")
        ]
    finally:
        con.close()
    switches = sum(1 for a, b in itertools.pairwise(writers) if a != b)
    assert switches >= PER_CHILD // 10, switches
