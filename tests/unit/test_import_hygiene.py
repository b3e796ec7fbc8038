"""Only trainer.tui imports textual; genanki is imported lazily. Checked in fresh interpreters."""

from __future__ import annotations

import json
import subprocess
import sys

import pytest

PROBE = """
import importlib, json, sys
for name in sys.argv[1:]:
    importlib.import_module(name)
print(json.dumps(sorted(m for m in sys.modules)))
"""


def modules_after_import(*names: str) -> set[str]:
    proc = subprocess.run(
        [sys.executable, "-c", PROBE, *names],
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert proc.returncode == 0, proc.stderr
    return set(json.loads(proc.stdout))


def roots(modules: set[str]) -> set[str]:
    return {m.split(".")[0] for m in modules}


@pytest.mark.parametrize(
    "name", ["trainer.bank", "trainer.engine", "trainer.export", "trainer.cli"]
)
def test_no_textual_outside_the_tui(name: str) -> None:
    loaded = modules_after_import(name)
    assert name in loaded
    assert "textual" not in roots(loaded)
    assert "trainer.tui" not in loaded


@pytest.mark.parametrize("name", ["trainer", "trainer.cli", "trainer.engine", "trainer.bank"])
def test_no_genanki_on_the_start_path(name: str) -> None:
    loaded = modules_after_import(name)
    assert name in loaded
    assert "genanki" not in roots(loaded)


def test_all_four_together_stay_light() -> None:
    loaded = modules_after_import("trainer.bank", "trainer.engine", "trainer.export", "trainer.cli")
    assert not {"textual", "textual_plotext", "plotext", "torch"} & roots(loaded)
    assert "fsrs.optimizer" not in loaded  # py-fsrs's heavy optional part


def test_the_probe_can_see_textual_when_it_is_imported() -> None:
    # guards against a probe that could never fail
    assert "textual" in roots(modules_after_import("textual"))
