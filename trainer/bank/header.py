"""Reading the ``[bank]`` header, ``[sources.*]`` and ``[references]`` tables."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field

from trainer.bank.fields import Block, Sink, toml_type
from trainer.bank.files import Document
from trainer.bank.ids import check_id
from trainer.bank.limits import fold
from trainer.bank.models import Source, topic_title

BANK_KEYS = {"id", "title", "version", "topics"}
SOURCE_KEYS = {"title", "must_cover", "sections"}


@dataclass
class Header:
    id: str = ""
    title: str = ""
    version: str = ""
    topics: tuple[str, ...] = ()
    path: str = ""
    line: int | None = None


@dataclass
class Tables:
    """Sources and references gathered from every file."""

    sources: dict[str, Source] = field(default_factory=dict)
    references: dict[str, str] = field(default_factory=dict)
    # where each source and reference was defined: key -> (path, line)
    source_at: dict[str, tuple[str, int | None]] = field(default_factory=dict)
    reference_at: dict[str, tuple[str, int | None]] = field(default_factory=dict)


def read_header(doc: Document, sink: Sink) -> Header | None:
    value = doc.data.get("bank")
    block = Block(sink, doc.path, doc.lines, doc.lines.table("bank") or doc.lines.top_key("bank"))
    if not isinstance(value, dict):
        block.error("wrong-type", "", f"[bank] must be a table, not {toml_type(value)}")
        return None
    block.unknown_keys(value, BANK_KEYS, "[bank]")
    bank_id = block.text(value, "id")
    if bank_id is not None:
        check_id(block, "id", bank_id)
        block.id = bank_id
    header = Header(
        id=bank_id or "",
        title=block.text(value, "title") or "",
        version=block.text(value, "version") or "",
        path=doc.path,
        line=block.line,
    )
    topics = block.texts(value, "topics")
    if topics is not None:
        seen: dict[str, str] = {}
        for topic in topics:
            title = topic_title(topic)
            key = fold(" ".join(title.split()))
            first = seen.get(key)
            if first is None:
                seen[key] = topic
            elif first == topic:
                block.error("duplicate-key", "topics", f"topic {topic!r} is listed twice")
            else:
                block.error(
                    "duplicate-key",
                    "topics",
                    f"topics {first!r} and {topic!r} differ only by case, Unicode form, "
                    f"spaces, '-' or '_' (both show as {title!r})",
                )
        header.topics = tuple(dict.fromkeys(topics))
    return header


def read_sources(doc: Document, sink: Sink, tables: Tables) -> None:
    value = doc.data["sources"]
    top = Block(
        sink, doc.path, doc.lines, doc.lines.table("sources") or doc.lines.top_key("sources")
    )
    if not isinstance(value, dict):
        top.error("wrong-type", "", f"[sources] must be a table of sources, not {toml_type(value)}")
        return
    for key, table in value.items():
        line = doc.lines.table(f"sources.{key}") or top.line
        block = Block(sink, doc.path, doc.lines, line, id=key, prefix="")
        if not isinstance(table, dict):
            block.error("wrong-type", "", f"source {key!r} must be a table, not {toml_type(table)}")
            continue
        source = _read_source(block, key, table)
        if source is None:
            continue
        if key in tables.sources:
            first = tables.source_at[key]
            block.error(
                "duplicate-key", "", f"source {key!r} is defined twice (first at {_at(first)})"
            )
            continue
        tables.sources[key] = source
        tables.source_at[key] = (doc.path, line)


def _read_source(block: Block, key: str, table: Mapping[str, object]) -> Source | None:
    block.unknown_keys(table, SOURCE_KEYS, f"source {key!r}")
    if ":" in key or not key.strip():
        block.error("bad-value", "", f"source key {key!r} must be non-empty and contain no ':'")
    title = block.text(table, "title")
    must_cover = block.flag(table, "must_cover")
    raw = table.get("sections")
    sections: dict[str, tuple[str, ...]] = {}
    if raw is None:
        block.missing("sections", "a table of section = [reference keys]")
    elif not isinstance(raw, dict):
        block.mistyped("sections", "a table of section = [reference keys]", raw)
    else:
        if not raw:
            block.error("bad-value", "sections", "sections must name at least one section")
        for name, refs in raw.items():
            if not isinstance(refs, list) or not all(isinstance(r, str) for r in refs):
                block.error(
                    "wrong-type",
                    "sections",
                    f"section {name!r} must list reference keys as strings, not {toml_type(refs)}",
                )
                continue
            sections[name] = tuple(refs)
    return Source(key=key, title=title or key, sections=sections, must_cover=bool(must_cover))


def read_references(doc: Document, sink: Sink, tables: Tables) -> None:
    value = doc.data["references"]
    line = doc.lines.table("references") or doc.lines.top_key("references")
    block = Block(sink, doc.path, doc.lines, line)
    if not isinstance(value, dict):
        block.error(
            "wrong-type",
            "",
            f"[references] must be a table of key = text, not {toml_type(value)}",
        )
        return
    for key, text in value.items():
        block.id = key
        if not isinstance(text, str) or not text.strip():
            block.error("wrong-type", key, f"reference {key!r} must be non-empty text")
            continue
        if key in tables.references:
            first = tables.reference_at[key]
            block.error(
                "duplicate-key", key, f"reference {key!r} is defined twice (first at {_at(first)})"
            )
            continue
        tables.references[key] = text
        tables.reference_at[key] = (doc.path, block.line_of(key))


def _at(where: tuple[str, int | None]) -> str:
    path, line = where
    return f"{path}:{line}" if line else path
