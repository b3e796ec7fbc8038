"""Anki export: ``export_bank`` writes a bank to an .apkg (genanki is imported only as it runs)."""

from trainer.export.anki import ExportSummary, export_bank
from trainer.export.errors import ExportError

__all__ = ["ExportError", "ExportSummary", "export_bank"]
