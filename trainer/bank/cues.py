"""Cross-cueing: one question's text gives away the key of another question on the same objective.

The rule (documented in questions/README.md, tested in tests/unit/test_bank_cues.py):

- The *key phrases* of a question are: each correct option (single, multiple); the statement of a
  true true/false item; each blank of a cloze item, read in its sentence (the stem with every blank
  filled by its first answer).
- Texts are compared as runs of content words (``words.content_tokens``: lower case, plurals
  folded, function words dropped). A key phrase is *given away* by a text that holds RUN_WORDS
  consecutive content words of it (for a cloze blank: a run that includes a word of the answer), or,
  for a key of 2 to RUN_WORDS - 1 content words, all of it in order. One-word keys are not checked:
  they are too common to mean anything.
- A run that appears in more than COMMON_DF active questions is the bank's ordinary vocabulary
  ("lumbar medial branch radiofrequency ablation"), not a distinctive phrase, and is not counted.
- The text that can give a key away is everything the trainee sees of the other question: stem,
  options and their whys, explanation, model answer and steps (a cloze stem with its answers).
- Both questions must be active and cite a common objective. The warning sits on the question whose
  text holds the phrase and names both ids. ``lint_ignore = [{ code = "cross-cue", other = "id",
  reason = "..." }]`` on either question silences that pair (and only that pair).
"""

from __future__ import annotations

import re
from collections import defaultdict
from collections.abc import Callable, Mapping
from dataclasses import dataclass

from trainer.bank.fields import Block, Sink
from trainer.bank.files import Document
from trainer.bank.models import CLOZE_BLANK, LETTERS, Bank, Question, blank_answers
from trainer.bank.words import (
    content_token_words,
    content_tokens,
    content_vocabulary,
    content_words,
)

RUN_WORDS = 4
STATEMENT_RUN_WORDS = 5
COMMON_DF = 5

Gram = tuple[str, ...]


@dataclass(frozen=True)
class KeyPhrase:
    label: str  # "the key (option B) of", "the answer to blank 2 of", ...
    text: str
    words: tuple[str, ...]  # content_token_words(text): offsets are found only for a cue
    must_include: frozenset[str] = frozenset()  # a run must hold one of these words
    run: int = RUN_WORDS  # words in a run that gives the phrase away


class Seen:
    """One text of a question as the trainee sees it, as content words with their positions."""

    def __init__(self, field: str, words: tuple[str, ...]) -> None:
        self.field = field  # "stem", "options[2].why", ...
        self.words = words
        self._joined: str | None = None  # " w1 w2 ... ", made when needed

    def holds(self, run: Gram) -> bool:
        """The words of ``run`` appear here consecutively, in order. Content words are runs of
        [a-z0-9], so a space-separated join matches whole words only."""
        if self._joined is None:
            self._joined = f" {' '.join(self.words)} "
        return f" {' '.join(run)} " in self._joined


def filled_stem(q: Question) -> str:
    """A cloze stem with every blank replaced by its first answer."""

    def first(m: re.Match[str]) -> str:
        answers = blank_answers(m)
        return answers[0] if answers else ""

    return CLOZE_BLANK.sub(first, q.stem)


def key_phrases(q: Question) -> list[KeyPhrase]:
    out: list[KeyPhrase] = []
    if q.type in ("single", "multiple"):
        for i in q.correct_indexes:
            text = q.options[i].text
            label = f"the key (option {LETTERS[i]}) of"
            out.append(KeyPhrase(label, text, content_token_words(text)))
    elif q.type == "true_false" and q.answer:
        words = content_token_words(q.stem)
        out.append(KeyPhrase("the true statement of", q.stem, words, run=STATEMENT_RUN_WORDS))
    elif q.type == "cloze":
        text = filled_stem(q)
        words = content_token_words(text)
        for n, answers in enumerate(q.blanks, start=1):
            if not answers:
                continue
            must = frozenset(content_token_words(answers[0]))
            if must:
                out.append(KeyPhrase(f"the answer to blank {n} of", text, words, must))
    return out


def seen_fields(q: Question) -> list[tuple[str, str]]:
    """(field, text) of everything the trainee sees of q (a cloze stem with its answers)."""
    fields: list[tuple[str, str]] = [("stem", filled_stem(q) if q.type == "cloze" else q.stem)]
    for i, o in enumerate(q.options, start=1):
        if o.correct:  # a distractor states nothing as true
            fields.append((f"options[{i}].text", o.text))
        fields.append((f"options[{i}].why", o.why))
    fields += [("model_answer", q.model_answer), ("steps", "\n".join(q.steps))]
    fields.append(("explanation", q.explanation))
    return [(f, text) for f, text in fields if text]


def seen_texts(q: Question) -> list[Seen]:
    return [Seen(f, content_words(text)) for f, text in seen_fields(q)]


Run = tuple[Gram, KeyPhrase, int, int]  # the words, their key phrase, token span [i, j)


def _candidate_runs(key: KeyPhrase) -> list[Run]:
    """The runs of a key phrase that would give it away (see ``_shown`` for their text)."""
    words = key.words
    k = key.run
    must = key.must_include
    runs: list[Run] = [
        (words[i : i + k], key, i, i + k)
        for i in range(len(words) - k + 1)
        if not must or not must.isdisjoint(words[i : i + k])
    ]
    if must:
        n = len(must)
        starts = [i for i, w in enumerate(words) if w in must]
        if 2 <= n < k and starts and set(words[starts[0] : starts[0] + n]) == must:
            # a multi-word answer on its own ("anaesthesia dolorosa")
            runs.append((words[starts[0] : starts[0] + n], key, starts[0], starts[0] + n))
    elif 2 <= len(words) < k:
        runs.append((words, key, 0, len(words)))
    return runs


def _shown(key: KeyPhrase, i: int, j: int) -> str:
    """The original text of tokens [i, j) of a key phrase (with a closing bracket it opened)."""
    toks = content_tokens(key.text)  # the same tokens as key.words, with their offsets
    text = key.text[toks[i].start : toks[j - 1].end]
    closing = key.text[toks[j - 1].end : toks[j - 1].end + 1]
    return text + closing if closing == ")" and text.count("(") > text.count(")") else text


@dataclass(frozen=True)
class Cue:
    question: Question  # whose text holds the phrase
    field: str
    other: Question  # whose key it gives away
    label: str
    phrase: str


def find_cues(bank: Bank) -> list[Cue]:
    active = bank.active_questions
    # Every question's vocabulary (one pass over all its text); its texts word by word only for a
    # question whose vocabulary holds a sibling's run (about one in ten at 10,000 questions).
    vocabulary = {
        q.id: content_vocabulary("\n".join(text for _, text in seen_fields(q))) for q in active
    }
    seen_made: dict[str, list[Seen]] = {}
    by_id = {q.id: q for q in active}

    def seen_of(qid: str) -> list[Seen]:
        found = seen_made.get(qid)
        if found is None:
            found = seen_made[qid] = seen_texts(by_id[qid])
        return found

    postings: dict[str, set[str]] = {}  # word -> ids of the questions using it (made when needed)
    df: dict[Gram, int] = {}

    def common(run: Gram) -> bool:
        """The run is in more than COMMON_DF questions: ordinary vocabulary of the bank."""
        if not postings:
            for qid, words in vocabulary.items():
                for w in words:
                    postings.setdefault(w, set()).add(qid)
        if run not in df:
            ids = set.intersection(*sorted((postings[w] for w in set(run)), key=len))
            df[run] = sum(1 for qid in ids if any(s.holds(run) for s in seen_of(qid)))
        return df[run] > COMMON_DF

    by_objective: dict[str, list[Question]] = defaultdict(list)
    for q in active:
        for oid in dict.fromkeys(q.objectives):
            by_objective[oid].append(q)
    cues: list[Cue] = []
    for b in active:
        runs = [run for key in key_phrases(b) for run in _candidate_runs(key)]
        if not runs:
            continue
        siblings = {a.id: a for oid in b.objectives for a in by_objective[oid] if a.id != b.id}
        for a in siblings.values():
            words = vocabulary[a.id]
            found = [r for r in runs if words.issuperset(r[0])]
            cue = _first_cue(a, b, seen_of(a.id), found, common) if found else None
            if cue is not None:
                cues.append(cue)
    return cues


def _first_cue(
    a: Question,
    b: Question,
    texts: list[Seen],
    runs: list[Run],
    common: Callable[[Gram], bool],
) -> Cue | None:
    for s in texts:
        for run, key, i, j in runs:
            if s.holds(run) and not common(run):
                return Cue(a, s.field, b, key.label, _shown(key, i, j))
    return None


def silenced(a: Question, b: Question) -> bool:
    """True when either question accepts this pair with a cross-cue lint_ignore."""
    return any(i.code == "cross-cue" and i.other == b.id for i in a.ignores) or any(
        i.code == "cross-cue" and i.other == a.id for i in b.ignores
    )


def lint_cues(bank: Bank, docs: Mapping[str, Document], sink: Sink) -> None:
    for cue in find_cues(bank):
        a, b = cue.question, cue.other
        if silenced(a, b) or a.path not in docs:
            continue
        block = Block(sink, a.path, docs[a.path].lines, a.line, id=a.id)
        field, line = _locate(block, cue.field)
        sink.add(
            "warning",
            "cross-cue",
            f"{cue.field} of {a.id} gives away {cue.label} {b.id} "
            f"({cue.phrase!r}); both test {_shared(a, b)}: reword one, or accept the pair with "
            f'lint_ignore = [{{ code = "cross-cue", other = "{b.id}", reason = "..." }}]',
            path=a.path,
            line=line,
            id=a.id,
            field=field,
        )


def _shared(a: Question, b: Question) -> str:
    return ", ".join(o for o in a.objectives if o in b.objectives)


def _locate(block: Block, field: str) -> tuple[str, int | None]:
    """The field name and line of a seen-text field of a question block."""
    if field.startswith("options["):
        index = int(field[len("options[") : field.index("]")]) - 1
        key = field.rsplit(".", 1)[1]
        line = block.lines.sub_item(block.line, "questions.options", index)
        sub = Block(block.sink, block.path, block.lines, line or block.line)
        return field, sub.line_of(key) if line else block.line_of("options")
    return field, block.line_of(field)
