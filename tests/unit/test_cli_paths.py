"""What --bank accepts (a bank folder or file, a bank's header file, a library of banks), that
read-only commands never create files or folders, and export-anki's refusal of a non-.apkg name."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest

from trainer.bank.library import resolve_bank
from trainer.cli import main

DATA = Path(__file__).resolve().parents[1] / "data"
MINI = DATA / "mini"
MINI_2FILES = DATA / "mini-2files"


@pytest.fixture
def library(tmp_path: Path) -> Path:
    """A folder of two banks (alpha: one file; beta: a header and a questions file), plus a
    folder that is not a bank and a hidden one, which are not listed."""
    lib = tmp_path / "banks"
    shutil.copytree(MINI, lib / "alpha")
    shutil.copytree(MINI_2FILES, lib / "beta")
    header = lib / "beta" / "10-bank.toml"
    header.write_text(header.read_text().replace('title = "Mini bank"', 'title = "Beta bank"'))
    (lib / "notes").mkdir()
    (lib / "notes" / "readme.md").write_text("not a bank")
    shutil.copytree(MINI, lib / ".hidden")
    return lib


@pytest.fixture(autouse=True)
def quiet_home(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """Config and cache outside tmp_path/work, the working folder inside it."""
    monkeypatch.setenv("TRAINER_CACHE", "0")
    monkeypatch.setenv("TRAINER_CONFIG", str(tmp_path / "home" / "config.toml"))
    monkeypatch.delenv("TRAINER_DB", raising=False)
    monkeypatch.delenv("TRAINER_BANK", raising=False)
    work = tmp_path / "work"
    work.mkdir()
    monkeypatch.chdir(work)
    return work


def listing(root: Path) -> list[str]:
    return sorted(str(p.relative_to(root)) for p in root.rglob("*"))


def test_resolve_every_form_of_bank(library: Path, tmp_path: Path) -> None:
    assert resolve_bank(MINI).kind == "bank" and resolve_bank(MINI).path == MINI
    one_file = resolve_bank(MINI / "bank.toml")  # a one-file bank: the file itself
    assert (one_file.kind, one_file.path, one_file.note) == ("bank", MINI / "bank.toml", "")
    header = resolve_bank(MINI_2FILES / "10-bank.toml")  # only the header: its folder
    assert (header.kind, header.path) == ("bank", MINI_2FILES)
    assert "header of the bank" in header.note
    questions_only = resolve_bank(MINI_2FILES / "20-questions.toml")
    assert questions_only.path == MINI_2FILES / "20-questions.toml"  # the loader reports it
    lib = resolve_bank(library)
    assert lib.kind == "library" and lib.names() == ["alpha", "beta"]
    missing = resolve_bank(tmp_path / "nope")
    assert (missing.kind, missing.path) == ("bank", tmp_path / "nope")
    empty = tmp_path / "empty"
    empty.mkdir()
    assert resolve_bank(empty).kind == "bank"  # the loader says it holds no .toml files


def test_check_takes_a_library_member_and_lists_the_banks_otherwise(
    library: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["check", "--bank", str(library)]) == 1
    err = capsys.readouterr().err
    assert f"{library} is a folder of 2 banks: alpha, beta" in err
    assert f"--bank {library / 'alpha'}" in err
    assert "no .toml files" not in err
    assert main(["check", "--bank", str(library / "alpha")]) == 0
    assert main(["check", "--bank", str(library / "beta"), "--json"]) == 0
    capsys.readouterr()


def test_check_of_a_header_file_loads_its_folder(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["check", "--bank", str(MINI_2FILES / "10-bank.toml"), "--json"]) == 0
    out, err = capsys.readouterr()
    report = json.loads(out)
    assert report["active"] == 6 and report["bank"] == str(MINI_2FILES)
    assert "loading that folder" in err


def test_a_library_of_one_bank_is_that_bank(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    lib = tmp_path / "one"
    shutil.copytree(MINI, lib / "only")
    assert main(["check", "--bank", str(lib)]) == 0


@pytest.mark.parametrize(
    "command",
    [
        ["stats"],
        ["stats", "--json"],
        ["reviews", "export", "OUT.csv"],
        ["fsrs", "evaluate"],
    ],
    ids=["stats", "stats-json", "reviews-export", "fsrs-evaluate"],
)
def test_read_only_commands_never_create_a_database(
    command: list[str], tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    db = tmp_path / "missing" / "dir" / "x.db"
    before = listing(tmp_path)
    args = [a.replace("OUT.csv", str(tmp_path / "out.csv")) for a in command]
    assert main([*args, "--bank", str(MINI), "--db", str(db)]) == 1
    assert f"the database {db} does not exist" in capsys.readouterr().err
    assert listing(tmp_path) == before


@pytest.mark.parametrize(
    "command",
    [["stats"], ["reviews", "export", "OUT.csv"], ["fsrs", "evaluate"]],
    ids=["stats", "reviews-export", "fsrs-evaluate"],
)
def test_read_only_commands_never_write_into_an_empty_file(
    command: list[str], tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """Review finding: an empty file (where the app would create a database) was filled with
    the trainer tables by a command that only reads."""
    db = tmp_path / "zero.db"
    db.write_bytes(b"")
    before = listing(tmp_path)
    args = [a.replace("OUT.csv", str(tmp_path / "out.csv")) for a in command]
    assert main([*args, "--bank", str(MINI), "--db", str(db)]) == 1
    assert f"the database {db} is empty" in capsys.readouterr().err
    assert db.read_bytes() == b"" and listing(tmp_path) == before


def test_read_only_commands_leave_an_existing_database_folder_as_it_was(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    from trainer.bank import load_bank
    from trainer.engine import Engine

    db = tmp_path / "data" / "t.db"
    bank, _ = load_bank(MINI)
    assert bank is not None
    db.parent.mkdir()
    Engine.open(bank, db).close()
    before = listing(tmp_path)
    assert main(["stats", "--bank", str(MINI), "--db", str(db)]) == 0
    assert main(["check", "--bank", str(MINI)]) == 0
    out = tmp_path / "reviews.csv"
    assert main(["reviews", "export", str(out), "--bank", str(MINI), "--db", str(db)]) == 0
    assert listing(tmp_path) == sorted([*before, "reviews.csv"])
    capsys.readouterr()


def test_export_anki_refuses_a_name_without_apkg_unless_forced(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    out = tmp_path / "out.txt"
    assert main(["export-anki", str(out), "--bank", str(MINI)]) == 1
    err = capsys.readouterr().err
    assert "does not end in .apkg" in err and "out.apkg" in err and "--force" in err
    assert not out.exists()
    assert main(["export-anki", str(out), "--bank", str(MINI), "--force"]) == 0
    assert out.is_file() and out.stat().st_size > 0
    good = tmp_path / "deck.APKG"
    assert main(["export-anki", str(good), "--bank", str(MINI)]) == 0
    assert good.is_file()
    capsys.readouterr()
