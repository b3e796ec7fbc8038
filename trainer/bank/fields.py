"""Typed reads of TOML values that report, not raise, when a value is missing or mistyped."""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from dataclasses import dataclass, field

from trainer.bank import codes
from trainer.bank.limits import MAX_ITEMS
from trainer.bank.lines import LineIndex
from trainer.bank.models import Problem, Severity


def toml_type(value: object) -> str:
    """The TOML name of a parsed value's type, with its article: "an integer", "a string"."""
    if isinstance(value, bool):
        return "a boolean"
    if isinstance(value, int):
        return "an integer"
    if isinstance(value, float):
        return "a float"
    if isinstance(value, str):
        return "a string"
    if isinstance(value, list):
        return "an array"
    if isinstance(value, dict):
        return "a table"
    if isinstance(value, dt.datetime | dt.date | dt.time):
        return "a date/time"
    return f"a {type(value).__name__}"


@dataclass
class Sink:
    """Collects problems."""

    problems: list[Problem] = field(default_factory=list)

    def add(
        self,
        severity: Severity,
        code: str,
        message: str,
        *,
        path: str,
        line: int | None = None,
        id: str = "",
        field: str = "",
    ) -> None:
        """Record a problem; its message ends with its code (see trainer.bank.codes)."""
        known = codes.ERRORS if severity == "error" else codes.WARNINGS
        if code not in known:  # a programming error, caught by the tests
            raise ValueError(f"unknown {severity} code {code!r}")
        self.problems.append(Problem(path, line, id, field, severity, f"{message} [{code}]"))


@dataclass
class Block:
    """One table of one file (``[bank]``, a ``[[questions]]`` item...), to locate problems."""

    sink: Sink
    path: str
    lines: LineIndex
    line: int | None  # the header line of the block
    id: str = ""
    prefix: str = ""  # prepended to field names, e.g. "options[2]."

    def line_of(self, key: str) -> int | None:
        return self.lines.key(self.line, key) if key else self.line

    def error(self, code: str, key: str, message: str, line: int | None = None) -> None:
        self.sink.add(
            "error",
            code,
            message,
            path=self.path,
            line=line if line is not None else self.line_of(key),
            id=self.id,
            field=self.prefix + key,
        )

    def warning(self, code: str, key: str, message: str) -> None:
        self.sink.add(
            "warning",
            code,
            message,
            path=self.path,
            line=self.line_of(key),
            id=self.id,
            field=self.prefix + key,
        )

    def unknown_keys(self, table: Mapping[str, object], allowed: set[str], what: str) -> None:
        for key in table:
            if key not in allowed:
                known = ", ".join(sorted(allowed))
                self.error("unknown-key", key, f"unknown key {key!r} in {what} (known: {known})")

    def mistyped(self, key: str, want: str, value: object) -> None:
        self.error("wrong-type", key, f"{key} must be {want}, not {toml_type(value)}")

    def missing(self, key: str, want: str) -> None:
        self.error("missing-field", key, f"missing required field {key!r} ({want})")

    def text(
        self,
        table: Mapping[str, object],
        key: str,
        *,
        required: bool = True,
        empty_ok: bool = False,
    ) -> str | None:
        """A string field; None when absent or wrong (and reported)."""
        if key not in table:
            if required:
                self.missing(key, "a string")
            return None
        value = table[key]
        if not isinstance(value, str):
            self.mistyped(key, "a string", value)
            return None
        if not empty_ok and not value.strip():
            self.error("bad-value", key, f"{key} must not be empty")
            return None
        return value

    def flag(self, table: Mapping[str, object], key: str, *, required: bool = False) -> bool | None:
        if key not in table:
            if required:
                self.missing(key, "true or false")
            return None
        value = table[key]
        if not isinstance(value, bool):
            self.mistyped(key, "true or false", value)
            return None
        return value

    def integer(self, table: Mapping[str, object], key: str) -> int | None:
        if key not in table:
            return None
        value = table[key]
        if isinstance(value, bool) or not isinstance(value, int):
            self.mistyped(key, "an integer", value)
            return None
        return value

    def texts(
        self,
        table: Mapping[str, object],
        key: str,
        *,
        required: bool = True,
        nonempty: bool = True,
    ) -> tuple[str, ...] | None:
        """An array of non-empty strings; None when absent or wrong (and reported)."""
        if key not in table:
            if required:
                self.missing(key, "an array of strings")
            return None
        value = table[key]
        if not isinstance(value, list):
            self.mistyped(key, "an array of strings", value)
            return None
        if len(value) > MAX_ITEMS:
            self.error(
                "over-limit", key, f"{key} has {len(value):,} items; the limit is {MAX_ITEMS}"
            )
            return None
        ok = True
        for i, item in enumerate(value, start=1):
            if not isinstance(item, str):
                self.error(
                    "wrong-type", key, f"{key} item {i} must be a string, not {toml_type(item)}"
                )
                ok = False
            elif not item.strip():
                self.error("bad-value", key, f"{key} item {i} is empty")
                ok = False
        if nonempty and not value:
            self.error("bad-value", key, f"{key} must not be an empty array")
            return None
        return tuple(str(v) for v in value) if ok else None
