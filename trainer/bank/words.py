"""Word lists and tokens for the item-writing warnings (lint.py, cues.py).

``content_tokens`` reduces a text to its content words (lower case, plurals folded, function words
dropped) with their positions, so that two texts can be compared phrase by phrase. ``COMMON_WORDS``
is a short list of everyday English words that a trainee may well write in another form
(``cloze-common-word``). Both lists are deliberately small and fixed, so the warnings are stable.
"""

from __future__ import annotations

import re
from functools import lru_cache
from typing import NamedTuple


def _wordlist(text: str) -> frozenset[str]:
    return frozenset(text.split())


# Function words, dropped before phrases are compared. Negations are kept (they change meaning).
STOPWORDS = _wordlist(
    """
    a an the and or but if then than so as of in on at to for from by with without within into onto
    over under about after before during between through up down out off via per
    is are was were be been being am do does did done has have had having can could may might will
    would shall should
    it its this that these those there here they them their he him his she her we our you your i me
    my who whom whose which what when where why how
    also very more most much many some any such each other another same own just only
    usually often typically generally
    """
)

# Everyday words that a trainee may write as a synonym or another form (heat/warmth, pain/ache,
# weeks/wks...). Compared after folding plurals (see ``fold``).
COMMON_WORDS = _wordlist(
    """
    pain ache hurt sore soreness heat hot warm warmth cold cool burn burning numb numbness weak
    weakness tingling itch swelling bruise bruising bleed bleeding blood
    day week month year hour minute second time night morning
    one two three four five six seven eight nine ten twelve hundred half quarter
    same different other more less fewer higher lower bigger smaller larger longer shorter
    better worse best worst good bad new old early late fast slow quick quicker faster slower
    high low big small large long short wide narrow deep shallow thick thin near far close
    first last next second third before after above below side front back top bottom left right
    up down inside outside over under
    yes no true false always never often rarely sometimes usually common rare uncommon
    safe unsafe easy hard simple normal usual unusual
    stop start rest walk drive work sleep eat drink sit stand lie move lift bend
    leg arm hand foot feet back neck head face eye skin bone joint muscle nerve spine
    relief help rest treatment test check
    """
)

_TOKEN = re.compile(r"[A-Za-z0-9]+")


class Token(NamedTuple):
    word: str  # folded form
    start: int  # offsets in the original text
    end: int


@lru_cache(maxsize=1 << 16)
def fold(word: str) -> str:
    """Lower case, a plural folded to its singular: 'fibres' -> 'fibre', 'injuries' -> 'injury'."""
    w = word.lower()
    if len(w) > 4 and w.endswith("ies"):
        return w[:-3] + "y"
    if len(w) > 4 and w.endswith(("ches", "shes", "sses", "xes")):
        return w[:-2]
    if len(w) > 3 and w.endswith("s") and not w.endswith(("ss", "us", "is")):
        return w[:-1]
    return w


def content_tokens(text: str) -> list[Token]:
    """The content words of a text, folded, with their offsets."""
    out = []
    for m in _TOKEN.finditer(text):
        w = fold(m.group())
        if w not in STOPWORDS:
            out.append(Token(w, m.start(), m.end()))
    return out


def content_token_words(text: str) -> tuple[str, ...]:
    """The words of ``content_tokens(text)``, without their offsets (made at C speed)."""
    return tuple(w for w in map(fold, _TOKEN.findall(text)) if w not in STOPWORDS)


_CONTENT: dict[str, str] = {}  # lower-case word -> its folded form, or "" for a function word
_CONTENT_MAX = 1 << 17


def content_words(text: str) -> tuple[str, ...]:
    """The content words of a text, folded (``content_tokens`` without the offsets)."""
    if len(_CONTENT) > _CONTENT_MAX:
        _CONTENT.clear()
    out = []
    for raw in _TOKEN.findall(text.lower()):
        w = _CONTENT.get(raw)
        if w is None:
            folded = fold(raw)
            w = _CONTENT[raw] = "" if folded in STOPWORDS else folded
        if w:
            out.append(w)
    return tuple(out)


def content_vocabulary(text: str) -> set[str]:
    """The set of ``content_words(text)``, made without building the sequence."""
    if len(_CONTENT) > _CONTENT_MAX:
        _CONTENT.clear()
    raws = set(_TOKEN.findall(text.lower()))
    try:  # the usual case, every word met before: the loop runs in C
        out = set(map(_CONTENT.__getitem__, raws))
    except KeyError:
        for raw in raws.difference(_CONTENT):
            folded = fold(raw)
            _CONTENT[raw] = "" if folded in STOPWORDS else folded
        out = set(map(_CONTENT.__getitem__, raws))
    out.discard("")
    return out


def is_common_word(answer: str) -> bool:
    """One everyday English word (letters only, any case)."""
    words = answer.split()
    return len(words) == 1 and words[0].isalpha() and fold(words[0]) in COMMON_WORDS
