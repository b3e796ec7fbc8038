"""Loading valid banks: the mini bank as one file, as a folder, and as two files."""

from __future__ import annotations

import shutil
from pathlib import Path

from trainer.bank import load_bank
from trainer.bank.models import QUESTION_TYPES, Bank


def _load_ok(path: Path) -> Bank:
    bank, problems = load_bank(path)
    assert problems == []
    assert bank is not None
    return bank


def test_mini_bank_loads_without_problems(mini_bank_path: Path) -> None:
    bank = _load_ok(mini_bank_path)
    assert bank.id == "mini"
    assert bank.title == "Mini bank"
    assert bank.version == "1.0"
    assert bank.topics == ("procedure", "risks")
    assert sorted(q.type for q in bank.questions) == sorted(QUESTION_TYPES)
    assert [q.id for q in bank.questions] == [
        "mini-q-single",
        "mini-q-multiple",
        "mini-q-true-false",
        "mini-q-order",
        "mini-q-cloze",
        "mini-q-recall",
    ]
    assert list(bank.objectives) == ["mini-o-steps", "mini-o-guidance", "mini-o-risks"]
    assert [Path(f).resolve() for f in bank.files] == [mini_bank_path.resolve()]


def test_mini_bank_fields_are_read_exactly(mini_bank_path: Path) -> None:
    bank = _load_ok(mini_bank_path)
    single = bank.question("mini-q-single")
    assert single.difficulty == 2
    assert single.tags == ("stimulation",)
    assert single.correct_indexes == (0,)
    assert single.options[0].text == "Motor stimulation at about 2 Hz, watching for a leg twitch"
    assert single.options[1].why == "Not a routine step before a medial branch lesion."
    # a backslash line continuation in a """ string joins the lines
    assert "ablation. The needle" in single.stem
    assert bank.question("mini-q-multiple").correct_indexes == (0, 1)
    assert bank.question("mini-q-true-false").answer is True
    assert bank.question("mini-q-order").steps[0] == "Position the patient prone"
    assert len(bank.question("mini-q-order").steps) == 5
    assert bank.question("mini-q-cloze").blanks == (
        ("fluoroscopic", "fluoroscopy", "x-ray"),
        ("stimulation",),
    )
    assert bank.question("mini-q-recall").model_answer.startswith("Prone position")
    assert bank.topic_of(bank.question("mini-q-multiple")) == "risks"
    assert bank.sources["clinical-notes"].must_cover is True
    assert bank.sources["clinical-notes"].sections["N8"] == ("R-HEY", "R-ASRA-L")
    assert "ASRA 2020" in bank.citation_text("clinical-notes:N8")
    assert bank.objectives["mini-o-risks"].sources == ("clinical-notes:N18", "thermal-rhizotomy:P4")


def test_objects_know_their_file_and_line(mini_bank_path: Path) -> None:
    bank = _load_ok(mini_bank_path)
    text = mini_bank_path.read_text().splitlines()
    for q in bank.questions:
        assert q.path.endswith("bank.toml")
        assert q.line is not None
        assert text[q.line - 1] == "[[questions]]"
        assert text[q.line] == f'id = "{q.id}"'
    for o in bank.objectives.values():
        assert o.line is not None
        assert text[o.line] == f'id = "{o.id}"'


def test_folder_with_one_file_equals_the_file(mini_bank_path: Path) -> None:
    by_file = _load_ok(mini_bank_path)
    by_folder = _load_ok(mini_bank_path.parent)
    assert by_folder.questions == by_file.questions
    assert by_folder.objectives == by_file.objectives


def test_two_files_give_the_same_bank(mini_bank_path: Path, mini_2files_path: Path) -> None:
    one = _load_ok(mini_bank_path)
    two = _load_ok(mini_2files_path)
    assert len(two.files) == 2
    assert [q.id for q in two.questions] == [q.id for q in one.questions]
    for a, b in zip(one.questions, two.questions, strict=True):
        assert (a.type, a.stem, a.options, a.steps, a.answer) == (
            b.type,
            b.stem,
            b.options,
            b.steps,
            b.answer,
        )
        assert b.path.endswith("20-questions.toml")
    assert two.sources == one.sources
    assert two.references == one.references


def test_folder_files_are_read_in_name_order_and_not_recursively(
    tmp_path: Path, mini_2files_path: Path
) -> None:
    # questions first by name, header last: order of ids follows file names
    shutil.copy(mini_2files_path / "10-bank.toml", tmp_path / "b-header.toml")
    shutil.copy(mini_2files_path / "20-questions.toml", tmp_path / "a-questions.toml")
    (tmp_path / "notes.txt").write_text("not a bank file")
    sub = tmp_path / "sub"
    sub.mkdir()
    (sub / "broken.toml").write_text("this is = = not toml")
    bank = _load_ok(tmp_path)
    assert [Path(f).name for f in bank.files] == ["a-questions.toml", "b-header.toml"]


def test_retired_question_is_loaded_but_not_active(tmp_path: Path, mini_bank_path: Path) -> None:
    text = mini_bank_path.read_text().replace(
        'id = "mini-q-recall"\n', 'id = "mini-q-recall"\nretired = true\n'
    )
    path = tmp_path / "bank.toml"
    path.write_text(text)
    bank, problems = load_bank(path)
    assert bank is not None
    assert bank.question("mini-q-recall").retired is True
    assert "mini-q-recall" not in [q.id for q in bank.active_questions]
    # the objective is now short of two question types' worth of coverage
    assert [p.id for p in problems] == ["mini-o-steps"]
    assert "[thin-objective]" in problems[0].message


def test_bom_and_crlf_are_accepted(tmp_path: Path, mini_bank_path: Path) -> None:
    text = mini_bank_path.read_text().replace("\n", "\r\n")
    path = tmp_path / "bank.toml"
    path.write_bytes(b"\xef\xbb\xbf" + text.encode())
    bank = _load_ok(path)
    assert len(bank.questions) == 6
