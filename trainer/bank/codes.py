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
    "retired-objective": "an active question cites a retired objective",
    "unknown-lint-code": "lint_ignore names a code that is not an ignorable warning",
    "unknown-question": "a cross-cue lint_ignore names an unknown question id",
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

# Warnings that one question may silence with lint_ignore = [{ code = "...", reason = "..." }]
# (cross-cue: for one pair, naming the other question with other = "id").
IGNORABLE: dict[str, str] = {
    "long-key": "a correct option much longer than the longest distractor",
    "absolute-term": "an absolute term (always, never, must, for good, ...) in an option",
    "hedged-key": "every distractor has an absolute term and the key has none",
    "keys-first": "a multiple-response item whose correct options all come before its wrong ones",
    "negative-lead-in": "a negative lead-in (NOT, EXCEPT, LEAST)",
    "open-lead-in": "a single-best-answer stem that does not end with a closed question ('?')",
    "unfocused-lead-in": "a single-best-answer lead-in that asks only which statement is true",
    "cloze-common-word": "a cloze blank whose only accepted answer is one common word",
    "cross-cue": "a question's text gives away the key of another question on the same objective",
}

WARNINGS: dict[str, str] = {
    **IGNORABLE,
    "key-balance": "key letters unbalanced among the single questions with one option count",
    "key-position": "every single question with one option count has its key on the same letter",
    "missing-kind": "a question without kind (application or recall)",
    "lint-ignore-reason": "a lint_ignore entry in the old string form, without a reason",
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
