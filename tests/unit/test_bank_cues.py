"""The cross-cue rule (trainer.bank.cues): what counts as a key phrase, how long a shared run must
be, which texts can give a key away, common vocabulary, objectives, and accepting a pair."""

from __future__ import annotations

import json
from pathlib import Path

from trainer.bank import load_bank
from trainer.bank.codes import code_of
from trainer.bank.cues import COMMON_DF, RUN_WORDS, STATEMENT_RUN_WORDS
from trainer.bank.models import Problem

HEADER = """[bank]
id = "cues"
title = "Cue examples"
version = "1.0"
topics = ["procedure"]

[sources.notes]
title = "Notes"
sections = { N1 = [] }

[[objectives]]
id = "o-one"
topic = "procedure"
text = "One."
sources = ["notes:N1"]

[[objectives]]
id = "o-two"
topic = "procedure"
text = "Two."
sources = ["notes:N1"]
"""

KEY = "Sensory stimulation at about 50 Hz"  # content words: sensory stimulation 50 hz


def single(
    qid: str,
    key: str = KEY,
    *,
    objectives: str = '"o-one"',
    stem: str = "Which test finds the target nerve?",
    explanation: str = "The tingle shows the tip is near the nerve.",
    distractor: str = "A skin temperature check",
    why: str = "Unrelated.",
    extra: str = "",
) -> str:
    options = [(key, "true", "It finds the nerve."), (distractor, "false", why)]
    options += [("A kidney scan", "false", "Unrelated."), ("A glucose level", "false", "No.")]
    body = "".join(
        f"\n[[questions.options]]\ntext = {json.dumps(t)}\ncorrect = {c}\nwhy = {json.dumps(w)}\n"
        for t, c, w in options
    )
    return (
        f'\n[[questions]]\nid = "{qid}"\ntype = "single"\nkind = "recall"\n'
        f"objectives = [{objectives}]\n{extra}stem = {json.dumps(stem)}\n"
        f"explanation = {json.dumps(explanation)}\n{body}"
    )


def true_false(
    qid: str, stem: str, *, answer: bool = True, objectives: str = '"o-one"', extra: str = ""
) -> str:
    return (
        f'\n[[questions]]\nid = "{qid}"\ntype = "true_false"\nkind = "recall"\n'
        f"objectives = [{objectives}]\n{extra}stem = {json.dumps(stem)}\n"
        f'answer = {"true" if answer else "false"}\nexplanation = "See the notes."\n'
    )


def cloze(qid: str, stem: str, *, objectives: str = '"o-one"') -> str:
    return (
        f'\n[[questions]]\nid = "{qid}"\ntype = "cloze"\nkind = "recall"\n'
        f'objectives = [{objectives}]\nstem = {json.dumps(stem)}\nexplanation = "See the notes."\n'
    )


def cues(tmp_path: Path, *questions: str) -> list[Problem]:
    path = tmp_path / "bank.toml"
    path.write_text(HEADER + "".join(questions))
    bank, problems = load_bank(path)
    assert bank is not None, [p.format() for p in problems]
    return [p for p in problems if code_of(p) == "cross-cue"]


def pairs(problems: list[Problem]) -> list[tuple[str, str]]:
    """(question holding the phrase, field) of each cross-cue warning."""
    return [(p.id, p.field) for p in problems]


def test_a_stem_holding_a_run_of_the_key_cues_it(tmp_path: Path) -> None:
    found = cues(
        tmp_path,
        single("q-key"),
        true_false("q-tf", "Sensory stimulation at 50 Hz is felt as tingling in the back."),
    )
    assert pairs(found) == [("q-tf", "stem")]
    p = found[0]
    assert "stem of q-tf gives away the key (option A) of q-key" in p.message
    assert "('Sensory stimulation at about 50 Hz'); both test o-one" in p.message
    assert 'other = "q-key"' in p.message
    line = (tmp_path / "bank.toml").read_text().splitlines()[p.line - 1] if p.line else ""
    assert line.startswith("stem = ")


def test_a_shorter_run_is_not_a_cue(tmp_path: Path) -> None:
    assert RUN_WORDS == 4
    # three content words of the key in a row (stimulation 50 hz), not four
    found = cues(
        tmp_path,
        single("q-key"),
        true_false("q-tf", "Motor stimulation at 50 Hz is not used to find the target."),
    )
    assert found == []


def test_a_short_key_must_appear_whole_and_a_one_word_key_never_cues(tmp_path: Path) -> None:
    found = cues(
        tmp_path,
        single("q-short", "Bipolar lesioning"),
        single("q-word", "Fluoroscopy", distractor="Palpation"),
        true_false(
            "q-tf", "Bipolar lesioning keeps current between two needles under fluoroscopy."
        ),
        true_false("q-tf2", "Bipolar current passes between two needles.", answer=False),
    )
    assert pairs(found) == [("q-tf", "stem")]
    assert "of q-short" in found[0].message


def test_a_distractor_states_nothing_but_a_why_does(tmp_path: Path) -> None:
    found = cues(
        tmp_path,
        single("q-key"),
        single("q-distractor", "Motor stimulation at 2 Hz", distractor=KEY),
        single(
            "q-why", "A concordant tingle", why="Sensory stimulation at about 50 Hz comes first."
        ),
    )
    assert pairs(found) == [("q-why", "options[2].why")]
    line = (tmp_path / "bank.toml").read_text().splitlines()[found[0].line - 1]
    assert line == 'why = "Sensory stimulation at about 50 Hz comes first."'


def test_only_questions_sharing_an_objective_and_active(tmp_path: Path) -> None:
    found = cues(
        tmp_path,
        single("q-key"),
        true_false(
            "q-other-objective", "Sensory stimulation at 50 Hz comes first.", objectives='"o-two"'
        ),
        true_false("q-retired", "Sensory stimulation at 50 Hz maps it.", extra="retired = true\n"),
        true_false(
            "q-both", "Sensory stimulation at 50 Hz is felt.", objectives='"o-two", "o-one"'
        ),
    )
    assert pairs(found) == [("q-both", "stem")]
    assert "both test o-one" in found[0].message


def test_a_true_statement_needs_a_longer_run_and_a_false_one_is_no_key(tmp_path: Path) -> None:
    assert STATEMENT_RUN_WORDS == 5
    statement = "Guidelines prefer diagnostic medial branch blocks before ablation."
    found = cues(
        tmp_path,
        true_false("q-true", statement),
        true_false("q-false", "Guidelines prefer intra-articular injections first.", answer=False),
        single(
            "q-four", "Prefer diagnostic medial blocks", stem="Which test do guidelines prefer?"
        ),
        single(
            "q-five",
            "Diagnostic medial branch blocks before ablation",
            stem="Which is preferred, and when?",
            explanation="Guidelines prefer intra-articular injections less.",
        ),
    )
    # q-five's key holds a 5-word run of q-true's statement; q-four's only 4 of it (in a row)
    assert ("q-five", "options[1].text") in pairs(found)
    assert not any(p.id == "q-four" and "q-true" in p.message for p in found)
    assert not any("of q-false" in p.message for p in found)


def test_a_cloze_blank_is_cued_by_a_run_holding_its_answer(tmp_path: Path) -> None:
    found = cues(
        tmp_path,
        cloze(
            "q-cloze",
            "The needle is placed under fluoroscopic guidance, and a tingle at "
            "{{50|fifty}} Hz confirms the target.",
        ),
        # holds "tingle 50 hz confirm": a run with the answer
        true_false("q-tells", "A tingle at 50 Hz confirms the target."),
        # holds "needle placed fluoroscopic guidance": a run, but not the answer
        true_false("q-context", "The needle is placed under fluoroscopic guidance in the back."),
    )
    tells = [p for p in found if p.id == "q-tells"]
    assert pairs(tells) == [("q-tells", "stem")]
    assert "the answer to blank 1 of q-cloze" in tells[0].message
    assert not any(p.id == "q-context" for p in found)


def test_a_multi_word_cloze_answer_on_its_own(tmp_path: Path) -> None:
    found = cues(
        tmp_path,
        cloze("q-cloze", "A rare result is {{anaesthesia dolorosa}}, a painful numbness."),
        single("q-names", "Anaesthesia dolorosa", stem="Which rare result is painful numbness?"),
    )
    assert ("q-names", "options[1].text") in pairs(found)


def test_common_vocabulary_of_the_bank_is_not_a_cue(tmp_path: Path) -> None:
    phrase = "Lumbar medial branch radiofrequency ablation"
    users = [
        true_false(f"q-use-{n}", f"{phrase} case {n} is planned.", answer=False)
        for n in range(COMMON_DF)
    ]
    # the key's only runs are in the key and in COMMON_DF other questions: ordinary vocabulary
    assert cues(tmp_path, single("q-key", phrase), *users) == []
    assert len(cues(tmp_path, single("q-key", phrase), *users[:-1])) == COMMON_DF - 1


def test_a_pair_is_accepted_from_either_side_and_only_that_pair(tmp_path: Path) -> None:
    accept_key = '[{ code = "cross-cue", other = "q-key", reason = "kept apart" }]'
    accept_tf = '[{ code = "cross-cue", other = "q-tf-2", reason = "kept apart" }]'
    found = cues(
        tmp_path,
        single("q-key", extra=f"lint_ignore = {accept_tf}\n"),
        true_false(
            "q-tf-1",
            "Sensory stimulation at 50 Hz finds it.",
            extra=f"lint_ignore = {accept_key}\n",
        ),
        true_false("q-tf-2", "Sensory stimulation at 50 Hz locates it."),
        true_false("q-tf-3", "Sensory stimulation at 50 Hz maps it."),
    )
    # q-tf-1 accepts its own pair; q-key accepts the pair with q-tf-2; q-tf-3 is still reported
    assert pairs(found) == [("q-tf-3", "stem")]
    # an entry for another pair does not silence this one
    other = cues(
        tmp_path,
        single("q-key"),
        true_false(
            "q-tf-1", "Sensory stimulation at 50 Hz finds it.", extra=f"lint_ignore = {accept_tf}\n"
        ),
        true_false("q-tf-2", "Motor testing at 2 Hz comes second."),
    )
    assert pairs(other) == [("q-tf-1", "stem")]
