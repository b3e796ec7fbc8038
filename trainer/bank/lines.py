"""Line numbers for TOML content.

tomllib gives no positions, so this scans the raw text once: it finds table headers
(``[bank]``, ``[[questions]]``, ``[[questions.options]]``...) and ``key =`` lines, skipping anything
inside strings and comments. The k-th ``[[questions]]`` header is the k-th element of the parsed
``questions`` array, so a block's lines can be found from its index.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

_HEADER = re.compile(r"\s*(\[\[?)([^\[\]]*)\]")
_KEY = re.compile(r"""\s*(?:"([^"\\]*)"|'([^']*)'|([A-Za-z0-9_-]+))\s*[=.]""")


def _header_name(raw: str) -> str:
    parts = [p.strip().strip("\"'") for p in raw.split(".")]
    return ".".join(parts)


def _starts_outside_strings(text: str) -> list[bool]:
    """For each line (1-based, index 0 unused), whether it starts outside a multi-line string."""
    starts = [True, True]
    i, n = 0, len(text)
    state = ""  # "", '"', "'", '"""', "'''", "#"
    while i < n:
        c = text[i]
        if c == "\n":
            if state in ('"', "'", "#"):
                state = ""
            starts.append(state == "")
            i += 1
            continue
        if state == "":
            if text.startswith('"""', i) or text.startswith("'''", i):
                state = text[i : i + 3]
                i += 3
                continue
            if c in "\"'#":
                state = c
        elif c == "\\" and state in ('"', '"""'):
            # an escape: skip the escaped character, but never a line break (a line-ending
            # backslash in a multi-line string), which must still be counted
            i += 1 if text.startswith("\n", i + 1) else 2
            continue
        elif state == '"':
            if c == '"':
                state = ""
        elif state == "'":
            if c == "'":
                state = ""
        elif len(state) == 3 and text.startswith(state, i):
            # the end of a multi-line string; up to two more quotes belong to it: """a"""""
            j = i + 3
            while j < n and j < i + 5 and text[j] == state[0]:
                j += 1
            state = ""
            i = j
            continue
        i += 1
    return starts


@dataclass
class LineIndex:
    """Where headers and keys are in one file's text."""

    headers: list[tuple[int, bool, str]] = field(default_factory=list)  # (line, is_array, name)
    keys: list[tuple[int, str]] = field(default_factory=list)  # (line, key)
    last_line: int = 1

    @classmethod
    def scan(cls, text: str) -> LineIndex:
        index = cls()
        lines = text.split("\n")
        index.last_line = max(1, len(lines))
        starts = _starts_outside_strings(text)
        for number, line in enumerate(lines, start=1):
            if number >= len(starts) or not starts[number]:
                continue
            h = _HEADER.match(line)
            if h:
                index.headers.append((number, h.group(1) == "[[", _header_name(h.group(2))))
                continue
            k = _KEY.match(line)
            if k:
                key = next(g for g in k.groups() if g is not None)
                index.keys.append((number, key))
        return index

    def _next_header_after(self, line: int) -> int:
        for number, _, _ in self.headers:
            if number > line:
                return number
        return self.last_line + 1

    def table(self, name: str) -> int | None:
        """The line of ``[name]``."""
        for number, is_array, h in self.headers:
            if not is_array and h == name:
                return number
        return None

    def array_item(self, name: str, index: int) -> int | None:
        """The line of the index-th (0-based) ``[[name]]`` header."""
        found = [number for number, is_array, h in self.headers if is_array and h == name]
        return found[index] if 0 <= index < len(found) else None

    def sub_item(self, parent_line: int | None, name: str, index: int) -> int | None:
        """The index-th ``[[name]]`` header after parent_line, before the parent's next sibling."""
        if parent_line is None:
            return None
        parent = next((h for n, _, h in self.headers if n == parent_line), None)
        found: list[int] = []
        for number, is_array, h in self.headers:
            if number <= parent_line:
                continue
            if is_array and h == parent:
                break
            if is_array and h == name:
                found.append(number)
        return found[index] if 0 <= index < len(found) else None

    def key(self, block_line: int | None, key: str) -> int | None:
        """The line of ``key =`` in the block starting at block_line (the block's if absent)."""
        if block_line is None:
            return None
        end = self._next_header_after(block_line)
        for number, k in self.keys:
            if block_line < number < end and k == key:
                return number
        return block_line

    def top_key(self, key: str) -> int | None:
        """The line of a ``key =`` before the first header."""
        end = self.headers[0][0] if self.headers else self.last_line + 1
        for number, k in self.keys:
            if number < end and k == key:
                return number
        return None
