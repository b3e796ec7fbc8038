"""Limits on a bank's size and shape, and the characters bank text may hold (all errors).

A bank is untrusted input, shared between colleagues like a web page. These limits keep the worst
bank that passes ``trainer check`` fast to load and to show (see questions/README.md, "Limits");
the bundled bank is far inside every one of them. Every string in a file, keys included, is also
checked for characters a terminal would act on or that hide text (trainer.safetext).
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Callable
from typing import TYPE_CHECKING, Any

from trainer.safetext import FORBIDDEN, describe, forbidden

if TYPE_CHECKING:
    from trainer.bank.fields import Sink
    from trainer.bank.files import Document

MAX_TEXT = 5_000  # characters in one string (a stem, an option, an explanation...)
MAX_ITEMS = 100  # items in one array of strings (topics, tags, objectives, sources)
MAX_BLANKS = 8  # blanks in one cloze stem
MAX_ALTERNATIVES = 10  # accepted answers in one blank ({{a|b|c}})
MAX_OPTIONS_READ = 26  # options read from one question (the types need 4-6: option-count)
MAX_QUESTIONS = 50_000  # questions in one bank (benchmarks run at 10k and 50k)
MAX_BANK_BYTES = 64_000_000  # all of a bank's files together (one file: files.MAX_FILE_BYTES)


def fold(text: str) -> str:
    """How names are compared: NFC, case-folded, NFC again (casefold may denormalise)."""
    return unicodedata.normalize("NFC", unicodedata.normalize("NFC", text).casefold())


Where = Callable[[], int | None]


def _strings(data: Any) -> list[str]:
    """Every string of parsed TOML, keys included (tomllib makes plain dicts, lists and str)."""
    out: list[str] = []
    stack = [data]
    while stack:
        value = stack.pop()
        if isinstance(value, str):
            out.append(value)
        elif isinstance(value, dict):
            out.extend(value)
            stack.extend(value.values())
        elif isinstance(value, list):
            stack.extend(value)
    return out


# TOML escapes that can make a character the text does not show (\t and \n are allowed).
_RISKY_ESCAPE = re.compile(r"\\[bfruU]")


def _plainly_clean(text: str) -> bool:
    """True when no string parsed from ``text`` can hold a forbidden character or be longer than
    MAX_TEXT: none is in the text, no escape could make one, and no string can be longer than its
    line (no multi-line strings; an escape only ever shortens a string)."""
    return (
        FORBIDDEN.search(text) is None
        and _RISKY_ESCAPE.search(text) is None
        and '"""' not in text
        and "'''" not in text
        and max(map(len, text.split("\n"))) <= MAX_TEXT
    )


def check_strings(doc: Document, sink: Sink) -> None:
    """Report each string (value or key) of ``doc`` that holds a forbidden character or is longer
    than MAX_TEXT, with its line, id and field. Lines are looked up only for a problem.

    The usual case, a file with no such string, is settled at C speed: from the file's text when
    it has no multi-line string and no escape that could make a forbidden character, else in one
    pass over all its strings together (joined by line breaks, which are allowed). Only a file
    with a problem is walked field by field to name it."""
    if doc.text and _plainly_clean(doc.text):
        return
    every = _strings(doc.data)
    if FORBIDDEN.search("\n".join(every)) is None and max(map(len, every), default=0) <= MAX_TEXT:
        return
    lines = doc.lines

    def report(text: str, field: str, ident: str, where: Where) -> None:
        bad = forbidden(text)
        if bad is not None:
            sink.add(
                "error",
                "control-char",
                f"{field or 'key'} contains {describe(bad)} at character {text.index(bad) + 1}; "
                "bank text may not hold control, bidi-override or invisible characters",
                path=doc.path,
                line=where(),
                id=ident,
                field=field,
            )
        if len(text) > MAX_TEXT:
            sink.add(
                "error",
                "over-limit",
                f"{field} is {len(text):,} characters long; the limit is {MAX_TEXT:,}",
                path=doc.path,
                line=where(),
                id=ident,
                field=field,
            )

    def walk(value: Any, field: str, ident: str, where: Where) -> None:
        if isinstance(value, str):
            report(value, field, ident, where)
        elif isinstance(value, dict):
            for key, item in value.items():
                name = f"{field}.{key}" if field else key
                report(key, name, ident, where)
                walk(item, name, ident, where)
        elif isinstance(value, list):
            for i, item in enumerate(value, start=1):
                walk(item, f"{field}[{i}]", ident, where)

    def table_keys(table: dict[str, Any], ident: str, prefix: str, block: Where) -> None:
        for key, value in table.items():
            name = prefix + key

            def at(key: str = key) -> int | None:
                line = block()
                return lines.key(line, key) or line

            report(key, name, ident, at)
            if prefix == "" and key == "options" and isinstance(value, list):
                for j, option in enumerate(value[:MAX_OPTIONS_READ]):
                    if isinstance(option, dict):

                        def sub(j: int = j) -> int | None:
                            return lines.sub_item(block(), "questions.options", j) or block()

                        table_keys(option, ident, f"options[{j + 1}].", sub)
                    else:
                        walk(option, f"options[{j + 1}]", ident, at)
            else:
                walk(value, name, ident, at)

    for top, value in doc.data.items():

        def top_line(top: str = top) -> int | None:
            return lines.table(top) or lines.top_key(top)

        report(top, top, "", top_line)
        if top in ("questions", "objectives") and isinstance(value, list):
            for i, item in enumerate(value):

                def item_line(top: str = top, i: int = i) -> int | None:
                    return lines.array_item(top, i) or lines.top_key(top)

                if isinstance(item, dict):
                    ident = item.get("id")
                    table_keys(item, ident if isinstance(ident, str) else "", "", item_line)
                else:
                    walk(item, f"{top}[{i + 1}]", "", item_line)
        elif top == "bank" and isinstance(value, dict):
            ident = value.get("id")
            table_keys(value, ident if isinstance(ident, str) else "", "", top_line)
        elif top in ("sources", "references") and isinstance(value, dict):
            for key, item in value.items():

                def entry_line(top: str = top, key: str = key) -> int | None:
                    if top == "sources":
                        return lines.table(f"sources.{key}") or top_line(top)
                    return lines.key(top_line(top), key) or top_line(top)

                report(key, "", key, entry_line)
                if isinstance(item, dict):
                    table_keys(item, key, "", entry_line)
                else:
                    walk(item, key, key, entry_line)
        else:
            walk(value, top, "", top_line)
