"""The study engine: grading, FSRS scheduling, the review database, sessions and statistics.

Plain Python (no textual); the TUI is one client. This docstring is the contract between the engine
and its clients: change it together with the code (the history is in git, not here).

Re-exported here: Engine, Rating, Grade, grade, suggested_rating, Counts, CardInfo, ReviewEntry,
ExamResult, Stats, TrainerDBError, Settings, SyncReport, Response, normalise_answer,
allowed_ratings, response_to_json, response_from_json, GradingError, SettingsError, TopicStats,
Overview  (grading's names and Stats/TopicStats are imported on first use)

grading.py (pure):
  Response = int | frozenset[int] | bool | tuple[int, ...] | tuple[str, ...] | None
    single: option index (into question.options, in bank order); multiple: frozenset of indexes;
    true_false: bool; order: tuple of indexes into question.steps in the order the trainee put them;
    cloze: tuple of strings, one per blank; recall: None (self-rated).
  @dataclass(frozen=True) Grade(correct: bool, score: float (0..1, partial credit), detail: str
    (e.g. "2 of 3 correct options chosen, 1 wrong"), blank_results: tuple[bool, ...] = ()
    (cloze, per blank), option_results: tuple[bool, ...] = () per option/step whether the trainee
    got it right)
  grade(question, response) -> Grade   # multiple/order all-or-nothing for `correct`; score partial
    raises GradingError (a ValueError) if the response has the wrong shape or is out of
    range, and for recall questions (self-rated: call answer() with response None and their rating).
    partial credit: multiple = max(0, (right picks - wrong picks) / number correct);
    order = share of step pairs in the right relative order; cloze = share of blanks right
    (a blank is right when its normalised answer equals a normalised accepted one; an empty or
    punctuation-only answer is never right).
    option_results for single/multiple: per option, chosen == option.correct; for order: per
    position, the right step is there.
  normalise_answer(text) -> str
      # casefold, strip whitespace + surrounding punctuation, collapse spaces
  suggested_rating(grade) -> Rating       # AGAIN if not correct else GOOD
  allowed_ratings(grade) -> tuple[Rating, ...]
      # wrong: (AGAIN,); right: (HARD, GOOD, EASY)
  response_to_json(response) -> str / response_from_json(s) -> Response   # for the review log

scheduler.py (thin, pure layer over `fsrs` 6.3): Rating (our IntEnum AGAIN=1, HARD=2, GOOD=3,
  EASY=4; int-compatible with fsrs.Rating), Settings frozen dataclass (desired_retention 0.90
  (0.70-0.99 validated), learning_steps (1m, 10m), relearning_steps (10m,), maximum_interval 36500,
  enable_fuzzing True, new_per_day 20, reviews_per_day 200, day_starts_hour 4, leech_threshold 8,
  leech_action "suspend"|"tag", learn_ahead 20 min, tz: tzinfo | None = None (the
  trainee's time zone for the 4 am rollover; None = the computer's local zone; not persisted),
  bury_new True, bury_reviews False (sibling burying, the rules of queue.build_queue),
  parameters: tuple[float, ...] | None (fitted FSRS-6 weights; None = py-fsrs's defaults)).
  The trainee's settings live in a TOML config file (trainer/config.py, no Textual);
  clients pass them to Engine.open(settings=...).
  Bad values raise SettingsError (a ValueError) with a clear message.
  review(schedule, rating, now, settings, *, card_id, fuzz_seed) -> CardSchedule and
  preview(schedule, now, settings, *, card_id, fuzz_seed) -> dict[Rating, timedelta];
  retrievability(schedule, now, settings) -> float | None.
  fuzz is drawn from random.Random(fuzz_seed) with py-fsrs's own ranges; the engine seeds it
  per (engine seed, bank, question, reps), so intervals() shows exactly what answer() will schedule.
  Due dates never pass LATEST_DUE (9998-01-01): near it the maximum interval and the steps are
  shortened to end there; a clock outside [EARLIEST_NOW (year 100), LATEST_NOW] is taken as the
  nearer bound (clamp_now; Engine.now() too), so no clock makes intervals() or answer() overflow.

errors.py: class TrainerDBError(Exception): message is a clear, user-facing sentence naming the
  file.

store/: the ONLY code that touches the review database (class Store; see its docstring: one
  connection helper, one retry, one error translation, atomic creation and backups; schema.py holds
  the migration scripts; records in records.py). every SQLite error leaves it as a
  TrainerDBError with .kind ("locked", "readonly", "full", "io", "cantopen", "damaged", "foreign",
  "other") and .retryable; "damaged" only when SQLite reports damage.

engine.py (was session.py): class Engine:
  Engine.open(bank: Bank, db_path: Path, *, clock: Callable[[], datetime] | None = None,
              seed: int | None = None, settings: Settings | None = None) -> Engine
      # opens/creates/migrates the db (raises TrainerDBError on a foreign/corrupt/newer file,
      # leaving it untouched), syncs the bank (new cards, retire removed, revive returning), loads
      # settings
      # opening runs SQLite's quick_check on the whole file up to 16 MiB, above that on
      # every table but the review log; damage met later is raised as TrainerDBError ("... is
      # damaged ...") by the engine call that reads it, never as a raw sqlite3 error.
      # settings=None loads the stored settings (engine.save_settings) or the defaults; a
      # Settings passed here is used but not stored. seed seeds the fuzz (None: random per engine).
  engine.bank: Bank;  engine.close();  engine.now() -> datetime (the injected clock, in UTC)
  engine.settings: Settings; engine.save_settings(settings); Engine is a context manager;
  engine.topic_of(qid) -> str; engine.set_suspended(qid, bool); engine.store (the Store)
  engine.sync_report -> SyncReport(added: int, retired: int, revived: int)
  # study (the due queue under daily limits; learning due now, then reviews due, then new; topics
  # interleaved; siblings (same objective) buried until the next day once one is answered today)
  siblings = questions with the same FIRST objective; a study-mode answer today buries the
  new and review cards among its siblings (learning cards are never buried). Reviews are due when
  due before the next 4 am rollover; learning cards when due now. When nothing else is left, a
  learning card due within learn_ahead is shown. New cards come in bank order, topics interleaved.
  engine.counts() -> Counts(new: int, learning: int, review: int)   # what is left today
      learning includes cards due within learn_ahead. Counts.total
  engine.next_question() -> Question | None
  engine.intervals(qid: str) -> dict[Rating, timedelta]
      # next interval per rating, for the buttons
  engine.schedules(qid, mode) -> bool   # would answering now change the schedule
      # (study: yes; practice: only a due card; exam: no): show intervals only then
  engine.answer(qid: str, rating: Rating, *, response: Response, duration_ms: int,
                mode: Literal["study", "practice", "exam"] = "study",
                session_state: str | None = None) -> int (the log id)
      # one transaction, committed before it returns. practice: logged as practice; FSRS state only
      # changes if the card is due. exam: logged as exam, FSRS state unchanged.
      the engine grades the response itself (no grade is passed in); the rating must be in
      allowed_ratings(grade) (wrong -> AGAIN; right -> HARD/GOOD/EASY) else ValueError. recall:
      response None; logged correct = rating > AGAIN. session_state: the session's JSON, saved
      in the same transaction (see trainer/sessions).
  engine.rerate(log_id, qid, rating, *, response, duration_ms, mode, at=None) -> int | None
      # replaces a logged answer by the same answer with another rating, in one transaction
  engine.undo_entry(log_id) -> str | None; engine.transaction() (a context manager: one
      write transaction around several calls; on failure the engine forgets what it did inside)
  engine.submit_exam(result, answers: Sequence[ExamAnswerIn(qid, rating, response,
      duration_ms=0)]) -> int   # every answer, the result and the end of the saved exam session
      in ONE transaction: all or nothing
  engine.saved_session(kind) -> SavedSession | None; save_session(kind, state);
      drop_session(kind)      # the sessions table (one per kind and bank)
  engine.twin(lock_wait=None) -> Engine   # another connection, same bank/clock/seed
  Engine.open(..., lock_wait=60.0, read_only_fallback=False): with the fallback, a
      database that cannot be written opens as an in-memory copy and engine.read_only is the one
      sentence saying why (else None) Unknown qid -> KeyError; a bad mode,
      rating or duration -> ValueError; nothing is written in those cases. "Due" for practice:
      a learning card due now or a review card due today (new cards are never due).
      Leech: when lapses reach leech_threshold (then every half threshold) the card is tagged
      leech and, if leech_action == "suspend", suspended (undo reverses this too).
  engine.undo() -> str | None
      # undoes the last answer of this engine (several levels), returns qid
  engine.can_undo() -> bool
  engine.set_flag(qid: str, flagged: bool) -> None;  engine.is_flagged(qid) -> bool
  engine.card_info(qid) -> CardInfo(qid, state: "new"|"learning"|"review"|"relearning",
      due: datetime|None, reps: int, lapses: int, flagged: bool, suspended: bool, leech: bool,
      stability: float|None, difficulty: float|None, retrievability: float|None)
  engine.all_card_info() -> dict[str, CardInfo]   # for browse, one query
  engine.history(qid) -> list[ReviewEntry(time: datetime, rating: int, correct: bool|None,
      mode: str, duration_ms: int, response: str)]       oldest first
  # practice and exam
  engine.practice_questions(topics: Sequence[str] | None, filter: Literal["all","unseen","missed",
      "flagged","new","marked"], seed: int | None = None) -> list[Question]
      # shuffled with the seed, topics interleaved
      unseen = never answered in any mode; missed = the most recent answer was wrong;
      new = never studied (for studying new cards beyond today's limit); marked = exam_marked().
  engine.exam_marked() -> set[str] / engine.mark_from_exam(qids, marked=True)
      # questions marked for review in an exam (kept in the settings table, per bank)
      Unknown topic or filter -> ValueError.
  engine.exam_questions(n: int, seed: int, topics: Sequence[str] | None = None) -> list[Question]
      min(n, available) questions; n < 1 -> ValueError.
  engine.record_exam(result: ExamResult) -> int   (sessions use submit_exam)
      # ExamResult(started: datetime, finished: datetime, seed, question_ids: tuple,
      # correct_ids: tuple, by_topic: dict[str, tuple[int, int]] (right, total))
      ExamResult.id: int | None = None (set when read back), ExamResult.score property
  engine.exam_results() -> list[ExamResult]   oldest first
  # stats
  engine.stats() -> Stats   # dataclass with to_dict(): reviews (total logged), cards {new,
      # learning, review, relearning, suspended}, due_now, due_today, forecast (30 ints, day 0 =
      # today), reviews_per_day (list of (date iso, count) for the last 30 days), true_retention
      # (float|None),
      # mean_retrievability (float|None), by_topic {topic: {cards, new, due, mastery, retention}},
      # streak (days), and `mastery` per topic in 0..1
      definitions are in trainer/engine/stats.py's docstring. mastery = sum of current
      retrievability of the topic's cards in the review state / number of its cards (new,
      learning and relearning cards count 0). Suspended cards count only under
      cards["suspended"]. to_dict() also has "bank", "generated" and "mastery"
      {topic: float}; Stats.by_topic values are TopicStats.
      computed from counters kept by triggers in each answer's transaction (schema 5:
      card_counts per card, log_hours per bank and UTC hour; day edges off the hour add a count
      from the revlog time index): the log is never read whole.
  engine.overview() -> Overview(counts: Counts, mastery: dict[str, float], streak: int)
      # what the home screen shows, without full statistics: counts() as is, mastery as
      # Stats.mastery (identical values), streak as Stats.streak; cost independent of the log size
  the engine keeps the bank's cards in memory (cardcache.py) and reloads them only when
      another connection committed (PRAGMA data_version); its own writes update the cache.
      They are loaded when first needed: while they are not (a start; after another connection
      wrote), overview() and counts() are tallied by SQL, with identical figures.
  engine.next_due() -> datetime | None   # the next due time after now of a studied,
      # unsuspended card (the done screen), from the cards_due index when the cards are not loaded
  engine.get_setting(key: str, default: str | None = None) -> str | None;
  engine.set_setting(key, value)
      # the theme moved to the config file; an old "theme" value is read once by the UI
  engine.reload()   # forget cached cards after a bulk rewrite (import, rescheduling)

replay.py: recompute(engine, settings=None, *, only=None, seed="replay") -> int: each card
  with a history recomputed from its rescheduling answers (review_log.scheduled = 1), one
  transaction. revlog.py: export_revlog / read_revlog / import_revlog (the revlog CSV).
  fsrs_fit.py: training_items, evaluate, optimize (fsrs-rs-python, the [fsrs] extra).
  workload.py: deck_of, simulate, workload_curve. commands.py: `trainer reviews`, `trainer fsrs`.
  store.Store (store/history.py): review_rows(bank_id), insert_review(card_id, entry),
  rewrite_history(card, steps) (within the caller's write()).

stats_command.py: run_stats(db_path: Path, bank_path: Path, as_json: bool) -> int
  (``trainer stats``). its JSON is Stats.to_dict() plus "left_today" {new, learning,
  review} (engine.counts()); the text shows the same. Errors go to stderr with exit status 1.
"""

from typing import TYPE_CHECKING, Any

from trainer.engine.engine import Engine
from trainer.engine.errors import TrainerDBError
from trainer.engine.records import CardInfo, Counts, ExamResult, Overview, ReviewEntry, SyncReport
from trainer.engine.scheduler import Rating, Settings, SettingsError

if TYPE_CHECKING:
    from trainer.engine.grading import (
        Grade,
        GradingError,
        Response,
        allowed_ratings,
        grade,
        normalise_answer,
        response_from_json,
        response_to_json,
        suggested_rating,
    )
    from trainer.engine.stats import Stats, TopicStats

# Imported on first use (PEP 562), so that opening the app does not load grading and statistics.
_LAZY = {
    "Grade": "grading",
    "GradingError": "grading",
    "Response": "grading",
    "allowed_ratings": "grading",
    "grade": "grading",
    "normalise_answer": "grading",
    "response_from_json": "grading",
    "response_to_json": "grading",
    "suggested_rating": "grading",
    "Stats": "stats",
    "TopicStats": "stats",
}


def __getattr__(name: str) -> Any:
    module = _LAZY.get(name)
    if module is None:
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    from importlib import import_module

    value = getattr(import_module(f"trainer.engine.{module}"), name)
    globals()[name] = value
    return value


__all__ = [
    "CardInfo",
    "Counts",
    "Engine",
    "ExamResult",
    "Grade",
    "GradingError",
    "Overview",
    "Rating",
    "Response",
    "ReviewEntry",
    "Settings",
    "SettingsError",
    "Stats",
    "SyncReport",
    "TopicStats",
    "TrainerDBError",
    "allowed_ratings",
    "grade",
    "normalise_answer",
    "response_from_json",
    "response_to_json",
    "suggested_rating",
]
