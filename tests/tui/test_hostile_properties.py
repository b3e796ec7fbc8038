"""A property of the app under Pilot: whatever text a bank's topic or stem holds, once `trainer
check` accepts it, the screen shows it as typed (no markup applied, no action attached)."""

from __future__ import annotations

import tempfile
from pathlib import Path

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from textual.widgets import SelectionList

from trainer.bank import load_bank
from trainer.bank.models import topic_title
from trainer.tui.screens.practice_setup import PracticeSetupScreen
from trainer.tui.screens.question import QuestionScreen

from .test_hostile_ui import build, drawn

MINI = (Path(__file__).resolve().parents[1] / "data" / "mini" / "bank.toml").read_text()
STEM = 'stem = "Motor stimulation at about 2 Hz, watching for a leg twitch"'

# Narrow, single-width letters (so a screen cell is a character) mixed with markup pieces.
letters = st.text(
    st.characters(min_codepoint=0x21, max_codepoint=0x17F, exclude_categories=("Cc",)),
    max_size=4,
)
markup = st.sampled_from(
    ["[", "]", "[/]", "[b]", "[@click=app.quit]", "[link=file:///etc/passwd]", "\\[", "a[/]b"]
)
typed = (
    st.lists(st.one_of(markup, letters), min_size=1, max_size=6)
    .map("".join)
    .filter(lambda s: s.strip() == s and s != "" and "-" not in s and "_" not in s)
)


def toml_string(s: str) -> str:
    return '"' + s.replace("\\", "\\\\").replace('"', '\\"') + '"'


@settings(
    max_examples=6,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture],
)
@given(topic=typed, stem=typed)
async def test_any_accepted_topic_and_stem_show_as_typed(topic: str, stem: str) -> None:
    text = MINI.replace('"procedure"', toml_string(topic)).replace(
        'stem = """A 58-year-old man', f"stem = {toml_string(stem)}\n# A 58-year-old man", 1
    )
    text = text.replace("The needle is in place under fluoroscopy.", "# ", 1)
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "bank.toml"
        path.write_text(text)
        bank, problems = load_bank(path, use_cache=False)
        if bank is None:  # only when the topic folds onto "risks": the checker's business
            assert topic.casefold() == "risks", [p.format() for p in problems]
            return
        title = topic_title(topic)
        app = build(bank, Path(tmp))
        async with app.run_test(size=(160, 40)) as pilot:
            await pilot.press("p")
            await pilot.pause()
            assert isinstance(app.screen, PracticeSetupScreen)
            prompt = app.screen.query_one(SelectionList).get_option_at_index(0).prompt
            name, count = str(prompt).rsplit(" (", 1)  # the topic, then its number of questions
            assert name == title and count.rstrip(")").isdigit()
            screen, actions = drawn(app)
            assert title in screen and not actions
            await pilot.press("escape", "s")
            await pilot.pause()
            assert isinstance(app.screen, QuestionScreen)
            screen, actions = drawn(app)
            if app.screen.question is not None and app.screen.question.id == "mini-q-single":
                assert stem in screen
            assert not actions
