"""Sessions: what a study, practice or exam session does, as plain Python (no Textual).

A session owns its queue, the question on screen and the order its options are shown in, grading
(through the engine), what is recorded and when, progress, undo and the end summary. It keeps its
state in the database as it goes (the ``sessions`` table, one per kind), so that ``resume()``
finds it after a quit, a crash or a power cut. The TUI's screens are views: they render a
session's state and send it the trainee's input, and run its methods off the UI thread.

- deck.py: StudySession and PracticeSession (answer recorded when graded, then rated)
- exam.py: ExamSession (answers kept with the session; submit writes everything at once)
- order.py: option_order (shuffled per card and showing, seeded; ``shuffle = false`` keeps it)
- base.py: shared records (Marking, Summary, Progress, Undone) and the saved-state format
"""

from __future__ import annotations

from trainer.sessions.base import KINDS, Kind, Marking, Progress, SessionStateError, Summary, Undone
from trainer.sessions.deck import DeckSession, DeckView, PracticeSession, StudySession
from trainer.sessions.exam import ExamAnswer, ExamOutcome, ExamSession, Kept
from trainer.sessions.order import option_order

__all__ = [
    "KINDS",
    "DeckSession",
    "DeckView",
    "ExamAnswer",
    "ExamOutcome",
    "ExamSession",
    "Kept",
    "Kind",
    "Marking",
    "PracticeSession",
    "Progress",
    "SessionStateError",
    "StudySession",
    "Summary",
    "Undone",
    "option_order",
]
