"""Generate a synthetic bank of N questions, all six types, that passes ``trainer check``.

    python bench/gen_bank.py 10000            # into a new temp dir, prints its path
    python bench/gen_bank.py 10000 --out DIR  # into DIR (created; must be empty or absent)

The text is random clinical-sounding words from a seeded generator, sized like the bundled bank
(a vignette stem, four or five options each with a why, an explanation). Each objective gets one
question of each type, so no objective has too few questions or a single type; correct positions
rotate so they are balanced; option lengths are alike; no absolute terms or negative lead-ins.
Questions are split over files of 500, as a real large bank would be.
"""

from __future__ import annotations

import argparse
import json
import random
import sys
import tempfile
from pathlib import Path

import support  # noqa: F401  (puts the repo on sys.path)

from trainer.bank.words import is_common_word

TOPICS = (
    "indications",
    "patient-selection",
    "contraindications",
    "procedure",
    "aftercare",
    "benefits",
    "risks",
    "outcomes",
)
SECTIONS = tuple(f"S{i}" for i in range(1, 13))
TYPES = ("single", "multiple", "true_false", "order", "cloze", "recall")
PER_FILE = 500

_WORD_TEXT = (
    "lumbar cervical thoracic sacral facet medial branch nerve root ganglion dorsal ventral "
    "needle probe cannula electrode lesion current frequency impedance stimulation sensory "
    "motor twitch fluoroscopy ultrasound contrast anaesthetic lidocaine bupivacaine steroid "
    "sedation patient clinician nurse consent history examination imaging diagnostic block "
    "response relief pain ache numbness tingling weakness bruising swelling infection bleeding "
    "anticoagulant platelet pregnancy pacemaker allergy diabetes obesity posture mobility "
    "physiotherapy exercise recovery discharge review clinic follow-up months weeks duration "
    "recurrence regrowth repeat trigeminal neuralgia sacroiliac joint knee genicular shoulder "
    "suprascapular hip obturator temperature degrees seconds cycle pulsed continuous thermal "
    "radiofrequency energy tissue heat target angle depth position prone supine lateral "
    "oblique view tip shaft curve gauge length "
)
WORDS = tuple(_WORD_TEXT.split())
# Cloze answers: no everyday word a trainee may write in another form (cloze-common-word).
CLOZE_WORDS = tuple(w for w in WORDS if not is_common_word(w))


def _words(rng: random.Random, n: int) -> str:
    return " ".join(rng.choice(WORDS) for _ in range(n))


def _sentence(rng: random.Random, n: int) -> str:
    s = _words(rng, n)
    return s[0].upper() + s[1:] + "."


def _phrase(rng: random.Random, n: int, used: set[str]) -> str:
    """A distinct capitalised phrase of n words (distinct within one question), 30-50 characters
    so that no option stands out by its length."""
    while True:
        s = _words(rng, n)
        s = s[0].upper() + s[1:]
        if 30 <= len(s) <= 50 and s.casefold() not in used:
            used.add(s.casefold())
            return s


def _q(s: str) -> str:
    """A TOML basic string (JSON string escapes are valid TOML)."""
    return json.dumps(s, ensure_ascii=False)


def _question(i: int, obj: str, qtype: str, rng: random.Random) -> list[str]:
    qid = f"gen-q-{i:06d}"
    out = [
        "[[questions]]",
        f"id = {_q(qid)}",
        f"type = {_q(qtype)}",
        f"objectives = [{_q(obj)}]",
        f"kind = {_q('recall' if qtype in ('true_false', 'recall') else 'application')}",
        f"difficulty = {1 + i % 3}",
        f'tags = ["generated", "set-{i % 7}"]',
    ]
    vignette = f"Case {i}. " + " ".join(_sentence(rng, 10) for _ in range(2))
    explanation = " ".join(_sentence(rng, 12) for _ in range(2))
    if qtype == "single":
        k = i // len(TYPES)
        n_opts = 4 + k % 2
        correct = (k // 2) % n_opts  # rotates so positions are balanced across the bank
        out.append(f"stem = {_q(vignette + ' Which step comes next in this case?')}")
        out.append(f"explanation = {_q(explanation)}")
        used: set[str] = set()
        for k in range(n_opts):
            out += [
                "",
                "[[questions.options]]",
                f"text = {_q(_phrase(rng, 6, used))}",
                f"correct = {'true' if k == correct else 'false'}",
                f"why = {_q(_sentence(rng, 9))}",
            ]
    elif qtype == "multiple":
        n_opts = 5
        first = (i // 6) % n_opts
        correct_set = {first, (first + 2) % n_opts}
        if (i // 6) % 2:
            correct_set.add((first + 3) % n_opts)
        out.append(f"stem = {_q(vignette + ' Which of these apply? Select all that apply.')}")
        out.append(f"explanation = {_q(explanation)}")
        used = set()
        for k in range(n_opts):
            out += [
                "",
                "[[questions.options]]",
                f"text = {_q(_phrase(rng, 6, used))}",
                f"correct = {'true' if k in correct_set else 'false'}",
                f"why = {_q(_sentence(rng, 9))}",
            ]
    elif qtype == "true_false":
        out.append(f"stem = {_q(_sentence(rng, 14))}")
        out.append(f"answer = {'true' if (i // 6) % 2 else 'false'}")
        out.append(f"explanation = {_q(explanation)}")
    elif qtype == "order":
        used = set()
        steps = [_phrase(rng, 5, used) for _ in range(5)]
        out.append(f"stem = {_q(f'Case {i}. Put these steps in order.')}")
        out.append("steps = [" + ", ".join(_q(s) for s in steps) + "]")
        out.append(f"explanation = {_q(explanation)}")
    elif qtype == "cloze":
        a1, a2 = rng.choice(CLOZE_WORDS), rng.choice(CLOZE_WORDS)
        stem = (
            f"Case {i}. {_sentence(rng, 8)} The probe is placed under {{{{{a1}|{a1}s}}}} "
            f"guidance near the {{{{{a2}}}}} before heating."
        )
        out.append(f"stem = {_q(stem)}")
        out.append(f"explanation = {_q(explanation)}")
    else:  # recall
        out.append(f"stem = {_q(f'Case {i}. ' + _words(rng, 8) + '. How would you explain it?')}")
        out.append(f"model_answer = {_q(_sentence(rng, 20))}")
        out.append(f"explanation = {_q(explanation)}")
    out.append("")
    return out


def generate_bank(dest: Path, n: int, *, seed: int = 0) -> Path:
    """Write a bank of n questions into dest (a folder); returns dest."""
    if n < 1:
        raise ValueError("n must be at least 1")
    dest.mkdir(parents=True, exist_ok=True)
    if any(dest.iterdir()):
        raise FileExistsError(f"{dest} is not empty")
    rng = random.Random(seed)
    n_obj = max(1, (n + len(TYPES) - 1) // len(TYPES))
    # Objectives: one per six questions (one question of each type).
    header = [
        "[bank]",
        'id = "generated"',
        f"title = {_q(f'Generated bank of {n} questions')}",
        'version = "1.0"',
        "topics = [" + ", ".join(_q(t) for t in TOPICS) + "]",
        "",
        "[sources.gen]",
        'title = "Generated source"',
        "must_cover = false",
        "sections = { " + ", ".join(f"{s} = []" for s in SECTIONS) + " }",
        "",
    ]
    (dest / "bank.toml").write_text("\n".join(header), encoding="utf-8")
    obj_lines: list[str] = []
    for k in range(n_obj):
        obj_lines += [
            "[[objectives]]",
            f'id = "gen-o-{k:05d}"',
            f"topic = {_q(TOPICS[k % len(TOPICS)])}",
            f"text = {_q('Explain ' + _words(rng, 8) + '.')}",
            f'sources = ["gen:{SECTIONS[k % len(SECTIONS)]}"]',
            "",
        ]
    (dest / "objectives.toml").write_text("\n".join(obj_lines), encoding="utf-8")
    for f in range(0, n, PER_FILE):
        lines: list[str] = []
        for i in range(f, min(n, f + PER_FILE)):
            lines += _question(i, f"gen-o-{i // len(TYPES):05d}", TYPES[i % len(TYPES)], rng)
        (dest / f"questions-{f // PER_FILE:04d}.toml").write_text(
            "\n".join(lines), encoding="utf-8"
        )
    return dest


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    ap.add_argument("n", type=int, help="number of questions")
    ap.add_argument("--out", type=Path, default=None, help="folder to write (default: a temp dir)")
    ap.add_argument("--seed", type=int, default=0)
    args = ap.parse_args(argv)
    out = args.out or Path(tempfile.mkdtemp(prefix=f"trainer-bank-{args.n}-"))
    try:
        generate_bank(out, args.n, seed=args.seed)
    except (ValueError, FileExistsError) as e:
        print(f"gen_bank: {e}", file=sys.stderr)
        return 1
    print(out)
    return 0


if __name__ == "__main__":
    sys.exit(main())
