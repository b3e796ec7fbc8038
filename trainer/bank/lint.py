"""Item-writing warnings, after the NBME item-writing guide.

Thresholds (documented in questions/README.md, tested in tests/unit/test_bank_lint.py and
tests/unit/test_bank_warnings.py):

- ``long-key``: a correct option longer than LONG_KEY_RATIO times the longest distractor, and at
  least LONG_KEY_MIN_CHARS characters long (short options differ in length by chance).
- ``key-position``: the active single questions with one option count (at least
  KEY_POSITION_MIN_QUESTIONS of them) all have their key on the same letter.
- ``key-balance``: among the active single questions with one option count, one letter holds more
  than KEY_SHARE_MAX of the keys (checked from KEY_SHARE_MIN_QUESTIONS questions), or one letter is
  never the key (checked from KEY_NEVER_PER_LETTER questions per option letter).
- ``absolute-term``: a term of ABSOLUTE_TERMS (whole words, any case) in an option.
- ``hedged-key``: a single or multiple question with at least two distractors, each with an
  absolute term, while no correct option has one.
- ``keys-first``: a multiple question whose correct options all come before its wrong ones.
- ``negative-lead-in``: NOT, EXCEPT or LEAST in capitals anywhere in a stem, or "not", "except",
  "least" in the lead-in (the closing question) of a single or multiple question.
- ``open-lead-in``: a single question whose stem does not end with "?".
- ``unfocused-lead-in``: a single question whose lead-in only asks which statement (answer, reply,
  option, one "of the following") is true, correct, accurate or appropriate (UNFOCUSED).
- ``cloze-common-word``: a cloze blank whose only answer is one word of words.COMMON_WORDS.
- ``missing-kind``: a question without ``kind``.
- ``cross-cue``: see trainer.bank.cues.

Retired questions are not linted. A question may accept a warning with ``lint_ignore``.
"""

from __future__ import annotations

import math
import re
from collections import Counter, defaultdict
from collections.abc import Callable, Mapping

from trainer.bank.answers import is_forbidden_option
from trainer.bank.cues import lint_cues
from trainer.bank.fields import Block, Sink
from trainer.bank.files import Document
from trainer.bank.header import Header
from trainer.bank.models import LETTERS, Bank, Question
from trainer.bank.words import is_common_word

LONG_KEY_RATIO = 1.5
LONG_KEY_MIN_CHARS = 40
KEY_SHARE_MAX = 0.40
KEY_SHARE_MIN_QUESTIONS = 5
KEY_NEVER_PER_LETTER = 2.5  # 10 four-option or 13 five-option questions
KEY_POSITION_MIN_QUESTIONS = 3
HEDGED_MIN_DISTRACTORS = 2
# Whole words or phrases, any case; "same ... each": "same", then "each" later in the clause.
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
    "for good",
    "fixed",
    "no need",
    "no chance",
    "cannot",
    "can't",
    "must",
    "alone",
    "agree",
    "agrees",
    "agreed",
    "same ... each",
    "no risk",
    "no longer",
    "nothing",
    "whoever",
    "whatever",
)


def _term_pattern(term: str) -> str:
    if term == "same ... each":
        return r"same\b[^.;:]*?\beach"
    if term == "for good":  # "gone for good", not "for good pain relief"
        return r"for\s+good(?=\s*(?:[.,;:!?)]|$|\s+(?:and|or|but|after|once|so)\b))"
    return r"\s+".join(re.escape(w) for w in term.split())


_ABSOLUTE = re.compile(
    r"(?<![\w'])(" + "|".join(f"(?:{_term_pattern(t)})" for t in ABSOLUTE_TERMS) + r")(?![\w'])",
    re.IGNORECASE,
)
_NEGATIVE_CAPS = re.compile(r"\b(NOT|EXCEPT|LEAST)\b")
_NEGATIVE_WORD = re.compile(r"\b(not|except|least)\b", re.IGNORECASE)
_SENTENCE_END = re.compile(r"(?<=[.!?])\s+")
# "Which statement is most accurate?", "Which of the following is true?", "Which is correct?",
# "Under ASRA guidance, which statement about a repeat ablation is most accurate?"
UNFOCUSED = re.compile(
    r"\bwhich\s+"
    r"(?:(?:one\s+)?of\s+(?:the\s+following|these|those|the\s+options)(?:\s+statements?)?"
    r"|(?:statement|reply|answer|option|choice|one)s?(?:\s+(?:about|on|regarding|of)\s+[^?]*?)?"
    r"|)\s*"
    r"(?:is|are)\s+(?:the\s+)?(?:most\s+|more\s+)?"
    r"(?:accurate|appropriate|correct|true|right|valid|best)\s*\?\s*$",
    re.IGNORECASE,
)


def absolute_terms(text: str) -> list[str]:
    """The absolute terms in a text, as listed in ABSOLUTE_TERMS, sorted."""
    found = set()
    for m in _ABSOLUTE.finditer(text):
        words = " ".join(m.group(1).lower().split())
        if words.startswith("same"):
            words = "same ... each"
        elif words.startswith("for"):
            words = "for good"
        found.add(words)
    return sorted(found)


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
    _key_positions(bank, header, docs, sink)
    lint_cues(bank, docs, sink)


def lint_question(q: Question, block: Block) -> None:
    ignore = set(q.lint_ignore)

    def warn(code: str, key: str, message: str) -> None:
        if code not in ignore:
            block.warning(code, key, message)

    if q.kind is None:
        block.warning(
            "missing-kind",
            "kind",
            'no kind: add kind = "application" (the trainee decides from clinical data) '
            'or kind = "recall" (a fact)',
        )
    if q.type in ("single", "multiple") and q.options:
        _long_key(q, warn)
        _absolutes(q, block, warn)
    if q.type == "multiple" and q.options:
        _keys_first(q, warn)
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
    if q.type == "single" and UNFOCUSED.search(lead_in(q.stem)):
        warn(
            "unfocused-lead-in",
            "stem",
            f"unfocused lead-in {lead_in(q.stem)!r}: ask the question the options answer "
            "(e.g. 'What is the most appropriate next step?'), so that it can be answered "
            "with the options covered",
        )
    if q.type == "cloze":
        for n, answers in enumerate(q.blanks, start=1):
            if len(answers) == 1 and is_common_word(answers[0]):
                warn(
                    "cloze-common-word",
                    "stem",
                    f"blank {n} accepts only {answers[0]!r}, a common word: a synonym or "
                    "another form of it would be marked wrong; add alternatives "
                    "({{a|b}}) or blank a more specific term",
                )


def _absolutes(q: Question, block: Block, warn: Warn) -> None:
    found: list[list[str]] = []
    for i, option in enumerate(q.options):
        if is_forbidden_option(option.text):
            found.append([])
            continue  # already an error
        terms = absolute_terms(option.text)
        found.append(terms)
        if terms:
            warn(
                "absolute-term",
                "options",
                f"option {LETTERS[i]} uses the absolute term(s) {', '.join(terms)}: "
                "test-wise candidates rule such options out",
            )
    wrong = [i for i, o in enumerate(q.options) if not o.correct]
    right = q.correct_indexes
    if (
        len(wrong) >= HEDGED_MIN_DISTRACTORS
        and right
        and all(found[i] for i in wrong)
        and not any(found[i] for i in right)
        and "hedged-key" not in set(q.lint_ignore)
    ):
        keys = ", ".join(LETTERS[i] for i in right)
        line = block.lines.sub_item(block.line, "questions.options", right[0])
        prefix = f"options[{right[0] + 1}]." if line else ""
        sub = Block(block.sink, block.path, block.lines, line or block.line, block.id, prefix)
        sub.warning(
            "hedged-key",
            "text" if line else "options",
            f"every distractor has an absolute term and the key ({keys}) has none: a test-wise "
            "candidate picks the only hedged option; write plausible distractors that are "
            "wrong on the facts, not overstated",
        )


def _keys_first(q: Question, warn: Warn) -> None:
    right = q.correct_indexes
    wrong = [i for i, o in enumerate(q.options) if not o.correct]
    if right and wrong and max(right) < min(wrong):
        warn(
            "keys-first",
            "options",
            f"the correct options ({', '.join(LETTERS[i] for i in right)}) all come before the "
            f"wrong ones ({', '.join(LETTERS[i] for i in wrong)}) in file order: interleave them",
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


def _key_positions(bank: Bank, header: Header, docs: Mapping[str, Document], sink: Sink) -> None:
    """key-position and key-balance, for each option count of the active single questions."""
    by_count: dict[int, list[Question]] = defaultdict(list)
    for q in bank.active_questions:
        if q.type == "single" and len(q.correct_indexes) == 1:
            by_count[len(q.options)].append(q)
    lines = docs[header.path].lines if header.path in docs else None
    line = lines.key(header.line, "id") if lines else None
    where = header.path or bank.root

    def warn(code: str, message: str) -> None:
        sink.add("warning", code, message, path=where, line=line, id=bank.id, field="options")

    for size, questions in sorted(by_count.items()):
        keys = [q.correct_indexes[0] for q in questions]
        n = len(keys)
        counts = Counter(keys)
        spread = ", ".join(f"{LETTERS[i]} {counts[i]}" for i in sorted(counts))
        what = f"{size}-option single questions"
        if n >= KEY_POSITION_MIN_QUESTIONS and len(counts) == 1:
            warn(
                "key-position",
                f"all {n} {what} have the key {LETTERS[keys[0]]} "
                f"({', '.join(q.id for q in questions)}): vary the key position",
            )
            continue
        if n >= KEY_SHARE_MIN_QUESTIONS:
            for index, count in sorted(counts.items()):
                if count / n > KEY_SHARE_MAX:
                    warn(
                        "key-balance",
                        f"option {LETTERS[index]} is the key of {count} of {n} {what} "
                        f"(more than {KEY_SHARE_MAX:.0%}; keys: {spread}): vary the key position",
                    )
        if n >= math.ceil(KEY_NEVER_PER_LETTER * size):
            never = [LETTERS[i] for i in range(size) if counts[i] == 0]
            if never:
                warn(
                    "key-balance",
                    f"option {', '.join(never)} is never the key of the {n} {what} "
                    f"(keys: {spread}): vary the key position",
                )
