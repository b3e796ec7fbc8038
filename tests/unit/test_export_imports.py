"""Keeping the start path light: importing trainer or its export code must not import genanki."""

from __future__ import annotations

import subprocess
import sys

HEAVY = ("genanki", "anki", "textual", "chevron", "yaml")


def test_export_modules_do_not_import_genanki() -> None:
    code = (
        "import sys\n"
        "import trainer, trainer.cli, trainer.export, trainer.export.command\n"
        "import trainer.export.anki, trainer.export.package_file, trainer.export.progress\n"
        f"heavy = {HEAVY!r}\n"
        "print(sorted(m for m in sys.modules if m.split('.')[0] in heavy))\n"
    )
    result = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, timeout=60, check=True
    )
    assert result.stdout.strip() == "[]", result.stdout


def test_export_does_import_genanki_when_it_runs() -> None:
    """The counter-check: the probe above would see genanki if an export had run."""
    code = (
        "import sys\n"
        "from trainer.export.ids import note_guid\n"
        "note_guid('b', 'q')\n"
        "print('genanki' in sys.modules)\n"
    )
    result = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, timeout=60, check=True
    )
    assert result.stdout.strip() == "True"
