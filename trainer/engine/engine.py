"""The Engine: one bank studied against one review database, with an injected clock."""

from __future__ import annotations

import contextlib
import random
import secrets
import threading
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass, replace
from datetime import UTC, date, datetime, timedelta
from itertools import repeat
from pathlib import Path
from typing import TYPE_CHECKING, Literal, cast, get_args

from trainer.bank.models import Bank, Question
from trainer.engine import summary
from trainer.engine.cardcache import CardCache
from trainer.engine.days import day_bounds, study_day
from trainer.engine.errors import TrainerDBError
from trainer.engine.queue import (
    FAR,
    Queue,
    QueueCard,
    QueueIndex,
    build_queue,
    interleave,
    queue_lengths,
)
from trainer.engine.records import (
    CardCols,
    CardInfo,
    CardRow,
    Counts,
    ExamResult,
    LogRow,
    NewLogEntry,
    Overview,
    ReviewEntry,
    SavedSession,
    SyncReport,
)
from trainer.engine.scheduler import (
    Rating,
    Settings,
    SettingsError,
    clamp_now,
    is_leech_lapse,
    preview,
    retrievability,
    retrievability_fn,
    review,
)
from trainer.engine.store import LOCK_WAIT, Store, from_us, to_us
from trainer.engine.store.cards import ids_digest

if TYPE_CHECKING:  # imported where used: not needed to open the app and show home
    from trainer.engine.grading import Grade, Response
    from trainer.engine.stats import Stats

Mode = Literal["study", "practice", "exam"]
PracticeFilter = Literal["all", "unseen", "missed", "flagged", "new", "marked"]
MODES: tuple[str, ...] = get_args(Mode)
PRACTICE_FILTERS: tuple[str, ...] = get_args(PracticeFilter)
SETTINGS_KEY = "engine.settings"


def _system_clock() -> datetime:
    return datetime.now(UTC)


class Engine:
    """See the package docstring (trainer/engine/__init__.py) for the contract."""

    def __init__(
        self,
        bank: Bank,
        store: Store,
        *,
        clock: Callable[[], datetime],
        settings: Settings,
        seed: int | None,
        sync_report: SyncReport,
        fuzz_seed: str | None = None,
        _maps: _BankMaps | None = None,
    ) -> None:
        self.bank = bank
        self.store = store
        # None, or the one sentence saying why nothing is saved (an in-memory copy is used)
        self.read_only: str | None = store.read_only_reason
        self.settings = settings
        self.sync_report = sync_report
        self._clock = clock
        self._seed = seed
        self._fuzz_seed = fuzz_seed or (str(seed) if seed is not None else secrets.token_hex(8))
        # the active questions, their bank order, topic and sibling key (a twin shares them)
        maps = _maps if _maps is not None else _BankMaps(bank)
        self._maps = maps
        self._topic: dict[str, str] = maps.topic
        self._undo: list[int] = []
        # the last answer of the queue: (cache generation, day start, settings, asked at (UTC
        # microseconds), valid until, (first question id, counts))
        self._queue_memo: (
            tuple[int, datetime, Settings, int, int, tuple[str | None, Counts]] | None
        ) = None
        # the last tally (see _tally): (data version, cache generation, day start, settings),
        # asked at, valid until (UTC microseconds), (counts, mastery)
        self._tally_memo: (
            tuple[tuple[int, int, datetime, Settings], int, int, tuple[Counts, dict[str, float]]]
            | None
        ) = None
        self._early: _EarlyTally | None = None  # see prefetch_tally
        self._cache = CardCache(
            store,
            bank.id,
            keep=lambda qid: qid in maps.questions,
            sibling_key=self._sibling_key_of,
        )

    # -- lifecycle -----------------------------------------------------------------------------

    @classmethod
    def open(
        cls,
        bank: Bank,
        db_path: Path,
        *,
        clock: Callable[[], datetime] | None = None,
        seed: int | None = None,
        settings: Settings | None = None,
        lock_wait: float = LOCK_WAIT,
        read_only_fallback: bool = False,
        notice: Callable[[str], None] | None = None,
    ) -> Engine:
        """Open/create/migrate the database, sync the bank into it and load the settings.

        Raises TrainerDBError (the file is left untouched) on a foreign, damaged or newer database.
        ``settings`` overrides the stored ones for this engine (it is not saved; see save_settings).
        ``lock_wait``: how long a write waits for another program's lock before giving up.
        ``read_only_fallback``: a database that cannot be written (read-only file or folder, full
        disk, a folder that cannot be entered) opens as an in-memory copy instead, with
        ``engine.read_only`` saying why in one sentence; nothing written then reaches the file.
        ``notice``: told in one sentence before an existing database is upgraded (Store.open).
        """
        clock = clock or _system_clock
        now = clamp_now(clock())
        path = Path(db_path)
        try:
            store = Store.open(path, now=now, lock_wait=lock_wait, notice=notice)
        except TrainerDBError as exc:
            if not read_only_fallback or exc.kind not in _UNWRITABLE:
                raise
            store = Store.open_read_only_copy(path, _read_only_reason(str(exc)))
        else:
            reason = store.writable() if read_only_fallback else None
            if reason is not None:
                store.close()
                store = Store.open_read_only_copy(path, _read_only_reason(reason))
        try:
            if settings is None:
                stored = store.get_setting(SETTINGS_KEY)
                try:
                    settings = Settings.from_json(stored) if stored else Settings()
                except SettingsError:
                    settings = Settings()
            maps = _BankMaps(bank)
            report = store.sync_bank(bank.id, maps.ids, now, digest=maps.digest)
        except BaseException:
            store.close()
            raise
        return cls(
            bank, store, clock=clock, settings=settings, seed=seed, sync_report=report, _maps=maps
        )

    def twin(self, *, lock_wait: float | None = None) -> Engine:
        """Another engine on the same database through its own connection (for another thread),
        with the same bank, clock, settings and fuzz seed, so both schedule alike. On a read-only
        copy the twin shares this engine's connection (nothing else can lock it)."""
        wait = self.store.lock_wait if lock_wait is None else lock_wait
        if self.read_only is not None:
            store = self.store
            store.shared = True  # each engine's cache must see the other's writes
        else:
            store = Store.connect(self.store.path, lock_wait=wait)
        return Engine(
            self.bank,
            store,
            clock=self._clock,
            settings=self.settings,
            seed=self._seed,
            sync_report=self.sync_report,
            fuzz_seed=self._fuzz_seed,
            _maps=self._maps,  # read-only after construction: shared, not rebuilt
        )

    def close(self) -> None:
        self.store.close()

    def __enter__(self) -> Engine:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def now(self) -> datetime:
        """The injected clock, in UTC, within [EARLIEST_NOW, LATEST_NOW] (scheduler.clamp_now)."""
        return clamp_now(self._clock())

    def save_settings(self, settings: Settings) -> None:
        """Use ``settings`` from now on and store them (all but the time zone)."""
        self.store.set_setting(SETTINGS_KEY, settings.to_json())
        self.settings = settings

    def reload(self) -> None:
        """Forget the cached cards (after a bulk rewrite such as an import or a rescheduling)."""
        self._cache.invalidate()

    # -- helpers -------------------------------------------------------------------------------

    # The bank maps the queue needs, made on first use (a start tallies home without them).
    @property
    def _questions(self) -> dict[str, Question]:
        return self._maps.questions

    @property
    def _order(self) -> dict[str, int]:
        return self._maps.order

    @property
    def _sibling(self) -> dict[str, str]:
        return self._maps.sibling

    def _question(self, qid: str) -> Question:
        q = self._questions.get(qid)
        if q is None:
            raise KeyError(f"no active question {qid!r} in bank {self.bank.id!r}")
        return q

    def _card(self, qid: str) -> CardRow:
        self._question(qid)
        row = self._cache.row(qid)
        if row is None:  # pragma: no cover - sync creates every active card
            raise KeyError(f"no card for question {qid!r}")
        return row

    def _queue_card(self, t: CardCols) -> QueueCard:
        qid, state, due = t.question_id, t.state, t.due
        return QueueCard(
            qid=qid,
            topic=self._topic[qid],
            sibling_key=self._sibling[qid],
            state=state,
            due=None if due is None else from_us(due),
            order=self._order[qid],
        )

    def _synced(self) -> bool:
        """Whether the bank's cards in the file are still exactly this engine's questions."""
        return self.store.synced(self.bank.id, self._maps.ids, digest=self._maps.digest)

    def _sibling_key_of(self, qid: str) -> str | None:
        return self._sibling.get(qid)

    def _siblings(self, key: str) -> list[str]:
        """The active question ids of sibling key ``key`` (for unburying after an undo, and the
        tally of today's buried siblings)."""
        return self._maps.by_sibling().get(key, [])

    def _undone(self, qid: str | None) -> None:
        """After an undo wrote (maybe not yet committed): the cache follows the restored card
        and today's log, or drops everything if the undo was refused."""
        row = None if qid is None else self.store.card(self.bank.id, qid)
        if row is None:
            self._cache.invalidate()
        else:
            self._cache.undone([row], self._siblings)

    def topic_of(self, qid: str) -> str:
        self._question(qid)
        return self._topic[qid]

    def _fuzz_seed_for(self, qid: str, reps: int) -> str:
        return f"{self._fuzz_seed}:{self.bank.id}:{qid}:{reps}"

    def _day(self, now: datetime) -> tuple[datetime, datetime]:
        return day_bounds(now, self.settings.day_starts_hour, self.settings.tz)

    def _is_due(self, row: CardRow, now: datetime) -> bool:
        """Due for scheduling: learning due now, or review due today. New cards are not due."""
        s = row.schedule
        if row.suspended or s.state == "new" or s.due is None:
            return False
        if s.state == "review":
            return s.due < self._day(now)[1]
        return s.due <= now

    # -- the study queue -----------------------------------------------------------------------

    def _now_queue(self) -> tuple[str | None, Counts]:
        """The first question of today's queue and what is left: Queue.first() and the lengths
        of build_queue (the reference) for the current cards, log, day and settings, from the
        incremental QueueIndex (O(changed cards + topics) after an answer, not O(bank)).
        An answer's path asks several times (the next question, the counts): the answer is
        reused until a card, the day's log, the day or the settings change, or the clock reaches
        a learning card's due time (or its learn-ahead window)."""
        now = self.now()
        now_us = to_us(now)
        start, end = self._day(now)
        day = self._cache.day(start)  # checks that the cache is current with the file
        memo = self._queue_memo
        s = self.settings
        if (
            memo is not None
            and memo[0] == self._cache.generation
            and memo[1] == start
            and memo[2] is s
            and memo[3] <= now_us < memo[4]
        ):
            return memo[5]
        index = self._cache.index(start, s, lambda buried: self._new_index(end, buried))
        last_topic = self._topic[day.last_qid] if day.last_qid is not None else None
        new_left = s.new_per_day - day.new_done
        reviews_left = s.reviews_per_day - day.reviews_done
        first = index.first(now_us, new_left, reviews_left, last_topic)
        new, learning, review = index.counts(now_us, new_left, reviews_left)
        answer = (first, Counts(new=new, learning=learning, review=review))
        until = index.valid_until(now_us)
        self._queue_memo = (self._cache.generation, start, s, now_us, until, answer)
        return answer

    def _new_index(self, end: datetime, buried: Iterable[str]) -> QueueIndex:
        s = self.settings
        return QueueIndex(
            day_end_us=to_us(end),
            learn_ahead_us=s.learn_ahead // timedelta(microseconds=1),
            bury_new=s.bury_new,
            bury_reviews=s.bury_reviews,
            topic=self._topic,
            sibling=self._sibling,
            order=self._order,
            buried=buried,
        )

    def _queue(self) -> Queue:
        """Today's whole queue built from scratch by build_queue (the reference the incremental
        queue is checked against; O(bank)): not on the answer path."""
        now = self.now()
        start, end = self._day(now)
        day = self._cache.day(start)
        ahead = self.settings.learn_ahead
        horizon_us = to_us(max(end, now + ahead))
        cards = [
            self._queue_card(t)
            for t in self._cache.raw().values()
            if not t.suspended and (t.state == "new" or (t.due is not None and t.due <= horizon_us))
        ]
        return build_queue(
            cards,
            now=now,
            day_end=end,
            learn_ahead=ahead,
            new_left=self.settings.new_per_day - day.new_done,
            reviews_left=self.settings.reviews_per_day - day.reviews_done,
            buried=frozenset(day.buried),
            last_topic=self._topic[day.last_qid] if day.last_qid is not None else None,
            bury_new=self.settings.bury_new,
            bury_reviews=self.settings.bury_reviews,
        )

    def counts(self) -> Counts:
        """What is left today (learning includes cards due within the learn-ahead window)."""
        if not self._cache.loaded():
            tally = self._tally(self.now(), mastery=False)
            if tally is not None:
                return tally[0]
        return self._now_queue()[1]

    def _tally(
        self, now: datetime, *, mastery: bool = True
    ) -> tuple[Counts, dict[str, float]] | None:
        """The counts and mastery per topic without loading the cards (the home's figures at a
        start, or after another connection wrote): SQL tallies over the cards table, today's
        log, the rows of today's buried siblings and the review cards' stability and last review.
        The same figures as the queue index and TopicMastery compute from the loaded cards (a
        property test compares them). None (use the loaded cards) when the bank's cards are not
        exactly the engine's questions (another program synced another version of the bank) or
        a card row is suspect: loading the cards then raises its clear error."""
        s = self.settings
        bank_id = self.bank.id
        start, end = self._day(now)
        end_us, now_us = to_us(end), to_us(now)
        ahead_us = s.learn_ahead // timedelta(microseconds=1)
        learn_until = now_us + ahead_us
        memo = self._tally_memo
        # the same answer until the file, this engine's cards, the day or the settings change,
        # or the clock brings the next learning card into the learn-ahead window (only the
        # home's calls, with mastery, are remembered: the key is made for those alone)
        key = (self.store.data_version(), self._cache.generation, start, s) if mastery else None
        if (
            memo is not None
            and memo[0] == key  # (tuple equality checks identity first)
            and memo[1] <= now_us < memo[2]
        ):
            return memo[3]
        with self.store.read():  # one snapshot
            if not self._synced():
                return None
            early = self._early_tally(learn_until, end_us)
            tally = self.store.queue_tally(bank_id, learn_until, end_us) if early is None else early
            bad, learning, review, new, later = tally
            if bad:
                return None
            day = self._cache.summarise(start, self.store.log_since(bank_id, start))
            if day.buried and (s.bury_new or s.bury_reviews):
                qids = [qid for key in day.buried for qid in self._siblings(key)]
                for _, state, due, suspended in self.store.queue_rows(bank_id, qids):
                    if suspended:
                        continue
                    if state == "review" and due is not None and due < end_us:
                        review -= s.bury_reviews
                    elif state == "new":
                        new -= s.bury_new
            recalls: list[tuple[str, float | None]] = []
            if mastery:
                curve, r_of = summary.retrievability_curve(s), retrievability_fn(s)
                recalls = self.store.mastery_rows(bank_id, to_us(start), curve, r_of)
        review, new = queue_lengths(
            review, new, s.new_per_day - day.new_done, s.reviews_per_day - day.reviews_done
        )
        values = summary.mastery_of_reviews(self.bank, self._topic, recalls) if mastery else {}
        answer = Counts(new=new, learning=learning, review=review), values
        if key is not None:
            until = FAR if later is None else later - ahead_us
            self._tally_memo = (key, now_us, until, answer)
        return answer

    def prefetch_tally(self) -> None:
        """Start the home's queue tally (Cards.queue_tally: one aggregate over the bank's cards,
        its check of every row included) on a second connection, in a thread, so that SQLite
        runs it while the app is built: one statement, without the GIL, so the thread never
        waits for the UI thread's Python (or makes it wait). The next _tally uses its answer
        only if it is the answer it would get itself: nothing committed since on any connection
        (data_version and this connection's commits), the same settings and study day, and no
        learning card due between the two learn-ahead bounds; else it asks again. A start only
        (run_app); not on a read-only copy (one connection)."""
        if self.read_only is not None or self._early is not None:
            return
        s = self.settings
        now = self.now()
        job = _EarlyTally(
            mark=(self.store.data_version(), self.store.commits),
            settings=s,
            learn_until=to_us(now) + s.learn_ahead // timedelta(microseconds=1),
            end_us=to_us(self._day(now)[1]),
        )
        path, bank_id, wait = self.store.path, self.bank.id, self.store.lock_wait

        def run() -> None:
            try:
                store = Store.connect(path, lock_wait=wait)
                try:
                    job.found = store.queue_tally(bank_id, job.learn_until, job.end_us)
                finally:
                    store.close()
            except Exception:  # _tally asks again on its own connection, and meets the error
                pass

        job.thread = threading.Thread(target=run, name="trainer-home-tally", daemon=True)
        self._early = job
        job.thread.start()

    def _early_tally(
        self, learn_until: int, end_us: int
    ) -> tuple[int, int, int, int, int | None] | None:
        """prefetch_tally's answer if it is still the answer (in _tally's snapshot), else None."""
        job, self._early = self._early, None
        if job is None or job.thread is None:
            return None
        job.thread.join(timeout=EARLY_TALLY_WAIT)
        found = None if job.thread.is_alive() else job.found  # still opening: ask here
        if (
            found is None
            or job.settings is not self.settings
            or job.end_us != end_us
            or job.learn_until > learn_until
            or (found[4] is not None and found[4] <= learn_until)  # a learning card came due
            or (self.store.data_version(), self.store.commits) != job.mark
        ):
            return None
        return found

    def warm(self) -> None:
        """Make what a session's first question needs: the bank maps (a cached bank's questions
        included), the card cache and today's queue. The app asks its worker engine once home is
        painted, then freezes them with what the start built (a start tallies home without them,
        and at 50k questions they are most of what a full collection would otherwise scan)."""
        self._now_queue()

    def next_question(self) -> Question | None:
        qid = self._now_queue()[0]
        return None if qid is None else self._questions[qid]

    def intervals(self, qid: str) -> dict[Rating, timedelta]:
        """The next interval for each rating, as answering now would schedule it (pure)."""
        row = self._card(qid)
        return preview(
            row.schedule,
            self.now(),
            self.settings,
            card_id=row.id,
            fuzz_seed=self._fuzz_seed_for(qid, row.schedule.reps),
        )

    def schedules(self, qid: str, mode: Mode) -> bool:
        """Whether answering ``qid`` now in ``mode`` would change its schedule (study: always;
        practice: only if the card is due; exam: never), so a client shows intervals only then."""
        if mode == "exam":
            return False
        return mode == "study" or self._is_due(self._card(qid), self.now())

    # -- answering -----------------------------------------------------------------------------

    def answer(
        self,
        qid: str,
        rating: Rating,
        *,
        response: Response,
        duration_ms: int,
        mode: Mode = "study",
        session_state: str | None = None,
    ) -> int:
        """Grade ``response`` and record the answer in one transaction, committed before this
        returns.

        study: FSRS schedules the card. practice: logged as practice; the schedule changes only if
        the card is due. exam: logged as exam; the schedule is unchanged.
        Objective questions: the grade must agree with ``rating``: wrong is AGAIN; right is HARD,
        GOOD or EASY. Recall (response None): self-rated, ``correct`` is logged as rating > AGAIN.
        ``session_state``: the JSON of the session of kind ``mode`` after this answer, saved in
        the same transaction. Raises ValueError/KeyError on bad input, before writing anything.
        Returns the log entry's id.
        """
        prepared = self._prepare(qid, rating, response, duration_ms, mode)
        now = self.now()
        with self.transaction():
            done = self._record(prepared, now)
            if session_state is not None:
                self.store.save_session(self.bank.id, mode, session_state, now)
            self._committed([done])
        return done[1].id

    def rerate(
        self,
        log_id: int,
        qid: str,
        rating: Rating,
        *,
        response: Response,
        duration_ms: int,
        mode: Mode,
        at: datetime | None = None,
        override: bool = False,
    ) -> int | None:
        """Replace the answer logged as ``log_id`` by the same answer rated ``rating`` (answered
        ``at``, default now), in one transaction. None (and nothing changed) if that entry is
        gone or the card was answered again since (by another instance).
        ``override``: the trainee says a wrong objective answer was right ("I was right"): it is
        rated as a right one (Hard, Good or Easy) and logged with ``"override": true`` in its
        response JSON (see grading.is_override)."""
        prepared = self._prepare(qid, rating, response, duration_ms, mode, override=override)
        with self.transaction():
            undone = self.store.undo_answer(log_id)
            if undone is None:
                return None
            self._undone(undone)
            done = self._record(prepared, at or self.now())
            if log_id in self._undo:
                self._undo.remove(log_id)
            self._committed([done])
        return done[1].id

    def undo_entry(self, log_id: int) -> str | None:
        """Undo the answer logged as ``log_id`` (as undo() does for this engine's last one);
        the question id, or None if it is gone or the card was answered again since."""
        with self.transaction():
            qid = self.store.undo_answer(log_id)
            self._undone(qid)
            if log_id in self._undo:
                self._undo.remove(log_id)
        return qid

    @contextlib.contextmanager
    def transaction(self) -> Iterator[None]:
        """One write transaction around several engine calls (sessions keep their state in the
        same transaction as an answer). If it fails, the engine forgets what it did inside."""
        undo = list(self._undo)
        try:
            with self.store.write():
                yield
        except BaseException:
            self._undo = undo
            self._cache.invalidate()
            raise

    def _prepare(
        self,
        qid: str,
        rating: Rating,
        response: Response,
        duration_ms: int,
        mode: str,
        *,
        override: bool = False,
    ) -> _Prepared:
        """Check an answer and grade it (nothing written)."""
        from trainer.engine.grading import allowed_ratings, response_to_json

        q = self._question(qid)
        if mode not in MODES:
            raise ValueError(f"unknown mode {mode!r}; expected one of {', '.join(MODES)}")
        try:
            rating = Rating(int(rating))
        except (ValueError, TypeError) as exc:
            raise ValueError(f"a rating is 1 (again) to 4 (easy), not {rating!r}") from exc
        if isinstance(duration_ms, bool) or not isinstance(duration_ms, int) or duration_ms < 0:
            raise ValueError(f"duration_ms must be a whole number of ms >= 0, not {duration_ms!r}")
        response_json = response_to_json(response, override=override)
        if q.type == "recall":
            if override:
                raise ValueError(f"{qid}: a self-rated (recall) answer cannot be overridden")
            correct = rating != Rating.AGAIN
        else:
            g = _grade_of(q, response)
            if override:
                if g.correct:
                    raise ValueError(f"{qid}: only a wrong answer can be overridden")
                g = replace(g, correct=True)
            if rating not in allowed_ratings(g):
                allowed = ", ".join(r.name for r in allowed_ratings(g))
                raise ValueError(
                    f"{qid}: a {'right' if g.correct else 'wrong'} answer is rated {allowed}, "
                    f"not {rating.name}"
                )
            correct = g.correct
        return _Prepared(qid, rating, correct, response_json, duration_ms, mode)

    def _record(self, p: _Prepared, now: datetime) -> tuple[CardRow, LogRow]:
        """Within a write: schedule the card (as the mode says) and log the answer."""
        before = self.store.card(self.bank.id, p.qid)
        if before is None:  # pragma: no cover - sync creates every active card
            raise KeyError(p.qid)
        scheduled = p.mode == "study" or (p.mode == "practice" and self._is_due(before, now))
        after = before
        if scheduled:
            schedule = review(
                before.schedule,
                p.rating,
                now,
                self.settings,
                card_id=before.id,
                fuzz_seed=self._fuzz_seed_for(p.qid, before.schedule.reps),
            )
            after = replace(before, schedule=schedule)
            if schedule.lapses > before.schedule.lapses and is_leech_lapse(
                schedule.lapses, self.settings.leech_threshold
            ):
                after = replace(
                    after,
                    leech=True,
                    suspended=after.suspended or self.settings.leech_action == "suspend",
                )
        entry = NewLogEntry(
            time=now,
            rating=int(p.rating),
            correct=p.correct,
            response=p.response_json,
            duration_ms=p.duration_ms,
            mode=p.mode,
            scheduled=scheduled,
        )
        log_id = self.store.save_answer(before, after, entry)
        return after, LogRow(
            id=log_id,
            question_id=p.qid,
            time=now,
            rating=int(p.rating),
            correct=p.correct,
            mode=p.mode,
            scheduled=scheduled,
            state_before=before.state,
        )

    def _committed(self, done: Sequence[tuple[CardRow, LogRow]]) -> None:
        """After a commit: keep the undo stack and the cache in step."""
        for after, row in done:
            self._undo.append(row.id)
            self._cache.put(after)
            self._cache.logged(row)

    def undo(self, *, session: tuple[str, str] | None = None) -> str | None:
        """Undo this engine's last answer: the card is restored exactly and the log entry deleted.

        Several levels; returns the question id, or None when there is nothing to undo. If
        another instance has since answered that card, the undo is refused (its answer stays) and
        this engine's undo history is dropped, since it no longer describes the database.
        ``session``: (kind, state JSON) saved in the same transaction when the undo happens.
        """
        if not self._undo:
            return None
        log_id = self._undo[-1]
        with self.store.write():
            qid = self.store.undo_answer(log_id)
            if qid is not None and session is not None:
                self.store.save_session(self.bank.id, session[0], session[1], self.now())
        self._undo.pop()
        self._undone(qid)
        if qid is None:
            self._undo.clear()
        return qid

    def undo_target(self) -> int | None:
        """The log id the next undo() would remove (for a session to know it is its own)."""
        return self._undo[-1] if self._undo else None

    def can_undo(self) -> bool:
        return bool(self._undo)

    # -- flags and card facts ------------------------------------------------------------------

    def set_flag(self, qid: str, flagged: bool) -> None:
        self._question(qid)
        self.store.set_flag(self.bank.id, qid, flagged)
        self._refresh_card(qid)

    def is_flagged(self, qid: str) -> bool:
        return self._card(qid).flagged

    def set_suspended(self, qid: str, suspended: bool) -> None:
        """Suspend (hide from study) or unsuspend a card."""
        self._question(qid)
        self.store.set_suspended(self.bank.id, qid, suspended)
        self._refresh_card(qid)

    def reset_card(self, qid: str) -> None:
        """Forget a card: back to new, its answer history kept (Store.reset_card). This engine's
        undo history is dropped: undoing an earlier answer would bring the old schedule back."""
        self._question(qid)
        self.store.reset_card(self.bank.id, qid, to_us(self.now()))
        self._undo.clear()
        self._refresh_card(qid)

    def _refresh_card(self, qid: str) -> None:
        """After this engine changed a card: put the stored row into the cache."""
        row = self.store.card(self.bank.id, qid)
        if row is None:  # pragma: no cover - sync creates every active card
            self._cache.invalidate()
        else:
            self._cache.put(row)

    def _info(self, row: CardRow, now: datetime) -> CardInfo:
        s = row.schedule
        return CardInfo(
            qid=row.question_id,
            state=s.state,
            due=s.due,
            reps=s.reps,
            lapses=s.lapses,
            flagged=row.flagged,
            suspended=row.suspended,
            leech=row.leech,
            stability=s.stability,
            difficulty=s.difficulty,
            retrievability=retrievability(s, now, self.settings),
        )

    def card_info(self, qid: str) -> CardInfo:
        return self._info(self._card(qid), self.now())

    def all_card_info(self) -> dict[str, CardInfo]:
        """Every active question's card, in one query."""
        now = self.now()
        return {qid: self._info(row, now) for qid, row in self._cache.rows().items()}

    def next_due(self) -> datetime | None:
        """When the next studied, unsuspended card falls due after now (None if none): as
        min(due) over all_card_info() of the cards neither new nor suspended with a due time
        after now. When the cards are not loaded, read from the cards_due index instead of
        loading them (a session's end; an unusable row then loads them and raises)."""
        now_us = to_us(self.now())
        if not self._cache.loaded():
            with self.store.read():
                if self._synced():
                    found = self.store.next_due(self.bank.id, now_us)
                    if found is not False:
                        return None if found is None else from_us(found)
        dues = [
            t.due
            for t in self._cache.raw().values()
            if t.due is not None and t.state != "new" and not t.suspended and t.due > now_us
        ]
        return from_us(min(dues)) if dues else None

    def history(self, qid: str) -> list[ReviewEntry]:
        self._question(qid)
        return self.store.history(self.bank.id, qid)

    # -- practice and exam ---------------------------------------------------------------------

    def _pool(self, topics: Sequence[str] | None) -> list[Question]:
        if isinstance(topics, str):
            raise ValueError("topics is a list of topic names, not a single string")
        if topics is not None:
            unknown = [t for t in topics if t not in self.bank.topics]
            if unknown:
                raise ValueError(
                    f"unknown topic {unknown[0]!r}; the bank's topics are "
                    + ", ".join(self.bank.topics)
                )
        wanted = set(topics) if topics is not None else None
        return [
            q
            for q in self.bank.active_questions
            if wanted is None or self.bank.topic_of(q) in wanted
        ]

    def practice_questions(
        self,
        topics: Sequence[str] | None,
        filter: PracticeFilter,
        seed: int | None = None,
    ) -> list[Question]:
        """Questions of the topics (all if None) passing ``filter``, shuffled, topics interleaved.

        unseen: never answered in any mode; missed: the last answer was wrong; flagged: flagged;
        new: new cards (never studied; not suspended), for studying beyond today's limit;
        marked: marked for review in an exam (see exam_marked).
        """
        if filter not in PRACTICE_FILTERS:
            raise ValueError(
                f"unknown filter {filter!r}; expected one of {', '.join(PRACTICE_FILTERS)}"
            )
        pool = self._pool(topics)
        if filter in ("unseen", "missed"):
            last = self.store.last_results(self.bank.id)
            if filter == "unseen":
                pool = [q for q in pool if q.id not in last]
            else:
                pool = [q for q in pool if last.get(q.id) is False]
        elif filter == "flagged":
            flagged = {r.question_id for r in self._cache.rows().values() if r.flagged}
            pool = [q for q in pool if q.id in flagged]
        elif filter == "new":
            rows = self._cache.rows().values()
            new = {r.question_id for r in rows if r.schedule.state == "new" and not r.suspended}
            pool = [q for q in pool if q.id in new]
        elif filter == "marked":
            marked = self.exam_marked()
            pool = [q for q in pool if q.id in marked]
        rng = random.Random(seed)
        rng.shuffle(pool)
        topic_order = list(dict.fromkeys(self.bank.topic_of(q) for q in pool))
        rank = {t: i for i, t in enumerate(topic_order)}
        pool.sort(key=lambda q: rank[self.bank.topic_of(q)])  # stable: shuffled within topic
        return interleave(pool, self.bank.topic_of)

    def exam_questions(
        self, n: int, seed: int, topics: Sequence[str] | None = None
    ) -> list[Question]:
        """``n`` questions drawn with ``seed`` (all of them if fewer are available)."""
        if isinstance(n, bool) or not isinstance(n, int) or n < 1:
            raise ValueError(f"an exam needs at least 1 question, not {n!r}")
        pool = self._pool(topics)
        return random.Random(seed).sample(pool, min(n, len(pool)))

    def record_exam(self, result: ExamResult) -> int:
        if result.finished < result.started:
            raise ValueError("an exam cannot finish before it starts")
        return self.store.record_exam(self.bank.id, result)

    def submit_exam(self, result: ExamResult, answers: Sequence[ExamAnswerIn]) -> int:
        """Log every answer of an exam (mode "exam") and its result in ONE transaction, and end
        the saved exam session in it too: all of it is written or nothing is. The exam's id."""
        if result.finished < result.started:
            raise ValueError("an exam cannot finish before it starts")
        prepared = [
            self._prepare(a.qid, a.rating, a.response, a.duration_ms, "exam") for a in answers
        ]
        now = self.now()
        undo = list(self._undo)
        with self.transaction():
            done = [self._record(p, now) for p in prepared]
            exam_id = self.store.record_exam(self.bank.id, result)
            self.store.drop_session(self.bank.id, "exam")
            self._committed(done)
            self._undo = undo  # an exam is not undone answer by answer
        return exam_id

    # -- sessions in progress ------------------------------------------------------------------

    def saved_session(self, kind: str) -> SavedSession | None:
        """The session of ``kind`` ("study", "practice", "exam") kept in the database, if any."""
        return self.store.saved_session(self.bank.id, kind)

    def save_session(self, kind: str, state: str) -> None:
        self.store.save_session(self.bank.id, kind, state, self.now())

    def drop_session(self, kind: str) -> None:
        self.store.drop_session(self.bank.id, kind)

    def exam_results(self) -> list[ExamResult]:
        return self.store.exam_results(self.bank.id)

    def _marked_key(self) -> str:
        return f"exam-marked:{self.bank.id}"

    def exam_marked(self) -> set[str]:
        """Questions marked for review in an exam (kept until unmarked with unmark_exam)."""
        import json

        try:
            data = json.loads(self.get_setting(self._marked_key(), "[]") or "[]")
        except ValueError:
            return set()
        return {str(q) for q in data} if isinstance(data, list) else set()

    def mark_from_exam(self, qids: Sequence[str], marked: bool = True) -> None:
        import json

        now = self.exam_marked()
        now = now | set(qids) if marked else now - set(qids)
        self.set_setting(self._marked_key(), json.dumps(sorted(now)))

    # -- stats and settings --------------------------------------------------------------------

    def stats(self) -> Stats:
        """See trainer/engine/stats.py. The log is summarised by SQL (counts by index), never read
        whole, so this costs about as much as the bank has cards, not as much as it has answers."""
        from trainer.engine import stats as stats_mod

        now = self.now()
        with self.store.read():  # one snapshot for the cards and the log
            cards = self._sorted_rows()
            edges = summary.history_edges(now, self.settings)
            per_day = self.store.log_per_period(self.bank.id, edges)
            facts = stats_mod.LogFacts(
                reviews=self.store.log_count(self.bank.id),
                retention=self.store.retention_counts(self.bank.id),
                per_day=per_day,
                streak=self._streak(now, [n > 0 for n in per_day]),
            )
        return stats_mod.compute(self.bank, cards, facts, now, self.settings)

    def correct_by_topic(self) -> dict[str, tuple[int, int]]:
        """Per topic, in bank order: (right, answered) over every answer logged, in any mode, as
        a QBank's "percent correct" (stats.correct_by_topic; Store.correct_counts)."""
        from trainer.engine import stats as stats_mod

        return stats_mod.correct_by_topic(self.bank, self.store.correct_counts(self.bank.id))

    def overview(self) -> Overview:
        """What the home screen shows: what is left today, mastery per topic and the streak.

        Cheaper than stats(): the counts of the incremental queue, mastery summed again only for
        the topics whose cards changed since the last call (summary.TopicMastery), and a bounded
        look at the log's recent days for the streak."""
        now = self.now()
        edges = summary.history_edges(now, self.settings)[-3:]  # yesterday and today
        recent = [n > 0 for n in self.store.log_per_period(self.bank.id, edges, any_only=True)]
        # not loaded (a start, or another connection wrote since): tallied, not loaded
        tally = None if self._cache.loaded() else self._tally(now)
        if tally is not None:
            counts, values = tally
        else:
            counts = self._now_queue()[1]
            start_us = to_us(self._day(now)[0])
            mastery = self._cache.mastery(
                start_us,
                self.settings,
                lambda: summary.TopicMastery.of(
                    self.bank, self._cache.raw(), self._topic, now, self.settings
                ),
            )
            values = mastery.values(self._cache.raw())
        return Overview(counts=counts, mastery=values, streak=self._streak(now, recent))

    def _sorted_rows(self) -> list[CardRow]:
        """The active cards, in id order (the cache keeps them so; stats are summed in it)."""
        return list(self._cache.rows().values())

    def _streak(self, now: datetime, recent: list[bool]) -> int:
        hour, tz = self.settings.day_starts_hour, self.settings.tz

        def earlier(last: date, n: int) -> list[bool]:
            edges = summary.day_edges(last - timedelta(days=n - 1), n, hour, tz)
            return [x > 0 for x in self.store.log_per_period(self.bank.id, edges, any_only=True)]

        return summary.study_streak(study_day(now, hour, tz), recent, earlier)

    def get_setting(self, key: str, default: str | None = None) -> str | None:
        value = self.store.get_setting(key)
        return default if value is None else value

    def set_setting(self, key: str, value: str) -> None:
        if not isinstance(key, str) or not isinstance(value, str):
            raise TypeError("settings keys and values are strings")
        self.store.set_setting(key, value)


class _BankMaps:
    """The bank's active question ids in bank order, their digest (the sync stamp's:
    Cards.synced) and topic (as Bank.topic_of: the first objective's), made at once (a start
    needs them for the home's figures); their questions by id, bank order and sibling key (the
    first objective, else the question's own id), made on first use (the queue's). Never
    changed once made, so twins share them; two threads making one at once make the same."""

    def __init__(self, bank: Bank) -> None:
        # from the bank's index (a LazyBank makes no question for them); zip, map and dict
        # build the rest in C: a few ms at 50,000 questions
        self._bank = bank
        self.ids: list[str] = bank.active_ids()
        self.digest = ids_digest(self.ids)
        self._firsts: list[str | None] = bank.active_first_objectives()
        topic_of: dict[str | None, str] = {oid: o.topic for oid, o in bank.objectives.items()}
        topics = map(topic_of.get, self._firsts, repeat("unknown"))  # none, or not in the bank
        self.topic: dict[str, str] = dict(zip(self.ids, cast("Iterator[str]", topics), strict=True))
        self._questions: dict[str, Question] | None = None
        self._order: dict[str, int] | None = None
        self._sibling: dict[str, str] | None = None
        self._by_sibling: dict[str, list[str]] | None = None

    @property
    def questions(self) -> dict[str, Question]:
        if self._questions is None:
            self._questions = dict(zip(self.ids, self._bank.active_questions, strict=True))
        return self._questions

    @property
    def order(self) -> dict[str, int]:
        if self._order is None:
            self._order = dict(zip(self.ids, range(len(self.ids)), strict=True))
        return self._order

    @property
    def sibling(self) -> dict[str, str]:
        if self._sibling is None:
            ids, firsts = self.ids, self._firsts
            if None in firsts:  # a question with no objective is its own sibling key
                made = {qid: qid if f is None else f for qid, f in zip(ids, firsts, strict=True)}
            else:
                made = dict(zip(ids, cast("list[str]", firsts), strict=True))
            self._sibling = made
        return self._sibling

    def by_sibling(self) -> dict[str, list[str]]:
        """Sibling key -> its active question ids, in bank order."""
        if self._by_sibling is None:
            by: dict[str, list[str]] = {}
            for qid, k in self.sibling.items():
                by.setdefault(k, []).append(qid)
            self._by_sibling = by
        return self._by_sibling


EARLY_TALLY_WAIT = 1.0  # seconds the home waits for the early tally before asking on its own


@dataclass
class _EarlyTally:
    """Cards.queue_tally run early on another connection (Engine.prefetch_tally)."""

    mark: tuple[int, int]  # (data_version, this connection's commits) before it started
    settings: Settings
    learn_until: int  # its bounds (UTC microseconds)
    end_us: int
    thread: threading.Thread | None = None
    found: tuple[int, int, int, int, int | None] | None = None


_UNWRITABLE = frozenset({"readonly", "cantopen", "full", "io"})


def _read_only_reason(problem: str) -> str:
    return f"{problem.rstrip('.')}. Nothing will be saved: browse, stats and practice work."


@dataclass(frozen=True)
class ExamAnswerIn:
    """One exam answer to log (see Engine.submit_exam): recall is self-marked by the rating."""

    qid: str
    rating: Rating
    response: Response
    duration_ms: int = 0


@dataclass(frozen=True)
class _Prepared:
    qid: str
    rating: Rating
    correct: bool | None
    response_json: str
    duration_ms: int
    mode: str


def _grade_of(q: Question, response: Response) -> Grade:
    from trainer.engine.grading import grade

    if response is None:
        raise ValueError(f"{q.id}: an answer to a {q.type} question needs a response")
    return grade(q, response)


__all__ = ["Engine", "ExamAnswerIn", "TrainerDBError"]
