"""The key bar (widgets/key_bar.py) works around Textual issue #6666: the Footer's keys, bound to
it with data_bind, stayed alive after every recompose, and a study session grew without end."""

from __future__ import annotations

import gc

from textual.widgets._footer import FooterKey

from trainer.tui.app import TrainerApp
from trainer.tui.screens.question import QuestionScreen
from trainer.tui.widgets.key_bar import KeyBar

from .helpers import answer, settle


def _live_footer_keys() -> int:
    gc.collect()
    return sum(1 for o in gc.get_objects() if isinstance(o, FooterKey))


async def test_a_study_session_leaves_no_keys_behind_and_keeps_its_keys_shown(
    app: TrainerApp,
) -> None:
    async with app.run_test(size=(100, 30)) as pilot:
        await pilot.press("s")
        await settle(pilot)
        screen = app.screen
        assert isinstance(screen, QuestionScreen)
        counts = []
        for _ in range(4):
            question = screen.question
            assert question is not None
            await answer(pilot, question.id, True)
            shown = [k.description for k in screen.query(FooterKey)]
            assert "Undo" in shown and "Flag" in shown, shown
            await pilot.press("enter")  # the suggested rating: the next question
            await settle(pilot)
            mounted = sum(len(s.query(FooterKey)) for s in app.screen_stack)
            counts.append(_live_footer_keys() - mounted)
        # flat: no key of an earlier question kept alive (keys of other tests' apps may be)
        assert counts[-1] <= counts[0], counts
        bar = screen.query_one(KeyBar)
        keys = bar.query(FooterKey).exclude(".-command-palette")  # never bound, as in Footer
        assert keys and all(k.has_class("-compact") == bar.compact for k in keys)
