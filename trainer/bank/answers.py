"""Answer shape of each question type: option counts, keys, steps, cloze blanks (all errors)."""

from __future__ import annotations

import re
import unicodedata
from typing import Any

from trainer.bank.fields import Block
from trainer.bank.limits import MAX_ALTERNATIVES, MAX_BLANKS
from trainer.bank.models import CLOZE_BLANK, Question, letter

OPTION_RANGE = {"single": (4, 5), "multiple": (4, 6)}
STEP_RANGE = (3, 7)

# "All of the above", "none of these"; "all (the) above" only as the whole end of the option, so
# that "All above the age of 65" is ordinary text.
ALL_NONE_ABOVE = re.compile(
    r"\b(all|none|both|neither|any)\s+"
    r"(of\s+(the\s+)?(above|these|those|the\s+options|them)\b|(the\s+)?above\s*[.!]?\s*$)",
    re.IGNORECASE,
)
# The whole option is a combination of option letters: "A and C", "Both A and B", "A, B and C",
# "Options B and D only". Anchored at both ends so that "A and E attendance" is not one.
_REF = r"[A-Fa-f]"
_COMBINATION = re.compile(
    r"^\s*(?i:both\s+|either\s+|neither\s+)?(?i:(?:options?|answers?|choices?)\s+)?"
    rf"{_REF}(?:\s*,\s*{_REF})*\s*,?\s*(?i:and|or|nor|&|\+)\s*{_REF}"
    r"(?i:\s+only|\s+are\s+(?:correct|true|right))?\s*[.!]?\s*$"
)


def is_forbidden_option(text: str) -> bool:
    """An "all/none of the above" or combination option (an error, so not linted further)."""
    return bool(ALL_NONE_ABOVE.search(text) or _COMBINATION.search(text))


def normalise(text: str) -> str:
    """Case- and space-insensitive form for duplicate checks."""
    return " ".join(text.split()).casefold()


def check_answers(question: Question, table: dict[str, Any], block: Block) -> None:
    if question.type in OPTION_RANGE:
        if "options" in table and isinstance(table["options"], list):
            _check_options(question, block)
    elif question.type == "order":
        if "steps" in table and isinstance(table["steps"], list):
            _check_steps(question, len(table["steps"]), block)
    elif question.type == "cloze":
        _check_cloze(question, block)


def _option_block(block: Block, index: int) -> Block:
    line = block.lines.sub_item(block.line, "questions.options", index) or block.line_of("options")
    return Block(
        block.sink, block.path, block.lines, line, id=block.id, prefix=f"options[{index + 1}]."
    )


def _check_options(question: Question, block: Block) -> None:
    low, high = OPTION_RANGE[question.type]
    options = question.options
    n = len(options)
    if not low <= n <= high:
        block.error(
            "option-count",
            "options",
            f"{question.type} questions need {low}-{high} options, this one has {n}",
        )
    correct = len(question.correct_indexes)
    if question.type == "single" and correct != 1:
        block.error(
            "correct-count",
            "options",
            f"single questions need exactly one correct option, this one has {correct}",
        )
    if question.type == "multiple":
        if correct < 2:
            block.error(
                "correct-count",
                "options",
                f"multiple questions need at least two correct options, this one has {correct}",
            )
        if n and correct == n:
            block.error(
                "correct-count",
                "options",
                "multiple questions need at least one wrong option, every option here is correct",
            )
    seen: dict[str, int] = {}
    for i, option in enumerate(options):
        if not option.text.strip():
            continue  # already reported as missing or empty
        where = _option_block(block, i)
        label = letter(i)
        key = normalise(option.text)
        if key in seen:
            where.error(
                "duplicate-option",
                "text",
                f"option {label} repeats option {letter(seen[key])}: {option.text.strip()!r}",
            )
        else:
            seen[key] = i
        if ALL_NONE_ABOVE.search(option.text):
            where.error(
                "all-none-above",
                "text",
                f'option {label} is an "all/none of the above" option: {option.text.strip()!r}; '
                "write each option so it stands alone",
            )
        elif _COMBINATION.search(option.text):
            where.error(
                "combination-option",
                "text",
                f"option {label} combines other options: {option.text.strip()!r}; "
                "use a multiple question instead",
            )


def _check_steps(question: Question, n: int, block: Block) -> None:
    """``n`` counts the steps as written (``question.steps`` is empty when one was bad)."""
    low, high = STEP_RANGE
    if not low <= n <= high:
        block.error("step-count", "steps", f"order questions need {low}-{high} steps, not {n}")
    seen: set[str] = set()
    for i, step in enumerate(question.steps, start=1):
        key = normalise(step)
        if key in seen:
            block.error("duplicate-step", "steps", f"step {i} repeats an earlier step: {step!r}")
        seen.add(key)


def _check_cloze(question: Question, block: Block) -> None:
    stem = question.stem
    if not stem:
        return
    blanks = list(CLOZE_BLANK.finditer(stem))
    rest = CLOZE_BLANK.sub("", stem)
    if "{{" in rest or "}}" in rest:
        block.error("cloze-unclosed", "stem", "the stem has an unmatched '{{' or '}}'")
        if not blanks:
            return
    if not blanks:
        block.error(
            "cloze-no-blank", "stem", "a cloze stem needs at least one {{blank}}, e.g. {{answer}}"
        )
        return
    if len(blanks) > MAX_BLANKS:
        block.error(
            "over-limit",
            "stem",
            f"the cloze has {len(blanks):,} blanks; the limit is {MAX_BLANKS}",
        )
        return
    for i, m in enumerate(blanks, start=1):
        if m.group(1).count("|") >= MAX_ALTERNATIVES:
            block.error(
                "over-limit",
                "stem",
                f"blank {i} has {m.group(1).count('|') + 1:,} answers; "
                f"the limit is {MAX_ALTERNATIVES}",
            )
            continue
        answers = [a for a in m.group(1).split("|") if not _is_empty_answer(a)]
        if not answers:
            block.error(
                "cloze-empty-blank",
                "stem",
                f"blank {i} ({m.group(0)!r}) has no answer; write {{{{answer}}}} or "
                "{{answer|alternative}}",
            )
        elif len(answers) != len(m.group(1).split("|")):
            block.error(
                "cloze-empty-blank",
                "stem",
                f"blank {i} ({m.group(0)!r}) has an empty alternative between '|' "
                "(punctuation alone counts as empty)",
            )


def _is_empty_answer(text: str) -> bool:
    """Nothing left once grading ignores spaces and punctuation (trainer.engine.grading)."""
    return all(ch.isspace() or unicodedata.category(ch).startswith("P") for ch in text)
