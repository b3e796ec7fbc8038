"""The Textual application: owns the engine, the paused sessions and the app-wide actions.

Screens are views; what a session has done lives in the plain objects of ``decks.py`` so that
Escape can go home and a later ``r`` can resume exactly where the trainee left off.
"""

from __future__ import annotations

import random
from collections.abc import Iterable
from pathlib import Path
from typing import TYPE_CHECKING, Any, ClassVar

from textual import work
from textual.app import App, SystemCommand
from textual.binding import Binding, BindingType
from textual.notifications import SeverityLevel
from textual.screen import Screen

from trainer.safetext import visible
from trainer.tui.decks import ExamState, PracticeDeck, StudyDeck
from trainer.tui.plain import one_line, plain, plain_markup
from trainer.tui.screens.home import HomeScreen

if TYPE_CHECKING:
    from trainer.config import Config
    from trainer.engine import Engine

# Where the theme was kept before the config file: read once when the config has none.
THEME_SETTING = "theme"


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
            tooltip="Quit trainer (everything is already saved)",
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

        # The settings file (path None: nothing is saved, as in tests that pass no config).
        self.config = config if config is not None else Config(settings=engine.settings)
        self.engine = engine
        self.seed = seed
        self.rng = random.Random(seed)
        self.export_dir = export_dir if export_dir is not None else Path.cwd()
        self.cursor_blink_enabled = cursor_blink
        self.sub_title = one_line(engine.bank.title)
        # A paused session (study, practice or exam), resumed with `r` from home.
        self.paused: StudyDeck | PracticeDeck | ExamState | None = None
        self._db_error: Exception | None = None  # damage met while running: exiting with it
        theme = self.config.theme
        if theme is None:  # an older version kept the theme in the review database
            theme = engine.get_setting(THEME_SETTING)
        if theme and theme in self.available_themes:
            self.theme = theme  # saved to the config file by watch_theme if it came from the db
        if self.config.keys:
            self.set_keymap(dict(self.config.keys))

    # ---------------------------------------------------------------- lifecycle

    def get_default_screen(self) -> Screen[Any]:
        return HomeScreen()

    def on_unmount(self) -> None:
        self.engine.close()

    def _handle_exception(self, error: Exception) -> None:
        """A database found damaged while in use (see Engine) ends the app with its one-line
        message and exit status 1, as at start, not with a traceback."""
        from trainer.engine import TrainerDBError

        if isinstance(error, TrainerDBError):
            self._db_error = error
            self.exit(return_code=1, message=plain(f"trainer: {error}"))
            return
        if self._db_error is not None:
            return  # a consequence of the handler the damage cut short; the app is exiting
        super()._handle_exception(error)

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
        Screens and widgets notify through here too."""
        super().notify(
            visible(message),
            title=one_line(title),
            severity=severity,
            timeout=timeout,
            markup=False,
        )

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        if action == "resume":
            return self.paused is not None
        return True

    def on_mount(self) -> None:
        from trainer.tui.keys import unknown_binding_ids

        problems = list(self.config.problems)
        unknown = unknown_binding_ids(self.config.keys)
        if unknown:
            problems.append(
                f"{self.config.path}: [keys] unknown binding ids, ignored: {', '.join(unknown)}"
            )
        for problem in problems:
            self.notify(problem, title="Settings", severity="warning", timeout=10, markup=False)

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

    def action_study(self) -> None:
        from trainer.tui.screens.question import QuestionScreen

        deck = self.paused if isinstance(self.paused, StudyDeck) else StudyDeck(self.engine)
        self.paused = None
        self._open(QuestionScreen(deck))

    def action_practice(self) -> None:
        from trainer.tui.screens.practice_setup import PracticeSetupScreen

        self._open(PracticeSetupScreen())

    def start_practice(self, deck: PracticeDeck) -> None:
        from trainer.tui.screens.question import QuestionScreen

        self.paused = None
        self._open(QuestionScreen(deck))

    def action_exam(self) -> None:
        from trainer.tui.screens.exam_setup import ExamSetupScreen

        self._open(ExamSetupScreen())

    def start_exam(self, state: ExamState) -> None:
        from trainer.tui.screens.exam import ExamScreen

        self.paused = None
        self._open(ExamScreen(state))

    def action_resume(self) -> None:
        paused = self.paused
        if paused is None:
            self.notify("There is no paused session to resume.")
        elif isinstance(paused, ExamState):
            self.start_exam(paused)
        elif isinstance(paused, PracticeDeck):
            self.start_practice(paused)
        else:
            self.action_study()

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
        if self.paused is not None:
            yield SystemCommand("Resume", "Resume the paused session (r)", self.action_resume)
        yield SystemCommand("Home", "Go to the home screen", self.action_home)
        yield SystemCommand(
            "Export to Anki",
            plain_markup(f"Write {self.engine.bank.id}.apkg to {self.export_dir}"),
            self.action_export_anki,
        )
        yield from super().get_system_commands(screen)
