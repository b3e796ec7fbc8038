"""Line numbers for TOML content.

tomllib gives no positions, so this scans the raw text: it finds table headers
(``[bank]``, ``[[questions]]``, ``[[questions.options]]``...) and, only when a problem needs a
key's line, ``key =`` lines, skipping anything inside strings and comments. The k-th
``[[questions]]`` header is the k-th element of the parsed ``questions`` array, so a block's lines
can be found from its index.

The scan is a few passes at C speed, not a Python loop per character: str.find locates the
lines that hold three quotes (only a multi-line string can make a line start inside a string, and
only those lines are tokenised), then one regular expression finds every header and key line. It
builds lookup tables, so that each query is a dictionary look-up or a short walk over one block,
never a walk over the whole file.
"""

from __future__ import annotations

import re
from bisect import bisect_right
from dataclasses import dataclass, field

# The header or ``key =`` at the start of a line, matched on the whole text after a line break
# (the text is given a leading one), so no part may cross a line break: ``[^\S\n]`` is white space
# other than a line break. Headers are tried before keys.
_HEADER_OR_KEY = re.compile(
    r"\n[^\S\n]*(?:(\[\[?)([^\[\]\n]*)\]"
    r"""|(?:"([^"\\\n]*)"|'([^'\n]*)'|([A-Za-z0-9_-]+))[^\S\n]*[=.])"""
)

# A header alone (the scan's eager pass: keys are found only when a key's line is asked for).
_HEADER = re.compile(r"\n[^\S\n]*(\[\[?)([^\[\]\n]*)\]")

# Outside strings: the next multi-line string opening, whole one-line string or comment, or an
# opening quote whose string does not close on its line (the scanner then follows it).
_PLAIN = re.compile(r"""\"\"\"|'''|"[^"\\\n]*(?:\\[^\n][^"\\\n]*)*"|'[^'\n]*'|#[^\n]*|["']""")
# Inside a string that is still open: what escapes or ends it.
_INSIDE = {
    '"': re.compile(r'[\\"\n]'),
    "'": re.compile(r"['\n]"),
    '"""': re.compile(r'\\|"""'),
    "'''": re.compile(r"'''"),
}


def _header_name(raw: str) -> str:
    parts = [p.strip().strip("\"'") for p in raw.split(".")]
    return ".".join(parts)


def _next_triple(text: str, start: int) -> int:
    """The offset of the next three quotes of either kind from start, or -1."""
    found = [k for k in (text.find('"""', start), text.find("'''", start)) if k >= 0]
    return min(found) if found else -1


def _multiline_spans(text: str) -> list[tuple[int, int]]:
    """The (start, end) offsets of the inside of each multi-line string (to the end if unclosed).

    Every line starts outside any string unless a multi-line string spans it, so the scanner jumps
    to the line of the next three quotes and reads only the lines from there to where the string
    they open (if they open one) ends. Comments and one-line strings are skipped whole; a one-line
    basic string honours escapes; a multi-line basic string honours escapes except a line-ending
    backslash, which escapes nothing here; the closing quotes of a multi-line string take up to
    two more quotes with them.
    """
    spans: list[tuple[int, int]] = []
    n = len(text)
    i = 0  # always a place outside any string or comment
    while True:
        k = _next_triple(text, i)
        if k < 0:
            return spans
        i = max(i, text.rfind("\n", 0, k) + 1)
        while True:  # read tokens until the line ends outside a string
            line_end = text.find("\n", i)
            m = _PLAIN.search(text, i, n if line_end < 0 else line_end)
            if m is None:
                i = n if line_end < 0 else line_end + 1
                break
            token = m.group()
            if token not in _INSIDE:
                i = m.end()  # a whole one-line string or a comment
                continue
            inside = _INSIDE[token].search
            j = m.end()
            while True:  # follow the open string to its end
                e = inside(text, j)
                if e is None:
                    if len(token) == 3:
                        spans.append((m.end(), n))
                    return spans
                if e.group() == "\\":
                    j = e.start() + (1 if text.startswith("\n", e.start() + 1) else 2)
                    continue
                break
            if len(token) == 3:
                spans.append((m.end(), e.start()))
                j = e.end()
                while j < n and j < e.end() + 2 and text[j] == token[0]:
                    j += 1
                i = j
            elif e.group() == "\n":  # a one-line string left open ends with its line
                i = e.end()
                break
            else:
                i = e.end()


def _starts_outside_strings(text: str) -> list[bool]:
    """For each line (1-based, index 0 unused), whether it starts outside a multi-line string."""
    starts = [True] * (text.count("\n") + 2)
    line, at = 1, 0  # the line number of offset ``at``
    for start, end in _multiline_spans(text):
        line += text.count("\n", at, start)
        inside = text.count("\n", start, end)
        starts[line + 1 : line + 1 + inside] = [False] * inside
        line, at = line + inside, end
    return starts


@dataclass
class LineIndex:
    """Where headers and keys are in one file's text."""

    headers: list[tuple[int, bool, str]] = field(default_factory=list)  # (line, is_array, name)
    keys: list[tuple[int, str]] = field(default_factory=list)  # (line, key)
    last_line: int = 1
    # lookup tables, filled by _build (scan calls it; an index built by hand builds them lazily)
    _header_lines: list[int] = field(default_factory=list, repr=False, compare=False)
    _key_lines: list[int] = field(default_factory=list, repr=False, compare=False)
    _tables: dict[str, int] = field(default_factory=dict, repr=False, compare=False)
    _arrays: dict[str, list[int]] = field(default_factory=dict, repr=False, compare=False)
    _name_at: dict[int, str] = field(default_factory=dict, repr=False, compare=False)
    _block_keys: dict[int, dict[str, int]] = field(default_factory=dict, repr=False, compare=False)
    _subs: dict[tuple[int, str], list[int]] = field(default_factory=dict, repr=False, compare=False)
    _top_keys: dict[str, int] | None = field(default=None, repr=False, compare=False)
    _built: tuple[int, int] = field(default=(-1, -1), repr=False, compare=False)
    # what the key pass still needs (the text with a leading line break, the line starts)
    _pending: tuple[str, list[bool]] | None = field(default=None, repr=False, compare=False)

    @classmethod
    def scan(cls, text: str) -> LineIndex:
        """Headers now; ``key =`` lines on the first query that needs them (a problem's line),
        which a clean bank never makes."""
        index = cls()
        index.last_line = text.count("\n") + 1
        starts = _starts_outside_strings(text)
        headers = index.headers
        text = "\n" + text
        line, at = 0, 0  # line: the number of the line after the line break at offset ``at - 1``
        for m in _HEADER.finditer(text):
            line += text.count("\n", at, m.start() + 1)
            at = m.start() + 1
            if starts[line]:
                headers.append((line, m.group(1) == "[[", _header_name(m.group(2))))
        index._pending = (text, starts)
        index._build()
        return index

    def with_keys(self) -> LineIndex:
        """This index with its ``keys`` list complete (the key pass run now); returns self."""
        self._scan_keys()
        return self

    def _scan_keys(self) -> None:
        """The key pass of ``scan``: every ``key =`` line outside strings, in order."""
        if self._pending is None:
            return
        text, starts = self._pending
        self._pending = None
        keys = self.keys
        line, at = 0, 0
        for m in _HEADER_OR_KEY.finditer(text):
            line += text.count("\n", at, m.start() + 1)
            at = m.start() + 1
            if starts[line] and not m.group(1):
                keys.append((line, m.group(3) or m.group(4) or m.group(5) or ""))

    def _build(self) -> None:
        """(Re)build the lookup tables when headers or keys changed since the last build."""
        if self._built == (len(self.headers), len(self.keys)):
            return
        self._header_lines = [number for number, _, _ in self.headers]
        self._key_lines = [number for number, _ in self.keys]
        self._tables = {}
        self._arrays = {}
        self._name_at = {}
        for number, is_array, name in self.headers:
            self._name_at.setdefault(number, name)
            if is_array:
                self._arrays.setdefault(name, []).append(number)
            else:
                self._tables.setdefault(name, number)
        self._block_keys = {}
        self._subs = {}
        self._top_keys = None
        self._built = (len(self.headers), len(self.keys))

    def _next_header_after(self, line: int) -> int:
        self._build()
        i = bisect_right(self._header_lines, line)
        return self._header_lines[i] if i < len(self._header_lines) else self.last_line + 1

    def table(self, name: str) -> int | None:
        """The line of ``[name]``."""
        self._build()
        return self._tables.get(name)

    def array_item(self, name: str, index: int) -> int | None:
        """The line of the index-th (0-based) ``[[name]]`` header."""
        self._build()
        found = self._arrays.get(name, ())
        return found[index] if 0 <= index < len(found) else None

    def sub_item(self, parent_line: int | None, name: str, index: int) -> int | None:
        """The index-th ``[[name]]`` header after parent_line, before the parent's next sibling."""
        if parent_line is None:
            return None
        self._build()
        found = self._subs.get((parent_line, name))
        if found is None:
            parent = self._name_at.get(parent_line)
            found = []
            headers = self.headers
            for i in range(bisect_right(self._header_lines, parent_line), len(headers)):
                number, is_array, h = headers[i]
                if is_array and h == parent:
                    break
                if is_array and h == name:
                    found.append(number)
            self._subs[(parent_line, name)] = found
        return found[index] if 0 <= index < len(found) else None

    def key(self, block_line: int | None, key: str) -> int | None:
        """The line of ``key =`` in the block starting at block_line (the block's if absent)."""
        if block_line is None:
            return None
        self._scan_keys()
        self._build()
        found = self._block_keys.get(block_line)
        if found is None:
            end = self._next_header_after(block_line)
            found = {}
            first = bisect_right(self._key_lines, block_line)
            last = bisect_right(self._key_lines, end - 1)
            for number, k in self.keys[first:last]:
                found.setdefault(k, number)
            self._block_keys[block_line] = found
        return found.get(key, block_line)

    def top_key(self, key: str) -> int | None:
        """The line of a ``key =`` before the first header."""
        self._scan_keys()
        self._build()
        if self._top_keys is None:
            end = self.headers[0][0] if self.headers else self.last_line + 1
            self._top_keys = {}
            for number, k in self.keys:
                if number < end:
                    self._top_keys.setdefault(k, number)
        return self._top_keys.get(key)
