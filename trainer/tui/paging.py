"""Page Up / Page Down for screens whose focus sits outside the scrolling body."""

from __future__ import annotations

from textual.binding import Binding
from textual.containers import VerticalScroll


def page_bindings(
    prefix: str, what: str, *, label: str = "Scroll", down_keys: str = "pagedown"
) -> list[Binding]:
    """PgDn (shown in the footer as ``label``) and PgUp (hidden), with ids ``prefix``-down/-up."""
    return [
        Binding(
            down_keys,
            "scroll(1)",
            label,
            key_display="PgDn",
            id=f"{prefix}-down",
            tooltip=f"Scroll down {what}",
        ),
        Binding(
            "pageup",
            "scroll(-1)",
            "Scroll up",
            show=False,
            id=f"{prefix}-up",
            tooltip=f"Scroll up {what}",
        ),
    ]


def scroll_page(body: VerticalScroll, direction: int) -> None:
    """One page up (``direction`` < 0) or down."""
    if direction < 0:
        body.scroll_page_up()
    else:
        body.scroll_page_down()
