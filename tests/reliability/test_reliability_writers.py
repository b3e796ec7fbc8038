"""Writers take turns: three processes answering flat out on one database each get a commit in
every few dozen commits (no writer holds the database for hundreds of commits in a row while the
others wait), and every answer is saved. A property of the commit order, not a timing: the
longest run of one writer's commits in the review log, but the first (before the writers have
seen each other; see Connection.write) and the last (when the others have finished)."""

from __future__ import annotations

import itertools
import sqlite3
from pathlib import Path

from childproc import HERE, Child, spawn

PER_WRITER = 300
WRITERS = (1, 2, 3)
# Expected: at most TURN_COMMITS (16), rarely more. Before the turns: runs of hundreds.
LONGEST_RUN = 80


def start_writer(bank: Path, db: Path, writer: int, go: Path) -> Child:
    return spawn(HERE / "writer_child.py", bank, db, str(writer), str(PER_WRITER), go)


def test_three_writers_flat_out_take_turns(tmp_path: Path, mini_bank_path: Path) -> None:
    db = tmp_path / "shared.db"
    go = tmp_path / "go"
    children = [start_writer(mini_bank_path, db, w, go) for w in WRITERS]
    for child in children:
        assert child.ready.wait(timeout=60), child.output
    go.touch()
    for child in children:
        rc = child.finish(timeout=120)
        assert rc == 0 and child.lines[-1] == "done", child.output
    con = sqlite3.connect(f"file:{db}?mode=ro", uri=True)
    try:
        tags = [d for (d,) in con.execute("SELECT duration_ms FROM review_log ORDER BY id")]
    finally:
        con.close()
    assert sorted(tags) == sorted(w * 1_000_000 + k for w in WRITERS for k in range(PER_WRITER))
    runs = [len(list(group)) for _, group in itertools.groupby(t // 1_000_000 for t in tags)]
    print("runs:", runs)
    # the first run: before the writers have seen each other; the last: the others are done
    assert max(runs[1:-1]) <= LONGEST_RUN, runs
