"""The bundled thermal rhizotomy bank passes `trainer check` with full coverage."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

from trainer import paths
from trainer.bank.loader import read_bank
from trainer.bank.models import QUESTION_TYPES

REPO = Path(__file__).resolve().parents[2]


def test_bundled_bank_checks_clean() -> None:
    bank = paths.bundled_bank()
    run = subprocess.run(
        [sys.executable, "-m", "trainer", "check", "--bank", str(bank), "--json"],
        cwd=REPO,
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert "Traceback" not in run.stdout + run.stderr
    report = json.loads(run.stdout)
    errors = [p for p in report["problems"] if p["severity"] == "error"]
    assert run.returncode == 0, errors
    assert report["errors"] == 0
    # every warning is fixed or accepted per question with lint_ignore and a reason
    assert report["warnings"] == 0, [p["message"] for p in report["problems"]]
    assert report["objectives"] >= 70
    assert report["active"] >= 180
    assert report["by_kind"].get("missing", 0) == 0
    assert report["application_share"] >= 0.40
    assert set(report["by_type"]) == set(QUESTION_TYPES)
    loaded = read_bank(bank).bank
    assert loaded is not None
    assert len(loaded.topics) >= 8
    assert set(report["by_topic"]) == set(loaded.topics)
    assert report["uncovered"] == []
    # every clinical note is behind an objective (unverified ones only as context in explanations)
    notes = loaded.sources["clinical-notes"].sections
    cited = {c.partition(":")[2] for o in loaded.objectives.values() for c in o.sources}
    assert set(notes) - cited == set()
    assert not any(p["code"] in {"uncited-section", "empty-topic"} for p in report["problems"])
