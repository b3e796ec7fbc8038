"""Text from a bank, a path or a user is data: what it may hold, and how it is shown safely.

A terminal acts on control characters: ESC starts sequences that set the window title, write the
clipboard (OSC 52), draw links or clear the screen, and C1 characters (U+0080-U+009F) do the same
on some terminals. Bidi overrides and isolates reorder what is shown, so a reader sees text that
is not there (the "Trojan Source" trick), and zero-width characters make two different strings
look the same. None of them has any use in a question bank.

- ``forbidden(text)`` finds the first such character: ``trainer check`` reports it as an error.
- ``visible(text)`` writes each one as a ``\\uXXXX`` escape, which a terminal shows as plain
  characters; it is applied wherever text leaves for a terminal (the CLI's streams, problems,
  the UI's plain-text helper). Newlines and tabs are kept unless ``one_line`` is set. The escape
  is also a valid JSON escape, so JSON output stays valid after it.

Allowed, because real text needs them: tab and newline, right-to-left letters (Arabic, Hebrew),
the directional marks LRM/RLM/ALM (U+200E, U+200F, U+061C), and the joiners ZWJ/ZWNJ (U+200D,
U+200C: emoji and several scripts). Lone surrogates cannot come from TOML (tomllib refuses them)
but can come from a file name that is not UTF-8 (``surrogateescape``): they are escaped too, so
that encoding the text never fails.
"""

from __future__ import annotations

import re

# C0 controls except tab and newline, DEL and the C1 controls; bidi embeddings, overrides and
# isolates; line and paragraph separators; invisible zero-width characters (ZWSP, word joiner,
# invisible operators, BOM, Mongolian vowel separator); lone surrogates.
_FORBIDDEN = (
    "\x00-\x08\x0b-\x1f\x7f-\x9f"
    "\u202a-\u202e\u2066-\u2069"
    "\u2028\u2029"
    "\u200b\u2060-\u2064\ufeff\u180e"
    "\ud800-\udfff"
)
FORBIDDEN = re.compile(f"[{_FORBIDDEN}]")
_FORBIDDEN_OR_NEWLINE = re.compile(f"[{_FORBIDDEN}\n\t]")

_NAMES = {
    "\x1b": "escape (ESC)",
    "\x07": "bell (BEL)",
    "\r": "carriage return",
    "\x00": "NUL",
    "\x7f": "delete (DEL)",
    "\u202e": "right-to-left override",
    "\u202d": "left-to-right override",
    "\u200b": "zero-width space",
    "\ufeff": "zero-width no-break space (BOM)",
    "\u2028": "line separator",
    "\u2029": "paragraph separator",
}


def _escape(m: re.Match[str]) -> str:
    return f"\\u{ord(m.group()):04x}"


def visible(text: str, *, one_line: bool = False) -> str:
    """``text`` with every forbidden character (and, if ``one_line``, newline and tab) escaped."""
    pattern = _FORBIDDEN_OR_NEWLINE if one_line else FORBIDDEN
    if pattern.search(text) is None:  # the usual case: no copy
        return text
    return pattern.sub(_escape, text)


def forbidden(text: str) -> str | None:
    """The first forbidden character in ``text``, or None."""
    m = FORBIDDEN.search(text)
    return m.group() if m else None


def file_kind(mode: int) -> str:
    """What a file that is neither a regular file nor a folder is: 'a FIFO (named pipe)'..."""
    import stat

    if stat.S_ISFIFO(mode):
        return "a FIFO (named pipe)"
    if stat.S_ISSOCK(mode):
        return "a socket"
    if stat.S_ISCHR(mode) or stat.S_ISBLK(mode):
        return "a device"
    return "not a regular file"


def describe(char: str) -> str:
    """'U+001B escape (ESC)': how a problem names a forbidden character."""
    code = ord(char)
    if code < 0x20 or code == 0x7F:
        kind = "a control character"
    elif 0x80 <= code <= 0x9F:
        kind = "a C1 control character"
    elif 0xD800 <= code <= 0xDFFF:
        kind = "a lone surrogate"
    elif char in "\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069":
        kind = "a bidi control"
    elif char in "\u2028\u2029":
        kind = "a line separator"
    else:
        kind = "an invisible character"
    name = _NAMES.get(char)
    if name is None or kind.endswith(name):
        return f"U+{code:04X} ({kind})"
    return f"U+{code:04X} ({name}, {kind})"
