"""Coverage warnings: thin objectives, single-type objectives, uncited sections, empty topics.

An objective is covered when at least MIN_QUESTIONS active questions cite it (in any position) and
they are of at least MIN_TYPES types.
"""

from __future__ import annotations

from collections.abc import Mapping

from trainer.bank.fields import Block, Sink
from trainer.bank.files import Document
from trainer.bank.header import Header, Tables
from trainer.bank.models import Bank, QuestionType

MIN_QUESTIONS = 2
MIN_TYPES = 2


def question_types_by_objective(bank: Bank) -> dict[str, list[QuestionType]]:
    """For each objective, the types of the active questions citing it (one entry per question)."""
    found: dict[str, list[QuestionType]] = {oid: [] for oid in bank.active_objectives}
    for q in bank.active_questions:
        for oid in dict.fromkeys(q.objectives):
            if oid in found:
                found[oid].append(q.type)
    return found


def uncovered(bank: Bank) -> list[str]:
    """Ids of objectives short of coverage, in bank order."""
    return [
        oid
        for oid, types in question_types_by_objective(bank).items()
        if len(types) < MIN_QUESTIONS or len(set(types)) < MIN_TYPES
    ]


def check_coverage(
    bank: Bank, header: Header, docs: Mapping[str, Document], tables: Tables, sink: Sink
) -> None:
    for oid, types in question_types_by_objective(bank).items():
        o = bank.objectives[oid]
        block = Block(sink, o.path, docs[o.path].lines, o.line, id=oid)
        if len(types) < MIN_QUESTIONS:
            block.warning(
                "thin-objective",
                "id",
                f"objective has {len(types)} active question(s); write at least {MIN_QUESTIONS}",
            )
        elif len(set(types)) < MIN_TYPES:
            block.warning(
                "one-type",
                "id",
                f"all {len(types)} questions of this objective are {types[0]}; "
                f"use at least {MIN_TYPES} question types",
            )
    cited = {c for o in bank.active_objectives.values() for c in o.sources}
    for key, source in bank.sources.items():
        if not source.must_cover:
            continue
        missing = [s for s in source.sections if f"{key}:{s}" not in cited]
        if missing:
            path, line = tables.source_at[key]
            Block(sink, path, docs[path].lines, line, id=key).warning(
                "uncited-section",
                "sections",
                f"source {key!r} must be covered but no objective cites "
                + ", ".join(f"{key}:{s}" for s in missing),
            )
    topics_with_questions = {bank.topic_of(q) for q in bank.active_questions}
    if header.path in docs:
        block = Block(sink, header.path, docs[header.path].lines, header.line, id=bank.id)
        for topic in bank.topics:
            if topic not in topics_with_questions:
                block.warning("empty-topic", "topics", f"topic {topic!r} has no active questions")
