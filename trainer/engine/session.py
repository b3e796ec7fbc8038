"""The Engine: one bank studied against one review database, with an injected clock."""

from __future__ import annotations

import random
import secrets
from collections.abc import Callable, Sequence
from dataclasses import replace
from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from typing import TYPE_CHECKING, Literal, get_args

from trainer.bank.models import Bank, Question
from trainer.engine import summary
from trainer.engine.cardcache import CardCache
from trainer.engine.days import day_bounds, study_day
from trainer.engine.errors import TrainerDBError
from trainer.engine.queue import Queue, QueueCard, build_queue, interleave
from trainer.engine.records import CardInfo, Counts, ExamResult, Overview, ReviewEntry, SyncReport
from trainer.engine.scheduler import (
    Rating,
    Settings,
    SettingsError,
    is_leech_lapse,
    preview,
    retrievability,
    review,
    utc,
)
from trainer.engine.storage import (
    CardRow,
    CardTuple,
    LogRow,
    NewLogEntry,
    Store,
    from_us,
    to_us,
)

if TYPE_CHECKING:  # imported where used: not needed to open the app and show home
    from trainer.engine.grading import Grade, Response
    from trainer.engine.stats import Stats

Mode = Literal["study", "practice", "exam"]
PracticeFilter = Literal["all", "unseen", "missed", "flagged"]
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
    ) -> None:
        self.bank = bank
        self.store = store
        self.settings = settings
        self.sync_report = sync_report
        self._clock = clock
        self._fuzz_seed = str(seed) if seed is not None else secrets.token_hex(8)
        active = bank.active_questions  # a property that filters the bank: once
        self._questions: dict[str, Question] = {q.id: q for q in active}
        self._order: dict[str, int] = {q.id: i for i, q in enumerate(active)}
        self._topic: dict[str, str] = {q.id: bank.topic_of(q) for q in active}
        self._sibling: dict[str, str] = {q.id: self._sibling_key(q) for q in active}
        self._undo: list[int] = []
        self._cache = CardCache(
            store,
            bank.id,
            keep=self._questions.__contains__,
            queue_card=self._queue_card,
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
    ) -> Engine:
        """Open/create/migrate the database, sync the bank into it and load the settings.

        Raises TrainerDBError (the file is left untouched) on a foreign, damaged or newer database.
        ``settings`` overrides the stored ones for this engine (it is not saved; see save_settings).
        """
        clock = clock or _system_clock
        now = utc(clock())
        store = Store.open(Path(db_path), now=now)
        try:
            if settings is None:
                stored = store.get_setting(SETTINGS_KEY)
                try:
                    settings = Settings.from_json(stored) if stored else Settings()
                except SettingsError:
                    settings = Settings()
            report = store.sync_bank(bank.id, [q.id for q in bank.active_questions], now)
        except BaseException:
            store.close()
            raise
        return cls(bank, store, clock=clock, settings=settings, seed=seed, sync_report=report)

    def close(self) -> None:
        self.store.close()

    def __enter__(self) -> Engine:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def now(self) -> datetime:
        """The injected clock, in UTC."""
        return utc(self._clock())

    def save_settings(self, settings: Settings) -> None:
        """Use ``settings`` from now on and store them (all but the time zone)."""
        self.store.set_setting(SETTINGS_KEY, settings.to_json())
        self.settings = settings

    def reload(self) -> None:
        """Forget the cached cards (after a bulk rewrite such as an import or a rescheduling)."""
        self._cache.invalidate()

    # -- helpers -------------------------------------------------------------------------------

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

    def _queue_card(self, t: CardTuple) -> QueueCard:
        qid, state, due = t[1], t[2], t[6]
        return QueueCard(
            qid=qid,
            topic=self._topic[qid],
            sibling_key=self._sibling[qid],
            state=state,
            due=None if due is None else from_us(due),
            order=self._order[qid],
        )

    def _sibling_key_of(self, qid: str) -> str | None:
        return self._sibling.get(qid)

    def topic_of(self, qid: str) -> str:
        self._question(qid)
        return self._topic[qid]

    def _sibling_key(self, q: Question) -> str:
        return q.objectives[0] if q.objectives else q.id

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

    def _queue(self) -> Queue:
        now = self.now()
        start, end = self._day(now)
        day = self._cache.day(start)
        last_topic = self._topic[day.last_qid] if day.last_qid is not None else None
        horizon = max(end, now + self.settings.learn_ahead)
        return build_queue(
            self._cache.queue_cards(to_us(horizon)),
            now=now,
            day_end=end,
            learn_ahead=self.settings.learn_ahead,
            new_left=self.settings.new_per_day - day.new_done,
            reviews_left=self.settings.reviews_per_day - day.reviews_done,
            buried=frozenset(day.buried),
            last_topic=last_topic,
            bury_new=self.settings.bury_new,
            bury_reviews=self.settings.bury_reviews,
        )

    def counts(self) -> Counts:
        """What is left today (learning includes cards due within the learn-ahead window)."""
        q = self._queue()
        return Counts(new=len(q.new), learning=len(q.learning) + len(q.ahead), review=len(q.review))

    def next_question(self) -> Question | None:
        card = self._queue().first()
        return self._questions[card.qid] if card else None

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
        grade: Grade | None,
        duration_ms: int,
        mode: Mode = "study",
    ) -> None:
        """Record an answer in one transaction, committed before this returns.

        study: FSRS schedules the card. practice: logged as practice; the schedule changes only if
        the card is due. exam: logged as exam; the schedule is unchanged.
        Objective questions: ``grade`` (computed from ``response`` if None) must agree with
        ``rating``: wrong is AGAIN; right is HARD, GOOD or EASY. Recall: self-rated, ``correct`` is
        logged as rating > AGAIN. Raises ValueError/KeyError on bad input, before writing anything.
        """
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
        response_json = response_to_json(response)
        if q.type == "recall":
            correct = rating != Rating.AGAIN
        else:
            g = grade if grade is not None else _grade_of(q, response)
            if rating not in allowed_ratings(g):
                allowed = ", ".join(r.name for r in allowed_ratings(g))
                raise ValueError(
                    f"{qid}: a {'right' if g.correct else 'wrong'} answer is rated {allowed}, "
                    f"not {rating.name}"
                )
            correct = g.correct
        now = self.now()
        with self.store.write():
            before = self.store.card(self.bank.id, qid)
            if before is None:  # pragma: no cover - sync creates every active card
                raise KeyError(qid)
            scheduled = mode == "study" or (mode == "practice" and self._is_due(before, now))
            after = before
            if scheduled:
                schedule = review(
                    before.schedule,
                    rating,
                    now,
                    self.settings,
                    card_id=before.id,
                    fuzz_seed=self._fuzz_seed_for(qid, before.schedule.reps),
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
                rating=int(rating),
                correct=correct,
                response=response_json,
                duration_ms=duration_ms,
                mode=mode,
                scheduled=scheduled,
            )
            log_id = self.store.save_answer(before, after, entry)
        self._undo.append(log_id)
        self._cache.put(after)
        self._cache.logged(
            LogRow(
                id=log_id,
                question_id=qid,
                time=now,
                rating=int(rating),
                correct=correct,
                mode=mode,
                scheduled=scheduled,
                state_before=before.state,
            )
        )

    def undo(self) -> str | None:
        """Undo this engine's last answer: the card is restored exactly and the log entry deleted.

        Several levels; returns the question id, or None when there is nothing to undo. If
        another instance has since answered that card, the undo is refused (its answer stays) and
        this engine's undo history is dropped, since it no longer describes the database.
        """
        if not self._undo:
            return None
        qid = self.store.undo_answer(self._undo.pop())
        self._cache.invalidate()
        if qid is None:
            self._undo.clear()
        return qid

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
        self.store.reset_card(self.bank.id, qid)
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

        unseen: never answered in any mode; missed: the last answer was wrong; flagged: flagged.
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

    def exam_results(self) -> list[ExamResult]:
        return self.store.exam_results(self.bank.id)

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

        Cheaper than stats(): the cards (cached) and a bounded look at the log's recent days."""
        now = self.now()
        counts = self.counts()
        edges = summary.history_edges(now, self.settings)[-3:]  # yesterday and today
        recent = [n > 0 for n in self.store.log_per_period(self.bank.id, edges, any_only=True)]
        return Overview(
            counts=counts,
            mastery=summary.mastery_by_topic(
                self.bank, self._cache.raw().values(), now, self.settings, self._topic
            ),
            streak=self._streak(now, recent),
        )

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


def _grade_of(q: Question, response: Response) -> Grade:
    from trainer.engine.grading import grade

    if response is None:
        raise ValueError(f"{q.id}: an answer to a {q.type} question needs a response or a grade")
    return grade(q, response)


__all__ = ["Engine", "TrainerDBError"]
