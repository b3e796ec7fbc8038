"""Text from a bank, a path or the user, ready for a widget: plain text, never markup.

Textual parses a ``str`` as markup in most widgets (labels, tables, selects, selection lists,
checkboxes, toasts, the command palette): ``[@click=app.quit]`` becomes an action, ``a[/]b`` an
error. Every place that shows such text goes through one of these helpers. Each also escapes the
characters a terminal would act on (trainer.safetext.visible), as a second line of defence behind
``trainer check``, which refuses banks holding them.
"""

from __future__ import annotations

from rich.text import Text
from textual.content import Content
from textual.markup import escape

from trainer.safetext import visible


def plain(text: str, style: str = "") -> Text:
    """A Rich Text showing ``text`` literally (tables, selects, Static)."""
    return Text(visible(text), style=style)


def plain_content(text: str) -> Content:
    """A Textual Content showing ``text`` literally (selection lists, option lists)."""
    return Content(visible(text))


def plain_markup(text: str) -> str:
    """``text`` escaped for an API that only takes markup (the command palette's help)."""
    return escape(visible(text))


def one_line(text: str) -> str:
    """``text`` for a one-line plain-text place (a title, a toast): no control characters."""
    return visible(text, one_line=True)
