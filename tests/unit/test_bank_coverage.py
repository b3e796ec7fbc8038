"""Coverage warnings: thin and single-type objectives, uncited must_cover sections, empty topics."""

from __future__ import annotations

import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).parent / "helpers"))
from bank_kit import variant

from trainer.bank import load_bank
from trainer.bank.check import check_bank
from trainer.bank.codes import code_of
from trainer.bank.coverage import uncovered


def test_thin_objective(mini_bank_path: Path, tmp_path: Path) -> None:
    # the recall question now serves the guidance objective: steps keeps only its order question
    path, problems = variant(
        mini_bank_path,
        tmp_path,
        (
            'objectives = ["mini-o-steps"]\nstem = "What is done',
            'objectives = ["mini-o-guidance"]\nstem = "What is done',
        ),
    )
    assert [code_of(p) for p in problems] == ["thin-objective"]
    p = problems[0]
    assert (p.id, p.field, p.severity) == ("mini-o-steps", "id", "warning")
    assert "objective has 1 active question(s)" in p.message
    lines = path.read_text().splitlines()
    assert p.line is not None and lines[p.line - 1] == 'id = "mini-o-steps"'
    report = check_bank(path)
    assert report.summary["uncovered"] == ["mini-o-steps"]


def test_question_cited_by_two_objectives_counts_for_both(
    mini_bank_path: Path, tmp_path: Path
) -> None:
    _, problems = variant(
        mini_bank_path,
        tmp_path,
        (
            'objectives = ["mini-o-steps"]\nstem = "Put',
            'objectives = ["mini-o-risks"]\nstem = "Put',
        ),
        (
            'objectives = ["mini-o-steps"]\nstem = "What is done',
            'objectives = ["mini-o-risks", "mini-o-steps"]\nstem = "What is done',
        ),
    )
    # steps: only the recall question -> thin; risks: multiple, true_false, order, recall -> fine.
    # The recall question counts for both of its objectives.
    assert [(code_of(p), p.id) for p in problems] == [("thin-objective", "mini-o-steps")]


def test_only_one_question_type(mini_bank_path: Path, tmp_path: Path) -> None:
    # the order question becomes a second recall-type citation of steps: recall + recall
    path, problems = variant(
        mini_bank_path,
        tmp_path,
        (
            'objectives = ["mini-o-steps"]\nstem = "Put',
            'objectives = ["mini-o-risks"]\nstem = "Put',
        ),
    )
    extra = """
[[questions]]
id = "mini-q-recall-2"
type = "recall"
kind = "recall"
objectives = ["mini-o-steps"]
stem = "What is checked before heating?"
model_answer = "Sensory and motor stimulation."
explanation = "Testing comes before heating."
"""
    path.write_text(path.read_text() + extra)
    bank, problems = load_bank(path)
    assert bank is not None
    assert [(code_of(p), p.id) for p in problems] == [("one-type", "mini-o-steps")]
    assert "all 2 questions of this objective are recall" in problems[0].message
    assert uncovered(bank) == ["mini-o-steps"]


def test_retired_questions_do_not_count(mini_bank_path: Path, tmp_path: Path) -> None:
    _, problems = variant(
        mini_bank_path,
        tmp_path,
        ('id = "mini-q-multiple"\n', 'id = "mini-q-multiple"\nretired = true\n'),
    )
    assert [(code_of(p), p.id) for p in problems] == [("thin-objective", "mini-o-risks")]


def test_uncited_section_of_must_cover_source(mini_bank_path: Path, tmp_path: Path) -> None:
    path, problems = variant(
        mini_bank_path,
        tmp_path,
        ('N18 = ["R-SH"] }', 'N18 = ["R-SH"], N10 = [], N11 = [] }'),
    )
    assert [code_of(p) for p in problems] == ["uncited-section"]
    p = problems[0]
    assert (p.id, p.field) == ("clinical-notes", "sections")
    assert "no objective cites clinical-notes:N10, clinical-notes:N11" in p.message
    assert p.line is not None
    assert path.read_text().splitlines()[p.line - 1].startswith("sections = { N8 =")


def test_sections_of_other_sources_need_no_citation(mini_bank_path: Path) -> None:
    # thermal-rhizotomy (must_cover = false) has P1, P3, P5, P6 uncited in the mini bank
    assert load_bank(mini_bank_path)[1] == []


def test_topic_with_no_questions(mini_bank_path: Path, tmp_path: Path) -> None:
    _, problems = variant(
        mini_bank_path,
        tmp_path,
        ('topics = ["procedure", "risks"]', 'topics = ["procedure", "risks", "aftercare"]'),
    )
    assert [code_of(p) for p in problems] == ["empty-topic"]
    assert problems[0].field == "topics"
    assert "topic 'aftercare' has no active questions" in problems[0].message
