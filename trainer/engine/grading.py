"""Marking answers. Pure functions of a question and the trainee's response.

Response shapes, by question type:
  single: option index (into ``question.options``, bank order); multiple: frozenset of indexes;
  true_false: bool; order: tuple of indexes into ``question.steps`` in the order the trainee put
  them; cloze: tuple of strings, one per blank; recall: None (self-rated, never graded here).
"""

from __future__ import annotations

import json
import re
import unicodedata
from dataclasses import dataclass
from itertools import combinations

from trainer.bank.models import Question
from trainer.engine.scheduler import Rating

Response = int | frozenset[int] | bool | tuple[int, ...] | tuple[str, ...] | None


@dataclass(frozen=True)
class Grade:
    """The mark for one response.

    ``correct`` decides the rating (all-or-nothing for multiple and order); ``score`` is partial
    credit in 0..1; ``detail`` is a short sentence for the trainee. ``blank_results`` (cloze) says
    per blank whether it was right; ``option_results`` per option (single, multiple) or per step
    position (order) whether the trainee got it right. ``spelling`` (cloze) says per blank whether
    it was accepted only as a misspelling (one edit from an accepted answer of five or more
    letters): such a blank counts as right, and the detail says "accepted (spelling)".
    """

    correct: bool
    score: float
    detail: str
    blank_results: tuple[bool, ...] = ()
    option_results: tuple[bool, ...] = ()
    spelling: tuple[bool, ...] = ()

    @property
    def accepted_spelling(self) -> bool:
        """Whether some blank was accepted only as a misspelling."""
        return any(self.spelling)


class GradingError(ValueError):
    """The response does not fit the question (wrong shape or out of range)."""


_SPACES = re.compile(r"\s+")


def _is_edge_junk(ch: str) -> bool:
    return ch.isspace() or unicodedata.category(ch).startswith("P")


def normalise_answer(text: str) -> str:
    """Casefold, collapse runs of whitespace, strip surrounding whitespace and punctuation."""
    s = _SPACES.sub(" ", unicodedata.normalize("NFKC", text).casefold())
    start, end = 0, len(s)
    while start < end and _is_edge_junk(s[start]):
        start += 1
    while end > start and _is_edge_junk(s[end - 1]):
        end -= 1
    return s[start:end]


def _plural(n: int, word: str) -> str:
    return f"{n} {word}" if n == 1 else f"{n} {word}s"


def _grade_single(q: Question, response: Response) -> Grade:
    if isinstance(response, bool) or not isinstance(response, int):
        raise GradingError(f"{q.id}: a single-answer response is one option index")
    if not 0 <= response < len(q.options):
        raise GradingError(f"{q.id}: option {response} does not exist")
    correct = q.options[response].correct
    results = tuple((i == response) == o.correct for i, o in enumerate(q.options))
    if correct:
        detail = "Correct."
    else:
        right = ", ".join(q.options[i].text for i in q.correct_indexes)
        detail = f"Incorrect: the answer is {right}."
    return Grade(correct, 1.0 if correct else 0.0, detail, option_results=results)


def _grade_multiple(q: Question, response: Response) -> Grade:
    if not isinstance(response, frozenset) or not all(
        isinstance(i, int) and not isinstance(i, bool) for i in response
    ):
        raise GradingError(f"{q.id}: a multiple-response answer is a frozenset of option indexes")
    bad = sorted(i for i in response if not 0 <= i < len(q.options))
    if bad:
        raise GradingError(f"{q.id}: option {bad[0]} does not exist")
    results = tuple((i in response) == o.correct for i, o in enumerate(q.options))
    n_correct = len(q.correct_indexes)
    hits = sum(1 for i in response if q.options[i].correct)
    wrong = len(response) - hits
    score = max(0.0, (hits - wrong) / n_correct) if n_correct else 0.0
    detail = f"{hits} of {n_correct} correct options chosen, {wrong} wrong"
    return Grade(all(results), score, detail, option_results=results)


def _grade_true_false(q: Question, response: Response) -> Grade:
    if not isinstance(response, bool):
        raise GradingError(f"{q.id}: a true/false answer is True or False")
    correct = response == q.answer
    truth = "true" if q.answer else "false"
    detail = "Correct." if correct else f"Incorrect: the statement is {truth}."
    return Grade(correct, 1.0 if correct else 0.0, detail)


def _grade_order(q: Question, response: Response) -> Grade:
    n = len(q.steps)
    if (
        not isinstance(response, tuple)
        or not all(isinstance(i, int) and not isinstance(i, bool) for i in response)
        or sorted(response) != list(range(n))
    ):
        raise GradingError(f"{q.id}: an ordering answer uses every step index 0..{n - 1} once")
    order: tuple[int, ...] = response  # type: ignore[assignment]
    results = tuple(step == pos for pos, step in enumerate(order))
    pairs = list(combinations(range(n), 2))
    # Partial credit: the share of step pairs the trainee put in the right relative order.
    agree = sum(1 for a, b in pairs if order[a] < order[b])
    score = agree / len(pairs) if pairs else 1.0
    placed = sum(results)
    # Both figures, so the verdict's "partly right: 70%" (the pairs) is read against its count.
    detail = (
        f"{placed} of {_plural(n, 'step')} in the right place; "
        f"{agree} of {_plural(len(pairs), 'pair')} of steps in the right order"
    )
    return Grade(placed == n, score, detail, option_results=results)


SPELLING_MIN_LETTERS = 5


def within_one_edit(a: str, b: str) -> bool:
    """Whether ``a`` and ``b`` differ by at most one insertion, deletion, substitution or
    transposition of two neighbouring characters (Damerau-Levenshtein distance <= 1)."""
    if a == b:
        return True
    if abs(len(a) - len(b)) > 1:
        return False
    if len(a) > len(b):
        a, b = b, a
    i = 0
    while i < len(a) and a[i] == b[i]:
        i += 1
    if len(a) < len(b):  # one insertion into a
        return a[i:] == b[i + 1 :]
    if a[i + 1 :] == b[i + 1 :]:  # one substitution
        return True
    return (  # one transposition
        i + 1 < len(a) and a[i] == b[i + 1] and a[i + 1] == b[i] and a[i + 2 :] == b[i + 2 :]
    )


# Real words one edit apart that mean different things: typing one for the other is an error of
# knowledge, not of spelling, so it is never "accepted (spelling)".
CONFUSABLE: frozenset[frozenset[str]] = frozenset(
    frozenset(pair.split("/"))
    for pair in (
        "ilium/ileum",
        "perineal/peroneal",
        "afferent/efferent",
        "abduction/adduction",
        "abduct/adduct",
        "abductor/adductor",
        "abducted/adducted",
        "dysphagia/dysphasia",
        "aphagia/aphasia",
        "prostate/prostrate",
        "mucus/mucous",
        "humeral/humoral",
        "anterior/interior",
        "ulnar/lunar",
    )
)


def _confusable(given: str, key: str) -> bool:
    """Whether ``given`` differs from ``key`` only by one word of a CONFUSABLE pair."""
    a, b = given.split(), key.split()
    if len(a) != len(b):
        return False
    diff = [(x, y) for x, y in zip(a, b, strict=True) if x != y]
    return len(diff) == 1 and frozenset(diff[0]) in CONFUSABLE


def _close_spelling(given: str, accepted: set[str]) -> bool:
    """Whether ``given`` (normalised) is one edit from an accepted answer of 5+ letters (and not
    a different real word: CONFUSABLE)."""
    return bool(given) and any(
        sum(ch.isalpha() for ch in a) >= SPELLING_MIN_LETTERS
        and within_one_edit(given, a)
        and not _confusable(given, a)
        for a in accepted
    )


def _grade_cloze(q: Question, response: Response) -> Grade:
    blanks = q.blanks
    if not isinstance(response, tuple) or not all(isinstance(s, str) for s in response):
        raise GradingError(f"{q.id}: a cloze answer is a tuple of strings, one per blank")
    if len(response) != len(blanks):
        raise GradingError(
            f"{q.id}: expected {_plural(len(blanks), 'answer')}, got {len(response)}"
        )
    # An empty (or punctuation-only) answer is never right, whatever the bank accepts.
    exact: list[bool] = []
    spelling: list[bool] = []
    for given, accepted in zip(response, blanks, strict=True):
        answer = normalise_answer(str(given))
        keys = {normalise_answer(a) for a in accepted} - {""}
        exact.append(answer in keys)
        spelling.append(not exact[-1] and _close_spelling(answer, keys))
    results = tuple(e or s for e, s in zip(exact, spelling, strict=True))
    right = sum(results)
    score = right / len(blanks) if blanks else 0.0
    detail = f"{right} of {_plural(len(blanks), 'blank')} right"
    misspelt = [str(i + 1) for i, s in enumerate(spelling) if s]
    if misspelt:
        which = "blank" if len(misspelt) == 1 else "blanks"
        detail += f"; {which} {', '.join(misspelt)} accepted (spelling)"
    return Grade(
        right == len(blanks),
        score,
        detail,
        blank_results=results,
        spelling=tuple(spelling) if misspelt else (),
    )


def grade(question: Question, response: Response) -> Grade:
    """Mark ``response`` to ``question``.

    Raises GradingError (a ValueError) when the response has the wrong shape, and for recall
    questions, which are self-rated (pass ``response=None`` and the trainee's rating to
    ``Engine.answer``).
    """
    match question.type:
        case "single":
            return _grade_single(question, response)
        case "multiple":
            return _grade_multiple(question, response)
        case "true_false":
            return _grade_true_false(question, response)
        case "order":
            return _grade_order(question, response)
        case "cloze":
            return _grade_cloze(question, response)
        case "recall":
            raise GradingError(f"{question.id}: recall questions are self-rated, not graded")
    raise GradingError(f"{question.id}: unknown question type {question.type!r}")


def suggested_rating(g: Grade) -> Rating:
    """AGAIN if wrong, else GOOD (the trainee may pick HARD or EASY instead)."""
    return Rating.GOOD if g.correct else Rating.AGAIN


def allowed_ratings(g: Grade) -> tuple[Rating, ...]:
    """Ratings an auto-graded answer may take: wrong is AGAIN only; right is HARD, GOOD or EASY."""
    return (Rating.HARD, Rating.GOOD, Rating.EASY) if g.correct else (Rating.AGAIN,)


def response_to_json(response: Response, *, override: bool = False) -> str:
    """A tagged JSON form of a response for the review log (round-trips with response_from_json).
    ``override``: the trainee overrode the grade ("I was right"), kept as ``"override": true``."""
    if override:
        data = json.loads(response_to_json(response))
        if not isinstance(data, dict):
            raise GradingError("only an objective answer can be overridden")
        return json.dumps({**data, "override": True})
    if response is None:
        return "null"
    if isinstance(response, bool):
        return json.dumps({"bool": response})
    if isinstance(response, int):
        return json.dumps({"index": response})
    if isinstance(response, frozenset):
        return json.dumps({"set": sorted(response)})
    if isinstance(response, tuple):
        if all(isinstance(x, str) for x in response) and response:
            return json.dumps({"text": list(response)})
        if all(isinstance(x, int) and not isinstance(x, bool) for x in response):
            return json.dumps({"order": list(response)})
    raise GradingError(f"cannot store a response of this shape: {response!r}")


def response_from_json(s: str) -> Response:
    """Inverse of response_to_json. Raises GradingError on anything else."""
    try:
        data = json.loads(s)
    except ValueError as exc:
        raise GradingError(f"not a stored response: {s!r}") from exc
    if data is None:
        return None
    if isinstance(data, dict) and data.get("override") is True:
        data = {k: v for k, v in data.items() if k != "override"}
    if isinstance(data, dict) and len(data) == 1:
        ((kind, value),) = data.items()
        if kind == "bool" and isinstance(value, bool):
            return value
        if kind == "index" and _is_index(value):
            return value  # type: ignore[no-any-return]
        if isinstance(value, list):
            if kind == "set" and all(_is_index(v) for v in value):
                return frozenset(value)
            if kind == "order" and all(_is_index(v) for v in value):
                return tuple(value)
            if kind == "text" and all(isinstance(v, str) for v in value):
                return tuple(value)
    raise GradingError(f"not a stored response: {s!r}")


def is_override(s: str) -> bool:
    """Whether a logged response (response_to_json) was overridden by the trainee."""
    try:
        data = json.loads(s)
    except ValueError:
        return False
    return isinstance(data, dict) and data.get("override") is True


def _is_index(value: object) -> bool:
    return isinstance(value, int) and not isinstance(value, bool)
