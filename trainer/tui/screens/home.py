"""Home: the bank, what is due, mastery per topic, the streak, and the way into every mode."""

from __future__ import annotations

from dataclasses import replace
from typing import TYPE_CHECKING, ClassVar

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Horizontal, Vertical
from textual.screen import Screen
from textual.widgets import Static

from trainer.bank.models import topic_title
from trainer.tui.formatting import bar, percent
from trainer.tui.widgets.key_bar import KeyBar

if TYPE_CHECKING:
    from trainer.tui.app import TrainerApp

# (binding id, name, what): each shown with its key as bound now (Settings can change keys)
MENU: tuple[tuple[str, str, str], ...] = (
    ("home-study", "Study", "what is due today"),
    ("home-practice", "Practice", "chosen topics"),
    ("home-exam", "Exam", "a timed block, or tutor"),
    ("home-past-exams", "History", "past exams, scores"),
    ("home-browse", "Browse", "every question"),
    ("home-stats", "Stats", "reviews, forecast"),
    ("home-settings", "Settings", "limits, retention, keys"),
    ("home-help", "Help", "keys, scheduling"),
    ("home-quit", "Quit", ""),
)


def _binding(key: str, action: str, description: str, tooltip: str) -> Binding:
    return Binding(key, action, description, id=f"home-{description.lower()}", tooltip=tooltip)


class HomeScreen(Screen[None]):
    BINDINGS: ClassVar[list[BindingType]] = [
        _binding("s", "app.study", "Study", "Study what is due today"),
        _binding("p", "app.practice", "Practice", "Practise chosen topics, without limits"),
        _binding("e", "app.exam", "Exam", "A block of questions: timed or not, tutor or not"),
        Binding(
            "x",
            "app.exam_history",
            "Past exams",
            id="home-past-exams",
            tooltip="Past exams: dates, scores; open one to review it",
            show=False,
        ),
        _binding("b", "app.browse", "Browse", "Search every question"),
        _binding("t", "app.stats", "Stats", "Reviews, retention and forecast"),
        Binding(
            "comma",
            "app.settings",
            "Settings",
            id="home-settings",
            tooltip="Daily limits, retention, steps, theme, keys and FSRS",
            show=False,
        ),
        _binding("question_mark", "app.help", "Help", "Keys, question types and scheduling"),
        _binding("r", "app.resume", "Resume", "Resume the paused session"),
        _binding("q", "app.quit", "Quit", "Quit (answers and paused sessions are kept)"),
    ]

    app: TrainerApp

    def compose(self) -> ComposeResult:
        yield Static("", id="home-title", markup=False)
        yield Static("", id="home-counts", markup=False)
        reason = self.app.engine.read_only
        notice = Static(f"Read-only: {reason}" if reason else "", id="home-read-only", markup=False)
        notice.display = bool(reason)
        yield notice
        with Horizontal(id="home-columns"):
            with Vertical(id="home-menu", classes="panel"):
                yield Static("", id="menu-items")
            with Vertical(id="home-mastery", classes="panel"):
                yield Static("Mastery by topic", classes="panel-title", markup=False)
                yield Static("", id="mastery", markup=False)
        yield KeyBar(compact=True)  # every key fits in 80 columns

    # Refreshed once per showing: at mount, and whenever the screen is resumed after that (the
    # first resume follows the mount immediately, with nothing changed in between: skipped).
    _resumed = False
    _skip_resume = False
    _resume_shown = False  # whether the footer shows the Resume key

    def on_mount(self) -> None:
        self._resume_shown = bool(self.app.paused_sessions())  # as the footer was just built
        self.refresh_summary()
        self._skip_resume = not self._resumed
        self.call_after_refresh(self.app.started)  # painted with its figures

    def on_screen_resume(self) -> None:
        self._resumed = True
        if self._skip_resume:
            self._skip_resume = False
            return
        if self.app.screen is self:  # not when another screen was pushed on top meanwhile
            self.refresh_summary()

    def refresh_summary(self) -> None:
        if not self.query("#menu-items"):
            return  # not composed yet; on_mount will fill it in
        engine = self.app.engine
        bank = engine.bank
        overview = self.app.read(engine.overview)  # counts, mastery, streak: no full statistics
        if overview is None:
            return
        counts, streak = overview.counts, overview.streak
        self.query_one("#home-title", Static).update(
            Text(f"{bank.title}  (bank version {bank.version})", style="bold")
        )
        days = "day" if streak == 1 else "days"
        self.query_one("#home-counts", Static).update(
            f"Today: {counts.new} new, {counts.learning} learning, {counts.review} due"
            f"   ·   Streak: {streak} {days}"
            f"   ·   {len(bank.active_ids())} questions"  # (the bank's questions not made)
        )
        menu = Text()
        for binding_id, name, what in MENU:
            menu.append(f" {self._key_of(binding_id)} ", style="bold reverse")
            menu.append(f" {name:<9}")
            menu.append(f"{what}\n", style="dim")
        paused = self.app.paused_sessions() or None
        if paused is not None:
            menu.append(f" {self._key_of('home-resume')} ", style="bold reverse")
            menu.append(f" Resume   {self._paused_text()}\n")
        menu.rstrip()
        self.query_one("#menu-items", Static).update(menu)
        lines = Text()
        for topic in bank.topics:
            if topic not in overview.mastery:
                continue
            mastery = overview.mastery.get(topic, 0.0)
            lines.append(f"{topic_title(topic):<17.17} ")
            lines.append(bar(mastery), style="bold")
            lines.append(f" {percent(mastery):>4}\n")
        lines.rstrip()
        self.query_one("#mastery", Static).update(lines)
        if (paused is not None) != self._resume_shown:
            # The footer's Resume key comes and goes with a paused session; rebuilding the
            # footer costs a style update of every key, so only when that changed.
            self._resume_shown = paused is not None
            self.refresh_bindings()

    def _key_of(self, binding_id: str) -> str:
        """The first key of this screen's binding ``binding_id`` as bound now, as shown."""
        binding = next(b for b in self.BINDINGS if isinstance(b, Binding) and b.id == binding_id)
        from trainer.tui.keys import key_list

        keys = key_list(self.app.config.keys.get(binding_id) or binding.key)
        return self.app.get_key_display(replace(binding, key=keys[0]))

    def _paused_text(self) -> str:
        """The session ``r`` resumes first, then any other paused ones."""
        sessions = self.app.paused_sessions()
        text = sessions[0].description()
        others = [s.description() for s in sessions[1:]]
        if others:
            text += "\n     also paused: " + "; ".join(others)
        return text
