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
from collections.abc import Sequence
from html.parser import HTMLParser

from trainer.bank.models import CLOZE_BLANK, blank_answers


def _escape(t: str) -> str:
    """Line breaks already normalised: the escaping of ``text_html`` (chained ``str.replace``,
    several times faster than ``str.translate`` with a dict on text that has none of the chars)."""
    return (
        html.escape(t, quote=True)
        .replace("{", "&#123;")
        .replace("}", "&#125;")
        .replace("[", "&#91;")
        .replace("]", "&#93;")
        .replace("\n", "<br>")
    )


def text_html(text: str, *, strip: bool = True) -> str:
    """Plain text -> inert HTML, line breaks kept as <br>."""
    t = text.replace("\r\n", "\n").replace("\r", "\n")
    if strip:
        t = t.strip()
    return _escape(t)


_SEP = "\x00"


def texts_html(texts: Sequence[str]) -> list[str]:
    """``[text_html(t) for t in texts]``, escaped in one pass over the texts joined together.

    Much faster for the dozen short texts of a note than a dozen calls. The texts are joined with
    NUL, which the escaping leaves alone; if a text itself holds a NUL, each text is escaped alone.
    """
    joined = _SEP.join(map(str.strip, texts))
    if "\r" in joined:
        # Stripping first is the same as normalising first: the strip removes \r and \n alike.
        joined = joined.replace("\r\n", "\n").replace("\r", "\n")
    parts = _escape(joined).split(_SEP)
    if len(parts) != len(texts):
        return [text_html(t) for t in texts]
    return parts


def _escape_each(texts: list[str]) -> list[str]:
    """``[_escape(t) for t in texts]`` in one pass (see texts_html)."""
    parts = _escape(_SEP.join(texts)).split(_SEP)
    return parts if len(parts) == len(texts) else [_escape(t) for t in texts]


def cloze_html(stem: str) -> tuple[str, tuple[tuple[str, ...], ...]]:
    """A cloze stem (``{{answer|alternative}}`` blanks) -> Anki cloze text and each blank's answers.

    Blank n becomes ``{{cn::answer}}`` with the canonical (first) answer; its colons are written as
    entities so an answer containing ``::`` cannot turn into a cloze hint.
    """
    stem = stem.replace("\r\n", "\n").replace("\r", "\n").strip()
    texts: list[str] = []  # text before blank 1, its answer, text before blank 2, ..., the rest
    blanks: list[tuple[str, ...]] = []
    pos = 0
    for match in CLOZE_BLANK.finditer(stem):
        texts.append(stem[pos : match.start()])
        answers = blank_answers(match)
        blanks.append(answers)
        texts.append(answers[0] if answers else "")
        pos = match.end()
    texts.append(stem[pos:])
    escaped = _escape_each(texts)  # the stem is normalised and the answers stripped already
    parts: list[str] = []
    for n, answers in enumerate(blanks, start=1):
        parts.append(escaped[2 * n - 2])
        if answers:
            inner = escaped[2 * n - 1].replace(":", "&#58;")
            parts.append(f"{{{{c{n}::{inner}}}}}")
    parts.append(escaped[-1])
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
