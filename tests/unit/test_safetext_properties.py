"""Properties of the output boundary (trainer.safetext, trainer.output) and of the CLI on banks
holding any text at all: nothing written to a terminal holds ESC or a C1 control character, and
text the checker accepts is written as typed."""

from __future__ import annotations

import io
import json
import re
import tempfile
from pathlib import Path

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from test_hostile_banks import blank_db, run_main

from trainer.output import SafeStream
from trainer.safetext import FORBIDDEN, forbidden, visible

MINI = (Path(__file__).resolve().parents[1] / "data" / "mini" / "bank.toml").read_text()
TERMINAL_CONTROLS = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f]")

# Any text, with the dangerous characters made likely.
hostile_chars = st.sampled_from(
    ["\x1b", "\x07", "\x9b", "\x85", "\r", "\x7f", "\u202e", "\u2066", "\u200b", "\ufeff",
     "\u2028", "\ud800", "\udcff", "[", "]", "[/]", "[@click=app.quit]", "\n", "\t", "\\"]
)  # fmt: skip
any_text = st.lists(st.one_of(hostile_chars, st.text(max_size=4)), max_size=12).map("".join)


@given(any_text, st.booleans())
def test_visible_leaves_nothing_a_terminal_acts_on(text: str, one_line: bool) -> None:
    shown = visible(text, one_line=one_line)
    assert not TERMINAL_CONTROLS.search(shown.replace("\n", "").replace("\t", ""))
    assert forbidden(shown) is None
    if one_line:
        assert "\n" not in shown and "\t" not in shown
    shown.encode("utf-8")  # no lone surrogate is left to break an encoder


@given(any_text)
def test_visible_is_the_identity_on_allowed_text(text: str) -> None:
    allowed = FORBIDDEN.sub("", text)
    assert visible(allowed) == allowed


@given(any_text, st.sampled_from(["utf-8", "ascii", "latin-1"]))
def test_the_safe_stream_never_raises_and_never_writes_a_control(text: str, encoding: str) -> None:
    raw = io.BytesIO()
    inner = io.TextIOWrapper(raw, encoding=encoding, errors="strict", write_through=True)
    stream = SafeStream(inner, "output")
    stream.write(text)
    stream.flush()
    written = raw.getvalue().decode(encoding)
    assert not TERMINAL_CONTROLS.search(written.replace("\n", "").replace("\t", ""))
    assert "\x1b" not in written


def toml_string(s: str) -> str:
    """A TOML basic string holding ``s``, escaped so that any character can be written."""
    out = []
    for ch in s:
        if ch in '"\\':
            out.append("\\" + ch)
        elif " " <= ch <= "~":
            out.append(ch)
        else:
            out.append(f"\\U{ord(ch):08x}" if ord(ch) > 0xFFFF else f"\\u{ord(ch):04x}")
    return '"' + "".join(out) + '"'


FIELDS = {
    "title": 'title = "Mini bank"',
    "option": 'text = "Motor stimulation at about 2 Hz, watching for a leg twitch"',
    "stem": 'stem = "Temporary numbness after thermal rhizotomy usually resolves over time."',
}


@settings(
    max_examples=25,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(st.sampled_from(sorted([*FIELDS, "topic"])), any_text)
def test_the_cli_writes_no_control_character_for_any_text_in_any_field(
    field: str, text: str
) -> None:
    if field == "topic":
        bank = MINI.replace('"procedure"', toml_string(text))
    else:
        key = FIELDS[field].split(" = ")[0]
        bank = MINI.replace(FIELDS[field], f"{key} = {toml_string(text)}", 1)
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "bank.toml"
        path.write_text(bank)
        outputs = []
        code, out, err = run_main("check", "--bank", str(path))
        outputs += [out, err]
        _, jout, jerr = run_main("check", "--json", "--bank", str(path))
        outputs += [jout, jerr]
        json.loads(jout)  # still valid JSON after the boundary's escapes
        if code == 0:
            blank_db(Path(tmp, "t.db"))  # stats only reads: it never creates a database
            scode, sout, serr = run_main("stats", "--bank", str(path), "--db", f"{tmp}/t.db")
            assert scode == 0, serr
            outputs += [sout, serr]
            if field == "title":
                assert text in sout.decode()  # accepted text is written as typed
        for raw in outputs:
            written = raw.decode("utf-8")
            assert "\x1b" not in written
            assert not TERMINAL_CONTROLS.search(written.replace("\n", "").replace("\t", ""))


allowed_text = (
    st.text(
        st.characters(exclude_categories=("Cc", "Cs", "Zl", "Zp")).filter(
            lambda c: forbidden(c) is None
        ),
        min_size=1,
        max_size=30,
    )
    .map(lambda s: s.replace("\r", ""))
    .filter(lambda s: s.strip() != "")
)


@settings(max_examples=15, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(allowed_text)
def test_any_allowed_title_is_accepted_and_printed_as_typed(text: str) -> None:
    bank = MINI.replace(FIELDS["title"], f"title = {toml_string(text)}", 1)
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "bank.toml"
        path.write_text(bank)
        blank_db(Path(tmp, "t.db"))  # stats only reads: it never creates a database
        code, out, err = run_main("stats", "--bank", str(path), "--db", f"{tmp}/t.db")
        assert code == 0, (out, err)
        assert f"{text} (mini): 6 cards" in out.decode()
