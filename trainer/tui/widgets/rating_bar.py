"""Again / Hard / Good / Easy with each next interval, on keys 1-4; Enter takes the suggestion.

Only the ratings that apply are shown: Again after a wrong answer (with "o I was right" when the
answer was graded by trainer), Hard, Good and Easy after a right one; the others' keys do nothing.
"""

from __future__ import annotations

from datetime import timedelta
from typing import ClassVar

from rich.text import Text
from textual.binding import Binding, BindingType
from textual.widgets import Static

from trainer.engine import Rating
from trainer.tui.formatting import format_interval
from trainer.tui.messages import OverrideChosen, RatingChosen

RATING_NAMES = {
    Rating.AGAIN: "Again",
    Rating.HARD: "Hard",
    Rating.GOOD: "Good",
    Rating.EASY: "Easy",
}


def rating_bindings() -> list[BindingType]:
    """Keys 1-4 rate, Enter (or Space) takes the suggestion, o overrides: the bar's, and the
    study screen's body's (the focus stays on the graded answer, in the body, so that the screen
    is not restyled, its keys rebuilt and every line of it painted again by a focus change on
    every answer; a cloze's disabled blanks hand it to the bar)."""
    return [
        Binding(
            "1",
            "rate(1)",
            show=False,
            description="Again",
            id="rate-again",
            tooltip="I did not know it",
        ),
        Binding(
            "2",
            "rate(2)",
            show=False,
            description="Hard",
            id="rate-hard",
            tooltip="I knew it with difficulty",
        ),
        Binding(
            "3", "rate(3)", show=False, description="Good", id="rate-good", tooltip="I knew it"
        ),
        Binding(
            "4",
            "rate(4)",
            show=False,
            description="Easy",
            id="rate-easy",
            tooltip="I knew it easily",
        ),
        Binding(
            "enter,space",
            "rate_suggested",
            "Suggested",
            key_display="Enter",
            id="rate-suggested",
            tooltip="Take the suggested rating (Again when wrong, Good when right)",
        ),
        Binding(
            "o",
            "override",
            "I was right",
            id="rate-override",
            tooltip="My answer was right (a typo): schedule it as right; logged as an override",
        ),
    ]


class RatingBar(Static, can_focus=True):
    """Shows the ratings of a graded answer, and takes them on its keys (``rating_bindings``)
    when it has the focus: only when the answer cannot keep it (a cloze's blanks are disabled).
    The study screen's body has the same keys, with these checks, for the answer it holds."""

    BINDINGS: ClassVar[list[BindingType]] = rating_bindings()

    def __init__(self) -> None:
        """A bar with no answer graded yet (hidden until set_marking gives it one)."""
        super().__init__(id="ratings")
        self.intervals: dict[Rating, timedelta] | None = None
        self.suggested = Rating.GOOD
        self.allowed: tuple[Rating, ...] = tuple(Rating)
        self.overridable = False
        self.overridden = False

    def on_mount(self) -> None:
        self.update(self._render_text())

    def set_marking(
        self,
        intervals: dict[Rating, timedelta] | None,
        suggested: Rating,
        allowed: tuple[Rating, ...] = tuple(Rating),
        *,
        overridable: bool = False,
        overridden: bool = False,
    ) -> None:
        """Show another graded answer's ratings (a bar mounted before the answer was graded)."""
        self.intervals = intervals
        self.suggested = suggested
        self.allowed = allowed
        self.overridable = overridable
        self.overridden = overridden
        self.update(self._render_text())

    def _render_text(self) -> Text:
        text = Text()
        if self.overridden:
            text.append("Overridden ", style="bold italic")  # scheduled as right
        for rating, name in RATING_NAMES.items():
            if rating not in self.allowed:
                continue
            if self.intervals is None:  # practice on a card that is not due: no rescheduling
                when = ""
            else:
                interval = self.intervals.get(rating)
                when = format_interval(interval) if interval is not None else "?"
            label = f"{name} {when}" if when else name
            style = "reverse" if rating == self.suggested else ""
            text.append(f" {int(rating)} ", style="bold " + style)
            text.append(f"{label} ", style=style)
            text.append(" ")
        if self.overridable:
            text.append(" o ", style="bold")
            text.append("I was right  ")
        text.append(f"Enter: {RATING_NAMES[self.suggested]}", style="italic")
        if self.intervals is None:
            text.append("  (not due: schedule kept)", style="dim")
        return text

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        if not self.display:
            return False  # not graded yet
        if action == "rate":
            return Rating(int(str(parameters[0]))) in self.allowed  # the others do nothing
        if action == "override":
            return self.overridable
        return True

    def action_rate(self, value: int) -> None:
        rating = Rating(value)
        if rating in self.allowed:  # a rating that does not apply is not shown: it does nothing
            self.post_message(RatingChosen(rating))

    def action_rate_suggested(self) -> None:
        self.post_message(RatingChosen(self.suggested))

    def action_override(self) -> None:
        if self.overridable:
            self.post_message(OverrideChosen())
