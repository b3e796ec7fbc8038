"""Checks across tables and files: duplicate ids, topics, citations, references, objectives."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import TypeVar

from trainer.bank.fields import Block, Sink
from trainer.bank.files import Document
from trainer.bank.header import Header, Tables
from trainer.bank.limits import fold
from trainer.bank.models import Objective, Question

Item = TypeVar("Item", Objective, Question)


def _block(docs: Mapping[str, Document], sink: Sink, path: str, line: int | None, id: str) -> Block:
    lines = docs[path].lines
    return Block(sink, path, lines, line, id=id)


def _first_of_each(
    items: Sequence[Item], kind: str, docs: Mapping[str, Document], sink: Sink
) -> list[Item]:
    """The first item of each id, in order; every later one is a duplicate-id error."""
    seen: dict[str, Item] = {}
    for item in items:
        first = seen.setdefault(fold(item.id), item)
        if first is not item:
            same = "" if first.id == item.id else f" (as {first.id!r}: ids differ only by case)"
            _block(docs, sink, item.path, item.line, item.id).error(
                "duplicate-id",
                "id",
                f"{kind} id {item.id!r} is already used{same} at {first.path}:{first.line}",
            )
    return list(seen.values())


def unique_objectives(
    objectives: Sequence[Objective], docs: Mapping[str, Document], sink: Sink
) -> dict[str, Objective]:
    return {o.id: o for o in _first_of_each(objectives, "objective", docs, sink)}


def unique_questions(
    questions: Sequence[Question], docs: Mapping[str, Document], sink: Sink
) -> tuple[Question, ...]:
    return tuple(_first_of_each(questions, "question", docs, sink))


def check_references(
    header: Header | None,
    tables: Tables,
    objectives: Mapping[str, Objective],
    questions: Sequence[Question],
    docs: Mapping[str, Document],
    sink: Sink,
) -> None:
    for key, source in tables.sources.items():
        path, line = tables.source_at[key]
        block = _block(docs, sink, path, line, key)
        for section, refs in source.sections.items():
            for ref in refs:
                if ref not in tables.references:
                    block.error(
                        "unknown-reference",
                        "sections",
                        f"section {section!r} cites reference {ref!r}, "
                        "which is not in [references]",
                    )
    for o in objectives.values():
        block = _block(docs, sink, o.path, o.line, o.id)
        if header is not None and header.topics and o.topic and o.topic not in header.topics:
            block.error(
                "unknown-topic",
                "topic",
                f"topic {o.topic!r} is not in [bank].topics ({', '.join(header.topics)})",
            )
        for citation in o.sources:
            doc, sep, section = citation.partition(":")
            if not sep or not doc or not section:
                block.error(
                    "bad-value",
                    "sources",
                    f"citation {citation!r} must look like 'source:section', "
                    "e.g. 'thermal-rhizotomy:P2'",
                )
            elif doc not in tables.sources:
                known = ", ".join(sorted(tables.sources)) or "none defined"
                block.error(
                    "unknown-source",
                    "sources",
                    f"citation {citation!r} names unknown source {doc!r} (known: {known})",
                )
            elif section not in tables.sources[doc].sections:
                known = ", ".join(tables.sources[doc].sections)
                block.error(
                    "unknown-section",
                    "sources",
                    f"citation {citation!r}: source {doc!r} has no section {section!r} "
                    f"(sections: {known})",
                )
    for q in questions:
        block = _block(docs, sink, q.path, q.line, q.id)
        for oid in q.objectives:
            if oid not in objectives:
                block.error("unknown-objective", "objectives", f"unknown objective {oid!r}")
            elif objectives[oid].retired and not q.retired:
                block.error(
                    "retired-objective",
                    "objectives",
                    f"objective {oid!r} is retired: cite the objective that replaced it",
                )
    ids = {q.id for q in questions}
    for q in questions:
        for entry in q.ignores:
            if entry.other and entry.other not in ids:
                _block(docs, sink, q.path, q.line, q.id).error(
                    "unknown-question",
                    "lint_ignore",
                    f"lint_ignore names unknown question {entry.other!r} as the other of a "
                    "cross-cue pair",
                )
