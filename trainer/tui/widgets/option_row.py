"""One lettered option of a choice question: key, mark, text, and once marked a verdict in words."""

from __future__ import annotations

from textual.app import ComposeResult
from textual.containers import Horizontal
from textual.events import Click
from textual.message import Message
from textual.widgets import Static


class OptionRow(Horizontal):
    """``A  ( )  Option text`` with a hanging indent for long text."""

    DEFAULT_CSS = """
    OptionRow { height: auto; width: 1fr; }
    OptionRow > .key { width: 9; }
    OptionRow > .text { width: 1fr; }
    """

    class Clicked(Message):
        def __init__(self, index: int) -> None:
            super().__init__()
            self.index = index

    def __init__(self, index: int, key: str, text: str, *, multi: bool) -> None:
        super().__init__()
        self.index = index
        self.key = key
        self.option_text = text
        self.multi = multi
        self.selected = False
        self.struck = False
        self.verdict = ""

    def compose(self) -> ComposeResult:
        yield Static(self._key_text(), classes="key", markup=False)
        yield Static(self._body_text(), classes="text", markup=False)

    def _key_text(self) -> str:
        if self.multi:
            mark = "[x]" if self.selected else "[ ]"
        else:
            mark = "(•)" if self.selected else "( )"
        return f" {self.key}  {mark}"

    def _body_text(self) -> str:
        text = self.option_text
        if self.struck:
            text += "  (ruled out)"
        if self.verdict:
            text += f"  <- {self.verdict}"
        return text

    def show_option(self, key: str, text: str, *, multi: bool) -> None:
        """Show another question's option here (unmarked, not chosen; the study screen keeps
        its rows from one question to the next)."""
        self.key, self.option_text, self.multi = key, text, multi
        self.remove_class("-correct", "-wrong")
        self.update_state(selected=False, struck=False)

    def update_state(self, *, selected: bool, struck: bool, verdict: str = "") -> None:
        self.selected = selected
        self.struck = struck
        self.verdict = verdict
        self.set_class(selected, "-selected")
        self.set_class(struck, "-struck")
        if self.is_mounted:
            self.query_one(".key", Static).update(self._key_text())
            self.query_one(".text", Static).update(self._body_text())

    def on_click(self, event: Click) -> None:
        event.stop()
        self.post_message(self.Clicked(self.index))
