"""The compact review log's stored forms give back exactly what was logged: every response text
(the engine's JSON of every shape, overridden or not, and any other text) through the short form,
in Python and in the ``review_log`` view's SQL; every combination of an entry's flags."""

from __future__ import annotations

import itertools
import sqlite3

from hypothesis import given, settings
from hypothesis import strategies as st

from trainer.engine.grading import response_to_json
from trainer.engine.scheduler import CARD_STATES
from trainer.engine.store.codec import (
    MODES,
    RESPONSE_SQL,
    pack_flags,
    pack_response,
    unpack_flags,
    unpack_response,
)

RESPONSES = st.one_of(
    st.none(),
    st.booleans(),
    st.integers(-(2**40), 2**40),
    st.frozensets(st.integers(0, 30), max_size=6),
    st.lists(st.integers(0, 30), max_size=6).map(tuple),
    st.lists(st.text(max_size=12), min_size=1, max_size=4).map(tuple),
)


def _sql_decoded(values: list[object]) -> list[str]:
    con = sqlite3.connect(":memory:")
    con.execute("CREATE TABLE revlog (k INTEGER PRIMARY KEY, response ANY)")
    con.executemany("INSERT INTO revlog (response) VALUES (?)", [(v,) for v in values])
    out = [r[0] for r in con.execute(f"SELECT {RESPONSE_SQL} FROM revlog l ORDER BY k")]
    con.close()
    return out


@settings(max_examples=300, deadline=None)
@given(st.lists(st.one_of(RESPONSES.map(lambda r: (r, False)), RESPONSES.map(lambda r: (r, True)))))
def test_every_logged_response_comes_back_exactly(responses: list[tuple[object, bool]]) -> None:
    texts = []
    for response, override in responses:
        if override and not isinstance(response, bool | int | frozenset | tuple):
            continue
        texts.append(response_to_json(response, override=override))  # type: ignore[arg-type]
    packed = [pack_response(t) for t in texts]
    assert [unpack_response(p) for p in packed] == texts
    assert _sql_decoded(packed) == texts
    assert all(len(str(p)) <= len(t) + 1 for p, t in zip(packed, texts, strict=True))


@given(st.lists(st.text(max_size=30)))
def test_any_other_text_comes_back_exactly(texts: list[str]) -> None:
    texts = [t for t in texts if "\x00" not in t]  # SQLite text ends at NUL in substr()
    packed = [pack_response(t) for t in texts]
    assert [unpack_response(p) for p in packed] == texts
    assert _sql_decoded(packed) == texts


def test_every_combination_of_flags_comes_back() -> None:
    for rating, mode, scheduled, correct, state, suspended, leech in itertools.product(
        range(1, 5), MODES, (False, True), (None, False, True), CARD_STATES, (0, 1), (0, 1)
    ):
        f = pack_flags(rating, mode, scheduled, correct, state, bool(suspended), bool(leech))
        assert tuple(unpack_flags(f)) == (
            rating,
            mode,
            scheduled,
            correct,
            state,
            bool(suspended),
            bool(leech),
        )
    assert pack_flags(3, "study", True, True, "new") < 128  # one byte on disk


def test_an_index_too_big_for_sqlite_is_kept_as_text() -> None:
    # Only a hand-edited or foreign log holds one; it must still migrate and come back exactly.
    for index in (2**63, -(2**63) - 1, 10**20):
        text = f'{{"index": {index}}}'
        packed = pack_response(text)
        assert isinstance(packed, str) and unpack_response(packed) == text
        assert _sql_decoded([packed]) == [text]
    assert pack_response('{"index": 9223372036854775807}') == 2**63 - 1
