"""Screens of the trainer UI, one per file."""
