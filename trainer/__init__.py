"""trainer: a clinical training quiz and spaced-repetition app.

The study engine (bank, engine, export) is plain Python; only ``trainer.tui`` imports Textual.
"""

__version__ = "0.1.0"
