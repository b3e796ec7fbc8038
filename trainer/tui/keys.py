"""Every key binding has an id, so the config file's ``[keys]`` can rebind it (Textual keymap)."""

from __future__ import annotations

import importlib
import inspect
import pkgutil
from collections.abc import Iterable
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
