"""Item-writing warnings, after the NBME item-writing guide.

Thresholds (documented here, tested in tests/unit/test_bank_lint.py):

- ``long-key``: a correct option longer than LONG_KEY_RATIO times the longest distractor, and at
  least LONG_KEY_MIN_CHARS characters long (short options differ in length by chance).
- ``key-balance``: over the active single-best-answer questions, one letter holds more than
  KEY_SHARE_MAX of the keys (checked from KEY_SHARE_MIN_QUESTIONS questions), or one of A-D is never
  the key (checked from KEY_NEVER_MIN_QUESTIONS questions).
- ``absolute-term``: a word of ABSOLUTE_TERMS (whole word, any case) in an option.
- ``negative-lead-in``: NOT, EXCEPT or LEAST in capitals anywhere in a stem, or "not", "except",
  "least" in the lead-in (the closing question) of a single or multiple question.
- ``open-lead-in``: a single question whose stem does not end with "?".

Retired questions are not linted. A question may accept a warning with ``lint_ignore``.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Callable, Mapping

from trainer.bank.answers import LETTERS, is_forbidden_option
from trainer.bank.fields import Block, Sink
from trainer.bank.files import Document
from trainer.bank.header import Header
from trainer.bank.models import Bank, Question

LONG_KEY_RATIO = 1.5
LONG_KEY_MIN_CHARS = 40
KEY_SHARE_MAX = 0.40
KEY_SHARE_MIN_QUESTIONS = 5
KEY_NEVER_MIN_QUESTIONS = 10
ABSOLUTE_TERMS = (
    "always",
    "never",
    "all",
    "none",
    "every",
    "only",
    "completely",
    "entirely",
    "absolutely",
    "guaranteed",
    "guarantees",
    "invariably",
    "impossible",
)
_ABSOLUTE = re.compile(r"\b(" + "|".join(ABSOLUTE_TERMS) + r")\b", re.IGNORECASE)
_NEGATIVE_CAPS = re.compile(r"\b(NOT|EXCEPT|LEAST)\b")
_NEGATIVE_WORD = re.compile(r"\b(not|except|least)\b", re.IGNORECASE)
_SENTENCE_END = re.compile(r"(?<=[.!?])\s+")

Warn = Callable[[str, str, str], None]


def lead_in(stem: str) -> str:
    """The closing question of a stem: its last sentence ending in '?', else its last sentence."""
    sentences = [s.strip() for s in _SENTENCE_END.split(stem.strip()) if s.strip()]
    questions = [s for s in sentences if s.endswith("?")]
    if questions:
        return questions[-1]
    return sentences[-1] if sentences else ""


def lint_bank(bank: Bank, header: Header, docs: Mapping[str, Document], sink: Sink) -> None:
    for q in bank.active_questions:
        if q.path in docs:
            lint_question(q, Block(sink, q.path, docs[q.path].lines, q.line, id=q.id))
    _key_balance(bank, header, docs, sink)


def lint_question(q: Question, block: Block) -> None:
    ignore = set(q.lint_ignore)

    def warn(code: str, key: str, message: str) -> None:
        if code not in ignore:
            block.warning(code, key, message)

    if q.type in ("single", "multiple") and q.options:
        _long_key(q, warn)
        for i, option in enumerate(q.options):
            if is_forbidden_option(option.text):
                continue  # already an error
            terms = sorted({m.group(1).lower() for m in _ABSOLUTE.finditer(option.text)})
            if terms:
                warn(
                    "absolute-term",
                    "options",
                    f"option {LETTERS[i]} uses the absolute term(s) {', '.join(terms)}: "
                    "test-wise candidates rule such options out",
                )
    caps = sorted(set(_NEGATIVE_CAPS.findall(q.stem)))
    if not caps and q.type in ("single", "multiple"):
        caps = sorted({w.lower() for w in _NEGATIVE_WORD.findall(lead_in(q.stem))})
    if caps:
        warn(
            "negative-lead-in",
            "stem",
            f"negative lead-in ({', '.join(caps)}): ask for the best answer, not the exception",
        )
    if q.type == "single" and q.stem.strip() and not q.stem.rstrip().endswith("?"):
        warn(
            "open-lead-in",
            "stem",
            "the stem should end with a closed question (a lead-in ending in '?')",
        )


def _long_key(q: Question, warn: Warn) -> None:
    distractors = [len(o.text.strip()) for o in q.options if not o.correct]
    if not distractors:
        return
    longest = max(distractors)
    for i, option in enumerate(q.options):
        size = len(option.text.strip())
        if option.correct and size >= LONG_KEY_MIN_CHARS and size > LONG_KEY_RATIO * longest:
            warn(
                "long-key",
                "options",
                f"correct option {LETTERS[i]} is {size} characters, more than "
                f"{LONG_KEY_RATIO}x the longest distractor ({longest}): length gives the key away",
            )


def _key_balance(bank: Bank, header: Header, docs: Mapping[str, Document], sink: Sink) -> None:
    keys = [
        q.correct_indexes[0]
        for q in bank.active_questions
        if q.type == "single" and len(q.correct_indexes) == 1
    ]
    n = len(keys)
    if n < KEY_SHARE_MIN_QUESTIONS:
        return
    counts = Counter(keys)
    lines = docs[header.path].lines if header.path in docs else None
    line = lines.key(header.line, "id") if lines else None
    where = header.path or bank.root

    def warn(message: str) -> None:
        sink.add(
            "warning", "key-balance", message, path=where, line=line, id=bank.id, field="options"
        )

    spread = ", ".join(f"{LETTERS[i]} {counts[i]}" for i in sorted(counts))
    for index, count in sorted(counts.items()):
        if count / n > KEY_SHARE_MAX:
            warn(
                f"option {LETTERS[index]} is the key of {count} of {n} single questions "
                f"(more than {KEY_SHARE_MAX:.0%}; keys: {spread}): vary the key position"
            )
    if n >= KEY_NEVER_MIN_QUESTIONS:
        never = [LETTERS[i] for i in range(4) if counts[i] == 0]
        if never:
            warn(
                f"option {', '.join(never)} is never the key of the {n} single questions "
                f"(keys: {spread}): vary the key position"
            )
