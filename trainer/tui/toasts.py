"""A workaround for Textual's toasts: a toast removed by ``clear_notifications`` stayed alive.

Textual (8.2.8) mounts each toast inside a ``ToastHolder`` (for its alignment). A toast that
expires removes its holder; but a toast whose notification went another way (the app's
``clear_notifications``, which the database's busy notice uses once the write is done, see
tui/dbwork.py) is removed by ``ToastRack.show`` without its holder. The empty holder stays in the
rack for the life of the screen, and keeps the toast alive through its children's display cache
(``NodeList``, ``(updates, [toast])``): one holder and one toast per busy notice, found by
bench/bench_tmux.py as live toasts on no screen (the referrer chain: the holder's message-pump
task -> the holder -> its ``NodeList`` -> the cached list -> the Toast). No upstream issue was
found; drop this once ``ToastRack.show`` removes the holder.
"""

from __future__ import annotations

from textual.css.query import NoMatches
from textual.notifications import Notification, Notifications
from textual.widgets._toast import Toast, ToastHolder, ToastRack

PATCHED_VERSION = "8.2.8"  # the Textual this was checked against (pinned in pyproject.toml)


def _show(self: ToastRack, notifications: Notifications) -> None:
    """ToastRack.show, removing a stale toast with its holder."""
    self.display = bool(notifications)
    for toast in self.query(Toast):
        if toast._notification not in notifications:
            holder = toast.parent
            (holder if isinstance(holder, ToastHolder) else toast).remove()
    new: list[Notification] = []
    for notification in notifications:
        try:
            self.get_child_by_id(self._toast_id(notification))
        except NoMatches:
            if not notification.has_expired:
                new.append(notification)
    if new:
        self.mount_all(ToastHolder(Toast(n), id=self._toast_id(n)) for n in new)
        self.call_later(self.scroll_end, animate=False, force=True)


def remove_stale_toasts_with_their_holder() -> None:
    """Install the workaround (the app does at its creation; again is harmless). Only on the
    Textual it was checked against: another one keeps its own ``show`` (and
    tests/tui/test_long_session.py says whether the leak is still there)."""
    import textual

    if textual.__version__ == PATCHED_VERSION:
        ToastRack.show = _show  # type: ignore[method-assign]
