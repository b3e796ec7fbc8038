"""Browse's table: virtual rows, so its cost is the rows on screen, never the bank's size.

Textual's DataTable keeps a Row object per row and measures every cell it is given (50,000
questions took minutes to add); this one holds only the row keys in their order and asks the
screen for the cells of the rows it paints (``cells(key)``), one line each, cut to the column
widths the screen fits into the terminal (no sideways scrolling). Line 0 is the header; the rest
scrolls. Keys: up/down, page up/down, home/end, Enter (Selected); a click on a header sorts
(HeaderClicked), a click on a row moves the cursor there (a second click opens it).
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import ClassVar

from rich.segment import Segment
from textual import events
from textual.binding import Binding, BindingType
from textual.geometry import Size
from textual.message import Message
from textual.scroll_view import ScrollView
from textual.strip import Strip

CellsOf = Callable[[str], Sequence[str]]


def fit(text: str, width: int) -> str:
    """``text`` on one line, exactly ``width`` characters: cut with an ellipsis, or padded."""
    if len(text) > width:
        return text[: max(0, width - 1)] + "…" if width else ""
    return text.ljust(width)


class BrowseTable(ScrollView, can_focus=True):
    COMPONENT_CLASSES: ClassVar[set[str]] = {
        "browse-table--header",
        "browse-table--cursor",
        "browse-table--even-row",
    }
    DEFAULT_CSS = """
    BrowseTable {
        height: 1fr;
        background: $surface;
        color: $foreground;
        & > .browse-table--header { text-style: bold; background: $panel; color: $foreground; }
        & > .browse-table--even-row { background: $surface-lighten-1 50%; }
        & > .browse-table--cursor {
            background: $block-cursor-blurred-background;
            color: $block-cursor-blurred-foreground;
            text-style: $block-cursor-blurred-text-style;
        }
        &:focus > .browse-table--cursor {
            background: $block-cursor-background;
            color: $block-cursor-foreground;
            text-style: $block-cursor-text-style;
        }
    }
    """

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("up", "move(-1)", "Up", show=False, id="browse-up", tooltip="Previous question"),
        Binding("down", "move(1)", "Down", show=False, id="browse-down", tooltip="Next question"),
        Binding(
            "pageup", "page(-1)", "Page up", show=False, id="browse-page-up", tooltip="A page up"
        ),
        Binding(
            "pagedown",
            "page(1)",
            "Page down",
            show=False,
            id="browse-page-down",
            tooltip="A page down",
        ),
        Binding("home", "to(0)", "First", show=False, id="browse-first", tooltip="First question"),
        Binding("end", "to(-1)", "Last", show=False, id="browse-last", tooltip="Last question"),
        Binding(
            "enter", "select", "Open", show=False, id="browse-open", tooltip="Open this question"
        ),
    ]

    class Selected(Message):
        """Enter (or a second click) on the row of ``key``."""

        def __init__(self, key: str) -> None:
            super().__init__()
            self.key = key

    class HeaderClicked(Message):
        def __init__(self, column: str) -> None:
            super().__init__()
            self.column = column

    def __init__(self, cells: CellsOf, *, id: str | None = None) -> None:
        super().__init__(id=id)
        self._cells = cells
        self.keys: list[str] = []
        self.columns: list[tuple[str, str, int]] = []  # (name, header text, width)
        self.cursor_row = 0

    # -- data --------------------------------------------------------------------------------

    @property
    def row_count(self) -> int:
        return len(self.keys)

    def set_columns(self, columns: list[tuple[str, str, int]]) -> None:
        self.columns = columns
        self._resize()

    def set_rows(self, keys: list[str], keep: str | None = None) -> None:
        """Show ``keys`` in this order; the cursor stays on ``keep`` when it is still there."""
        self.keys = keys
        row = 0
        if keep is not None:
            try:
                row = keys.index(keep)
            except ValueError:
                row = min(self.cursor_row, max(0, len(keys) - 1))
        self.cursor_row = row
        self._resize()
        self.scroll_to_cursor()

    def get_row_at(self, row: int) -> list[str]:
        return list(self._cells(self.keys[row]))

    @property
    def current_key(self) -> str | None:
        return self.keys[self.cursor_row] if self.keys else None

    def _resize(self) -> None:
        width = sum(w for _n, _h, w in self.columns) + max(0, len(self.columns) - 1)
        self.virtual_size = Size(width, len(self.keys) + 1)
        self.refresh()

    # -- moving ------------------------------------------------------------------------------

    @property
    def _page(self) -> int:
        return max(1, self.scrollable_content_region.height - 1)

    def move_cursor(self, row: int) -> None:
        self.cursor_row = min(max(row, 0), max(0, len(self.keys) - 1))
        self.scroll_to_cursor()
        self.refresh()

    def scroll_to_cursor(self) -> None:
        top = round(self.scroll_offset.y)
        if self.cursor_row < top:
            self.scroll_to(y=self.cursor_row, animate=False, immediate=True)
        elif self.cursor_row >= top + self._page:
            self.scroll_to(y=self.cursor_row - self._page + 1, animate=False, immediate=True)

    def action_move(self, step: int) -> None:
        self.move_cursor(self.cursor_row + step)

    def action_page(self, step: int) -> None:
        self.move_cursor(self.cursor_row + step * self._page)

    def action_to(self, row: int) -> None:
        self.move_cursor(row if row >= 0 else len(self.keys) - 1)

    def action_select(self) -> None:
        if self.keys:
            self.post_message(self.Selected(self.keys[self.cursor_row]))

    def on_click(self, event: events.Click) -> None:
        y = event.get_content_offset(self)
        if y is None:
            return
        if y.y == 0:
            x = y.x + round(self.scroll_offset.x)
            for name, _header, width in self.columns:
                if x < width + 1:
                    self.post_message(self.HeaderClicked(name))
                    return
                x -= width + 1
            return
        row = round(self.scroll_offset.y) + y.y - 1
        if row < len(self.keys):
            if row == self.cursor_row and event.chain > 1:
                self.action_select()
            self.move_cursor(row)

    # -- painting ----------------------------------------------------------------------------

    def _line(self, cells: Sequence[str]) -> str:
        return " ".join(fit(c, w) for c, (_n, _h, w) in zip(cells, self.columns, strict=False))

    def render_line(self, y: int) -> Strip:
        width = self.scrollable_content_region.width
        scroll_x = round(self.scroll_offset.x)
        base = self.rich_style
        if y == 0:
            text = self._line([h for _n, h, _w in self.columns])
            style = base + self.get_component_rich_style("browse-table--header")
        else:
            row = round(self.scroll_offset.y) + y - 1
            if row >= len(self.keys):
                return Strip.blank(width, base)
            text = self._line(self._cells(self.keys[row]))
            style = base
            if row == self.cursor_row:
                style = base + self.get_component_rich_style("browse-table--cursor")
            elif row % 2:
                style = base + self.get_component_rich_style("browse-table--even-row")
        text = text[scroll_x : scroll_x + width].ljust(width)
        return Strip([Segment(text, style)], width)

    def on_focus(self) -> None:
        self.refresh()

    def on_blur(self) -> None:
        self.refresh()
