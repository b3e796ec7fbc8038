"""`trainer check`: text and JSON output, exit codes, paths, and check_bank for other code."""

from __future__ import annotations

import io
import json
import subprocess
import sys
from pathlib import Path

import pytest

from trainer.bank import files
from trainer.bank.check import check_bank, run_check
from trainer.bank.codes import code_of

REPO = Path(__file__).resolve().parents[2]


def cli(*args: str, cwd: Path = REPO) -> subprocess.CompletedProcess[str]:
    run = subprocess.run(
        [sys.executable, "-m", "trainer", "check", *args],
        cwd=cwd,
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert "Traceback" not in run.stdout + run.stderr
    return run


def test_valid_bank_text(mini_2files_path: Path) -> None:
    run = cli("--bank", str(mini_2files_path))
    assert run.returncode == 0
    assert run.stdout == (
        "tests/data/mini-2files: 6 questions, 3 objectives, 0 errors, 0 warnings\n"
    )
    assert run.stderr == ""


def test_valid_bank_json(mini_bank_path: Path) -> None:
    run = cli("--bank", str(mini_bank_path), "--json")
    assert run.returncode == 0
    report = json.loads(run.stdout)
    assert report == {
        "bank": "tests/data/mini/bank.toml",
        "id": "mini",
        "questions": 6,
        "active": 6,
        "retired": 0,
        "objectives": 3,
        "retired_objectives": 0,
        "by_type": {
            "single": 1,
            "multiple": 1,
            "true_false": 1,
            "order": 1,
            "cloze": 1,
            "recall": 1,
        },
        "by_topic": {"procedure": 4, "risks": 2},
        "by_kind": {"application": 1, "recall": 5},
        "application_share": 0.167,
        "sources_cited": [
            "clinical-notes:N18",
            "clinical-notes:N8",
            "clinical-notes:N9",
            "thermal-rhizotomy:P2",
            "thermal-rhizotomy:P4",
        ],
        "uncovered": [],
        "errors": 0,
        "warnings": 0,
        "problems": [],
    }


def test_warnings_only_exit_zero(mini_bank_path: Path, tmp_path: Path) -> None:
    path = tmp_path / "bank.toml"
    path.write_text(
        mini_bank_path.read_text().replace(
            'topics = ["procedure", "risks"]', 'topics = ["procedure", "risks", "aftercare"]'
        )
    )
    run = cli("--bank", str(path))
    assert run.returncode == 0
    lines = run.stdout.splitlines()
    # outside the working directory the path is printed as given
    assert lines[0] == (
        f"{path}:9: mini: topics: warning: topic 'aftercare' has no active questions [empty-topic]"
    )
    assert lines[1] == f"{path}: 6 questions, 3 objectives, 0 errors, 1 warnings"
    report = json.loads(cli("--bank", str(path), "--json").stdout)
    assert (report["errors"], report["warnings"]) == (0, 1)
    assert report["problems"][0]["code"] == "empty-topic"


def test_json_counts_active_questions_by_type_topic_and_kind(
    mini_bank_path: Path, tmp_path: Path
) -> None:
    # the recall question is retired; the order and cloze questions lose their kind
    text = (
        mini_bank_path.read_text()
        .replace('id = "mini-q-recall"\n', 'id = "mini-q-recall"\nretired = true\n', 1)
        .replace('type = "order"\nkind = "recall"\n', 'type = "order"\n', 1)
        .replace('type = "cloze"\nkind = "recall"\n', 'type = "cloze"\n', 1)
        .replace(
            'type = "true_false"\nkind = "recall"', 'type = "true_false"\nkind = "application"'
        )
    )
    path = tmp_path / "bank.toml"
    path.write_text(text)
    run = cli("--bank", str(path), "--json")
    assert run.returncode == 0
    report = json.loads(run.stdout)
    assert (report["questions"], report["active"], report["retired"]) == (6, 5, 1)
    assert report["by_type"] == {
        "single": 1,
        "multiple": 1,
        "true_false": 1,
        "order": 1,
        "cloze": 1,
    }
    assert report["by_topic"] == {"procedure": 3, "risks": 2}
    assert report["by_kind"] == {"application": 2, "recall": 1, "missing": 2}
    assert report["application_share"] == 0.4  # 2 of 5 active questions
    missing = [p for p in report["problems"] if p["code"] == "missing-kind"]
    assert [(p["id"], p["field"]) for p in missing] == [
        ("mini-q-order", "kind"),
        ("mini-q-cloze", "kind"),
    ]
    lines = path.read_text().splitlines()
    assert all(lines[p["line"] - 1] == "[[questions]]" for p in missing)
    text_run = cli("--bank", str(path))
    assert f"{path}: 6 questions, 3 objectives, 0 errors, " in text_run.stdout.splitlines()[-1]
    assert sum(line.endswith("[missing-kind]") for line in text_run.stdout.splitlines()) == 2


def test_paths_are_relative_to_the_working_directory(data_dir: Path) -> None:
    run = cli("--bank", str(data_dir / "broken" / "unknown-type"), cwd=data_dir)
    assert run.returncode == 1
    assert "broken/unknown-type/bank.toml:19: b-q-essay: type: error: unknown type 'essay'" in (
        run.stdout
    )
    assert str(data_dir) not in run.stdout


def test_missing_path_is_a_clear_error(tmp_path: Path) -> None:
    missing = tmp_path / "nope"
    run = cli("--bank", str(missing))
    assert run.returncode == 1
    assert run.stdout.splitlines() == [
        f"{missing}: -: -: error: no such file or folder [path-missing]",
        f"{missing}: 0 questions, 0 objectives, 1 errors, 0 warnings",
    ]
    report = json.loads(cli("--bank", str(missing), "--json").stdout)
    assert report["errors"] == 1
    assert report["problems"][0]["code"] == "path-missing"
    assert report["questions"] == 0


def test_folder_without_toml(tmp_path: Path) -> None:
    (tmp_path / "README.md").write_text("no bank here")
    run = cli("--bank", str(tmp_path))
    assert run.returncode == 1
    assert f"{tmp_path}: -: -: error: folder holds no .toml files [no-toml]" in run.stdout


def test_deep_nesting_is_reported_not_crashed(tmp_path: Path) -> None:
    path = tmp_path / "bank.toml"
    path.write_text("a = " + "[" * 3000 + "]" * 3000 + "\n")
    run = cli("--bank", str(path))
    assert run.returncode == 1
    assert "TOML is nested too deeply to read [toml-nesting]" in run.stdout


def test_too_large_file(
    monkeypatch: pytest.MonkeyPatch, mini_bank_path: Path, tmp_path: Path
) -> None:
    monkeypatch.setattr(files, "MAX_FILE_BYTES", 1000)
    report = check_bank(mini_bank_path)
    assert [code_of(p) for p in report.problems] == ["file-too-large"]
    assert report.bank is None


def test_check_bank_for_other_code(mini_bank_path: Path, data_dir: Path) -> None:
    good = check_bank(mini_bank_path)
    assert good.ok
    assert good.bank is not None and good.bank.id == "mini"
    assert good.summary["questions"] == 6
    assert good.summary_line() == "6 questions, 3 objectives, 0 errors, 0 warnings"
    bad = check_bank(data_dir / "broken" / "option-count")
    assert not bad.ok
    assert bad.bank is None  # refuse to use a bank with errors
    assert len(bad.errors) == 2
    assert bad.summary["questions"] == 2  # counted from what could be read
    # problems come sorted by file and line
    lines = [p.line or 0 for p in bad.problems]
    assert lines == sorted(lines)


def test_run_check_writes_to_the_given_stream(mini_bank_path: Path) -> None:
    out = io.StringIO()
    assert run_check(mini_bank_path, as_json=True, out=out) == 0
    assert json.loads(out.getvalue())["questions"] == 6


def test_cli_main_dispatches_to_check(
    mini_bank_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    from trainer.cli import main

    assert main(["check", "--bank", str(mini_bank_path), "--json"]) == 0
    assert json.loads(capsys.readouterr().out)["objectives"] == 3


def test_the_format_guides_bank_header_checks_on_its_own(tmp_path: Path) -> None:
    """questions/README.md's [bank] example (its first TOML block) is a bank header an author can
    start from: it checks with no error (every reference a section names is in [references])."""
    guide = (REPO / "questions" / "README.md").read_text(encoding="utf-8")
    header = guide.split("```toml\n", 1)[1].split("```", 1)[0]
    assert "[bank]" in header and "[references]" in header
    (tmp_path / "bank.toml").write_text(header, encoding="utf-8")
    report = check_bank(tmp_path / "bank.toml")
    errors = [p for p in report.problems if p.severity == "error"]
    assert errors == [], errors


def test_a_syntax_error_in_the_header_file_is_the_one_error_reported(tmp_path: Path) -> None:
    """Review finding: one TOML syntax error in bank.toml was reported as the 233rd of 234
    errors, after a missing header and every objective's unknown source. A file that cannot be
    read may hold what the others cite: its syntax error is reported, not what follows from it."""
    import shutil

    bank = tmp_path / "bank"
    shutil.copytree(REPO / "questions" / "thermal-rhizotomy", bank)
    header = bank / "bank.toml"
    header.write_text(
        header.read_text(encoding="utf-8").replace('version = "1.0"', "version = 1.0 x", 1),
        encoding="utf-8",
    )
    report = check_bank(bank)
    errors = [p for p in report.problems if p.severity == "error"]
    assert [code_of(p) for p in errors] == ["toml-syntax"], [p.format() for p in errors[:5]]
    assert errors[0].path.endswith("bank.toml") and errors[0].line == 9
    assert not report.ok
