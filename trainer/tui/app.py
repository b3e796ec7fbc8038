"""The Textual application: owns the engines, the sessions in progress and the app-wide actions.

Screens are views of the sessions in ``trainer/sessions`` (plain Python, saved in the database as
they go), so Escape can go home and a later ``r`` (or the next start, after a quit or a crash) can
resume exactly where the trainee left off. Database work of the sessions runs off the UI thread
(tui/dbwork.py).
"""

from __future__ import annotations

import random
from collections.abc import Callable, Iterable
from pathlib import Path
from typing import TYPE_CHECKING, Any, ClassVar, TypeVar

from textual import events, work
from textual.app import App, SystemCommand
from textual.binding import Binding, BindingType
from textual.notifications import SeverityLevel
from textual.screen import Screen

from trainer.gcpause import automatic_full_collections, freeze_after_start, freeze_alive
from trainer.safetext import visible
from trainer.sessions import (
    KINDS,
    DeckSession,
    ExamSession,
    Kept,
    Kind,
    PracticeSession,
    SessionStateError,
    StudySession,
)
from trainer.tui.dbwork import LOCK_WAIT, DbRunner
from trainer.tui.messages import DbDone, DbFailed, DbFatal, DbSettled
from trainer.tui.plain import one_line, plain, plain_markup
from trainer.tui.screens.home import HomeScreen
from trainer.tui.screens.session_screen import SessionScreen
from trainer.tui.toasts import remove_stale_toasts_with_their_holder

if TYPE_CHECKING:
    from trainer.bank.models import Question
    from trainer.config import Config
    from trainer.engine import Engine

# Where the theme was kept before the config file: read once when the config has none.
THEME_SETTING = "theme"
AnySession = DeckSession | ExamSession
T = TypeVar("T")


class TrainerApp(App[None]):
    """Clinical training quiz and spaced repetition."""

    CSS_PATH = "trainer.tcss"
    TITLE = "trainer"
    ENABLE_COMMAND_PALETTE = True
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding(
            "ctrl+q",
            "quit",
            "Quit",
            id="app-quit",
            tooltip="Quit trainer (answers and sessions in progress are kept)",
            show=False,
            priority=True,
        ),
        Binding(
            "ctrl+c",
            "quit_asking",
            "Quit",
            id="app-quit-asking",
            tooltip="Quit trainer (asks first when a session is in progress; it is kept)",
            show=False,
            priority=True,
        ),
    ]

    def __init__(
        self,
        engine: Engine,
        *,
        seed: int | None = None,
        export_dir: Path | None = None,
        cursor_blink: bool = True,
        config: Config | None = None,
    ) -> None:
        super().__init__()
        from trainer.config import Config

        remove_stale_toasts_with_their_holder()  # a Textual leak (tui/toasts.py)

        # The settings file (path None: nothing is saved, as in tests that pass no config).
        self.config = config if config is not None else Config(settings=engine.settings)
        self.engine = engine  # reads on the UI thread
        self.db = DbRunner(self, engine.twin(lock_wait=LOCK_WAIT))  # the sessions' writes
        self.seed = seed
        self.rng = random.Random(seed)
        self.export_dir = export_dir if export_dir is not None else Path.cwd()
        self.cursor_blink_enabled = cursor_blink
        self.sub_title = one_line(engine.bank.title)
        # Sessions in progress but not on screen, oldest first (`r` resumes the last one).
        self.paused: dict[Kind, AnySession] = {}
        self.active: AnySession | None = None  # the session on screen
        self.startup_notes: list[str] = []
        self.recent_notices: list[str] = []
        self._load_saved_sessions()
        theme = self.config.theme
        if theme is None:  # an older version kept the theme in the review database
            theme = engine.get_setting(THEME_SETTING)
        if theme and theme in self.available_themes:
            self.theme = theme  # saved to the config file by watch_theme if it came from the db
        if self.config.keys:
            self.set_keymap(dict(self.config.keys))

    def _load_saved_sessions(self) -> None:
        """Sessions kept in the database by an earlier run (quit, crash or power cut)."""
        writer = self.db.engine
        found: list[tuple[Any, AnySession]] = []
        for kind in KINDS:
            saved = writer.saved_session(kind)
            if saved is None:
                continue
            cls: Any = {"study": StudySession, "practice": PracticeSession, "exam": ExamSession}
            try:
                session = cls[kind].resume(writer)
            except SessionStateError as exc:
                self.startup_notes.append(f"A paused {kind} session could not be resumed: {exc}.")
                continue
            if session is not None:
                found.append((saved.updated, session))
        for _, session in sorted(found, key=lambda f: f[0]):
            self.paused[session.kind] = session

    # ---------------------------------------------------------------- lifecycle

    def get_default_screen(self) -> Screen[Any]:
        return HomeScreen()

    # run_app (never under tests): once home is painted with its figures, what the start built
    # is frozen and the collector turned back on if it was on (trainer/gcpause.py)
    freeze_heap = False
    _session_needs_frozen = False
    collect_after_start = False
    _started = False

    def started(self) -> None:
        """Home has been painted for the first time (HomeScreen calls this once)."""
        if self._started:
            return
        self._started = True
        if self.freeze_heap:
            freeze_after_start(self.collect_after_start)
            # what a session needs, made now in the worker and frozen too (on_db_done)
            self.db.run(self, "warm", self.db.engine.warm, read=True)
        if self.config.keys:
            # Knowing every binding id imports every screen: after the first paint, not before.
            self.call_later(self._check_keys)

    def _check_keys(self) -> None:
        from trainer.tui.keys import clashing_keys, unknown_binding_ids

        unknown = unknown_binding_ids(self.config.keys)
        if unknown:
            self.notify(
                f"{self.config.path}: [keys] unknown binding ids, ignored: {', '.join(unknown)}",
                title="Settings",
                severity="warning",
                timeout=10,
                markup=False,
            )
        clashes = clashing_keys(self.config.keys)
        if clashes:
            self.notify(
                f"{self.config.path}: [keys] a key taken twice on one screen (only one of them "
                f"works): {'; '.join(clashes)}",
                title="Settings",
                severity="warning",
                timeout=10,
                markup=False,
            )

    def on_mount(self) -> None:
        if self.engine.read_only:
            self.notify(
                self.engine.read_only,
                title="Read-only",
                severity="warning",
                timeout=15,
                markup=False,
            )
        for note in self.startup_notes:
            self.notify(note, severity="warning", timeout=10, markup=False)
        for problem in self.config.problems:
            self.notify(problem, title="Settings", severity="warning", timeout=10, markup=False)

    async def on_event(self, event: events.Event) -> None:
        # Keys pressed while a session screen waits for the database are kept by it and
        # replayed once its result is shown (SessionScreen.hold_key), before any binding sees them.
        if isinstance(event, events.Key) and not event.is_forwarded:
            screen = self.screen
            if isinstance(screen, SessionScreen) and screen.hold_key(event):
                return
        await super().on_event(event)

    def on_unmount(self) -> None:
        self.db.call_now(self.db.engine.close) if self.db.engine is not self.engine else None
        self.engine.close()

    def fail(self, error: Exception) -> None:
        """Database damage (or a bug) met by a session call: end cleanly with one line."""
        from trainer.engine import TrainerDBError

        if isinstance(error, TrainerDBError):
            self.exit(return_code=1, message=plain(f"trainer: {error}"))
        else:
            self.exit(return_code=1, message=plain(f"trainer: unexpected error: {error!r}"))

    def read(self, call: Callable[[], T]) -> T | None:
        """A short read on the UI thread (home's figures, the done screen's next due time; the
        other screens read in the database worker): damage found there ends the app cleanly with
        one line (TrainerDBError); None then."""
        from trainer.engine import TrainerDBError

        try:
            return call()
        except TrainerDBError as exc:
            self.fail(exc)
            return None

    def on_db_done(self, message: DbDone) -> None:
        """Work the app asked for itself (pausing a session, saving the theme)."""
        if isinstance(message.result, str) and message.result:
            self.notify(message.result, markup=False)
        if message.tag in ("leave", "pause") and isinstance(self.screen, HomeScreen):
            self.screen.refresh_summary()  # what is paused has moved on
        if message.tag == "warm" and isinstance(self.screen, HomeScreen):
            self.freeze_session_needs()

    def freeze_session_needs(self) -> None:
        """Freeze, once, what sessions need of the engine (Engine.warm's maps, card cache and
        queue) with whatever is alive: at home once the worker has made them, or else (a session
        started before that) at that session's first question, which then keeps that one
        session's screen alive for good (a fixed cost, once per run)."""
        if self.freeze_heap and not self._session_needs_frozen:
            self._session_needs_frozen = True
            freeze_alive(young_first=True)
            automatic_full_collections(True)  # off since the start (a study screen's own policy
            # turns them off again at once: QuestionScreen._settle_heap)

    def on_db_settled(self, message: DbSettled) -> None:
        self.db.settled(message.tag)

    def on_db_fatal(self, message: DbFatal) -> None:
        self.fail(message.error)

    def on_db_failed(self, message: DbFailed) -> None:
        if message.tag == "warm":
            self.freeze_session_needs()  # what there is: the automatic full passes come back
        self.db.say_failed(message.error)

    def notify(
        self,
        message: str,
        *,
        title: str = "",
        severity: SeverityLevel = "information",
        timeout: float | None = None,
        markup: bool = True,
    ) -> None:
        """Every toast is plain text: messages name paths and bank ids ("Saved 80 cards to
        /home/me/notes[/]x.apkg", "Not saved: ..."), which must show as they are, never as markup.
        Screens and widgets notify through here too. The last notices are kept in
        ``recent_notices`` (help and tests)."""
        self.recent_notices.append(message)
        del self.recent_notices[:-20]
        super().notify(
            visible(message),
            title=one_line(title),
            severity=severity,
            timeout=timeout,
            markup=False,
        )

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        if action == "resume":
            return bool(self.paused)
        return True

    def watch_theme(self, theme: str) -> None:
        """Persist the chosen theme (in the config file) so the next start looks the same."""
        if self.config.theme != theme:
            from dataclasses import replace

            self.save_config(replace(self.config, theme=theme))

    def save_config(self, config: Config) -> bool:
        """Use ``config`` from now on and write it to its file; False (and a notice) if that
        failed. The engine's settings, key bindings and theme change at once."""
        from trainer.config import ConfigError, save_config

        self.config = config
        self.engine.settings = config.settings
        self.db.engine.settings = config.settings  # the sessions' engine (worker thread)
        self.set_keymap(dict(config.keys))
        if config.theme and config.theme != self.theme and config.theme in self.available_themes:
            self.theme = config.theme
        if config.path is None:
            return True
        try:
            save_config(config)
        except ConfigError as exc:
            self.notify(str(exc), title="Settings", severity="error", markup=False)
            return False
        return True

    def next_seed(self) -> int:
        """A seed for one shuffle: repeatable when the app was given a seed."""
        return self.rng.randrange(2**31)

    # ---------------------------------------------------------------- quitting

    def kept_note(self) -> str:
        """What quitting now keeps, in words (empty when nothing is in progress)."""
        sessions = self.paused_sessions()
        if self.active is not None and self.active not in sessions:
            sessions = [*sessions, self.active]
        if not sessions:
            return ""
        what = "; ".join(s.description() for s in sessions)
        return f"Kept for next time (press r to resume): {what}."

    async def action_quit(self) -> None:
        note = self.kept_note()
        marking = getattr(self.active, "marking", None)
        question = getattr(self.active, "question", None)
        if marking is not None and question is not None:
            note = (
                f"Your answer to {question.id} is saved, rated {marking.rated.name.title()} "
                f"(the suggested rating). {note}"
            ).strip()
        self.exit(message=f"trainer: {note}" if note else None)

    def action_quit_asking(self) -> None:
        """ctrl+c: quit, asking first when a session is in progress (saying it is kept)."""
        from trainer.tui.screens.confirm import ConfirmScreen

        if isinstance(self.screen, ConfirmScreen) and self.screen.id == "confirm-quit":
            self.screen.dismiss(True)  # ctrl+c again: yes
            return
        note = self.kept_note()
        if not note:
            self.run_worker(self.action_quit(), exclusive=False)
            return

        def answered(yes: bool | None) -> None:
            if yes:
                self.run_worker(self.action_quit(), exclusive=False)

        self.push_screen(
            ConfirmScreen(
                "Quit trainer?",
                note.replace("Kept for next time", "Your session is kept for next time", 1),
                yes="Quit",
                no="Stay",
                id="confirm-quit",
            ),
            answered,
        )

    # ---------------------------------------------------------------- navigation

    def go_home(self) -> None:
        """Pop back to the home screen (the bottom of the stack) and refresh it.

        When screens are popped, home refreshes itself as it is resumed (HomeScreen)."""
        if len(self.screen_stack) > 1:
            while len(self.screen_stack) > 1:
                self.pop_screen()
            return
        home = self.screen_stack[-1]
        if isinstance(home, HomeScreen):
            home.refresh_summary()

    def _open(self, screen: Screen[Any]) -> None:
        """Open ``screen`` over home (home is not refreshed: it is about to be covered)."""
        while len(self.screen_stack) > 1:
            self.pop_screen()
        self.push_screen(screen)

    def paused_sessions(self) -> list[AnySession]:
        """Paused sessions, the one ``r`` resumes first."""
        return list(reversed(self.paused.values()))

    def _unavailable(self, what: str) -> bool:
        if self.engine.read_only:
            self.notify(
                f"{what} is not available: {self.engine.read_only}",
                severity="warning",
                timeout=10,
                markup=False,
            )
            return True
        return False

    def show_session(self, session: AnySession) -> None:
        from trainer.tui.screens.exam import ExamScreen
        from trainer.tui.screens.question import QuestionScreen

        self.paused.pop(session.kind, None)
        self.active = session
        if isinstance(session, ExamSession):
            self._open(ExamScreen(session))
        else:
            self._open(QuestionScreen(session))

    def pause_session(self, session: AnySession, kept: Kept | None = None) -> None:
        """Escape from a session: keep it (saved as it went) and go home. A graded answer left
        without a rating keeps its suggested rating (the session says so)."""
        self.paused.pop(session.kind, None)
        self.paused[session.kind] = session
        if self.active is session:
            self.active = None
        if isinstance(session, ExamSession):
            self.db.run(self, "pause", lambda: session.pause(kept))
        elif session.marking is not None:
            self.db.run(self, "leave", session.leave)
        self.go_home()

    def session_ended(self, session: AnySession) -> None:
        self.paused.pop(session.kind, None)
        if self.active is session:
            self.active = None

    def _replace_or_resume(self, kind: Kind, setup: Screen[Any] | Callable[[], None]) -> None:
        """Starting a session of a kind that is paused: ask first (resume it, or start anew and
        drop it). ``setup``: the screen that sets a new one up, or what starts it (study)."""
        from trainer.tui.screens.confirm import ConfirmScreen

        def start() -> None:
            if isinstance(setup, Screen):
                self._open(setup)
            else:
                setup()

        paused = self.paused.get(kind)
        if paused is None:
            start()
            return

        def chosen(new: bool | None) -> None:
            if new:
                start()
            else:
                self.show_session(paused)

        self.push_screen(
            ConfirmScreen(
                f"You have a paused {paused.description()}.",
                "Start a new one instead? The paused one is dropped when the new one starts "
                "(its answers so far stay saved).",
                yes="Start new",
                no="Resume it",
            ),
            chosen,
        )

    def action_study(self) -> None:
        """Study; with a study session paused, ask first (resume it or start afresh), as the
        other modes do."""
        if self._unavailable("Study"):
            return
        self._replace_or_resume(
            "study", lambda: self.show_session(StudySession.start(self.db.engine, self.next_seed()))
        )

    def action_practice(self) -> None:
        from trainer.tui.screens.practice_setup import PracticeSetupScreen

        self._replace_or_resume("practice", PracticeSetupScreen())

    def start_practice(
        self, questions: list[Question], seed: int, description: str, *, schedules: bool = False
    ) -> None:
        """``schedules``: new cards beyond today's limit, answered as study (scheduled)."""
        self.paused.pop("practice", None)
        session = PracticeSession.start(
            self.db.engine, questions, seed, description, schedules=schedules
        )
        self.show_session(session)

    def action_exam(self) -> None:
        from trainer.tui.screens.exam_setup import ExamSetupScreen

        if self._unavailable("The exam"):
            return
        self._replace_or_resume("exam", ExamSetupScreen())

    def start_exam(
        self, questions: list[Question], seed: int, *, seconds: int = 0, tutor: bool = False
    ) -> None:
        """``seconds``: per question (0: untimed); ``tutor``: feedback after each question."""
        self.paused.pop("exam", None)
        session = ExamSession.start(
            self.db.engine, questions, seed, seconds_per_question=seconds, tutor=tutor
        )
        self.show_session(session)

    def action_resume(self) -> None:
        sessions = self.paused_sessions()
        if not sessions:
            self.notify("There is no paused session to resume.")
            return
        self.show_session(sessions[0])

    def action_exam_history(self) -> None:
        from trainer.tui.screens.exam_history import ExamHistoryScreen

        self._open(ExamHistoryScreen())

    def action_browse(self) -> None:
        from trainer.tui.screens.browse import BrowseScreen

        self._open(BrowseScreen())

    def action_stats(self) -> None:
        from trainer.tui.screens.stats import StatsScreen

        self._open(StatsScreen())

    def action_settings(self) -> None:
        from trainer.tui.screens.settings import SettingsScreen

        self._open(SettingsScreen())

    def action_help(self) -> None:
        from trainer.tui.screens.help import HelpScreen

        self._open(HelpScreen())

    def action_home(self) -> None:
        self.go_home()

    # ---------------------------------------------------------------- export

    def action_export_anki(self) -> None:
        out = self.export_dir / f"{self.engine.bank.id}.apkg"
        self.notify(f"Exporting to {out} ...", title="Anki export")
        self.export_anki(out)

    @work(thread=True, exclusive=True, group="export")
    def export_anki(self, out: Path) -> None:
        from trainer.export.anki import export_bank

        try:
            out.parent.mkdir(parents=True, exist_ok=True)
            summary = export_bank(self.engine.bank, out, now=self.engine.now())
        except Exception as exc:  # shown to the user, never a traceback
            self.call_from_thread(
                self.notify, f"Export failed: {exc}", title="Anki export", severity="error"
            )
            return
        self.call_from_thread(
            self.notify, f"Saved {summary.cards} cards to {out}", title="Anki export"
        )

    # ---------------------------------------------------------------- palette

    def get_system_commands(self, screen: Screen[Any]) -> Iterable[SystemCommand]:
        yield SystemCommand("Study", "Study what is due today (s)", self.action_study)
        yield SystemCommand(
            "Practice", "Practise chosen topics without limits (p)", self.action_practice
        )
        yield SystemCommand("Exam", "A timed exam with feedback at the end (e)", self.action_exam)
        yield SystemCommand(
            "Browse", "Search every question and its history (b)", self.action_browse
        )
        yield SystemCommand(
            "Stats", "Reviews, retention and the due forecast (t)", self.action_stats
        )
        yield SystemCommand(
            "Settings",
            "Daily limits, retention, steps, theme, keys, FSRS (,)",
            self.action_settings,
        )
        yield SystemCommand("Help", "Keys, question types and scheduling (?)", self.action_help)
        if self.paused:
            yield SystemCommand("Resume", "Resume the paused session (r)", self.action_resume)
        yield SystemCommand("Home", "Go to the home screen", self.action_home)
        yield SystemCommand(
            "Export to Anki",
            plain_markup(f"Write {self.engine.bank.id}.apkg to {self.export_dir}"),
            self.action_export_anki,
        )
        yield from super().get_system_commands(screen)
