"""Export: 10,000 notes, ``export_bank`` against bare genanki writing the same notes.

Subject: ``trainer.export.anki.export_bank(bank, out)`` on a generated bank of 10,000 questions
(all six types; our note types, decks per topic, escaping, a compressed .apkg).
Baseline: bare genanki, one deck, its simple two-field model, one note per question holding the
same text (our note fields joined into Front/Back), written with ``genanki.Package.write_to_file``.
The baseline's note text is prebuilt before its clock starts, while ``export_bank`` builds its
fields from the bank inside its timing (escaping, cloze markup, tags): the comparison favours
genanki, and the baseline is kept that way on purpose.

Reported: time ratio (goal <= 1.2x) and file size ratio (goal: smaller, < 1x), with both absolute
times and sizes.
"""

from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path
from typing import Any

import harness
from harness import Result
from workspace import generated_bank, work_dir

from trainer.bank import load_bank
from trainer.bank.models import Bank


def bare_genanki(notes: list[tuple[str, str, str]], out: Path) -> None:
    import genanki

    model = genanki.Model(
        1607392319,
        "Simple Model",
        fields=[{"name": "Front"}, {"name": "Back"}],
        templates=[
            {"name": "Card 1", "qfmt": "{{Front}}", "afmt": '{{FrontSide}}<hr id="answer">{{Back}}'}
        ],
    )
    deck = genanki.Deck(2059400110, "Bench")
    for guid, front, back in notes:
        deck.add_note(genanki.Note(model=model, fields=[front, back], guid=guid))
    genanki.Package(deck).write_to_file(str(out))


def same_notes(bank: Bank) -> list[tuple[str, str, str]]:
    from trainer.export.fields import note_content
    from trainer.export.ids import note_guid

    out = []
    for q in bank.active_questions:
        c = note_content(bank, q)
        out.append((note_guid(bank.id, q.id), c.fields[0], "<br>".join(c.fields[1:])))
    return out


def breakdown(bank: Bank, folder: Path) -> dict[str, float]:
    """One export, step by step, to show where the time goes: the same calls, in the same order
    and with the collector paused, as ``export_bank`` makes (trainer/export/anki.py)."""
    from datetime import UTC, datetime

    from trainer.export.anki import plan_decks
    from trainer.export.collection import collection_bytes
    from trainer.export.fields import NoteMaker
    from trainer.export.package_file import check_target, write_apkg
    from trainer.export.selection import select_questions
    from trainer.gcpause import gc_paused

    out = folder / "parts.apkg"
    parts: dict[str, float] = {}
    with gc_paused():
        t = time.perf_counter()
        questions = select_questions(bank, (), ())
        check_target(out, force=False)
        maker = NoteMaker(bank)
        contents = [maker.content(q) for q in questions]
        parts["note fields"] = time.perf_counter() - t
        t = time.perf_counter()
        decks = plan_decks(bank, contents)
        parts["decks+card ords"] = time.perf_counter() - t
        del contents, maker
        t = time.perf_counter()
        collection = collection_bytes(decks, datetime.now(UTC).timestamp())
        parts["collection (in memory)"] = time.perf_counter() - t
        del decks
        t = time.perf_counter()
        write_apkg(out, collection)
        parts["zip+fsync"] = time.perf_counter() - t
    return parts


def run(quick: bool = False) -> list[Result]:
    from trainer.export.anki import export_bank

    n = 2000 if quick else 10_000
    rounds = 2 if quick else 5
    bank, problems = load_bank(generated_bank(n))
    assert bank is not None, problems
    notes = same_notes(bank)
    folder = work_dir() / "export"
    folder.mkdir(exist_ok=True)
    ours_path = folder / "ours.apkg"
    bare_path = folder / "bare.apkg"
    t_b: list[float] = []
    t_s: list[float] = []
    sizes: dict[str, Any] = {}

    def base() -> float:
        t = time.perf_counter()
        bare_genanki(notes, bare_path)
        t_b.append(time.perf_counter() - t)
        return t_b[-1]

    def subject() -> float:
        t = time.perf_counter()
        export_bank(bank, ours_path)
        t_s.append(time.perf_counter() - t)
        return t_s[-1]

    b, s = harness.interleave(base, subject, rounds, warmup=0)
    sizes = {"ours": ours_path.stat().st_size, "bare": bare_path.stat().st_size}
    parts = breakdown(bank, folder)
    label = f"{n:,} notes"
    return [
        Result(
            f"export: time ({label})",
            "export_bank",
            "bare genanki",
            "s",
            s,
            b,
            goal=1.2,
            note="baseline gets its note text prebuilt, ours builds it from the bank (favours "
            "genanki); where our time goes: "
            + ", ".join(f"{k} {v * 1000:.0f} ms" for k, v in parts.items()),
            extra={"parts_s": parts},
        ),
        Result(
            f"export: file size ({label})",
            "export_bank .apkg",
            "bare genanki .apkg",
            "bytes",
            [float(sizes["ours"])],
            [float(sizes["bare"])],
            goal=1.0,
            note="goal: a smaller file than bare genanki",
        ),
    ]


if __name__ == "__main__":
    ap = argparse.ArgumentParser()
    ap.add_argument("--quick", action="store_true")
    print(harness.table(run(ap.parse_args().quick)))
    sys.exit(0)
