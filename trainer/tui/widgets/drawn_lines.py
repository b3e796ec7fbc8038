"""A widget that draws its own lines (KeyedRows' option and step rows, Feedback)."""

from __future__ import annotations

from textual.geometry import Size
from textual.strip import Strip
from textual.widget import Widget


class DrawnLines(Widget):
    """As wide as its container and as tall as its lines: ``lines(width)``, which a subclass
    makes from several texts and keeps (a screen lays out, styles and paints a widget at a
    time, and a Static wraps its text for the layout and again for the paint)."""

    # Textual's text selection maps a drawn character back to its place in one text; these lines
    # come from several (its default would copy the widget's CSS name): not selectable here; the
    # terminal's own selection (shift+drag in most) still copies them.
    ALLOW_SELECT = False

    def lines(self, width: int) -> list[Strip]:
        """The lines at content width ``width``."""
        raise NotImplementedError

    def get_content_width(self, container: Size, viewport: Size) -> int:
        return container.width

    def get_content_height(self, container: Size, viewport: Size, width: int) -> int:
        return len(self.lines(width))

    def render_line(self, y: int) -> Strip:
        width = self.size.width
        lines = self.lines(width)
        if 0 <= y < len(lines):
            return lines[y]
        return Strip.blank(width, self.visual_style.rich_style)
