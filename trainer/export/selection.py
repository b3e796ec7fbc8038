"""Which questions an export holds: the non-retired questions, optionally by topic and type."""

from __future__ import annotations

from collections.abc import Iterable

from trainer.bank.models import QUESTION_TYPES, Bank, Question, topic_title
from trainer.export.errors import ExportError


def _resolve_topic(bank: Bank, name: str) -> str:
    """A topic id from its id or its title ("patient-selection" or "Patient selection")."""
    wanted = name.strip().casefold()
    for topic in bank.topics:
        if wanted in (topic.casefold(), topic_title(topic).casefold()):
            return topic
    raise ExportError(
        f"unknown topic {name!r}; the topics of this bank are: {', '.join(bank.topics)}"
    )


def _resolve_type(name: str) -> str:
    wanted = name.strip().casefold().replace("-", "_")
    if wanted in QUESTION_TYPES:
        return wanted
    raise ExportError(f"unknown question type {name!r}; the types are: {', '.join(QUESTION_TYPES)}")


def select_questions(
    bank: Bank, topics: Iterable[str] = (), types: Iterable[str] = ()
) -> tuple[Question, ...]:
    """The non-retired questions of ``bank`` in the given topics and types (all when empty).

    Raises ExportError for an unknown topic or type, or when nothing is left to export.
    """
    topic_set = {_resolve_topic(bank, t) for t in topics}
    type_set = {_resolve_type(t) for t in types}
    chosen = tuple(
        q
        for q in bank.active_questions
        if (not topic_set or bank.topic_of(q) in topic_set) and (not type_set or q.type in type_set)
    )
    if not chosen:
        what = "the bank has no questions to export"
        if topic_set or type_set:
            what = "no question matches the filter"
        raise ExportError(what)
    return chosen
