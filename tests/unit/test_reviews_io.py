"""`trainer reviews export|import`: the revlog CSV round trip on real SQLite files, duplicates
skipped, unknown ids refused with nothing written, and states recomputed from the history equal
to what answering live gave (replay.py)."""

from __future__ import annotations

import csv
import sqlite3
import sys
from dataclasses import asdict
from datetime import timedelta
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).parent / "helpers"))
from engine_kit import MINI, T0, Clock, answer, mini_bank, open_engine

from trainer import cli
from trainer.engine import Engine, Rating
from trainer.engine.replay import recompute
from trainer.engine.revlog import COLUMNS, RevlogError, import_revlog, read_revlog

QIDS = (
    "mini-q-single",
    "mini-q-multiple",
    "mini-q-true-false",
    "mini-q-order",
    "mini-q-cloze",
    "mini-q-recall",
)
PLAN = (Rating.GOOD, Rating.AGAIN, Rating.HARD, Rating.EASY, Rating.GOOD, Rating.AGAIN)


def live_history(engine: Engine, clock: Clock) -> None:
    """Three weeks of answers: learning steps, lapses, a practice answer to a card not due (not
    rescheduled) and an exam answer (never rescheduled)."""
    for day in range(21):
        clock.set(T0 + timedelta(days=day, hours=(day * 5) % 11))
        for i, qid in enumerate(QIDS):
            for _ in range(3):  # learning steps come due within the day
                info = engine.card_info(qid)
                if info.due is not None and info.due > clock.t + timedelta(minutes=30):
                    break
                if info.due is not None and info.due > clock.t:
                    clock.set(info.due)
                answer(engine, qid, PLAN[(i + day) % len(PLAN)])
        if day == 3:
            answer(engine, "mini-q-single", Rating.GOOD, mode="exam")
            answer(engine, "mini-q-order", Rating.GOOD, mode="practice")


def schedules(engine: Engine) -> dict[str, dict[str, object]]:
    engine.reload()
    return {
        qid: asdict(engine.store.card(engine.bank.id, qid).schedule)  # type: ignore[union-attr]
        for qid in QIDS
    }


def log_rows(db: Path) -> list[tuple[object, ...]]:
    """Each entry's card, time, rating, mode, scheduled, and the card before it (its state and
    schedule: what an undo restores)."""
    with sqlite3.connect(db) as conn:
        return conn.execute(
            "SELECT r.card_id, r.time, r.rating, r.mode, r.scheduled, r.state_before, l.step, "
            "l.stability, l.difficulty, l.due, l.last_review, l.reps, l.lapses "
            "FROM review_log r JOIN revlog l ON l.id = r.id ORDER BY r.card_id, r.time, r.id"
        ).fetchall()


@pytest.fixture
def live(tmp_path: Path) -> tuple[Path, dict[str, dict[str, object]]]:
    """A database answered live with fuzz on (engine seed 7) and its cards' schedules."""
    clock = Clock(T0)
    db = tmp_path / "live.db"
    with open_engine(mini_bank(), db, clock, seed=7, enable_fuzzing=True) as engine:
        live_history(engine, clock)
        return db, schedules(engine)


def test_export_writes_the_rescheduling_answers_in_revlog_csv(
    live: tuple[Path, dict[str, dict[str, object]]],
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
) -> None:
    db, _ = live
    out = tmp_path / "revlog.csv"
    argv = ["reviews", "export", str(out), "--bank", str(MINI), "--db", str(db)]
    assert cli.main([*argv, "--config", str(tmp_path / "none.toml")]) == 0
    rows = list(csv.DictReader(out.open()))
    scheduled = [r for r in log_rows(db) if r[4]]
    assert len(rows) == len(scheduled) > 50
    assert f"Exported {len(rows)} reviews" in capsys.readouterr().out
    assert tuple(rows[0]) == COLUMNS
    assert rows[0]["card_id"] in QIDS
    assert rows[0]["review_time"].endswith("Z") and rows[0]["review_time"].startswith("2026-11-26T")
    assert {r["review_rating"] for r in rows} == {"1", "2", "3", "4"}
    assert {r["review_duration"] for r in rows} == {"1000"}
    times = [r["review_time"] for r in rows]
    assert times == sorted(times)


def test_import_round_trip_recomputes_states_equal_to_answering_live(
    live: tuple[Path, dict[str, dict[str, object]]], tmp_path: Path
) -> None:
    db, live_schedules = live
    out = tmp_path / "revlog.csv"
    with open_engine(mini_bank(), db, Clock(T0), enable_fuzzing=True) as engine:
        from trainer.engine.revlog import export_revlog

        with out.open("w", newline="") as f:
            export_revlog(engine, f)
    rows = read_revlog(out.open(), str(out))
    fresh = tmp_path / "fresh.db"
    with open_engine(mini_bank(), fresh, Clock(T0), enable_fuzzing=True) as engine:
        report = import_revlog(engine, rows, seed="7")  # the live engine's fuzz seed
        assert (report.added, report.duplicates, report.cards) == (len(rows), 0, 6)
        assert schedules(engine) == live_schedules
        # the log's states are those of the live log (exam/practice rows were not exported)
        assert [r[2:] for r in log_rows(fresh)] == [r[2:] for r in log_rows(db) if r[4]]
        # again: every row is a duplicate, nothing changes
        again = import_revlog(engine, rows, seed="7")
        assert (again.added, again.duplicates) == (0, len(rows))
        assert schedules(engine) == live_schedules
    # replaying the live database itself changes nothing either
    with open_engine(mini_bank(), db, Clock(T0), enable_fuzzing=True) as engine:
        assert recompute(engine, seed="7") == 6
        assert schedules(engine) == live_schedules


def test_import_through_the_command_line_skips_duplicates(
    live: tuple[Path, dict[str, dict[str, object]]],
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
) -> None:
    db, _ = live
    out = tmp_path / "revlog.csv"
    fresh = tmp_path / "fresh.db"
    config = ["--config", str(tmp_path / "none.toml"), "--bank", str(MINI)]
    assert cli.main(["reviews", "export", str(out), "--db", str(db), *config]) == 0
    n = len(out.read_text().splitlines()) - 1
    capsys.readouterr()
    assert cli.main(["reviews", "import", str(out), "--db", str(fresh), *config]) == 0
    assert f"Imported {n} reviews" in capsys.readouterr().out
    assert cli.main(["reviews", "import", str(out), "--db", str(fresh), *config]) == 0
    assert f"Imported 0 reviews from {out} ({n} duplicates skipped)" in capsys.readouterr().out
    assert len(log_rows(fresh)) == n


def test_unknown_ids_are_refused_with_a_list_and_nothing_is_written(
    live: tuple[Path, dict[str, dict[str, object]]],
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
) -> None:
    db, live_schedules = live
    before = log_rows(db)
    bad = tmp_path / "bad.csv"
    bad.write_text(
        "card_id,review_time,review_rating,review_duration\n"
        "mini-q-single,2027-01-02T10:00:00Z,3,5000\n"
        "nope-1,2027-01-02T10:01:00Z,3,5000\n"
        "gone-2,2027-01-02T10:02:00+01:00,1,0\n"
    )
    argv = ["reviews", "import", str(bad), "--bank", str(MINI), "--db", str(db)]
    assert cli.main([*argv, "--config", str(tmp_path / "none.toml")]) == 1
    err = capsys.readouterr().err
    assert "2 card ids of the file are not a question of the bank 'mini'" in err
    assert "gone-2, nope-1" in err and "Traceback" not in err
    assert log_rows(db) == before
    with open_engine(mini_bank(), db, Clock(T0)) as engine:
        assert schedules(engine) == live_schedules


@pytest.mark.parametrize(
    ("line", "message"),
    [
        ("mini-q-single,yesterday,3,0", "line 2: review_time 'yesterday' is not an ISO 8601"),
        ("mini-q-single,,3,0", "line 2: review_time is empty"),
        ("mini-q-single,2027-01-02T10:00:00Z,5,0", "line 2: review_rating must be 1 to 4, not 5"),
        ("mini-q-single,2027-01-02T10:00:00Z,3,-4", "line 2: review_duration must be >= 0"),
        (",2027-01-02T10:00:00Z,3,0", "line 2: card_id is empty"),
    ],
)
def test_bad_rows_are_refused_with_the_line(line: str, message: str) -> None:
    with pytest.raises(RevlogError, match=message):
        read_revlog([",".join(COLUMNS) + "\n", line + "\n"], "f.csv")


def test_a_file_that_is_not_utf8_is_refused_by_name(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    from trainer import cli

    bad = tmp_path / "latin1.csv"
    bad.write_bytes(b"\xff" + ",".join(COLUMNS).encode() + b"\n")
    db = tmp_path / "t.db"
    assert cli.main(["reviews", "import", str(bad), "--bank", str(MINI), "--db", str(db)]) == 1
    err = capsys.readouterr().err
    assert f"{bad}: not UTF-8 text" in err and "Traceback" not in err
    assert not db.exists()


def test_a_file_without_the_columns_is_refused() -> None:
    with pytest.raises(RevlogError, match="missing review_rating, review_duration"):
        read_revlog(["card_id,review_time\n", "a,2027-01-01T00:00:00Z\n"], "f.csv")


def test_a_hand_edited_retention_reschedules_the_cards_on_the_next_start(tmp_path: Path) -> None:
    from trainer.engine.replay import reschedule_if_changed

    clock = Clock(T0)
    db = tmp_path / "t.db"
    with open_engine(mini_bank(), db, clock) as engine:
        for _ in range(3):
            answer(engine, "mini-q-recall", Rating.GOOD)
        assert reschedule_if_changed(engine) is None  # first run: recorded
        due = engine.card_info("mini-q-recall").due
        assert reschedule_if_changed(engine) is None  # unchanged
    with open_engine(mini_bank(), db, clock, desired_retention=0.8) as engine:
        assert reschedule_if_changed(engine) == 1
        later = engine.card_info("mini-q-recall").due
        assert due is not None and later is not None and later > due
        assert reschedule_if_changed(engine) is None
