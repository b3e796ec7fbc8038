"""A choice question's lettered options in one widget: key, mark, text, and once marked a verdict.

Each option is ``A  ( )  Option text`` with a hanging indent for long text, as a row of two
Statics looked before; drawn here line by line by one widget (a screen lays out, styles and paints
a widget at a time, and the study screen shows and marks these on every answer: one widget
instead of three per option). Option text is bank text: plain, never markup."""

from __future__ import annotations

from collections.abc import Sequence
from typing import ClassVar

from rich.segment import Segment
from textual.content import Content
from textual.events import Click
from textual.geometry import Size
from textual.message import Message
from textual.strip import Strip
from textual.visual import Visual
from textual.widget import Widget

KEY_WIDTH = 9  # " A  ( )" and two spaces: the text's hanging indent


class ChoiceOptions(Widget):
    """The options of a ChoiceAnswer; ``set_state`` marks them, ``show_options`` replaces them."""

    COMPONENT_CLASSES: ClassVar[set[str]] = {
        "choice-options--selected",
        "choice-options--struck",
        "choice-options--correct",
        "choice-options--wrong",
    }

    DEFAULT_CSS = """
    ChoiceOptions { height: auto; width: 1fr; }
    ChoiceOptions > .choice-options--selected { text-style: bold; }
    ChoiceOptions > .choice-options--struck { text-style: strike; color: $text-muted; }
    ChoiceOptions > .choice-options--correct { color: $text-success; }
    ChoiceOptions > .choice-options--wrong { color: $text-error; }
    """

    class Clicked(Message):
        """An option was clicked (``index``: its shown position)."""

        def __init__(self, index: int) -> None:
            super().__init__()
            self.index = index

    def __init__(self, keys: Sequence[str], texts: Sequence[str], *, multi: bool) -> None:
        super().__init__(id="choice-options")
        self.keys: list[str] = []
        self.texts: list[str] = []
        self.multi = multi
        self.selected: frozenset[int] = frozenset()
        self.struck: frozenset[int] = frozenset()
        self.verdicts: list[str] = []
        self.correct: frozenset[int] = frozenset()
        self._lines: tuple[object, list[Strip], list[int]] | None = None
        self.show_options(keys, texts, multi=multi)

    def show_options(self, keys: Sequence[str], texts: Sequence[str], *, multi: bool) -> None:
        """Show another question's options (none chosen, unmarked)."""
        self.keys, self.texts, self.multi = [k.upper() for k in keys], list(texts), multi
        self.set_state(selected=(), struck=())

    def set_state(
        self,
        *,
        selected: Sequence[int] | set[int],
        struck: Sequence[int] | set[int],
        verdicts: Sequence[str] = (),
        correct: Sequence[int] | set[int] = (),
    ) -> None:
        """Which options are chosen and ruled out; once marked, each one's verdict in words and
        which are correct (shown positions throughout)."""
        self.selected, self.struck = frozenset(selected), frozenset(struck)
        self.verdicts, self.correct = list(verdicts), frozenset(correct)
        self._lines = None
        if self.is_mounted:
            self.refresh(layout=True)

    def key_text(self, index: int) -> str:
        if self.multi:
            mark = "[x]" if index in self.selected else "[ ]"
        else:
            mark = "(•)" if index in self.selected else "( )"
        return f" {self.keys[index]}  {mark}"

    def body_text(self, index: int) -> str:
        text = self.texts[index]
        if index in self.struck:
            text += "  (ruled out)"
        verdict = self.verdicts[index] if index < len(self.verdicts) else ""
        if verdict:
            text += f"  <- {verdict}"
        return text

    def _classes_of(self, index: int) -> tuple[str, ...]:
        classes = []
        if index in self.selected:
            classes.append("choice-options--selected")
        if index in self.struck:
            classes.append("choice-options--struck")
        if self.verdicts:
            if index in self.correct:
                classes.append("choice-options--correct")
            elif index in self.selected:
                classes.append("choice-options--wrong")
        return tuple(classes)

    def _render_rows(self, width: int) -> tuple[list[Strip], list[int]]:
        """The lines at ``width``, and the option each line belongs to (cached per width and
        style)."""
        key = (width, self._pseudo_classes_cache_key, self.styles._cache_key)
        if self._lines is not None and self._lines[0] == key:
            return self._lines[1], self._lines[2]
        lines: list[Strip] = []
        owners: list[int] = []
        text_width = max(1, width - KEY_WIDTH)
        base = self.visual_style
        blank = Strip.blank(KEY_WIDTH, base.rich_style)
        for i in range(len(self.texts)):
            classes = self._classes_of(i)
            # the whole row is bold when chosen and coloured once marked; struck: its text only
            key_style = self.get_visual_style(*[c for c in classes if not c.endswith("struck")])
            text_style = self.get_visual_style(*classes) if classes else base
            body = Visual.to_strips(
                self, Content(self.body_text(i)), text_width, None, text_style, pad=True
            )
            key_strip = Strip(
                [Segment(self.key_text(i).ljust(KEY_WIDTH)[:KEY_WIDTH], key_style.rich_style)],
                KEY_WIDTH,
            )
            for n, strip in enumerate(body or [Strip.blank(text_width, text_style.rich_style)]):
                lines.append(Strip.join([key_strip if n == 0 else blank, strip]))
                owners.append(i)
        self._lines = (key, lines, owners)
        return lines, owners

    def get_content_width(self, container: Size, viewport: Size) -> int:
        return container.width

    def get_content_height(self, container: Size, viewport: Size, width: int) -> int:
        return len(self._render_rows(width)[0])

    def render_line(self, y: int) -> Strip:
        width = self.size.width
        lines, _ = self._render_rows(width)
        if 0 <= y < len(lines):
            return lines[y]
        return Strip.blank(width, self.visual_style.rich_style)

    def option_at(self, y: int) -> int | None:
        """The option drawn on line ``y`` of this widget."""
        _, owners = self._render_rows(self.size.width)
        return owners[y] if 0 <= y < len(owners) else None

    def on_click(self, event: Click) -> None:
        event.stop()
        offset = event.get_content_offset(self)
        index = self.option_at(offset.y) if offset is not None else None
        if index is not None:
            self.post_message(self.Clicked(index))

    def notify_style_update(self) -> None:
        super().notify_style_update()
        self._lines = None
