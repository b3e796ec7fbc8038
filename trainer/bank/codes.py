"""Every kind of bank problem has a short code, shown at the end of its message as ``[code]``.

Codes are stable: tests, ``lint_ignore`` lists in the bank and JSON consumers match on them.
"""

from __future__ import annotations

import re

from trainer.bank.models import Problem

ERRORS: dict[str, str] = {
    "path-missing": "the bank path does not exist",
    "no-toml": "a bank folder holds no .toml file",
    "unreadable": "a file cannot be read",
    "file-too-large": "a file is larger than the loader accepts",
    "empty-file": "a file is empty or defines nothing",
    "binary-file": "a file is not UTF-8 text",
    "toml-syntax": "TOML syntax error",
    "toml-nesting": "TOML nested too deeply to read",
    "no-header": "no file holds the [bank] header",
    "extra-header": "more than one [bank] header",
    "unknown-key": "a key the format does not define",
    "missing-field": "a required field is absent",
    "wrong-type": "a field has the wrong TOML type",
    "bad-value": "a field has an invalid value (empty text, out of range, bad id)",
    "duplicate-id": "an objective or question id is used twice",
    "duplicate-key": "a source, reference or topic is defined twice",
    "unknown-type": "an unknown question type",
    "field-not-for-type": "a field that this question type does not use",
    "unknown-topic": "an objective's topic is not in [bank].topics",
    "unknown-source": "a citation names an unknown source document",
    "unknown-section": "a citation names an unknown section of a source",
    "unknown-reference": "a source section names a reference not in [references]",
    "unknown-objective": "a question cites an unknown objective",
    "unknown-lint-code": "lint_ignore names a code that is not an ignorable warning",
    "option-count": "wrong number of options for the question type",
    "correct-count": "wrong number of correct options for the question type",
    "duplicate-option": "two options with the same text",
    "all-none-above": 'an "all/none of the above" option',
    "combination-option": 'a combination option such as "A and C"',
    "step-count": "wrong number of order steps",
    "duplicate-step": "two order steps with the same text",
    "cloze-no-blank": "a cloze stem with no {{blank}}",
    "cloze-empty-blank": "a cloze blank with no answer",
    "cloze-unclosed": "a cloze stem with an unmatched {{ or }}",
    "control-char": "a control, bidi-override or invisible character in bank text or a file name",
    "over-limit": "a text, list, cloze, bank or file count over a limit (questions/README.md)",
}

# Warnings that one question may silence with lint_ignore = ["code", ...].
IGNORABLE: dict[str, str] = {
    "long-key": "a correct option much longer than the longest distractor",
    "absolute-term": "an absolute term (always, never, all, none, ...) in an option",
    "negative-lead-in": "a negative lead-in (NOT, EXCEPT, LEAST)",
    "open-lead-in": "a single-best-answer stem that does not end with a closed question ('?')",
}

WARNINGS: dict[str, str] = {
    **IGNORABLE,
    "key-balance": "correct-answer positions unbalanced across single-best-answer questions",
    "thin-objective": "an objective with fewer than two active questions",
    "one-type": "an objective whose questions are all of one type",
    "uncited-section": "a section of a must_cover source that no objective cites",
    "empty-topic": "a topic with no active questions",
}

_CODE_AT_END = re.compile(r"\[([a-z0-9-]+)\]$")


def code_of(problem: Problem) -> str:
    """The code of a problem made by ``fields.Sink.add`` ('' for any other)."""
    m = _CODE_AT_END.search(problem.message)
    return m.group(1) if m else ""
