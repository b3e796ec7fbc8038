"""Turning bank text (plain text) into safe Anki field HTML, deck names and tags.

Bank text is plain text: anything that looks like markup is shown as typed. So every character that
HTML, Anki's template language or Anki's media/LaTeX syntax would act on is written as an entity:
``<``, ``>``, ``&`` and quotes by ``html.escape``; ``{`` and ``}`` so ``{{...}}`` in a question can
never become a template or cloze; ``[`` and ``]`` so ``[sound:...]`` and ``[latex]`` stay text. Line
breaks become ``<br>``. In cloze text, only the deletions we write ourselves are ``{{cN::...}}``.
"""

from __future__ import annotations

import html
import re
from html.parser import HTMLParser

from trainer.bank.models import CLOZE_BLANK

_ENTITIES = str.maketrans({"{": "&#123;", "}": "&#125;", "[": "&#91;", "]": "&#93;"})


def text_html(text: str, *, strip: bool = True) -> str:
    """Plain text -> inert HTML, line breaks kept as <br>."""
    t = text.replace("\r\n", "\n").replace("\r", "\n")
    if strip:
        t = t.strip()
    return html.escape(t, quote=True).translate(_ENTITIES).replace("\n", "<br>")


def cloze_html(stem: str) -> tuple[str, tuple[tuple[str, ...], ...]]:
    """A cloze stem (``{{answer|alternative}}`` blanks) -> Anki cloze text and each blank's answers.

    Blank n becomes ``{{cn::answer}}`` with the canonical (first) answer; its colons are written as
    entities so an answer containing ``::`` cannot turn into a cloze hint.
    """
    stem = stem.replace("\r\n", "\n").replace("\r", "\n").strip()
    parts: list[str] = []
    blanks: list[tuple[str, ...]] = []
    pos = 0
    for match in CLOZE_BLANK.finditer(stem):
        parts.append(text_html(stem[pos : match.start()], strip=False))
        answers = tuple(a.strip() for a in match.group(1).split("|") if a.strip())
        blanks.append(answers)
        if answers:
            inner = text_html(answers[0]).replace(":", "&#58;")
            parts.append(f"{{{{c{len(blanks)}::{inner}}}}}")
        pos = match.end()
    parts.append(text_html(stem[pos:], strip=False))
    return "".join(parts), tuple(blanks)


class _TextOnly(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.chunks: list[str] = []

    def handle_data(self, data: str) -> None:
        self.chunks.append(data)


def visible_text(fragment: str) -> str:
    """The text a field of HTML shows, whitespace collapsed ("" for "<div><br></div>")."""
    parser = _TextOnly()
    parser.feed(fragment)
    parser.close()
    return " ".join("".join(parser.chunks).split())


def deck_component(name: str, fallback: str) -> str:
    """One level of a deck name: no "::" (Anki's separator), no edge colons, no line breaks."""
    clean = " ".join(name.split())
    clean = re.sub(r":{2,}", ":", clean).strip(" :")
    return clean or fallback


def tag_component(value: str, fallback: str = "unknown") -> str:
    """One level of a tag: letters, digits, '_', '-' and '.' only (no spaces, no "::")."""
    clean = re.sub(r"[^\w.\-]+", "_", value).strip("_")
    return clean or fallback
