"""The question bank as plain, immutable data.

These classes are what the loader builds from TOML and what every client (engine, export, UI) reads.
They carry no behaviour beyond small derived properties.
"""

from __future__ import annotations

import re
import threading
from dataclasses import dataclass, field, fields
from functools import cached_property
from typing import Any, Literal, Protocol

from trainer.safetext import visible

QuestionType = Literal["single", "multiple", "true_false", "order", "cloze", "recall"]
QUESTION_TYPES: tuple[QuestionType, ...] = (
    "single",
    "multiple",
    "true_false",
    "order",
    "cloze",
    "recall",
)
# the types asked as options to choose (a letter per option; true/false: T or F)
CHOICE_TYPES: frozenset[QuestionType] = frozenset({"single", "multiple", "true_false"})
TYPE_TITLES: dict[str, str] = {
    "single": "Single best answer",
    "multiple": "Multiple response",
    "true_false": "True or false",
    "order": "Ordering",
    "cloze": "Cloze",
    "recall": "Free recall",
}

Severity = Literal["error", "warning"]

# What a question asks of the trainee: to decide from clinical data, or to recall a fact.
QuestionKind = Literal["application", "recall"]
QUESTION_KINDS: tuple[QuestionKind, ...] = ("application", "recall")

# A cloze blank: {{answer}} or {{answer|alternative|...}}. The first answer is the canonical one.
CLOZE_BLANK = re.compile(r"\{\{(.*?)\}\}", re.DOTALL)


def blank_answers(blank: re.Match[str]) -> tuple[str, ...]:
    """The accepted answers of one ``{{a|b}}`` blank (a CLOZE_BLANK match), the first canonical."""
    return tuple(a.strip() for a in blank.group(1).split("|") if a.strip())


LETTERS = "ABCDEFGHIJKLMNOPQRSTUVWXYZ"  # option labels: A is the first option as shown


def letter(index: int) -> str:
    """An option's label: 0 -> "A"; past Z, its number."""
    return LETTERS[index] if 0 <= index < len(LETTERS) else str(index + 1)


@dataclass(frozen=True)
class Problem:
    """One thing wrong with a bank: where it is, what it is, and how bad."""

    path: str
    line: int | None
    id: str
    field: str
    severity: Severity
    message: str

    def format(self) -> str:
        """One line: ``file:line: id: field: severity: message``, any control character in it
        escaped (a file name, key or id from a bank is untrusted text)."""
        where = f"{self.path}:{self.line}" if self.line else self.path
        line = f"{where}: {self.id or '-'}: {self.field or '-'}: {self.severity}: {self.message}"
        return visible(line, one_line=True)

    def to_dict(self) -> dict[str, object]:
        return {
            "path": self.path,
            "line": self.line,
            "id": self.id,
            "field": self.field,
            "severity": self.severity,
            "message": self.message,
        }


@dataclass(frozen=True)
class Source:
    """A document the bank cites, with its citable sections (paragraphs, notes)."""

    key: str
    title: str
    # section id -> reference keys that back it (empty for the user's own document)
    sections: dict[str, tuple[str, ...]]
    # True when every section should be cited by some objective (coverage check)
    must_cover: bool = False


@dataclass(frozen=True)
class Objective:
    id: str
    topic: str
    text: str
    sources: tuple[str, ...]  # citation keys such as "thermal-rhizotomy:P2"
    path: str = ""
    line: int | None = None
    # withdrawn (merged into another, say): kept so retired questions still cite it; never reused
    retired: bool = False


@dataclass(frozen=True)
class Option:
    text: str
    correct: bool
    why: str


@dataclass(frozen=True)
class LintIgnore:
    """One ``lint_ignore`` entry: a warning code accepted for a question, and why.

    ``reason`` is "" for the old string form; ``other`` names the other question of a
    ``cross-cue`` pair (only that pair is accepted).
    """

    code: str
    reason: str = ""
    other: str = ""


@dataclass(frozen=True)
class Question:
    id: str
    type: QuestionType
    objectives: tuple[str, ...]
    stem: str
    explanation: str
    difficulty: int | None = None
    tags: tuple[str, ...] = ()
    retired: bool = False
    # single / multiple
    options: tuple[Option, ...] = ()
    # true_false
    answer: bool | None = None
    # order: steps in the correct order
    steps: tuple[str, ...] = ()
    # recall
    model_answer: str = ""
    # where it was read from
    path: str = ""
    line: int | None = None
    # warning codes accepted for the whole question (see trainer.bank.codes.IGNORABLE): the codes
    # of the lint_ignore entries that name no other question
    lint_ignore: tuple[str, ...] = ()
    # every lint_ignore entry, with its reason and (for a cross-cue pair) the other question
    ignores: tuple[LintIgnore, ...] = ()
    # "application" (decide from clinical data) or "recall" (a fact); None when not given
    kind: QuestionKind | None = None
    # single / multiple: False when the options have a natural order that must be kept
    shuffle: bool = True

    @property
    def blanks(self) -> tuple[tuple[str, ...], ...]:
        """For cloze: the accepted answers of each blank, in order."""
        if self.type != "cloze":
            return ()
        return tuple(blank_answers(m) for m in CLOZE_BLANK.finditer(self.stem))

    @property
    def correct_indexes(self) -> tuple[int, ...]:
        return tuple(i for i, o in enumerate(self.options) if o.correct)


QUESTION_FIELDS: tuple[str, ...] = tuple(f.name for f in fields(Question))
# What a LazyQuestion holds from the start: all that opening a bank and the home screen need.
EAGER_FIELDS = ("id", "retired", "objectives")


class QuestionSource(Protocol):
    """Where a LazyQuestion's other fields come from (a parsed-bank cache entry)."""

    def question_fields(self, index: int) -> dict[str, Any]: ...


class LazyQuestion(Question):
    """A Question read from the parsed-bank cache (trainer.bank.cache): its id, objectives and
    ``retired`` are set at once, every other field is decoded from the entry on first use, so
    that a start reads what it shows and no more. Equal to (and hashed like) the Question with
    the same fields; ``dataclasses.replace`` and every field work as on a Question.

    Made by the cache only: ``__dict__`` holds the EAGER_FIELDS, ``_source`` (a QuestionSource)
    and ``_index`` (the question's place in it) until the first read of another field."""

    def _load(self) -> None:
        # Safe from two threads at once (a session's worker and the UI): the fields are all set
        # before the source is dropped, and a thread that finds it gone finds them set.
        d = self.__dict__
        source, index = d.get("_source"), d.get("_index")
        if source is not None and index is not None:
            d.update(source.question_fields(index))
            d.pop("_source", None)
            d.pop("_index", None)

    def __eq__(self, other: object) -> bool:
        if not isinstance(other, Question):
            return NotImplemented
        return all(getattr(self, n) == getattr(other, n) for n in QUESTION_FIELDS)

    def __hash__(self) -> int:
        return hash(tuple(getattr(self, n) for n in QUESTION_FIELDS))

    def __repr__(self) -> str:
        shown = ", ".join(f"{n}={getattr(self, n)!r}" for n in QUESTION_FIELDS)
        return f"Question({shown})"


class _Deferred:
    """A field of a LazyQuestion: looked up only while the instance does not hold it yet (a
    non-data descriptor), it decodes the question, after which the instance's own value is read
    directly."""

    def __init__(self, name: str) -> None:
        self.name = name

    def __get__(self, obj: LazyQuestion | None, owner: type | None = None) -> Any:
        if obj is None:
            return self
        obj._load()
        try:
            return obj.__dict__[self.name]
        except KeyError:
            raise AttributeError(self.name) from None


for _name in QUESTION_FIELDS:
    if _name not in EAGER_FIELDS:
        setattr(LazyQuestion, _name, _Deferred(_name))


@dataclass(frozen=True)
class Bank:
    id: str
    title: str
    version: str
    topics: tuple[str, ...]
    sources: dict[str, Source]
    references: dict[str, str]
    objectives: dict[str, Objective]
    questions: tuple[Question, ...]
    root: str = ""
    files: tuple[str, ...] = field(default=())

    @property
    def active_objectives(self) -> dict[str, Objective]:
        return {oid: o for oid, o in self.objectives.items() if not o.retired}

    @cached_property
    def active_questions(self) -> tuple[Question, ...]:
        """The questions not retired, in bank order (computed once: the bank never changes)."""
        return tuple(q for q in self.questions if not q.retired)

    def active_ids(self) -> list[str]:
        """The ids of active_questions, in order (a LazyBank gives them without its questions)."""
        return [q.id for q in self.active_questions]

    def active_first_objectives(self) -> list[str | None]:
        """Each active question's first objective (None if it has none), in order (a LazyBank
        gives them without its questions): what its topic and sibling key are made of."""
        return [q.objectives[0] if q.objectives else None for q in self.active_questions]

    @cached_property
    def _questions_by_id(self) -> dict[str, Question]:
        """Every question by id (the first of an id, as a scan would find it), made once."""
        by_id: dict[str, Question] = {}
        for q in self.questions:
            by_id.setdefault(q.id, q)
        return by_id

    def question(self, qid: str) -> Question:
        """The question ``qid`` (KeyError if none): a lookup, not a scan (the sessions ask for
        the current question several times per answer; 1.5 ms a time at 50,000 questions)."""
        return self._questions_by_id[qid]

    def topic_of(self, question: Question) -> str:
        """A question's topic is the topic of its first objective."""
        obj = self.objectives.get(question.objectives[0]) if question.objectives else None
        return obj.topic if obj else "unknown"

    def citation_text(self, citation: str) -> str:
        """Human text for a citation key, with the references that back it."""
        doc, _, section = citation.partition(":")
        source = self.sources.get(doc)
        if source is None:
            return citation
        refs = source.sections.get(section, ())
        text = f"{source.title}, {section}"
        if refs:
            text += " (" + "; ".join(self.references.get(r, r) for r in refs) + ")"
        return text


BANK_FIELDS: tuple[str, ...] = tuple(f.name for f in fields(Bank))
_MAKING = threading.Lock()


class LazyBank(Bank):
    """A Bank read from the parsed-bank cache (trainer.bank.cache) whose questions (its
    LazyQuestions) are made on first use: a start that shows home needs only the active ids and
    first objectives, which the entry's index gives directly. Equal to (and hashed like) the Bank
    with the same fields; every field and ``dataclasses.replace`` work as on a Bank.

    Made by the cache only: ``__dict__`` holds every field but ``questions``, ``_make``
    (a function making them, once) and ``_active`` (the active ids and first objectives)."""

    def __eq__(self, other: object) -> bool:
        if not isinstance(other, Bank):
            return NotImplemented
        return all(getattr(self, n) == getattr(other, n) for n in BANK_FIELDS)

    __hash__ = Bank.__hash__

    def __repr__(self) -> str:
        shown = ", ".join(f"{n}={getattr(self, n)!r}" for n in BANK_FIELDS)
        return f"Bank({shown})"

    def active_ids(self) -> list[str]:
        active = self.__dict__.get("_active")
        return list(active[0]) if active is not None else super().active_ids()

    def active_first_objectives(self) -> list[str | None]:
        active = self.__dict__.get("_active")
        return list(active[1]) if active is not None else super().active_first_objectives()


class _DeferredQuestions:
    """LazyBank.questions until made (a non-data descriptor: once made, the instance's own)."""

    def __get__(self, obj: LazyBank | None, owner: type | None = None) -> Any:
        if obj is None:
            return self
        d = obj.__dict__
        with _MAKING:  # made once, even when two threads ask at once
            if "questions" not in d:
                d["questions"] = d["_make"]()
                d.pop("_make", None)
        return d["questions"]


LazyBank.questions = _DeferredQuestions()  # type: ignore[assignment]


def topic_title(topic: str) -> str:
    """'patient-selection' -> 'Patient selection'."""
    words = topic.replace("_", "-").split("-")
    return " ".join(words).capitalize()
