"""The trainee's settings file: TOML in the user config folder (no Textual here).

Where: ``trainer --config PATH``, else ``$TRAINER_CONFIG``, else ``config.toml`` in the platformdirs
config folder (see paths.default_config). Every key is optional; a missing file means Anki's
defaults. A bad value is reported (file, section and key, what is wrong) and its default is used;
the rest of the file still applies. Written back by :func:`save_config` (our own small TOML writer:
tomllib only reads), atomically (a temporary file beside it, then a rename). Saving edits the file
in place where it can: comments, blank lines, key order and keys this version does not know are
kept, and only the values that changed are rewritten (:func:`update_toml`).

    [study]
    new_per_day = 20            # new cards per day (0-9999)
    reviews_per_day = 200       # reviews per day (0-99999); also caps new cards, as in Anki
    day_starts_hour = 4         # the study day turns at this local hour (0-23)
    learning_steps = ["1m", "10m"]   # s, m, h or d; a bare number is minutes
    relearning_steps = ["10m"]
    leech_threshold = 8         # lapses before a card is a leech (1-99)
    leech_action = "tag"        # "tag" or "suspend"
    bury_new = true             # new siblings wait until tomorrow once one is studied
    bury_reviews = false        # due siblings wait too (off: a due review never waits)

    [fsrs]
    desired_retention = 0.9     # 0.70-0.99
    parameters = [0.212, ...]   # 21 FSRS-6 weights from `trainer fsrs optimize`; absent: defaults

    [ui]
    theme = "nord"
    last_bank = "/path/to/library/bank"   # the bank last picked from a library (written by the app)

    [keys]                      # binding id = keys (Textual's keymap), e.g. "home-study" = "s,f2"
"""

from __future__ import annotations

import contextlib
import json
import math
import os
import re
import tempfile
import tomllib
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field, replace
from datetime import timedelta, tzinfo
from pathlib import Path
from typing import Any

from trainer.engine.scheduler import Settings, SettingsError, check_parameters

DEFAULTS = Settings()


class ConfigError(ValueError):
    """The config file cannot be written (the message names it)."""


@dataclass(frozen=True)
class Config:
    """What the config file says: scheduling settings, the theme and key overrides.

    ``problems``: one sentence per bad value (already replaced by its default) or unknown key.
    """

    settings: Settings = field(default_factory=Settings)
    theme: str | None = None
    last_bank: str | None = None
    keys: Mapping[str, str] = field(default_factory=dict)
    path: Path | None = None
    problems: tuple[str, ...] = ()


# -- values --------------------------------------------------------------------------------------

_STEP = re.compile(r"^\s*(\d+(?:\.\d+)?)\s*([smhd]?)\s*$")
_UNIT_MINUTES = {"s": 1 / 60, "m": 1.0, "": 1.0, "h": 60.0, "d": 1440.0}
_KEY_ID = re.compile(r"^[A-Za-z0-9_-]+$")


def parse_step(value: object) -> timedelta:
    """``"10m"``, ``"1h"``, ``"2d"``, ``"30s"`` or a number of minutes, as a positive duration."""
    if isinstance(value, bool):
        raise ValueError(f"{value!r} is not a duration")
    if isinstance(value, int | float):
        minutes = float(value)
    elif isinstance(value, str) and (m := _STEP.match(value)):
        minutes = float(m.group(1)) * _UNIT_MINUTES[m.group(2)]
    else:
        raise ValueError(f'{value!r} is not a duration such as "10m", "1h" or "1d"')
    if not math.isfinite(minutes) or minutes <= 0 or minutes > 365 * 1440:
        raise ValueError(f"{value!r} must be more than 0 and at most a year")
    return timedelta(minutes=minutes)


def format_step(step: timedelta) -> str:
    """The inverse of parse_step, in the largest whole unit: 600 s is "10m"."""
    seconds = step.total_seconds()
    for unit, size in (("d", 86400), ("h", 3600), ("m", 60)):
        if seconds >= size and seconds % size == 0:
            return f"{int(seconds // size)}{unit}"
    if seconds == int(seconds):
        return f"{int(seconds)}s"
    return f"{seconds / 60:g}m"


def _steps(value: object) -> tuple[timedelta, ...]:
    if isinstance(value, str):
        value = value.replace(",", " ").split()
    if not isinstance(value, list):
        raise ValueError(f'expected a list of durations such as ["1m", "10m"], not {value!r}')
    if len(value) > 20:
        raise ValueError("at most 20 steps")
    return tuple(parse_step(v) for v in value)


def _int(lo: int, hi: int) -> Callable[[object], int]:
    def parse(value: object) -> int:
        if isinstance(value, bool) or not isinstance(value, int):
            raise ValueError(f"expected a whole number from {lo} to {hi}, not {value!r}")
        if not lo <= value <= hi:
            raise ValueError(f"must be from {lo} to {hi}, not {value}")
        return value

    return parse


def _bool(value: object) -> bool:
    if not isinstance(value, bool):
        raise ValueError(f"expected true or false, not {value!r}")
    return value


def _retention(value: object) -> float:
    if isinstance(value, bool) or not isinstance(value, int | float):
        raise ValueError(f"expected a number from 0.70 to 0.99, not {value!r}")
    if not 0.70 <= float(value) <= 0.99:
        raise ValueError(f"must be from 0.70 to 0.99, not {value}")
    return round(float(value), 4)


def _leech_action(value: object) -> str:
    if value not in ("tag", "suspend"):
        raise ValueError(f'expected "tag" or "suspend", not {value!r}')
    return str(value)


def _parameters(value: object) -> tuple[float, ...]:
    if not isinstance(value, list) or not all(
        isinstance(w, int | float) and not isinstance(w, bool) for w in value
    ):
        raise ValueError("expected a list of 21 numbers (FSRS-6 weights)")
    params = tuple(float(w) for w in value)
    try:
        check_parameters(params)
    except SettingsError as exc:
        raise ValueError(str(exc)) from exc
    return params


# (section, key) -> parser; the key is the Settings field of the same name.
SETTING_KEYS: dict[tuple[str, str], Callable[[object], Any]] = {
    ("study", "new_per_day"): _int(0, 9999),
    ("study", "reviews_per_day"): _int(0, 99999),
    ("study", "day_starts_hour"): _int(0, 23),
    ("study", "learning_steps"): _steps,
    ("study", "relearning_steps"): _steps,
    ("study", "leech_threshold"): _int(1, 99),
    ("study", "leech_action"): _leech_action,
    ("study", "bury_new"): _bool,
    ("study", "bury_reviews"): _bool,
    ("fsrs", "desired_retention"): _retention,
    ("fsrs", "parameters"): _parameters,
}
SECTIONS = ("study", "fsrs", "ui", "keys")


def _default_text(key: str) -> str:
    value = getattr(DEFAULTS, key)
    if isinstance(value, tuple) and value and isinstance(value[0], timedelta):
        return "[" + ", ".join(format_step(s) for s in value) + "]"
    if value is None:
        return "parameters"
    return json.dumps(value) if isinstance(value, str | bool) else str(value)


# -- reading -------------------------------------------------------------------------------------


def parse_config(text: str, source: str, *, tz: tzinfo | None = None) -> Config:
    """The config in ``text`` (``source`` names it in messages). Never raises on bad content."""
    problems: list[str] = []
    try:
        data = tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        return Config(
            settings=Settings(tz=tz),
            problems=(f"{source}: not valid TOML ({exc}); using the defaults for everything",),
        )
    kwargs: dict[str, Any] = {}
    theme: str | None = None
    last_bank: str | None = None
    keys: dict[str, str] = {}
    for section, table in data.items():
        if section not in SECTIONS:
            problems.append(f"{source}: unknown section [{section}], ignored")
            continue
        if not isinstance(table, dict):
            problems.append(f"{source}: {section} must be a section ([{section}]), ignored")
            continue
        for key, value in table.items():
            where = f"{source}: [{section}] {key}"
            if section == "keys":
                if not _KEY_ID.match(key):
                    problems.append(f"{where}: not a binding id, ignored")
                elif not isinstance(value, str) or not value.strip():
                    problems.append(f'{where}: expected keys such as "s" or "ctrl+s,f2", ignored')
                else:
                    keys[key] = ",".join(k.strip() for k in value.split(",") if k.strip())
                continue
            if section == "ui" and key == "theme":
                if isinstance(value, str) and value.strip():
                    theme = value.strip()
                else:
                    problems.append(f"{where}: expected a theme name, ignored")
                continue
            if section == "ui" and key == "last_bank":
                if isinstance(value, str) and value.strip():
                    last_bank = value.strip()
                else:
                    problems.append(f"{where}: expected the path of a bank, ignored")
                continue
            parse = SETTING_KEYS.get((section, key))
            if parse is None:
                problems.append(f"{where}: unknown key, ignored")
                continue
            try:
                kwargs[key] = parse(value)
            except ValueError as exc:
                problems.append(f"{where}: {exc}; using the default {_default_text(key)}")
    try:
        settings = Settings(tz=tz, **kwargs)
    except SettingsError as exc:  # pragma: no cover - every key is checked above
        problems.append(f"{source}: {exc}; using the defaults")
        settings = Settings(tz=tz)
    return Config(
        settings=settings,
        theme=theme,
        last_bank=last_bank,
        keys=keys,
        problems=tuple(problems),
    )


def load_config(path: Path, *, tz: tzinfo | None = None) -> Config:
    """Read ``path``; a missing file is the defaults, an unreadable one a problem + defaults."""
    try:
        text = path.read_text(encoding="utf-8")
    except FileNotFoundError:
        return Config(settings=Settings(tz=tz), path=path)
    except (OSError, UnicodeDecodeError) as exc:
        return Config(
            settings=Settings(tz=tz),
            path=path,
            problems=(f"{path}: cannot be read ({exc}); using the defaults",),
        )
    return replace(parse_config(text, str(path), tz=tz), path=path)


def resolve_config_path(cli: Path | None) -> Path:
    """``--config`` over ``$TRAINER_CONFIG`` over the user config folder."""
    from trainer import paths

    return cli if cli is not None else paths.default_config()


# -- writing -------------------------------------------------------------------------------------


def _toml_key(key: str) -> str:
    return key if _KEY_ID.match(key) else json.dumps(key, ensure_ascii=False)


def _toml_value(value: object) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, int):
        return str(value)
    if isinstance(value, float):
        if not math.isfinite(value):
            raise ConfigError(f"cannot write {value!r} to TOML")
        return repr(value)
    if isinstance(value, str):
        # JSON's escapes (\\", \\\\, \\n, \\uXXXX) are valid in TOML basic strings.
        return json.dumps(value, ensure_ascii=False)
    if isinstance(value, list | tuple):
        return "[" + ", ".join(_toml_value(v) for v in value) + "]"
    raise ConfigError(f"cannot write {value!r} to TOML")


def _setting_value(settings: Settings, key: str) -> object:
    value = getattr(settings, key)
    if key.endswith("_steps"):
        return [format_step(s) for s in value]
    return value


def config_to_toml(config: Config) -> str:
    """The TOML text for ``config`` (every setting, so the file shows what can be changed)."""
    lines = ["# trainer settings (edited by the Settings screen; see `trainer --help`)"]
    for section in ("study", "fsrs"):
        lines += ["", f"[{section}]"]
        for (sec, key), _parse in SETTING_KEYS.items():
            if sec != section:
                continue
            value = _setting_value(config.settings, key)
            if value is not None:
                lines.append(f"{key} = {_toml_value(value)}")
    ui = [
        f"{key} = {_toml_value(value)}"
        for key, value in (("theme", config.theme), ("last_bank", config.last_bank))
        if value is not None
    ]
    if ui:
        lines += ["", "[ui]", *ui]
    if config.keys:
        lines += ["", "[keys]"]
        lines += [f"{_toml_key(k)} = {_toml_value(v)}" for k, v in sorted(config.keys.items())]
    return "\n".join(lines) + "\n"


_SECTION_LINE = re.compile(r"^\s*\[\s*([A-Za-z0-9_-]+)\s*\]\s*(?:#.*)?$")
_KEY_LINE = re.compile(r'^\s*("(?:[^"\\]|\\.)*"|[A-Za-z0-9_-]+)\s*=')


def _statement(lines: list[str], start: int) -> tuple[int, dict[str, Any]] | None:
    """The key/value statement starting at line ``start``: (lines it spans, parsed) or None."""
    for end in range(start + 1, min(len(lines), start + 200) + 1):
        try:
            return end - start, tomllib.loads("\n".join(lines[start:end]))
        except tomllib.TOMLDecodeError:
            continue
    return None


def _trailing_comment(line: str, parsed: dict[str, Any]) -> str:
    """`` # ...`` after a one-line value (kept when the value is rewritten), or ""."""
    for i, ch in enumerate(line):
        if ch == "#":
            try:
                if tomllib.loads(line[:i]) == parsed:
                    return "  " + line[i:].lstrip()
            except tomllib.TOMLDecodeError:
                continue
    return ""


def update_toml(old: str, new: str) -> str:
    """``old`` (the file as the trainee left it) with the values of ``new`` (config_to_toml's
    text): each key of ``new`` replaces its line in ``old`` (keeping a trailing comment) or is
    added at the end of its section; a key of a known section that ``new`` no longer has is
    removed; everything else (comments, blank lines, order, unknown keys) stays. Raises
    ValueError where ``old`` is not plain enough to edit safely (the caller then rewrites)."""
    want: dict[str, dict[str, Any]] = tomllib.loads(new)
    lines = old.splitlines()
    out: list[str] = []
    section: str | None = None
    seen: set[tuple[str, str]] = set()
    section_end: dict[str, int] = {}  # index in out after a known section's last statement
    i = 0
    while i < len(lines):
        line = lines[i]
        header = _SECTION_LINE.match(line)
        if header:
            section = header.group(1)
            out.append(line)
            section_end[section] = len(out)
            i += 1
            continue
        if not _KEY_LINE.match(line):
            out.append(line)  # a comment, a blank line (anything else fails the check below)
            i += 1
            continue
        found = _statement(lines, i)
        if found is None or section is None:
            raise ValueError(f"line {i + 1} is not a plain key = value in a section")
        span, parsed = found
        (key,) = parsed
        if section in SECTIONS:
            table = want.get(section, {})
            if key in table:
                seen.add((section, key))
                rewritten = f"{_toml_key(key)} = {_toml_value(table[key])}"
                if {key: table[key]} == parsed:
                    out.extend(lines[i : i + span])  # unchanged: kept exactly as written
                else:
                    comment = _trailing_comment(line, parsed) if span == 1 else ""
                    out.append(rewritten + comment)
            elif section in ("keys", "ui") or (section, key) in SETTING_KEYS:
                pass  # a value the config no longer has (a key binding removed): dropped
            else:
                out.extend(lines[i : i + span])  # unknown here: kept
        else:
            out.extend(lines[i : i + span])
        section_end[section] = len(out)
        i += span
    # keys that the file does not have yet: at the end of their section, or in a new section
    inserts: dict[int, list[str]] = {}
    tail: list[str] = []
    for sec, table in want.items():
        missing = [f"{_toml_key(k)} = {_toml_value(v)}" for k, v in table.items()]
        missing = [m for m, k in zip(missing, table, strict=True) if (sec, k) not in seen]
        if not missing:
            continue
        if sec in section_end:
            inserts.setdefault(section_end[sec], []).extend(missing)
        else:
            tail += ["", f"[{sec}]", *missing]
    for at in sorted(inserts, reverse=True):
        out[at:at] = inserts[at]
    text = "\n".join(out + tail) + "\n"
    merged = tomllib.loads(text)
    if {sec: merged.get(sec, {}) for sec in SECTIONS} != {
        sec: {**_unknown(merged.get(sec, {}), sec), **want.get(sec, {})} for sec in SECTIONS
    }:
        raise ValueError("the edited file would not say what the settings say")
    return text


def _unknown(table: Any, section: str) -> dict[str, Any]:
    """The keys of ``table`` that this version does not know (kept in the file as they are)."""
    if not isinstance(table, dict) or section in ("keys", "ui"):
        return {}
    return {k: v for k, v in table.items() if (section, k) not in SETTING_KEYS}


def save_config(config: Config, path: Path | None = None) -> Path:
    """Write ``config`` to ``path`` (default: config.path) atomically; the path written.

    Raises ConfigError (naming the file) when it cannot be written."""
    target = path if path is not None else config.path
    if target is None:
        raise ConfigError("no config file to write to")
    text = config_to_toml(config)
    with contextlib.suppress(OSError, UnicodeDecodeError, ValueError):
        # keep the trainee's comments and layout where the file is plain enough to edit
        text = update_toml(target.read_text(encoding="utf-8"), text)
    try:
        target.parent.mkdir(parents=True, exist_ok=True)
        fd, tmp = tempfile.mkstemp(prefix=f".{target.name}.", suffix=".tmp", dir=target.parent)
        try:
            with os.fdopen(fd, "w", encoding="utf-8") as f:
                f.write(text)
                f.flush()
                os.fsync(f.fileno())
            os.replace(tmp, target)
        except BaseException:
            with contextlib.suppress(OSError):
                os.unlink(tmp)
            raise
    except OSError as exc:
        raise ConfigError(f"cannot write the config file {target}: {exc}") from exc
    return target
