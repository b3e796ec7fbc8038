"""The app's garbage-collector policy, in one place: pausing Python's cyclic collector around bulk
work that makes no reference cycles, freezing what lives as long as the app, and the study
screen's own full collections.

- Start (``trainer``, ``run_app`` only, never under tests): the collector is off from the start
  (``gc_paused``) until home is painted with its figures, then what the start built is frozen and
  the collector turned back on (``freeze_after_start``, from ``TrainerApp.started``), without
  automatic full passes. Then the worker's engine makes what a session needs (``Engine.warm``:
  a cached bank's questions, the maps, the card cache, today's queue), and that is frozen too,
  uncollected, and the automatic full passes come back (``freeze_session_needs``): at home when
  the warm-up is done, or at a session's first question when it came first (then before that
  screen's first full pass, which otherwise scanned the whole start-up heap: 55 ms at 50k). At
  50k questions that is 150,000 objects that every per-question full collection scanned
  (pauses of 40-75 ms).
- Bulk loads (a bank, browse's card records, an export): built with the collector paused
  (``gc_paused``); browse freezes its records (``freeze_alive``).
- A study or practice session (``settle_heap``, ``automatic_full_collections``,
  ``collect_while_reading``, ``collect_young``): no automatic full collection while its screen
  is up, and young ones only every 50,000 allocations; one young collection once a feedback is
  painted and one full collection per question, once it is painted.

What is frozen is never collected, even once it is garbage (only freed by reference counting, and
widgets sit in reference cycles): freeze only what lives as long as the app. The session screen
froze the heap at each session's first question, which kept that session's screen, its first
question's widgets and the toasts on screen then alive for good, one set per session
(``tests/tui/test_long_session.py``): it no longer freezes.
"""

from __future__ import annotations

import gc
from collections.abc import Iterator
from contextlib import contextmanager

FULL_COLLECTIONS_OFF = 1_000_000  # gc threshold 2: no full collection from allocations
FULL_COLLECTIONS_DEFAULT = 10  # Python's
# gc threshold 0 while a study screen is up: a submit or a rating allocates ~10,000 container
# objects, which at Python's 700 meant 10-15 young collections and often a middle one inside
# its layout and paint (2-14 ms of a 30-70 ms step on a loaded machine, bench/bench_tmux.py's
# session). At 50,000 none starts by itself between a key and its paint: the study screen
# collects the young generations once the feedback is painted (``collect_young``) and
# everything once the next question is (``collect_while_reading``), while the trainee reads.
YOUNG_WHILE_STUDYING = 50_000
YOUNG_DEFAULT = 700  # Python's


@contextmanager
def gc_paused() -> Iterator[bool]:
    """Pause the cyclic collector for the block, then restore it as it was; yields whether it
    was on.

    Loading a large bank or exporting one makes hundreds of thousands of short-lived, acyclic
    objects, which set off the collector's full passes over everything alive: about a tenth of the
    time (measured with bench/). There is nothing for it to collect, so it waits until the end.
    The app's start runs in one such block (run_app): its young passes over the bank, the engine,
    Textual's modules and widgets found under 0.2 MB of cycles (measured).
    """
    was_enabled = gc.isenabled()
    gc.disable()
    try:
        yield was_enabled
    finally:
        if was_enabled:
            gc.enable()


def freeze_after_start(collect: bool) -> None:
    """Home has been painted for the first time (run_app): everything alive (the bank, the
    engine, the modules, home) lives as long as the app. Moved out of the collector's way (its
    full passes over the bank were pauses of a quarter of a second), then the collector, off
    since the start, is turned back on if it was on (``collect``), without automatic full
    passes until what sessions need is made and frozen too (``freeze_alive`` with
    ``automatic_full_collections(True)``, TrainerApp.freeze_session_needs): at 50k questions
    the worker's warm-up set off full passes of 9, 29, 40 ms over its growing heap."""
    gc.freeze()
    if collect:
        automatic_full_collections(False)
        gc.enable()


def freeze_alive(young_first: bool = False) -> None:
    """Freeze what is alive now (browse's 50,000 card records, built with the collector
    paused), as the start-up objects are; ``young_first``: after a pass over the young and
    middle generations (the recent garbage, not the whole heap: a few ms).

    Everything alive is frozen, not only the records: the browse screen of that moment (and any
    toast on it) is then never collected once it is closed, one screen per load. Not measured
    as a problem (browse is opened now and then, not per answer); records the collector does not
    track (tuples of plain values) would need no freeze."""
    gc.freeze()


def settle_heap() -> None:
    """Once the first question of a session is up (run_app only, never under tests).

    From then on the collector never starts a full pass by itself (its young and middle passes go
    on): each answer leaves ~10,000 objects of cyclic garbage (Textual's rendered lines: a Strip
    caches itself) that outlive the young collections, and a full pass triggered by the
    allocations of a submit or a rating landed in the middle of that answer's layout and paint
    (4-18 ms there, up to 160 ms over a long session). Instead the study screen runs one full
    pass per question, after it is painted, while the trainee reads it
    (``collect_while_reading``). Other screens leave the collector as Python has it
    (``automatic_full_collections(True)`` when the study screen is suspended or removed).

    Nothing is frozen here: a freeze at this point (as before) also froze the session's screen,
    its first question's widgets and any toast then on screen, which stayed alive after the
    session ended, one set per session. What it saved was small: the session's share of the
    heap is a few thousand objects on the bundled bank (~11,000 on a fresh 10,000-question bank).
    """
    gc.collect()
    automatic_full_collections(False)


def automatic_full_collections(on: bool) -> None:
    """Let the collector start full passes by itself (Python's default), or not (while a study
    screen is up: it runs them itself, and its young passes only every YOUNG_WHILE_STUDYING
    allocations, so that they rarely land between a key and its paint)."""
    _, middle, _ = gc.get_threshold()
    if on:
        gc.set_threshold(YOUNG_DEFAULT, middle, FULL_COLLECTIONS_DEFAULT)
    else:
        gc.set_threshold(YOUNG_WHILE_STUDYING, middle, FULL_COLLECTIONS_OFF)


def collect_while_reading() -> None:
    """The full collection of one answer's garbage, once its next question is painted."""
    gc.collect()


def collect_young() -> None:
    """The young and middle generations, once a feedback is painted (what the submit left)."""
    gc.collect(1)
