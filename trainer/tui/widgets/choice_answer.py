"""Single best answer, multiple response and true/false: lettered options chosen by key."""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING, ClassVar

from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.widgets import Static

from trainer.bank.models import Question
from trainer.tui.formatting import letter
from trainer.tui.messages import AnswerIncomplete, AnswerSubmitted
from trainer.tui.widgets.answer_base import AnswerWidget, enter_bindings
from trainer.tui.widgets.choice_options import ChoiceOptions

if TYPE_CHECKING:
    from trainer.engine import Grade
    from trainer.engine.grading import Response

_LETTER_KEYS = "abcdeft"


def _letter_binding(key: str) -> Binding:
    return Binding(
        key,
        f"press_letter('{key}')",
        f"Choose {key.upper()}",
        show=False,
        id=f"choose-{key}",
        tooltip=f"Choose option {key.upper()} (after X: rule it out)",
    )


class ChoiceAnswer(AnswerWidget, can_focus=True):
    """Options labelled A-F (true/false: T and F); a letter chooses, Enter submits."""

    BINDINGS: ClassVar[list[BindingType]] = [
        *(_letter_binding(k) for k in _LETTER_KEYS),
        Binding(
            "x",
            "strike",
            "Rule out",
            id="strike-option",
            tooltip="Then press a letter to strike that option through as eliminated",
        ),
        *enter_bindings("Submit this answer"),
    ]

    def __init__(
        self,
        question: Question,
        *,
        order: Sequence[int] = (),
        initial: Response = None,
        exam: bool = False,
    ):
        super().__init__(id="answer", exam=exam)
        self._setup(question, order)
        self._set_initial(initial)

    def _setup(self, question: Question, order: Sequence[int]) -> None:
        self.question = question
        self.multi = question.type == "multiple"
        self.true_false = question.type == "true_false"
        if self.true_false:
            self.keys = ["t", "f"]
            self.order: list[int] = [0, 1]
            texts = ["True", "False"]
        else:
            count = len(question.options)
            self.keys = [letter(i).lower() for i in range(count)]
            # the bank index of the option shown at each position (the session's shuffle)
            valid = sorted(order) == list(range(count))
            self.order = [int(i) for i in order] if valid else list(range(count))
            texts = [question.options[i].text for i in self.order]
        self.texts = texts
        # selected and struck hold SHOWN positions; response() maps them to bank indexes
        self.selected: set[int] = set()
        self.struck: set[int] = set()
        self.striking = False

    async def show_question(self, question: Question, *, order: Sequence[int] = ()) -> None:
        """Ask another choice question in this widget, unanswered (the study screen keeps it
        from one choice question to the next: the options redrawn in the same widget, the hint
        shown again, nothing mounted or removed)."""
        self._setup(question, order)
        self.locked = False
        self.query_one(ChoiceOptions).show_options(self.keys, self.texts, multi=self.multi)
        self._refresh_rows()

    def _set_initial(self, initial: Response) -> None:
        shown = {bank: pos for pos, bank in enumerate(self.order)}
        if isinstance(initial, bool):
            if self.true_false:
                self.selected = {0 if initial else 1}
        elif isinstance(initial, int):
            self.selected = {shown[initial]} if initial in shown else set()
        elif isinstance(initial, frozenset):
            self.selected = {shown[i] for i in initial if isinstance(i, int) and i in shown}

    def compose(self) -> ComposeResult:
        yield ChoiceOptions(self.keys, self.texts, multi=self.multi)
        yield Static(self._hint(), id="choice-hint", classes="hint", markup=False)

    def on_mount(self) -> None:
        self._refresh_rows()

    def _hint(self) -> str:
        if self.locked:
            return ""
        if self.striking:
            return "Rule out which option? Press its letter (X again to cancel)."
        first, last = self.keys[0].upper(), self.keys[-1].upper()
        if self.true_false:  # two options: nothing to rule out
            return f"Press T (true) or F (false), then {self.enter_hint}."
        if self.multi:
            choose = f"Press {first}-{last} to tick every option that applies"
        else:
            choose = f"Press {first}-{last} to choose one"
        return f"{choose}, then {self.enter_hint}. X then a letter rules an option out."

    def _refresh_rows(
        self, verdicts: list[str] | None = None, correct: set[int] | None = None
    ) -> None:
        options = self.query("#choice-options")
        if options:
            options.first(ChoiceOptions).set_state(
                selected=self.selected,
                struck=self.struck,
                verdicts=verdicts or (),
                correct=correct or (),
            )
        hint = self.query("#choice-hint")
        if hint:
            static = hint.first(Static)
            static.display = not self.locked
            if not self.locked:
                static.update(self._hint())

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        if action == "press_letter":
            return not self.locked and str(parameters[0]) in self.keys
        if action == "strike" and self.true_false:
            return False  # two options: nothing to rule out
        return super().check_action(action, parameters)

    def action_press_letter(self, key: str) -> None:
        index = self.keys.index(key)
        if self.striking:
            self.striking = False
            self.struck ^= {index}
            self.selected.discard(index)
        elif self.multi:
            self.selected ^= {index}
            self.struck.discard(index)
        else:
            self.selected = {index}
            self.struck.discard(index)
        self._refresh_rows()

    def on_choice_options_clicked(self, event: ChoiceOptions.Clicked) -> None:
        if not self.locked:
            self.focus()
            self.action_press_letter(self.keys[event.index])

    def action_strike(self) -> None:
        self.striking = not self.striking
        self._refresh_rows()

    def action_submit(self) -> None:
        if self.is_complete():
            self.post_message(AnswerSubmitted())
        else:
            self.post_message(AnswerIncomplete(self.missing_hint()))

    # ------------------------------------------------------------ AnswerWidget

    def is_complete(self) -> bool:
        return bool(self.selected)

    def missing_hint(self) -> str:
        return "Choose an option first." if not self.multi else "Tick at least one option first."

    def response(self) -> Response:
        if not self.selected:
            return None
        if self.true_false:
            return 0 in self.selected
        if self.multi:
            return frozenset(self.order[p] for p in self.selected)
        return self.order[next(iter(self.selected))]

    def show_grade(self, grade: Grade | None) -> None:
        super().show_grade(grade)
        self.striking = False
        if self.true_false:
            correct = {0 if self.question.answer else 1}
        else:
            bank_correct = set(self.question.correct_indexes)
            correct = {p for p, i in enumerate(self.order) if i in bank_correct}
        verdicts = []
        for i in range(len(self.texts)):
            chosen = i in self.selected
            if i in correct and chosen:
                verdicts.append("correct, you chose it")
            elif i in correct:
                verdicts.append("correct, you missed it" if self.multi else "the correct answer")
            elif chosen:
                verdicts.append("your choice, wrong")
            else:
                verdicts.append("")
        self._refresh_rows(verdicts, correct)
