"""Write the hostile banks of this folder from tests/data/mini/bank.toml (reliability-1.md).

Run ``python tests/data/hostile/make_banks.py`` after changing the mini bank; the output is
committed. Each bank is one folder holding bank.toml. EXPECTED (in tests/unit/test_hostile_banks.py)
says, for each, whether ``trainer check`` accepts it and which errors it must report. Banks that
cannot live in git (a FIFO, a file name with ESC, 1 MB lines, non-UTF-8 names) are made by the
tests themselves.
"""

from __future__ import annotations

import shutil
import unicodedata
from pathlib import Path

from trainer.bank import limits

HERE = Path(__file__).resolve().parent
MINI = (HERE.parent / "mini" / "bank.toml").read_text()

E, ST, BEL = "\x1b", "\x1b\\", "\x07"
TF_STEM = 'stem = "Temporary numbness after thermal rhizotomy usually resolves over time."'
OPTION_1 = 'text = "Motor stimulation at about 2 Hz, watching for a leg twitch"'
SINGLE_WHY = 'why = "A twitch in the leg means a motor root is within reach of the lesion."'
EXPLANATION = (
    'explanation = "Soreness at the needle sites and a sunburn-like skin pain are common and '
    'settle."'
)
OBJECTIVE_TEXT = (
    'text = "Name the common and the uncommon risks of spinal radiofrequency ablation."'
)


def q(s: str) -> str:
    """A TOML basic string holding ``s``, every character outside printable ASCII escaped (the
    files stay readable and hold no raw control character)."""
    out = []
    for ch in s:
        if ch in '"\\':
            out.append("\\" + ch)
        elif " " <= ch <= "~":
            out.append(ch)
        elif ord(ch) > 0xFFFF:
            out.append(f"\\U{ord(ch):08x}")
        else:
            out.append(f"\\u{ord(ch):04x}")
    return '"' + "".join(out) + '"'


def replace(text: str, *pairs: tuple[str, str]) -> str:
    for old, new in pairs:
        assert old in text, old
        text = text.replace(old, new, 1)
    return text


def topic(name: str) -> str:
    """The mini bank with its "procedure" topic renamed ``name`` (header and objectives)."""
    text = MINI.replace('topics = ["procedure", "risks"]', f'topics = [{q(name)}, "risks"]')
    return text.replace('topic = "procedure"', f"topic = {q(name)}")


def cloze_first(text: str, stem: str) -> str:
    """The cloze question moved first in the file (first in study order), with ``stem``."""
    text = replace(
        text,
        (
            'stem = "Needles are placed under {{fluoroscopic|fluoroscopy|x-ray}} '
            'guidance, then tested with {{stimulation}}."',
            f"stem = {q(stem)}",
        ),
    )
    i = text.index("[[questions]]")
    j = text.index('[[questions]]\nid = "mini-q-cloze"')
    k = text.index('[[questions]]\nid = "mini-q-recall"')
    return text[:i] + text[j:k] + text[i:j] + text[k:]


def banks() -> dict[str, str]:
    out: dict[str, str] = {}
    # --- rejected: characters a terminal acts on, or that hide text (finding 1) ---------------
    out["esc"] = replace(
        MINI,
        ('title = "Mini bank"', "title = " + q("Mini " + E + "]0;PWNED-TITLE" + ST)),
        (OPTION_1, "text = " + q("Motor stimulation " + E + "]52;c;cHduZWQtY2xpcGJvYXJk" + ST)),
        (
            TF_STEM,
            "stem = "
            + q(
                "Numbness resolves. "
                + E
                + "]8;;file:///etc/passwd"
                + ST
                + "CLICKME"
                + E
                + "]8;;"
                + ST
                + E
                + "[5;41mBLINK"
                + E
                + "[0m"
                + E
                + "[2J"
                + E
                + "[H FAKE"
            ),
        ),
    )
    out["c1"] = replace(
        MINI,
        (SINGLE_WHY, "why = " + q("A twitch \u009b2J in the leg.")),
        (EXPLANATION, "explanation = " + q("Next line\u0085here.")),
    )
    out["bidi"] = replace(
        MINI,
        (OPTION_1, "text = " + q("Motor stimulation \u202eHz 2 tuoba\u202c at 2 Hz")),
        (OBJECTIVE_TEXT, "text = " + q("Name the \u2066risks\u2069 of ablation.")),
    )
    out["zero-width"] = replace(
        MINI,
        ('topics = ["procedure", "risks"]', 'topics = ["procedure", ' + q("ri\u200bsks") + "]"),
        ('topic = "risks"', "topic = " + q("ri\u200bsks")),
        (TF_STEM, "stem = " + q("Temporary numbness\ufeff usually resolves over time.")),
    )
    out["line-separator"] = replace(
        MINI, (EXPLANATION, "explanation = " + q("One line\u2028and a hidden second."))
    )
    out["cr-del"] = replace(
        MINI,
        (TF_STEM, "stem = " + q("Numbness resolves.\rFAKE ANSWER: false")),
        (EXPLANATION, "explanation = " + q("Soreness\x7f settles.")),
    )
    out["key-esc"] = replace(
        MINI, ("difficulty = 2", "difficulty = 2\n" + q(E + "]52;c;cHduZWQ=" + BEL) + " = 1")
    )
    # --- rejected: names equal once normalised (finding 16) ------------------------------------
    out["topic-case"] = replace(
        MINI,
        ('topics = ["procedure", "risks"]', 'topics = ["procedure", "Procedure", "risks"]'),
        ('topic = "procedure"', 'topic = "Procedure"'),
    )
    nfc, nfd = "proc\u00e9dure", unicodedata.normalize("NFD", "proc\u00e9dure")
    out["topic-nfc"] = replace(
        MINI,
        ('topics = ["procedure", "risks"]', f'topics = [{q(nfc)}, {q(nfd)}, "risks"]'),
        ('topic = "procedure"', f"topic = {q(nfc)}"),
        ('topic = "procedure"', f"topic = {q(nfd)}"),
    )
    out["topic-dash"] = replace(
        MINI,
        ('topics = ["procedure", "risks"]', 'topics = ["risk-factors", "risk factors"]'),
        ('topic = "procedure"', 'topic = "risk-factors"'),
        ('topic = "procedure"', 'topic = "risk-factors"'),
        ('topic = "risks"', 'topic = "risk factors"'),
    )
    out["id-case"] = replace(MINI, ('id = "mini-q-recall"', 'id = "MINI-Q-Single"'))
    # --- rejected: over a limit (findings 14, 15) ----------------------------------------------
    blanks = " ".join(f"{{{{a{i}}}}}" for i in range(3000))
    out["cloze-3000"] = cloze_first(MINI, f"Too many blanks: {blanks}.")
    many = "".join(
        f'\n[[questions.options]]\ntext = "Option {i}"\ncorrect = false\nwhy = "No."\n'
        for i in range(1000)
    )
    out["options-1000"] = replace(
        MINI, ('why = "Unrelated to the needle position."\n', 'why = "Unrelated."\n' + many)
    )
    out["long-field"] = replace(
        MINI, (EXPLANATION, "explanation = " + q("x" * (limits.MAX_TEXT + 1)))
    )
    # --- accepted: shown literally everywhere (findings 2, 3, 7) -------------------------------
    out["topic-shot"] = topic("[@click=app.screenshot('victim.txt','shot')]shot[/]")
    out["topic-quit"] = topic("[@click=app.quit]quit[/]")
    out["topic-unbalanced"] = topic("risky a[/]b")
    out["topic-link"] = topic("[link=file:///etc/passwd]click[/link]")
    out["topic-bold"] = topic("[bold red]hot[/]")
    out["markup-text"] = replace(
        MINI,
        ('title = "Mini bank"', 'title = "[b]Mini[/b] a[/]b [@click=app.quit]bank[/]"'),
        (OPTION_1, 'text = "[@click=app.quit]Motor[/] stimulation [link=x]at 2 Hz[/link]"'),
        (SINGLE_WHY, 'why = "[red]A twitch[/red] means a [/] motor root."'),
        (TF_STEM, 'stem = "[bold]Numbness[/bold] resolves. a[/]b"'),
        (EXPLANATION, "explanation = \"[@click=app.screenshot('x','y')]Soreness[/] settles.\""),
        (OBJECTIVE_TEXT, 'text = "[i]Name[/i] the risks [/]."'),
        ('"Position the patient prone"', '"Position the [b]patient[/b] prone"'),
        ("{{stimulation}}", "{{[b]stimulation[/b]}}"),
        ('tags = ["stimulation"]', 'tags = ["[b]stim[/b]"]'),
    )
    # right-to-left letters, marks, joiners, emoji, combining accents: allowed, shown as typed
    out["rtl-ok"] = replace(
        MINI,
        ('title = "Mini bank"', "title = " + q("Mini \u05d1\u05e0\u05e7 bank")),
        (OPTION_1, "text = " + q("Motor \u0627\u0644\u0639\u0635\u0628\u200f stimulation, 2 Hz")),
        (
            TF_STEM,
            "stem = " + q("Numbness (\U0001f469\u200d\u2695\ufe0f says) resolves; cafe\u0301."),
        ),
        ('topic = "risks"', "topic = " + q("ri\u200dsks")),
        ('topics = ["procedure", "risks"]', 'topics = ["procedure", ' + q("ri\u200dsks") + "]"),
    )
    # two topics whose Anki deck names meet once "::" is collapsed: unique decks by construction
    out["deck-colon"] = replace(
        MINI,
        ('topics = ["procedure", "risks"]', 'topics = ["a::b", "a:b"]'),
        ('topic = "procedure"', 'topic = "a::b"'),
        ('topic = "procedure"', 'topic = "a::b"'),
        ('topic = "risks"', 'topic = "a:b"'),
    )
    # the worst bank the limits allow: shown in under 100 ms (see test_hostile_ui.py)
    alternatives = "|".join(f"alt{j}" for j in range(limits.MAX_ALTERNATIVES - 1))
    worst_blanks = " ".join(f"{{{{a{i}|{alternatives}}}}}" for i in range(limits.MAX_BLANKS))
    filler = "word " * ((limits.MAX_TEXT - len(worst_blanks) - 20) // 5)
    worst = cloze_first(MINI, f"Worst: {filler}{worst_blanks}.")
    long_text = ("long " * limits.MAX_TEXT)[: limits.MAX_TEXT - 10]
    worst = worst.replace('explanation = "Image guidance', f"explanation = {q(long_text)}\n#", 1)
    single = (
        (OPTION_1, SINGLE_WHY),
        (
            'text = "A contrast injection to outline the epidural space"',
            'why = "Not a routine step before a medial branch lesion."',
        ),
        (
            'text = "A blood glucose check at the bedside"',
            'why = "Unrelated to the needle position."',
        ),
        (
            'text = "An ultrasound scan of the kidneys"',
            'why = "The kidneys are not near the target and play no part in the check."',
        ),
    )
    for i, (option, why) in enumerate(single):  # the single question, next in study order
        worst = replace(
            worst,
            (option, f"text = {q(f'Option {i} ' + long_text)}"),
            (why, f"why = {q(long_text)}"),
        )
    out["worst-allowed"] = worst
    return out


def main() -> None:
    for old in HERE.iterdir():
        if old.is_dir():
            shutil.rmtree(old)
    for name, text in banks().items():
        folder = HERE / name
        folder.mkdir()
        (folder / "bank.toml").write_text(text, encoding="utf-8")
    print("\n".join(sorted(banks())))


if __name__ == "__main__":
    main()
