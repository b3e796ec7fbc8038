"""Reading ``[[objectives]]`` and ``[[questions]]`` (with their options) into models."""

from __future__ import annotations

from typing import Any

from trainer.bank import codes
from trainer.bank.answers import OPTION_RANGE, check_answers
from trainer.bank.fields import Block, Sink, toml_type
from trainer.bank.files import Document
from trainer.bank.ids import check_id
from trainer.bank.limits import MAX_OPTIONS_READ
from trainer.bank.models import (
    QUESTION_KINDS,
    QUESTION_TYPES,
    LintIgnore,
    Objective,
    Option,
    Question,
    QuestionKind,
)

OBJECTIVE_KEYS = {"id", "topic", "text", "sources", "retired"}
COMMON_KEYS = {
    "id",
    "type",
    "objectives",
    "stem",
    "explanation",
    "difficulty",
    "tags",
    "retired",
    "lint_ignore",
    "kind",
}
TYPE_KEYS: dict[str, set[str]] = {
    "single": {"options", "shuffle"},
    "multiple": {"options", "shuffle"},
    "true_false": {"answer"},
    "order": {"steps"},
    "cloze": set(),
    "recall": {"model_answer"},
}
ALL_QUESTION_KEYS = COMMON_KEYS.union(*TYPE_KEYS.values())
NOT_FOR_TYPE = {t: ALL_QUESTION_KEYS - COMMON_KEYS - keys for t, keys in TYPE_KEYS.items()}
OPTION_KEYS = {"text", "correct", "why"}
IGNORE_KEYS = {"code", "reason", "other"}


def _array(doc: Document, sink: Sink, name: str) -> list[tuple[Block, dict[str, Any]]]:
    """The tables of a top-level array with a Block for each; reports non-table items."""
    value = doc.data[name]
    if not isinstance(value, list):
        line = doc.lines.top_key(name) or doc.lines.table(name)
        Block(sink, doc.path, doc.lines, line).error(
            "wrong-type", name, f"{name} must be [[{name}]] tables, not {toml_type(value)}"
        )
        return []
    out: list[tuple[Block, dict[str, Any]]] = []
    for i, item in enumerate(value):
        line = doc.lines.array_item(name, i) or doc.lines.top_key(name)
        block = Block(sink, doc.path, doc.lines, line)
        if not isinstance(item, dict):
            block.error(
                "wrong-type", "", f"{name} item {i + 1} must be a table, not {toml_type(item)}"
            )
            continue
        ident = item.get("id")
        if isinstance(ident, str):
            block.id = ident
        out.append((block, item))
    return out


def read_objectives(doc: Document, sink: Sink) -> list[Objective]:
    found: list[Objective] = []
    for block, table in _array(doc, sink, "objectives"):
        block.unknown_keys(table, OBJECTIVE_KEYS, "an objective")
        oid = block.text(table, "id")
        topic = block.text(table, "topic")
        text = block.text(table, "text")
        sources = block.texts(table, "sources")
        retired = block.flag(table, "retired")
        if oid is None or not check_id(block, "id", oid):
            continue
        found.append(
            Objective(
                id=oid,
                topic=topic or "",
                text=text or "",
                sources=sources or (),
                path=doc.path,
                line=block.line,
                retired=bool(retired),
            )
        )
    return found


def read_questions(doc: Document, sink: Sink) -> list[Question]:
    found: list[Question] = []
    for block, table in _array(doc, sink, "questions"):
        question = _read_question(doc, block, table)
        if question is not None:
            found.append(question)
    return found


def _read_question(doc: Document, block: Block, table: dict[str, Any]) -> Question | None:
    qtype = block.text(table, "type")
    if qtype is not None and qtype not in QUESTION_TYPES:
        block.error(
            "unknown-type",
            "type",
            f"unknown type {qtype!r} (one of: {', '.join(QUESTION_TYPES)})",
        )
        qtype = None
    block.unknown_keys(table, ALL_QUESTION_KEYS, "a question")
    if qtype is not None:
        not_for_type = NOT_FOR_TYPE[qtype]
        for key in table:
            if key in not_for_type:
                block.error("field-not-for-type", key, f"{key!r} is not used by {qtype} questions")
    qid = block.text(table, "id")
    objectives = block.texts(table, "objectives")
    stem = block.text(table, "stem")
    explanation = block.text(table, "explanation")
    difficulty = block.integer(table, "difficulty")
    if difficulty is not None and not 1 <= difficulty <= 3:
        block.error("bad-value", "difficulty", f"difficulty must be 1, 2 or 3, not {difficulty}")
        difficulty = None
    tags = block.texts(table, "tags", required=False, nonempty=False)
    retired = block.flag(table, "retired")
    ignores = _read_lint_ignore(block, table)
    kind: QuestionKind | None = None
    raw_kind = block.text(table, "kind", required=False)
    if raw_kind is not None:
        if raw_kind in QUESTION_KINDS:
            kind = raw_kind
        else:
            block.error(
                "bad-value",
                "kind",
                f"kind must be one of {', '.join(QUESTION_KINDS)}, not {raw_kind!r}",
            )
    shuffle = block.flag(table, "shuffle")
    options: tuple[Option, ...] = ()
    answer: bool | None = None
    steps: tuple[str, ...] = ()
    model_answer = ""
    if qtype in ("single", "multiple"):
        options = _read_options(doc, block, table)
    elif qtype == "true_false":
        answer = block.flag(table, "answer", required=True)
    elif qtype == "order":
        steps = block.texts(table, "steps", nonempty=False) or ()
    elif qtype == "recall":
        model_answer = block.text(table, "model_answer") or ""
    if qid is None or not check_id(block, "id", qid) or qtype is None:
        return None
    question = Question(
        id=qid,
        type=qtype,
        objectives=objectives or (),
        stem=stem or "",
        explanation=explanation or "",
        difficulty=difficulty,
        tags=tags or (),
        retired=bool(retired),
        options=options,
        answer=answer,
        steps=steps,
        model_answer=model_answer,
        path=doc.path,
        line=block.line,
        lint_ignore=tuple(dict.fromkeys(i.code for i in ignores if not i.other)),
        ignores=ignores,
        kind=kind,
        shuffle=shuffle is not False,
    )
    check_answers(question, table, block)
    return question


def _read_options(doc: Document, block: Block, table: dict[str, Any]) -> tuple[Option, ...]:
    raw = table.get("options")
    if raw is None:
        block.missing("options", "[[questions.options]] tables")
        return ()
    if not isinstance(raw, list):
        block.mistyped("options", "[[questions.options]] tables", raw)
        return ()
    if len(raw) > MAX_OPTIONS_READ:
        block.error(
            "over-limit",
            "options",
            f"the question has {len(raw):,} options; the limit is {OPTION_RANGE['multiple'][1]}",
        )
        return ()
    options: list[Option] = []
    for i, item in enumerate(raw):
        line = doc.lines.sub_item(block.line, "questions.options", i) or block.line_of("options")
        sub = Block(block.sink, doc.path, doc.lines, line, id=block.id, prefix=f"options[{i + 1}].")
        if not isinstance(item, dict):
            sub.error("wrong-type", "", f"option {i + 1} must be a table, not {toml_type(item)}")
            continue
        sub.unknown_keys(item, OPTION_KEYS, "an option")
        text = sub.text(item, "text")
        correct = sub.flag(item, "correct", required=True)
        why = sub.text(item, "why")
        options.append(Option(text=text or "", correct=bool(correct), why=why or ""))
    return tuple(options)


def _read_lint_ignore(block: Block, table: dict[str, Any]) -> tuple[LintIgnore, ...]:
    """``lint_ignore``: tables ``{ code, reason[, other] }``; a bare code string still loads, with
    a ``lint-ignore-reason`` warning."""
    if "lint_ignore" not in table:
        return ()
    raw = table["lint_ignore"]
    key = "lint_ignore"
    if not isinstance(raw, list):
        block.mistyped(key, "an array of { code, reason } tables", raw)
        return ()
    found: list[LintIgnore] = []
    for n, item in enumerate(raw, start=1):
        if isinstance(item, str):
            if _known_code(block, item):
                found.append(LintIgnore(item))
                block.warning(
                    "lint-ignore-reason",
                    key,
                    f"lint_ignore entry {item!r} gives no reason: write "
                    f'{{ code = "{item}", reason = "..." }}',
                )
            continue
        if not isinstance(item, dict):
            block.error(
                "wrong-type", key, f"lint_ignore item {n} must be a table, not {toml_type(item)}"
            )
            continue
        for name in item:
            if name not in IGNORE_KEYS:
                block.error(
                    "unknown-key",
                    key,
                    f"unknown key {name!r} in lint_ignore item {n} "
                    f"(known: {', '.join(sorted(IGNORE_KEYS))})",
                )
        values: dict[str, str] = {}
        ok = True
        for name in ("code", "reason", "other"):
            value = item.get(name)
            if value is None:
                continue
            if not isinstance(value, str) or not value.strip():
                block.error(
                    "bad-value" if isinstance(value, str) else "wrong-type",
                    key,
                    f"lint_ignore item {n}: {name} must be a non-empty string",
                )
                ok = False
                continue
            values[name] = value.strip()
        code = values.get("code")
        if "code" not in item:
            block.error("missing-field", key, f"lint_ignore item {n} has no code")
            ok = False
        elif code is not None and not _known_code(block, code):
            ok = False
        if "reason" not in item:
            block.error(
                "missing-field",
                key,
                f"lint_ignore item {n} has no reason (say why the warning is wrong here)",
            )
            ok = False
        if code == "cross-cue" and "other" not in item:
            block.error(
                "missing-field",
                key,
                f"lint_ignore item {n} has no other (a cross-cue entry names the other question)",
            )
            ok = False
        if code is not None and code != "cross-cue" and "other" in item:
            block.error(
                "bad-value", key, f"lint_ignore item {n}: other is only for code 'cross-cue'"
            )
            ok = False
        if ok and code is not None:
            found.append(LintIgnore(code, values.get("reason", ""), values.get("other", "")))
    return tuple(found)


def _known_code(block: Block, code: str) -> bool:
    if code in codes.IGNORABLE:
        return True
    block.error(
        "unknown-lint-code",
        "lint_ignore",
        f"{code!r} is not an ignorable warning (one of: {', '.join(codes.IGNORABLE)})",
    )
    return False
