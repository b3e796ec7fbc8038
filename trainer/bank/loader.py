"""Load a bank from a TOML file or a folder of TOML files, reporting every problem found.

``load_bank`` never raises on bad input: problems are values (path, line, id, field, severity,
message ending with a ``[code]``). It returns the Bank when there are no errors (warnings allowed).

Every file is read once, then parsed and scanned once. The whole result is cached (see
trainer.bank.cache), keyed by the files' bytes, so an unchanged bank is not parsed again; a warm
start whose files' stats match the entry's stamp does not even read them.
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from trainer.bank import cache
from trainer.bank.fields import Sink
from trainer.bank.files import discover, display, read_bytes
from trainer.bank.limits import MAX_BANK_BYTES, MAX_QUESTIONS
from trainer.bank.models import Bank, Problem
from trainer.gcpause import gc_paused
from trainer.safetext import describe, forbidden

if TYPE_CHECKING:
    from trainer.bank.files import Document
    from trainer.bank.models import Objective, Question

TOP_KEYS = {"bank", "sources", "references", "objectives", "questions"}


class HasProblems:
    """The ``errors`` and ``warnings`` views of a result holding ``problems``."""

    problems: tuple[Problem, ...]

    @property
    def errors(self) -> tuple[Problem, ...]:
        return tuple(p for p in self.problems if p.severity == "error")

    @property
    def warnings(self) -> tuple[Problem, ...]:
        return tuple(p for p in self.problems if p.severity == "warning")


@dataclass(frozen=True)
class LoadResult(HasProblems):
    """What was read (possibly partial, for counting) and every problem found."""

    bank: Bank | None
    problems: tuple[Problem, ...]


def load_bank(path: Path, *, use_cache: bool = True) -> tuple[Bank | None, list[Problem]]:
    """The bank at ``path`` (None if it has any error) and every problem found."""
    result = read_bank(path, use_cache=use_cache)
    return (None if result.errors else result.bank), list(result.problems)


def read_bank(path: Path, *, use_cache: bool = True) -> LoadResult:
    """Like load_bank, but the (possibly partial) bank is returned even when there are errors.

    With ``use_cache`` the result comes from the parsed-bank cache when the files are unchanged,
    and is stored there otherwise; the result is the same either way.
    """
    sink = Sink()
    with gc_paused():
        try:
            return _read(Path(path), sink, use_cache)
        except RecursionError:
            sink.add("error", "toml-nesting", "bank is nested too deeply to read", path=str(path))
            return LoadResult(None, tuple(sink.problems))


def _read(path: Path, sink: Sink, use_cache: bool) -> LoadResult:
    files: list[tuple[str, bytes | None, list[Problem]]] = []
    read: list[tuple[Path, bytes | None]] = []
    total = 0
    found = discover(path, sink)
    names = [display(path), str(path), *(display(file) for file in found)]
    resolved = os.path.realpath(path)
    current = None
    if use_cache and found and not sink.problems:
        # A warm start: the files' stats alone, matching the entry's stamp, serve the cache.
        current = cache.stamp(resolved, found)
        if current is not None:
            cached = cache.load_stamped(str(path), current, names)
            if cached is not None:
                return cached
    for file in found:
        own = Sink()  # kept apart so that problems stay in file order, reading then parsing
        shown = display(file)
        bad = forbidden(file.name)
        if bad is not None:
            own.add(
                "error",
                "control-char",
                f"the file name contains {describe(bad)}; rename the file",
                path=shown,
            )
        raw = read_bytes(file, own)
        total += len(raw or b"")
        if total > MAX_BANK_BYTES:
            sink.add(
                "error",
                "over-limit",
                f"the bank's files hold more than {MAX_BANK_BYTES // 1_000_000} MB together; "
                "split it into several banks",
                path=display(path),
            )
            return LoadResult(None, tuple(sink.problems))
        files.append((shown, raw, own.problems))
        read.append((file, raw))
    key = None
    if use_cache and files and not sink.problems and all(raw is not None for _, raw, _ in files):
        key = cache.key(
            resolved,
            [(os.path.relpath(os.path.realpath(f), resolved), raw or b"") for f, raw in read],
        )
        cached = cache.load(str(path), key, names, current)
        if cached is not None:
            return cached
    result = _parse(path, files, sink)
    if key is not None:
        cache.store(str(path), key, result, names, current)
    return result


def _parse(
    path: Path, files: list[tuple[str, bytes | None, list[Problem]]], sink: Sink
) -> LoadResult:
    # The parser, checks and lint are imported by the first parse: a start served by the
    # parsed-bank cache needs none of them.
    from trainer.bank import crossref
    from trainer.bank.codes import code_of
    from trainer.bank.coverage import check_coverage
    from trainer.bank.fields import Block
    from trainer.bank.files import parse
    from trainer.bank.header import Header, Tables, read_header, read_references, read_sources
    from trainer.bank.items import read_objectives, read_questions
    from trainer.bank.limits import check_strings
    from trainer.bank.lint import lint_bank

    docs: dict[str, Document] = {}
    for shown, raw, problems in files:
        sink.problems.extend(problems)
        doc = None if raw is None else parse(shown, raw, sink)
        if doc is not None:
            check_strings(doc, sink)
            docs[doc.path] = doc
    if not docs:
        return LoadResult(None, tuple(sink.problems))
    # A file that could not be read as TOML may hold the header, the sources or the objectives
    # the others cite: until it is fixed, what is missing is not reported again as hundreds of
    # unknown objectives and sources (its syntax error is the one to fix first).
    unread = any(code_of(p) == "toml-syntax" for p in sink.problems)

    header: Header | None = None
    header_doc: Document | None = None
    tables = Tables()
    objectives: list[Objective] = []
    questions: list[Question] = []
    for doc in docs.values():
        for key in doc.data:
            if key not in TOP_KEYS:
                line = doc.lines.table(key) or doc.lines.top_key(key)
                if line is None:
                    line = next(
                        (n for n, _, h in doc.lines.headers if h.split(".")[0] == key), None
                    )
                Block(sink, doc.path, doc.lines, line).error(
                    "unknown-key",
                    key,
                    f"unknown top-level key {key!r} (known: {', '.join(sorted(TOP_KEYS))})",
                    line=line,
                )
        if "bank" in doc.data:
            if header_doc is None:
                header_doc = doc
                header = read_header(doc, sink)
            else:
                line = doc.lines.table("bank") or doc.lines.top_key("bank")
                sink.add(
                    "error",
                    "extra-header",
                    f"a second [bank] header; the bank's header is in {header_doc.path}",
                    path=doc.path,
                    line=line,
                    field="bank",
                )
        if "sources" in doc.data:
            read_sources(doc, sink, tables)
        if "references" in doc.data:
            read_references(doc, sink, tables)
        if "objectives" in doc.data:
            objectives.extend(read_objectives(doc, sink))
        if "questions" in doc.data:
            questions.extend(read_questions(doc, sink))

    if header_doc is None and not unread:
        where = display(path)
        sink.add(
            "error",
            "no-header",
            "no [bank] header: one file must hold [bank] (id, title, version, topics)",
            path=where,
        )
    objective_map = crossref.unique_objectives(objectives, docs, sink)
    unique = crossref.unique_questions(questions, docs, sink)
    if len(unique) > MAX_QUESTIONS:
        sink.add(
            "error",
            "over-limit",
            f"the bank has {len(unique):,} questions; the limit is {MAX_QUESTIONS:,} "
            "(split it into several banks)",
            path=display(path),
        )
    if not unread:
        crossref.check_references(header, tables, objective_map, unique, docs, sink)

    head = header or Header()
    bank = Bank(
        id=head.id,
        title=head.title,
        version=head.version,
        topics=head.topics,
        sources=tables.sources,
        references=tables.references,
        objectives=objective_map,
        questions=unique,
        root=str(path),
        files=tuple(docs),
    )
    lint_bank(bank, head, docs, sink)
    check_coverage(bank, head, docs, tables, sink)
    return LoadResult(bank, tuple(sink.problems))
