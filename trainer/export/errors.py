"""The one error an export raises for anything the user can fix (filter, target, bank)."""


class ExportError(Exception):
    """Something that stops an export, with a message meant for the user."""
