"""Widgets of the trainer UI, one per file."""
