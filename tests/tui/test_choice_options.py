"""A choice question's options are one widget (ChoiceOptions): letters choose, a click chooses the
option under the pointer (any of its wrapped lines), multiple response toggles, and the drawn lines
say what the keys did."""

from __future__ import annotations

from textual.pilot import Pilot

from trainer.bank.models import Bank
from trainer.tui.app import TrainerApp
from trainer.tui.widgets.choice_answer import ChoiceAnswer
from trainer.tui.widgets.choice_options import KEY_WIDTH, ChoiceOptions

from .helpers import settle


def drawn(options: ChoiceOptions) -> list[str]:
    """The widget's lines as drawn at its width."""
    return [strip.text.rstrip() for strip in options._render_rows(options.size.width)[0]]


async def start(pilot: Pilot[None], bank: Bank, qid: str) -> tuple[ChoiceAnswer, ChoiceOptions]:
    pilot.app.start_practice([bank.question(qid)], 1, "")  # type: ignore[attr-defined]
    await settle(pilot)
    widget = pilot.app.screen.query_one(ChoiceAnswer)
    return widget, widget.query_one(ChoiceOptions)


async def test_letters_choose_one_and_the_mark_moves(app: TrainerApp, mini_bank: Bank) -> None:
    async with app.run_test(size=(80, 24)) as pilot:
        widget, options = await start(pilot, mini_bank, "mini-q-single")
        count = len(options.texts)
        assert [line[:KEY_WIDTH].rstrip() for line in drawn(options)][:1] == [" A  ( )"]
        await pilot.press("b")
        await pilot.pause()
        assert widget.selected == {1} and options.selected == {1}
        firsts = [line for line in drawn(options) if line[:KEY_WIDTH].strip()]
        assert len(firsts) == count
        assert firsts[1].startswith(" B  (•)") and firsts[0].startswith(" A  ( )")
        await pilot.press("a")
        await pilot.pause()
        firsts = [line for line in drawn(options) if line[:KEY_WIDTH].strip()]
        assert firsts[0].startswith(" A  (•)") and firsts[1].startswith(" B  ( )")
        assert widget.selected == {0}


async def test_multiple_response_letters_toggle(app: TrainerApp, mini_bank: Bank) -> None:
    async with app.run_test(size=(80, 24)) as pilot:
        widget, options = await start(pilot, mini_bank, "mini-q-multiple")
        await pilot.press("a", "c")
        await pilot.pause()
        assert widget.selected == {0, 2} == set(options.selected)
        await pilot.press("a")
        await pilot.pause()
        assert widget.selected == {2}
        firsts = [line for line in drawn(options) if line[:KEY_WIDTH].strip()]
        assert firsts[0].startswith(" A  [ ]") and firsts[2].startswith(" C  [x]")


async def test_a_click_chooses_the_option_under_it_even_on_a_wrapped_line(
    app: TrainerApp, mini_bank: Bank
) -> None:
    # 40 columns: long options wrap under their text (a hanging indent), not under the key
    async with app.run_test(size=(40, 30)) as pilot:
        widget, options = await start(pilot, mini_bank, "mini-q-single")
        lines = drawn(options)
        _, owners = options._render_rows(options.size.width)
        assert len(lines) > len(options.texts)  # something wrapped at this width
        wrapped = next(y for y in range(1, len(owners)) if owners[y] == owners[y - 1])
        assert lines[wrapped][:KEY_WIDTH].strip() == ""  # continuation: indented, no key
        await pilot.click(ChoiceOptions, offset=(KEY_WIDTH + 2, wrapped))
        await pilot.pause()
        assert widget.selected == {owners[wrapped]}
        assert widget.has_focus
        await pilot.click(ChoiceOptions, offset=(1, 0))  # the key column of the first option
        await pilot.pause()
        assert widget.selected == {0}


async def test_marked_options_say_right_and_wrong_in_words(
    app: TrainerApp, mini_bank: Bank
) -> None:
    async with app.run_test(size=(100, 30)) as pilot:
        widget, options = await start(pilot, mini_bank, "mini-q-single")
        correct = widget.order.index(mini_bank.question("mini-q-single").correct_indexes[0])
        wrong = (correct + 1) % len(options.texts)
        await pilot.press(options.keys[wrong].lower(), "enter")
        await settle(pilot)
        text = "\n".join(drawn(options))
        assert "<- your choice, wrong" in text and "<- the correct answer" in text
        assert options.correct == {correct}
        assert not widget.query_one("#choice-hint").display  # locked: the hint is hidden
        await pilot.press("b")  # locked: letters do nothing
        assert widget.selected == {wrong}


async def test_order_steps_are_one_widget_with_the_cursor_row_marked(
    app: TrainerApp, mini_bank: Bank
) -> None:
    from trainer.tui.widgets.order_answer import OrderAnswer, StepRows

    async with app.run_test(size=(80, 24)) as pilot:
        pilot.app.start_practice([mini_bank.question("mini-q-order")], 1, "")  # type: ignore[attr-defined]
        await settle(pilot)
        widget = app.screen.query_one(OrderAnswer)
        rows = widget.query_one(StepRows)
        steps = mini_bank.question("mini-q-order").steps

        def keys() -> list[str]:
            lines, owners = rows._render_rows(rows.size.width)
            firsts = [owners.index(i) for i in range(len(steps))]
            return [lines[y].text[: rows.key_width].rstrip() for y in firsts]

        assert keys()[:2] == [" > 1.", "   2."]
        await pilot.press("down")
        await pilot.pause()
        assert widget.cursor == 1 and keys()[:2] == ["   1.", " > 2."]
        first, second = widget.arrangement[0], widget.arrangement[1]
        await pilot.press("shift+up")  # the step under the cursor moves up, the cursor with it
        await pilot.pause()
        assert widget.arrangement[:2] == [second, first] and widget.cursor == 0
        text = "\n".join(s.text for s in rows._render_rows(rows.size.width)[0])
        assert steps[second] in text.split("\n")[0] or steps[second].startswith(
            text.split("\n")[0][rows.key_width :].strip()
        )
        await pilot.press("enter")
        await settle(pilot)
        text = "\n".join(s.text for s in rows._render_rows(rows.size.width)[0])
        assert "<- right place" in text or "<- belongs at" in text
        assert ">" not in "".join(keys())  # locked: no cursor
        assert not widget.query_one("#order-hint").display


async def test_a_click_on_a_step_puts_the_cursor_on_it(app: TrainerApp, mini_bank: Bank) -> None:
    from trainer.tui.widgets.order_answer import OrderAnswer, StepRows

    async with app.run_test(size=(80, 24)) as pilot:
        pilot.app.start_practice([mini_bank.question("mini-q-order")], 1, "")  # type: ignore[attr-defined]
        await settle(pilot)
        widget = app.screen.query_one(OrderAnswer)
        rows = widget.query_one(StepRows)
        _, owners = rows._render_rows(rows.size.width)
        third = owners.index(2)
        await pilot.click(StepRows, offset=(rows.key_width + 2, third))
        await pilot.pause()
        assert widget.cursor == 2
        first, third_step = widget.arrangement[1], widget.arrangement[2]
        await pilot.press("shift+up")  # the clicked step moves
        await pilot.pause()
        assert widget.arrangement[1:3] == [third_step, first] and widget.cursor == 1
        await pilot.press("enter")
        await settle(pilot)
        await pilot.click(StepRows, offset=(rows.key_width + 2, 0))  # locked: nothing moves
        await pilot.pause()
        assert widget.cursor == 1
