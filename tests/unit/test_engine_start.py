"""What a start does cheaply: the sync settled by a stamp, a twin sharing the bank's maps."""

from __future__ import annotations

import json
import sqlite3
import sys
from dataclasses import replace
from datetime import UTC, timedelta
from pathlib import Path

sys.path.insert(0, str(Path(__file__).parent / "helpers"))
sys.path.insert(0, str(Path(__file__).parents[1]))
import pytest
from engine_kit import Clock, answer, make_bank, open_engine, tf_question
from hostile_fs import read_only
from hypothesis import given, settings
from hypothesis import strategies as st

from trainer.bank import cache
from trainer.bank.loader import LoadResult
from trainer.bank.models import Bank, LazyBank, LazyQuestion
from trainer.engine import Counts, Engine, Overview, Rating, SyncReport, TrainerDBError, summary
from trainer.engine.days import DAY_US, day_bounds, elapsed_days, elapsed_days_sql, elapsed_days_us
from trainer.engine.scheduler import retrievability_fn
from trainer.engine.store import Store
from trainer.engine.store.cards import SYNCED_PREFIX
from trainer.engine.store.codec import from_us, to_us


def _stamp(db: Path, bank_id: str) -> str | None:
    with sqlite3.connect(db) as c:
        row = c.execute("SELECT value FROM settings WHERE key = ?", (SYNCED_PREFIX + bank_id,))
        found = row.fetchone()
    return None if found is None else str(found[0])


def test_a_second_start_is_settled_by_the_stamp_and_a_changed_bank_still_syncs(
    tmp_path: Path,
) -> None:
    db = tmp_path / "t.db"
    clock = Clock()
    v1 = make_bank({"t": {"o": 3}})
    engine = open_engine(v1, db, clock)
    assert engine.sync_report == SyncReport(added=3)
    answer(engine, "o-1", Rating.GOOD)
    engine.close()
    first = _stamp(db, v1.id)
    assert first is not None

    engine = open_engine(v1, db, clock)  # unchanged: the stamp matches, nothing written
    assert engine.sync_report == SyncReport()
    assert engine.card_info("o-1").reps == 1
    engine.close()
    assert _stamp(db, v1.id) == first

    v2 = make_bank({"t": {"o": 2, "p": 1}})  # o-3 removed, p-1 added
    engine = open_engine(v2, db, clock)
    assert engine.sync_report == SyncReport(added=1, retired=1)
    assert set(engine.all_card_info()) == {"o-1", "o-2", "p-1"}
    engine.close()
    assert _stamp(db, v2.id) not in (None, first)

    engine = open_engine(v1, db, clock)  # back to v1: o-3 revived, p-1 retired
    assert engine.sync_report == SyncReport(retired=1, revived=1)
    engine.close()


def test_a_card_deleted_behind_the_engines_back_is_made_again(tmp_path: Path) -> None:
    """The stamp counts the cards: a row deleted by another tool does not pass as in sync."""
    db = tmp_path / "t.db"
    bank = make_bank({"t": {"o": 3}})
    open_engine(bank, db).close()
    with sqlite3.connect(db) as c:
        c.execute("DELETE FROM cards WHERE question_id = 'o-3'")
    engine = open_engine(bank, db)
    assert engine.sync_report == SyncReport(added=1)
    assert engine.card_info("o-3").state == "new"
    engine.close()


def test_a_stamp_missing_or_stale_is_stored_by_a_start_that_finds_the_cards_in_sync(
    tmp_path: Path,
) -> None:
    db = tmp_path / "t.db"
    bank = make_bank({"t": {"o": 2}})
    open_engine(bank, db).close()
    stamp = _stamp(db, bank.id)
    with sqlite3.connect(db) as c:
        c.execute("UPDATE settings SET value = 'stale' WHERE key = ?", (SYNCED_PREFIX + bank.id,))
    engine = open_engine(bank, db)
    assert engine.sync_report == SyncReport()
    engine.close()
    assert _stamp(db, bank.id) == stamp


def test_a_twin_shares_the_bank_maps_and_schedules_alike(tmp_path: Path) -> None:
    bank = make_bank({"t": {"o": 3}, "u": {"p": 2}})
    engine = open_engine(bank, tmp_path / "t.db")
    twin = engine.twin()
    assert twin._questions is engine._questions and twin._sibling is engine._sibling
    assert twin.next_question() == engine.next_question()
    assert twin.counts() == engine.counts()
    assert twin.topic_of("p-1") == engine.topic_of("p-1") == "u"
    twin.close()
    engine.close()


def _figures(engine: Engine) -> tuple[Counts, dict[str, float]]:
    """(counts, mastery) tallied by SQL by a fresh twin, which must not load its cards."""
    fresh = engine.twin()
    try:
        tally = fresh._tally(fresh.now())
        assert tally is not None
        assert not fresh._cache.loaded()
        return tally
    finally:
        fresh.close()


def _loaded(engine: Engine) -> tuple[Counts, dict[str, float]]:
    engine.next_question()  # loads the cards
    assert engine._cache.loaded()
    overview = engine.overview()
    return overview.counts, overview.mastery


def test_a_buried_review_is_tallied_as_the_queue_hides_it(tmp_path: Path) -> None:
    """Reviews of a sibling studied today: hidden with bury_reviews, counted without."""
    clock = Clock()
    bank = make_bank({"t": {"o": 3, "p": 1}})
    for bury in (True, False):
        db = tmp_path / f"{bury}.db"
        engine = open_engine(bank, db, clock, bury_reviews=bury, bury_new=False)
        for qid in ("o-1", "o-2", "o-3", "p-1"):
            answer(engine, qid, Rating.EASY)
        clock.advance(days=120)  # all four due: reviews
        answer(engine, "o-1", Rating.GOOD)  # o-2 and o-3 are buried if bury_reviews
        counts, mastery = _loaded(engine)
        assert counts.review == (1 if bury else 3)
        assert _figures(engine) == (counts, mastery)
        assert mastery["t"] > 0
        engine.close()


def test_a_suspect_card_row_is_not_tallied_but_raises_its_clear_error(tmp_path: Path) -> None:
    db = tmp_path / "t.db"
    bank = make_bank({"t": {"o": 3}})
    open_engine(bank, db).close()
    with sqlite3.connect(db) as c:
        c.execute("UPDATE cards SET due = 'soon', state = 'review' WHERE question_id = 'o-2'")
    engine = open_engine(bank, db)
    with pytest.raises(TrainerDBError, match="damaged") as raised:
        engine.overview()
    engine.close()
    engine = open_engine(bank, db)
    with pytest.raises(TrainerDBError) as loaded:
        engine.next_question()  # the same error as the full load gives
    assert str(loaded.value) == str(raised.value)
    engine.close()


def test_cards_synced_by_another_version_of_the_bank_are_not_tallied(tmp_path: Path) -> None:
    """Another program synced another version of the bank meanwhile: the cards are loaded (the
    stamp no longer matches), as they were before the tally."""
    db = tmp_path / "t.db"
    clock = Clock()
    v1 = make_bank({"t": {"o": 3}})
    engine = open_engine(v1, db, clock, bury_new=False)
    answer(engine, "o-1", Rating.EASY)
    open_engine(make_bank({"t": {"o": 2, "p": 2}}), db, clock).close()  # o-3 retired
    fresh = engine.twin()
    assert fresh._tally(fresh.now()) is None
    assert fresh.counts().new == 1  # o-2 (o-3 is retired in the file)
    fresh.close()
    engine.close()


def test_the_session_engines_answers_are_tallied_at_home_not_reloaded(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Home's engine had its cards loaded; the session's engine (a twin) answers: home's next
    figures are tallied (no card read), equal to a full load, and its cards load when used."""
    clock = Clock()
    engine = open_engine(make_bank({"t": {"o": 3}, "u": {"p": 3}}), tmp_path / "t.db", clock)
    _loaded(engine)
    session = engine.twin()
    for _ in range(4):
        q = session.next_question()
        assert q is not None
        answer(session, q.id, Rating.GOOD)
        clock.advance(seconds=30)
    reads: list[str] = []
    card_cols = Store.card_cols

    def counted(store: Store, bank_id: str) -> object:
        reads.append(bank_id)
        return card_cols(store, bank_id)

    monkeypatch.setattr(Store, "card_cols", counted)
    overview = engine.overview()
    assert reads == []
    assert (overview.counts, overview.mastery) == _loaded(session)
    assert reads == []  # the session's own cache was current
    assert _loaded(engine) == (overview.counts, overview.mastery)
    assert reads == [engine.bank.id]
    session.close()
    engine.close()


def test_the_engines_own_writes_change_its_tallied_figures(tmp_path: Path) -> None:
    engine = open_engine(make_bank({"t": {"o": 3}}), tmp_path / "t.db", bury_new=False)
    assert engine.overview().counts.new == 3
    engine.set_suspended("o-2", True)  # written without loading the cards
    assert not engine._cache.loaded()
    assert engine.overview().counts.new == 2
    answer(engine, "o-1", Rating.AGAIN)
    assert engine.overview().counts == Counts(new=1, learning=1, review=0)
    assert _loaded(engine) == _figures(engine)
    engine.close()


def test_the_next_due_time_is_read_from_the_index_as_the_loaded_cards_give_it(
    tmp_path: Path,
) -> None:
    clock = Clock()
    engine = open_engine(make_bank({"t": {"o": 4}}), tmp_path / "t.db", clock)
    assert engine.next_due() is None  # nothing studied yet
    answer(engine, "o-1", Rating.GOOD)
    answer(engine, "o-2", Rating.EASY)
    answer(engine, "o-3", Rating.AGAIN)
    engine.set_suspended("o-3", True)
    seen = []
    for minutes in (0, 1, 3, 60 * 24 * 30, 60 * 24 * 400):
        clock.advance(minutes=minutes)
        fresh = engine.twin()
        indexed = fresh.next_due()
        assert not fresh._cache.loaded()
        fresh._cache.raw()
        assert indexed == fresh.next_due()
        seen.append(indexed)
        fresh.close()
    assert seen[0] is not None and seen[0] > clock.t - timedelta(minutes=60 * 24 * 430)
    assert seen[-1] is None  # everything is overdue by then
    engine.close()


@settings(max_examples=200, deadline=None)
@given(
    last=st.integers(-(10**15), 10**15),
    start=st.integers(-(10**15), 10**15),
    day=st.integers(-10_000, 10_000),
)
def test_elapsed_days_in_sql_is_the_python_formula_and_days_elapsed_days(
    last: int, start: int, day: int
) -> None:
    """Mastery's elapsed days: the SQL form (Cards.mastery_rows) and the Python form
    (summary) are one formula, and both count as days.elapsed_days does."""
    with sqlite3.connect(":memory:") as c:
        for s in (start, day * DAY_US):
            (found,) = c.execute(f"SELECT {elapsed_days_sql('?1', '?2')}", (last, s)).fetchone()
            assert found == elapsed_days_us(last, s)
    midnight = from_us(day * DAY_US)  # a study day's start (hour 0, UTC)
    assert day_bounds(midnight, 0, UTC)[0] == midnight
    now = midnight + timedelta(hours=7)
    assert elapsed_days(from_us(last), now, 0, UTC) == elapsed_days_us(last, day * DAY_US)


def _minus(stability: float, days: int) -> float:
    return -1.0


def test_the_home_mastery_is_the_same_without_sqlites_pow(tmp_path: Path) -> None:
    """An SQLite built without its math functions: the retrievability is computed in Python,
    with identical values."""
    clock = Clock()
    bank = make_bank({"t": {"o": 3, "p": 2}, "u": {"r": 2}})
    engine = open_engine(bank, tmp_path / "t.db", clock)
    for qid in ("o-1", "o-2", "p-1", "r-1", "r-2"):
        answer(engine, qid, Rating.EASY)
    clock.advance(days=9)
    answer(engine, "o-1", Rating.HARD)
    clock.advance(days=3, hours=5)
    figures = _loaded(engine)
    assert figures[1]["t"] > 0 and figures[1]["u"] > 0
    assert engine.store._has_pow()  # this build has it: the other path is the SQL one
    plain = engine.twin()
    plain.store._pow = False
    try:
        assert plain._tally(plain.now()) == figures
        start_us = to_us(engine._day(engine.now())[0])
        curve = summary.retrievability_curve(engine.settings)
        r_of = retrievability_fn(engine.settings)
        rows = plain.store.mastery_rows(bank.id, start_us, curve, r_of)
        assert len(rows) == 5 and rows == engine.store.mastery_rows(bank.id, start_us, curve, r_of)
        assert all(r is not None and 0 < r < 1 for _, r in rows)
        # each path is the one it claims: r_of computes without pow(), SQL with it
        assert {r for _, r in plain.store.mastery_rows(bank.id, start_us, curve, _minus)} == {-1.0}
        assert engine.store.mastery_rows(bank.id, start_us, curve, _minus) == rows
    finally:
        plain.close()
    assert _figures(engine) == figures
    engine.close()


def _via_cache(bank: Bank) -> Bank:
    """``bank`` as a start reads it: through a parsed-bank cache entry (LazyQuestions)."""
    index, body = cache.encode(LoadResult(bank, ()), [])
    read = cache.decode(json.loads(cache._dumps(index)), [], memoryview(body)).bank
    assert read is not None and isinstance(read.questions[0], LazyQuestion)
    return read


def test_a_bank_edited_between_two_starts_shows_the_right_home_figures(tmp_path: Path) -> None:
    """A question retired, one added and an objective moved to another topic between two
    starts: the home's figures (tallied by SQL, the cards not loaded) are the loaded cards'."""
    clock = Clock()
    db = tmp_path / "t.db"
    engine = open_engine(_via_cache(make_bank({"t": {"o": 3}, "u": {"p": 2}})), db, clock)
    for qid in ("o-1", "o-2", "o-3", "p-1"):
        answer(engine, qid, Rating.EASY)
    clock.advance(days=4)
    before = engine.overview()
    assert before.mastery["u"] > 0 and before.counts.new == 1
    engine.close()

    v2 = _via_cache(make_bank({"t": {"o": 2, "p": 2}, "u": {"q": 1}}))  # o-3 out, q-1 in, p: t
    engine = open_engine(v2, db, clock)
    assert engine.sync_report == SyncReport(added=1, retired=1)
    home = engine.overview()
    assert not engine._cache.loaded()  # tallied
    assert (home.counts, home.mastery) == _figures(engine)
    assert home.counts.new == 2  # p-2 and q-1
    assert home.mastery["u"] == 0.0 and home.mastery["t"] > 0  # p-1's recall now counts for t
    reference = summary.mastery_by_topic(
        v2, engine._cache.raw().values(), engine.now(), engine.settings
    )
    assert home.mastery == reference
    assert (home.counts, home.mastery) == _loaded(engine)
    engine.close()


def test_the_sync_check_is_kept_until_another_connection_commits(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Cards.synced remembers a match until data_version moves: the home's tally after the
    start's sync asks no more; a card deleted by another program is still seen."""
    db = tmp_path / "t.db"
    bank = make_bank({"t": {"o": 3}})
    engine = open_engine(bank, db)  # its sync found the cards in step (and remembered it)
    stamps: list[str] = []
    real = Store._sync_stamp

    def counting(self: Store, *args: object) -> str:
        stamps.append("made")
        return real(self, *args)  # type: ignore[arg-type]

    monkeypatch.setattr(Store, "_sync_stamp", counting)
    assert engine._synced() and engine._tally(engine.now()) is not None
    assert stamps == ["made"]  # the first check after open; then kept
    assert engine._synced()
    assert stamps == ["made"]
    with sqlite3.connect(db) as c:
        c.execute("DELETE FROM cards WHERE question_id = 'o-3'")
    assert not engine._synced()
    assert engine._tally(engine.now()) is None  # not tallied: the cards are not the bank's
    engine.close()


def test_a_cached_bank_gives_its_active_ids_and_objectives_before_its_questions(
    tmp_path: Path,
) -> None:
    """A LazyBank (a cache hit) gives the engine the active ids and first objectives from its
    index, as a Bank does from its questions (retired ones left out, several objectives, none);
    the engine tallies home without making the questions, and the queue makes them."""
    extra = (
        replace(tf_question("m-1", "o"), objectives=("p", "o")),
        replace(tf_question("n-1", "o"), objectives=()),
        tf_question("r-1", "p", retired=True),
    )
    plain = make_bank({"t": {"o": 2}, "u": {"p": 2}}, retired=["o-2"], extra=extra)
    index, body = cache.encode(LoadResult(plain, ()), [])
    lazy = cache.decode(json.loads(cache._dumps(index)), [], memoryview(body)).bank
    assert isinstance(lazy, LazyBank)
    assert lazy.active_ids() == plain.active_ids() == ["o-1", "p-1", "p-2", "m-1", "n-1"]
    assert lazy.active_first_objectives() == plain.active_first_objectives()
    assert plain.active_first_objectives() == ["o", "p", "p", "p", None]
    engine = open_engine(lazy, tmp_path / "t.db")
    twin = open_engine(plain, tmp_path / "t.db")
    assert engine._topic == twin._topic
    assert engine.overview() == twin.overview()
    assert "questions" not in lazy.__dict__  # home's figures: index and SQL
    assert engine.next_question() == twin.next_question()
    assert "questions" in lazy.__dict__ and lazy == plain
    assert engine._sibling == twin._sibling and engine._order == twin._order
    engine.close()
    twin.close()


def _early(engine: Engine) -> None:
    """Start the early tally and let it finish (the race is the start's; the checks are ours)."""
    engine.prefetch_tally()
    job = engine._early
    assert job is not None and job.thread is not None
    job.thread.join()
    assert job.found is not None


def _truth(bank: Bank, db: Path, clock: Clock, **kw: object) -> Overview:
    other = open_engine(bank, db, clock, **kw)
    try:
        return other.overview()
    finally:
        other.close()


def test_an_early_tally_is_used_only_while_it_is_still_the_answer(tmp_path: Path) -> None:
    """Engine.prefetch_tally (a start): the queue tally made on another connection in a thread
    is used by the home's tally as it is; after a commit by another connection or by this one,
    a learning card coming due, a new study day or other settings it is asked again."""
    clock = Clock()
    db = tmp_path / "t.db"
    bank = make_bank({"t": {"o": 4}, "u": {"p": 2}})
    engine = open_engine(bank, db, clock, learn_ahead=timedelta(minutes=20))
    for qid in ("o-1", "p-1"):
        answer(engine, qid, Rating.EASY)
    answer(engine, "o-2", Rating.AGAIN)  # learning, due in minutes
    engine.close()
    clock.advance(minutes=1)

    engine = open_engine(bank, db, clock, learn_ahead=timedelta(minutes=20))  # a start
    asked: list[object] = []
    real = Store.queue_tally

    def counting(self: Store, *args: object) -> object:
        asked.append(self is engine.store)
        return real(self, *args)  # type: ignore[arg-type]

    with pytest.MonkeyPatch.context() as m:
        m.setattr(Store, "queue_tally", counting)
        _early(engine)
        home = engine.overview()
        assert asked == [False]  # the early one, on its own connection; not asked again
        assert home == _truth(bank, db, clock, learn_ahead=timedelta(minutes=20))

        _early(engine)  # another connection answers after it was made
        other = open_engine(bank, db, clock)
        answer(other, "o-3", Rating.GOOD)
        other.close()
        engine.reload()
        before = home
        home = engine.overview()
        assert asked[-1] is True and home != before
        assert home == _truth(bank, db, clock, learn_ahead=timedelta(minutes=20))
    engine.close()


def test_an_early_tally_is_not_used_across_its_bounds(tmp_path: Path) -> None:
    """After each change the home's tally is asked again on the engine's own connection, and
    gives what a fresh engine gives."""
    clock = Clock()
    db = tmp_path / "t.db"
    bank = make_bank({"t": {"o": 3}})
    engine = open_engine(bank, db, clock, learn_ahead=timedelta(minutes=1))
    answer(engine, "o-1", Rating.AGAIN)  # learning: due within minutes
    engine.close()
    engine = open_engine(bank, db, clock, learn_ahead=timedelta(minutes=1))
    asked: list[bool] = []
    real = Store.queue_tally

    def counting(self: Store, *args: object) -> object:
        asked.append(self is engine.store)
        return real(self, *args)  # type: ignore[arg-type]

    for change in ("own write", "due", "day", "settings"):
        engine.reload()
        _early(engine)
        if change == "own write":
            answer(engine, "o-2", Rating.GOOD)
            engine.reload()
        elif change == "due":
            clock.advance(minutes=30)  # o-1 enters the learn-ahead window
        elif change == "day":
            clock.advance(days=1)
        else:
            engine.settings = replace(engine.settings, new_per_day=0)
        asked.clear()
        with pytest.MonkeyPatch.context() as m:
            m.setattr(Store, "queue_tally", counting)
            found = engine._tally(engine.now())
        assert asked == [True], change  # asked again, on its own connection
        assert engine._early is None
        fresh = engine.twin()
        try:
            assert found == fresh._tally(fresh.now()), change
        finally:
            fresh.close()
    engine.close()


def test_an_early_tally_that_takes_too_long_is_not_waited_for(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A thread still opening its connection (another program's lock, say) after
    EARLY_TALLY_WAIT: the home asks on its own connection instead of waiting on it."""
    import threading

    from trainer.engine import engine as engine_mod

    db = tmp_path / "t.db"
    bank = make_bank({"t": {"o": 3}})
    engine = open_engine(bank, db)
    answer(engine, "o-1", Rating.GOOD)
    release = threading.Event()
    real = Store.queue_tally

    def slow_in_the_thread(self: Store, *args: object) -> object:
        if threading.current_thread().name == "trainer-home-tally":
            release.wait(10)
        return real(self, *args)  # type: ignore[arg-type]

    monkeypatch.setattr(Store, "queue_tally", slow_in_the_thread)
    monkeypatch.setattr(engine_mod, "EARLY_TALLY_WAIT", 0.05)
    engine.reload()
    engine.prefetch_tally()
    job = engine._early
    assert job is not None and job.thread is not None
    home = engine.overview()
    assert job.thread.is_alive()  # not waited for
    assert home == _truth(bank, db, engine._clock)  # type: ignore[arg-type]
    release.set()
    job.thread.join()
    engine.close()


def test_no_early_tally_on_a_read_only_copy(tmp_path: Path) -> None:
    """A read-only copy has one connection (shared by twins): nothing is started early."""
    folder = tmp_path / "ro"
    folder.mkdir()
    db = folder / "t.db"
    bank = make_bank({"t": {"o": 2}})
    open_engine(bank, db).close()
    with read_only(folder):
        engine = Engine.open(bank, db, clock=Clock(), read_only_fallback=True)
        assert engine.read_only is not None
        engine.prefetch_tally()
        assert engine._early is None
        assert engine.overview().counts.new == 2
        engine.close()
