"""Line numbers from raw TOML text: headers and keys, ignoring strings and comments."""

from __future__ import annotations

import re
import tomllib
from pathlib import Path

from hypothesis import given, settings
from hypothesis import strategies as st

from trainer.bank import load_bank
from trainer.bank.codes import code_of
from trainer.bank.lines import LineIndex, _starts_outside_strings

TEXT = '''# [[questions]] in a comment, and three quotes: """
[bank]
id = "x \'\'\' three single quotes in a basic string"

[[ questions ]]
id = "q1"
stem = """A stem that quotes TOML:
[[questions]]
id = "fake"
with an escaped \\""" inside"""
"explanation" = 'a literal with [brackets]'

[[questions.options]]
text = "a"

[[questions.options]]
text = "b"

[[questions]]
id = "q2"
stem = \'\'\'literal
[[questions]]
\'\'\'
explanation = "e"
'''


def test_headers_and_keys_skip_strings_and_comments() -> None:
    data = tomllib.loads(TEXT)
    assert [q["id"] for q in data["questions"]] == ["q1", "q2"]  # the text is valid TOML
    index = LineIndex.scan(TEXT)
    assert index.table("bank") == 2
    assert index.array_item("questions", 0) == 5
    assert index.array_item("questions", 1) == 19
    assert index.array_item("questions", 2) is None
    assert index.key(5, "id") == 6
    assert index.key(5, "stem") == 7
    assert index.key(5, "explanation") == 11  # a quoted key
    assert index.key(19, "explanation") == 24
    assert index.key(19, "missing") == 19  # falls back to the block
    assert index.sub_item(5, "questions.options", 0) == 13
    assert index.sub_item(5, "questions.options", 1) == 16
    assert index.sub_item(19, "questions.options", 0) is None
    assert index.key(16, "text") == 17


def test_problem_lines_in_a_bank_with_tricky_strings(mini_bank_path: Path, tmp_path: Path) -> None:
    # a stem holding header-like and key-like lines must not shift the lines of later questions
    text = mini_bank_path.read_text().replace(
        'stem = "Temporary numbness after thermal rhizotomy usually resolves over time."',
        'stem = """Temporary numbness after thermal rhizotomy usually resolves over time.\n'
        '[[questions]]\nid = "not-a-question"\n"""',
    )
    text = text.replace(
        'answer = true\nexplanation = "The source', 'answer = "yes"\nexplanation = "The source'
    )
    path = tmp_path / "bank.toml"
    path.write_text(text)
    _, problems = load_bank(path)
    assert [(code_of(p), p.id, p.field) for p in problems] == [
        ("wrong-type", "mini-q-true-false", "answer")
    ]
    line = problems[0].line
    assert line is not None
    assert text.splitlines()[line - 1] == 'answer = "yes"'


CONTINUED = '''[bank]
id = "x"

[[questions]]
id = "q1"
stem = """A stem continued \\
on the next line"""

[[questions]]
id = "q2"
stem = """
[[questions]]
"""
explanation = "e"
'''


def test_a_line_ending_backslash_does_not_shift_later_lines() -> None:
    data = tomllib.loads(CONTINUED)
    assert [q["id"] for q in data["questions"]] == ["q1", "q2"]
    lines = CONTINUED.splitlines()
    index = LineIndex.scan(CONTINUED)
    q2 = index.array_item("questions", 1)
    assert q2 is not None and lines[q2 - 1] == "[[questions]]" and q2 == 9
    assert index.array_item("questions", 2) is None  # the header inside q2's stem is text
    assert lines[index.key(q2, "stem") - 1].startswith("stem =")
    assert lines[index.key(q2, "explanation") - 1] == 'explanation = "e"'


# The scanner as first written: one character at a time, every query a walk over the whole file.
# The fast scanner and its lookup tables must give exactly the same answers.


def _reference_starts(text: str) -> list[bool]:
    starts = [True, True]
    i, n = 0, len(text)
    state = ""
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
            i += 1 if text.startswith("\n", i + 1) else 2
            continue
        elif state == '"':
            if c == '"':
                state = ""
        elif state == "'":
            if c == "'":
                state = ""
        elif len(state) == 3 and text.startswith(state, i):
            j = i + 3
            while j < n and j < i + 5 and text[j] == state[0]:
                j += 1
            state = ""
            i = j
            continue
        i += 1
    return starts


_REF_HEADER = re.compile(r"\s*(\[\[?)([^\[\]]*)\]")
_REF_KEY = re.compile(r"""\s*(?:"([^"\\]*)"|'([^']*)'|([A-Za-z0-9_-]+))\s*[=.]""")


def _reference_scan(text: str) -> tuple[list[tuple[int, bool, str]], list[tuple[int, str]], int]:
    headers: list[tuple[int, bool, str]] = []
    keys: list[tuple[int, str]] = []
    lines = text.split("\n")
    starts = _reference_starts(text)
    for number, line in enumerate(lines, start=1):
        if number >= len(starts) or not starts[number]:
            continue
        h = _REF_HEADER.match(line)
        if h:
            name = ".".join(p.strip().strip("\"'") for p in h.group(2).split("."))
            headers.append((number, h.group(1) == "[[", name))
            continue
        k = _REF_KEY.match(line)
        if k:
            keys.append((number, next(g for g in k.groups() if g is not None)))
    return headers, keys, max(1, len(lines))


def _reference_key(
    headers: list[tuple[int, bool, str]],
    keys: list[tuple[int, str]],
    last: int,
    block: int,
    key: str,
) -> int:
    end = next((n for n, _, _ in headers if n > block), last + 1)
    return next((n for n, k in keys if block < n < end and k == key), block)


def _reference_sub_item(
    headers: list[tuple[int, bool, str]], parent_line: int, name: str, index: int
) -> int | None:
    parent = next((h for n, _, h in headers if n == parent_line), None)
    found: list[int] = []
    for number, is_array, h in headers:
        if number <= parent_line:
            continue
        if is_array and h == parent:
            break
        if is_array and h == name:
            found.append(number)
    return found[index] if 0 <= index < len(found) else None


_PIECES = st.sampled_from(
    [
        '"',
        "'",
        '"""',
        "'''",
        "#",
        "\\",
        "\n",
        "\n",
        "\r\n",
        " ",
        "\t",
        "[",
        "]",
        "[[q]]",
        "[[q.o]]",
        "[t]",
        "[ 'a' . b ]",
        "=",
        ".",
        "k = ",
        '"k" = ',
        "x",
        "\\n",
    ]
)


@settings(max_examples=300, deadline=None)
@given(st.lists(_PIECES, max_size=60).map("".join))
def test_the_fast_scan_agrees_with_the_character_scanner(text: str) -> None:
    headers, keys, last = _reference_scan(text)
    index = LineIndex.scan(text)  # its keys come from the lazy key pass, on the first query
    assert _starts_outside_strings(text) == _reference_starts(text)
    eager = LineIndex.scan(text).with_keys()
    assert (index.headers, eager.keys, index.last_line) == (headers, keys, last)
    names = {h for _, _, h in headers} | {"q", "q.o", "missing"}
    for name in names:
        tables = [n for n, is_array, h in headers if not is_array and h == name]
        assert index.table(name) == (tables[0] if tables else None)
        arrays = [n for n, is_array, h in headers if is_array and h == name]
        for i in range(-1, len(arrays) + 1):
            assert index.array_item(name, i) == (arrays[i] if 0 <= i < len(arrays) else None)
    key_names = {k for _, k in keys} | {"missing"}
    for block in range(1, last + 2):
        for key in key_names:
            assert index.key(block, key) == _reference_key(headers, keys, last, block, key)
        for name in names:
            for i in range(3):
                assert index.sub_item(block, name, i) == _reference_sub_item(
                    headers, block, name, i
                )
    first = headers[0][0] if headers else last + 1
    for key in key_names:
        assert index.top_key(key) == next((n for n, k in keys if n < first and k == key), None)
    assert index.key(None, "k") is None and index.sub_item(None, "q", 0) is None


def test_the_scanner_agrees_on_the_bundled_and_test_banks(data_dir: Path) -> None:
    files = sorted(data_dir.rglob("*.toml")) + sorted(
        (Path(__file__).resolve().parents[2] / "questions").rglob("*.toml")
    )
    assert len(files) > 10
    for file in files:
        text = file.read_bytes().decode("utf-8", errors="replace")
        index = LineIndex.scan(text).with_keys()
        assert (index.headers, index.keys, index.last_line) == _reference_scan(text), file
