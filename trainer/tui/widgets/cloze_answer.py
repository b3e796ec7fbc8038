"""Cloze: one input per blank; Tab moves between them, Enter submits."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from textual.app import ComposeResult
from textual.containers import Horizontal
from textual.widget import Widget
from textual.widgets import Input, Static

from trainer.bank.models import CLOZE_BLANK, Question
from trainer.tui.messages import AnswerSubmitted
from trainer.tui.widgets.answer_base import AnswerWidget
from trainer.tui.widgets.text_input import TextInput

if TYPE_CHECKING:
    from trainer.engine import Grade
    from trainer.engine.grading import Response


def masked_stem(stem: str, fill: str = "_____") -> str:
    """The stem with each blank replaced by its number: 'under [1]_____ guidance'."""
    count = 0

    def repl(_match: object) -> str:
        nonlocal count
        count += 1
        return f"[{count}]{fill}"

    return CLOZE_BLANK.sub(repl, stem)


class BlankInput(TextInput):
    """One cloze blank. In an exam, Left at the start of the first blank and Right at the end of
    the last one are not cursor moves: they go on to the exam screen (previous / next question)."""

    def __init__(self, *, first: bool, last: bool, exam: bool, **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self.first = first
        self.last = last
        self.exam = exam

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        if self.exam:
            if action == "cursor_left" and self.first and self.cursor_position == 0:
                return False
            if action == "cursor_right" and self.last and self.cursor_position >= len(self.value):
                return False
        return super().check_action(action, parameters)


class ClozeAnswer(AnswerWidget):
    def __init__(self, question: Question, *, initial: Response = None, exam: bool = False):
        super().__init__(id="answer", exam=exam)
        self.question = question
        self.blanks = question.blanks
        values = [str(v) for v in initial] if isinstance(initial, tuple) else []
        self.initial = values + [""] * (len(self.blanks) - len(values))

    def compose(self) -> ComposeResult:
        for i, value in enumerate(self.initial):
            with Horizontal(classes="blank-row"):
                yield Static(f" [{i + 1}]", classes="key", markup=False)
                yield BlankInput(
                    first=i == 0,
                    last=i == len(self.initial) - 1,
                    exam=self.exam,
                    value=value,
                    placeholder=f"blank {i + 1}",
                    id=f"blank-{i + 1}",
                    classes="blank",
                    select_on_focus=False,
                    compact=True,
                )
            yield Static("", id=f"blank-result-{i + 1}", classes="blank-result", markup=False)
        yield Static(
            f"Type each blank; Tab moves to the next; Enter goes on to the next empty blank "
            f"(in the last one: {self.enter_hint}).",
            classes="hint",
            id="cloze-hint",
            markup=False,
        )

    def _inputs(self) -> list[Input]:
        return list(self.query(".blank").results(Input))

    def focus_answer(self) -> None:
        inputs = self._inputs()
        if inputs:
            inputs[0].focus()

    def input_widget(self) -> Widget:
        inputs = self._inputs()
        return inputs[0] if inputs else self

    def on_input_submitted(self, event: Input.Submitted) -> None:
        event.stop()
        if self.locked:
            return
        inputs = self._inputs()
        here = inputs.index(event.input) if event.input in inputs else -1
        later_empty = [i for i in inputs[here + 1 :] if not i.value.strip()]
        if later_empty:
            later_empty[0].focus()
            return
        self.post_message(AnswerSubmitted())

    def is_complete(self) -> bool:
        return True

    def response(self) -> Response:
        return tuple(i.value for i in self._inputs())

    def show_grade(self, grade: Grade | None) -> None:
        super().show_grade(grade)
        results = grade.blank_results if grade is not None else ()
        for i, inp in enumerate(self._inputs()):
            inp.disabled = True
            right = i < len(results) and results[i]
            accepted = " / ".join(self.blanks[i]) if i < len(self.blanks) else ""
            label = self.query_one(f"#blank-result-{i + 1}", Static)
            label.set_class(right, "-correct")
            label.set_class(not right, "-wrong")
            label.update(
                f"Right. Accepted: {accepted}" if right else f"Wrong. Accepted: {accepted}"
            )
            label.display = True
