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
from textual.message import Message
from textual.strip import Strip
from textual.visual import Visual

from trainer.tui.widgets.drawn_lines import DrawnLines

KEY_WIDTH = 9  # " A  ( )" and two spaces: the text's hanging indent


class KeyedRows(DrawnLines):
    """Rows of a key column (``key_width`` cells) and a text that wraps under itself, drawn line
    by line by one widget. Subclasses say what each row shows (``row``) and ask for a redraw
    with ``redraw``; the styles of a row are component classes of the subclass."""

    key_width = KEY_WIDTH

    class Clicked(Message):
        """A row was clicked (``index``: its position)."""

        def __init__(self, index: int) -> None:
            super().__init__()
            self.index = index

    def __init__(self, *, id: str | None = None) -> None:
        super().__init__(id=id)
        self._lines: tuple[object, list[Strip], list[int]] | None = None

    def row_count(self) -> int:
        raise NotImplementedError

    def row(self, index: int) -> tuple[str, str, tuple[str, ...], tuple[str, ...]]:
        """Row ``index``: its key, its text, the component classes of each."""
        raise NotImplementedError

    def redraw(self) -> None:
        """The rows changed: draw them again (and lay the screen out: a row may wrap)."""
        self._lines = None
        if self.is_mounted:
            self.refresh(layout=True)

    def _render_rows(self, width: int) -> tuple[list[Strip], list[int]]:
        """The lines at ``width``, and the row each line belongs to (cached per width and
        style)."""
        key = (width, self._pseudo_classes_cache_key, self.styles._cache_key)
        if self._lines is not None and self._lines[0] == key:
            return self._lines[1], self._lines[2]
        lines: list[Strip] = []
        owners: list[int] = []
        key_width = self.key_width
        text_width = max(1, width - key_width)
        for i in range(self.row_count()):
            key_text, body, key_classes, text_classes = self.row(i)
            key_style = self.get_visual_style(*key_classes)
            text_style = self.get_visual_style(*text_classes)
            strips = Visual.to_strips(self, Content(body), text_width, None, text_style, pad=True)
            key_strip = Strip(
                [Segment(key_text.ljust(key_width)[:key_width], key_style.rich_style)], key_width
            )
            blank = Strip.blank(key_width, key_style.rich_style)
            for n, strip in enumerate(strips or [Strip.blank(text_width, text_style.rich_style)]):
                lines.append(Strip.join([key_strip if n == 0 else blank, strip]))
                owners.append(i)
        self._lines = (key, lines, owners)
        return lines, owners

    def lines(self, width: int) -> list[Strip]:
        return self._render_rows(width)[0]

    def row_at(self, y: int) -> int | None:
        """The row drawn on line ``y`` of this widget."""
        _, owners = self._render_rows(self.size.width)
        return owners[y] if 0 <= y < len(owners) else None

    def on_click(self, event: Click) -> None:
        event.stop()
        offset = event.get_content_offset(self)
        index = self.row_at(offset.y) if offset is not None else None
        if index is not None:
            self.post_message(self.Clicked(index))

    def notify_style_update(self) -> None:
        super().notify_style_update()
        self._lines = None


class ChoiceOptions(KeyedRows):
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

    class Clicked(KeyedRows.Clicked):
        """An option was clicked (``index``: its shown position)."""

    def __init__(self, keys: Sequence[str], texts: Sequence[str], *, multi: bool) -> None:
        super().__init__(id="choice-options")
        self.keys: list[str] = []
        self.texts: list[str] = []
        self.multi = multi
        self.selected: frozenset[int] = frozenset()
        self.struck: frozenset[int] = frozenset()
        self.verdicts: list[str] = []
        self.correct: frozenset[int] = frozenset()
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
        self.redraw()

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

    def row_count(self) -> int:
        return len(self.texts)

    def row(self, index: int) -> tuple[str, str, tuple[str, ...], tuple[str, ...]]:
        classes = self._classes_of(index)
        # the whole row is bold when chosen and coloured once marked; struck: its text only
        key_classes = tuple(c for c in classes if not c.endswith("struck"))
        return self.key_text(index), self.body_text(index), key_classes, classes

    def option_at(self, y: int) -> int | None:
        """The option drawn on line ``y`` of this widget."""
        return self.row_at(y)
