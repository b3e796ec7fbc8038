"""The .apkg file: compression, temporary files, refusing to overwrite, the CLI and its messages."""

from __future__ import annotations

import io
import os
import re
import shutil
import subprocess
import sys
import tempfile
import zipfile
from datetime import UTC, datetime
from pathlib import Path

import pytest

from trainer.bank import load_bank
from trainer.bank.models import Bank
from trainer.cli import main
from trainer.export import ExportError, export_bank
from trainer.export import package_file as package_file_module
from trainer.export.anki import build_decks
from trainer.export.fields import note_content
from trainer.export.package_file import is_apkg
from trainer.export.progress import LARGE_BANK, ProgressBar

MINI = Path(__file__).resolve().parent.parent / "data" / "mini"
T0 = datetime(2026, 3, 1, 9, 30, tzinfo=UTC)


@pytest.fixture(scope="module")
def mini() -> Bank:
    bank, problems = load_bank(MINI)
    assert bank is not None, [p.format() for p in problems]
    return bank


def run_cli(*args: str | Path) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "trainer", *map(str, args)],
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )


# -- temporary files and compression --------------------------------------------------------------


def test_no_temporary_file_is_left_behind(
    mini: Bank, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    import genanki

    system_tmp = tmp_path / "system-tmp"
    system_tmp.mkdir()
    monkeypatch.setattr(tempfile, "tempdir", str(system_tmp))

    # The trap: genanki's own writer leaves its temporary database in the temp folder.
    decks = build_decks(mini, [note_content(mini, q) for q in mini.active_questions])
    genanki.Package(decks).write_to_file(str(tmp_path / "raw.apkg"), timestamp=T0.timestamp())
    leftovers = list(system_tmp.iterdir())
    assert len(leftovers) == 1
    leftovers[0].unlink()

    out_dir = tmp_path / "out"
    out_dir.mkdir()
    export_bank(mini, out_dir / "mini.apkg", now=T0)
    export_bank(mini, out_dir / "mini.apkg", now=T0)  # and again, over the first
    assert list(system_tmp.iterdir()) == []
    assert [p.name for p in out_dir.iterdir()] == ["mini.apkg"]


def test_package_is_deflated_and_smaller_than_genanki_output(
    mini: Bank, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    import genanki

    monkeypatch.setattr(tempfile, "tempdir", str(tmp_path))  # genanki leaves a temp file there
    raw = tmp_path / "raw.apkg"
    decks = build_decks(mini, [note_content(mini, q) for q in mini.active_questions])
    genanki.Package(decks).write_to_file(str(raw), timestamp=T0.timestamp())
    out = tmp_path / "mini.apkg"
    summary = export_bank(mini, out, now=T0)

    assert summary.size_bytes == out.stat().st_size
    assert out.stat().st_size * 3 < raw.stat().st_size
    assert summary.size_bytes * 3 < summary.raw_size_bytes
    with zipfile.ZipFile(out) as zf:
        infos = {i.filename: i for i in zf.infolist()}
        assert set(infos) == {"collection.anki2", "media"}
        assert all(i.compress_type == zipfile.ZIP_DEFLATED for i in infos.values())
        assert zf.read("media") == b"{}"
        assert zf.testzip() is None
    with zipfile.ZipFile(raw) as zf:  # what genanki does on its own
        assert zf.getinfo("collection.anki2").compress_type == zipfile.ZIP_STORED


def test_progress_reports_every_note(mini: Bank, tmp_path: Path) -> None:
    calls: list[tuple[int, int]] = []
    export_bank(mini, tmp_path / "m.apkg", now=T0, progress=lambda d, t: calls.append((d, t)))
    assert calls == [(i, 6) for i in range(1, 7)]


def test_summary_lists_types_decks_and_size(mini: Bank, tmp_path: Path) -> None:
    summary = export_bank(mini, tmp_path / "m.apkg", now=T0)
    assert summary.notes == 6 and summary.cards == 7
    assert summary.decks == ("Mini bank", "Mini bank::Procedure", "Mini bank::Risks")
    assert summary.notes_by_deck == {"Mini bank::Procedure": 4, "Mini bank::Risks": 2}
    text = summary.format()
    assert text.startswith(f"Exported 6 notes (7 cards) to {tmp_path / 'm.apkg'} (")
    assert "  Cloze: 1" in text and "  Single best answer: 1" in text
    assert "KB)" in text


def test_naive_now_is_rejected(mini: Bank, tmp_path: Path) -> None:
    with pytest.raises(ValueError, match="timezone-aware"):
        export_bank(mini, tmp_path / "m.apkg", now=datetime(2026, 1, 1))


# -- overwriting ----------------------------------------------------------------------------------


def test_is_apkg(mini: Bank, tmp_path: Path) -> None:
    out = tmp_path / "m.apkg"
    export_bank(mini, out, now=T0)
    assert is_apkg(out)
    text = tmp_path / "notes.txt"
    text.write_text("my notes")
    assert not is_apkg(text)
    other_zip = tmp_path / "other.zip"
    with zipfile.ZipFile(other_zip, "w") as zf:
        zf.writestr("readme.txt", "hello")
    assert not is_apkg(other_zip)
    assert not is_apkg(tmp_path / "missing.apkg")


def test_refuses_to_overwrite_a_non_apkg_unless_forced(mini: Bank, tmp_path: Path) -> None:
    target = tmp_path / "important.apkg"
    target.write_text("not a deck")
    with pytest.raises(ExportError, match=r"is not an Anki \.apkg; refusing to overwrite it"):
        export_bank(mini, target, now=T0)
    assert target.read_text() == "not a deck"
    export_bank(mini, target, now=T0, force=True)
    assert is_apkg(target)


def test_overwrites_an_existing_apkg(mini: Bank, tmp_path: Path) -> None:
    target = tmp_path / "deck.apkg"
    export_bank(mini, target, now=T0, types=["cloze"])
    export_bank(mini, target, now=T0)
    with zipfile.ZipFile(target) as zf:
        assert zf.getinfo("collection.anki2").file_size > 0
    assert export_bank(mini, target, now=T0).notes == 6


def test_bad_targets(mini: Bank, tmp_path: Path) -> None:
    with pytest.raises(ExportError, match="is a folder"):
        export_bank(mini, tmp_path, now=T0)
    with pytest.raises(ExportError, match="does not exist"):
        export_bank(mini, tmp_path / "no-such-dir" / "m.apkg", now=T0)


def test_failed_write_keeps_the_old_file_and_removes_the_temp(
    mini: Bank, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    target = tmp_path / "deck.apkg"
    export_bank(mini, target, now=T0)
    before = target.read_bytes()

    def broken_replace(src: str | os.PathLike[str], dst: str | os.PathLike[str]) -> None:
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(package_file_module.os, "replace", broken_replace)
    with pytest.raises(OSError, match="No space left"):
        export_bank(mini, target, now=T0, types=["recall"])
    assert target.read_bytes() == before
    assert [p.name for p in tmp_path.iterdir()] == ["deck.apkg"]


# -- progress bar ---------------------------------------------------------------------------------


class _Tty(io.StringIO):
    def isatty(self) -> bool:
        return True


def test_progress_bar_on_a_terminal() -> None:
    stream = _Tty()
    bar = ProgressBar(stream, width=10)
    for i in range(1, 1001):
        bar(i, 1000)
    bar.close()
    text = stream.getvalue()
    assert text.count("\r") == 101  # once per percent (0 to 100), not once per note
    assert text.endswith("\rExporting [##########] 1000/1000 notes\n")


def test_progress_bar_quiet_for_small_exports_off_a_terminal() -> None:
    stream = io.StringIO()
    bar = ProgressBar(stream)
    for i in range(1, 11):
        bar(i, 10)
    bar.close()
    assert stream.getvalue() == ""
    for i in range(1, LARGE_BANK + 1):
        bar(i, LARGE_BANK)
    bar.close()
    assert stream.getvalue().endswith(f"{LARGE_BANK}/{LARGE_BANK} notes\n")


# -- the command line ------------------------------------------------------------------------------


def test_cli_exports_and_summarises(tmp_path: Path) -> None:
    out = tmp_path / "mini.apkg"
    result = run_cli("export-anki", out, "--bank", MINI)
    assert result.returncode == 0, result.stderr
    assert f"Exported 6 notes (7 cards) to {out}" in result.stdout
    assert "Multiple response: 1" in result.stdout
    assert result.stderr == ""  # no progress bar: not a terminal and a small bank
    assert is_apkg(out)


def test_cli_refuses_to_overwrite_a_non_apkg(tmp_path: Path) -> None:
    target = tmp_path / "notes.txt"
    target.write_text("precious")
    result = run_cli("export-anki", target, "--bank", MINI)
    assert result.returncode == 1
    assert "Traceback" not in result.stderr
    assert "notes.txt exists and is not an Anki .apkg; refusing to overwrite it" in result.stderr
    assert "--force" in result.stderr
    assert target.read_text() == "precious"

    forced = run_cli("export-anki", target, "--bank", MINI, "--force")
    assert forced.returncode == 0, forced.stderr
    assert is_apkg(target)


def test_cli_unknown_topic_and_type(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    out = tmp_path / "m.apkg"
    assert main(["export-anki", str(out), "--bank", str(MINI), "--topic", "nope"]) == 1
    err = capsys.readouterr().err
    assert "error: unknown topic 'nope'; the topics of this bank are: procedure, risks" in err
    assert main(["export-anki", str(out), "--bank", str(MINI), "--type", "essay"]) == 1
    assert "error: unknown question type 'essay'" in capsys.readouterr().err
    assert not out.exists()


def test_cli_filters(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    out = tmp_path / "m.apkg"
    args = ["export-anki", str(out), "--bank", str(MINI), "--topic", "risks", "--type", "multiple"]
    assert main(args) == 0
    assert "Exported 1 notes (1 cards)" in capsys.readouterr().out


def test_cli_refuses_a_bank_with_errors(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    bank_dir = tmp_path / "bank"
    shutil.copytree(MINI, bank_dir)
    toml = bank_dir / "bank.toml"
    toml.write_text(toml.read_text().replace('objectives = ["mini-o-steps"]', 'objectives = ["x"]'))
    out = tmp_path / "m.apkg"
    assert main(["export-anki", str(out), "--bank", str(bank_dir)]) == 1
    err = capsys.readouterr().err
    assert "error" in err and "'x'" in err
    assert re.search(r"has \d+ errors?; nothing exported", err)
    assert not out.exists()


def test_cli_missing_bank(tmp_path: Path) -> None:
    result = run_cli("export-anki", tmp_path / "m.apkg", "--bank", tmp_path / "missing")
    assert result.returncode == 1
    assert "Traceback" not in result.stderr
    assert "nothing exported" in result.stderr
    assert not (tmp_path / "m.apkg").exists()
