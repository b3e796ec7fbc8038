"""Line numbers from raw TOML text: headers and keys, ignoring strings and comments."""

from __future__ import annotations

import tomllib
from pathlib import Path

from trainer.bank import load_bank
from trainer.bank.codes import code_of
from trainer.bank.lines import LineIndex

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
