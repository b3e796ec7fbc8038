"""Every key binding has an id, so the config file's ``[keys]`` can rebind it (Textual keymap)."""

from __future__ import annotations

import importlib
import inspect
import pkgutil
from collections import defaultdict
from collections.abc import Iterable, Mapping
from functools import cache

from textual.binding import Binding
from textual.dom import DOMNode

import trainer.tui


@cache
def all_bindings() -> tuple[tuple[str, Binding], ...]:
    """(owner, binding) for every binding declared in trainer.tui (its modules are imported)."""
    out: list[tuple[str, Binding]] = []
    seen: set[int] = set()
    for info in pkgutil.walk_packages(trainer.tui.__path__, "trainer.tui."):
        module = importlib.import_module(info.name)
        for name, cls in inspect.getmembers(module, inspect.isclass):
            if not issubclass(cls, DOMNode) or not cls.__module__.startswith("trainer."):
                continue
            for b in cls.__dict__.get("BINDINGS", []):
                if isinstance(b, Binding) and id(b) not in seen:
                    seen.add(id(b))
                    out.append((f"{cls.__module__}.{name}", b))
    return tuple(out)


def binding_ids() -> dict[str, Binding]:
    """Binding id -> binding."""
    return {b.id: b for _owner, b in all_bindings() if b.id}


def unknown_binding_ids(ids: Iterable[str]) -> list[str]:
    wanted = list(ids)
    if not wanted:
        return []
    known = binding_ids()
    return sorted(i for i in wanted if i not in known)


def key_list(text: str) -> list[str]:
    """The keys of a binding's ``"s,f2"``."""
    return [k.strip() for k in text.split(",") if k.strip()]


def clashing_keys(keymap: Mapping[str, str]) -> list[str]:
    """Keys ``keymap`` gives a binding that another binding of the same screen or widget has
    (after the keymap): "x: home-study, home-past-exams". Keys two bindings share by design
    (Enter's submit and keep, one of which applies at a time) are not reported."""
    if not keymap:
        return []  # (knowing every binding imports every screen)
    by_owner: dict[str, list[Binding]] = defaultdict(list)
    for owner, binding in all_bindings():
        by_owner[owner].append(binding)
    clashes: set[str] = set()
    for bindings in by_owner.values():
        holders: dict[str, set[str]] = defaultdict(set)
        for b in bindings:
            for key in key_list(keymap.get(b.id, b.key) if b.id else b.key):
                holders[key].add(b.id or b.action)
        for b in bindings:
            if not b.id or b.id not in keymap:
                continue
            for key in set(key_list(keymap[b.id])) - set(key_list(b.key)):
                if len(holders[key]) > 1:
                    clashes.add(f"{key}: {', '.join(sorted(holders[key]))}")
    return sorted(clashes)
