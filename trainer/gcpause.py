"""Pausing Python's cyclic garbage collector around bulk work that makes no reference cycles."""

from __future__ import annotations

import gc
from collections.abc import Iterator
from contextlib import contextmanager


@contextmanager
def gc_paused() -> Iterator[None]:
    """Pause the cyclic collector for the block, then restore it as it was.

    Loading a large bank or exporting one makes hundreds of thousands of short-lived, acyclic
    objects, which set off the collector's full passes over everything alive: about a tenth of the
    time (measured with bench/). There is nothing for it to collect, so it waits until the end.
    """
    was_enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was_enabled:
            gc.enable()
