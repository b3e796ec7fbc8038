"""The exam: N questions, a timer, no feedback until the end; move freely, mark for review."""

from __future__ import annotations

from typing import TYPE_CHECKING, ClassVar

from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import VerticalScroll
from textual.screen import Screen
from textual.widgets import Footer, Static

from trainer.engine import ExamResult, Grade, TrainerDBError, grade, suggested_rating
from trainer.tui.decks import ExamState
from trainer.tui.formatting import format_duration
from trainer.tui.messages import AnswerIncomplete, AnswerSubmitted
from trainer.tui.widgets.answer_base import AnswerWidget
from trainer.tui.widgets.answer_factory import display_stem, make_answer_widget
from trainer.tui.widgets.question_header import QuestionHeader

if TYPE_CHECKING:
    from trainer.tui.app import TrainerApp


def grade_exam(state: ExamState) -> dict[str, Grade]:
    """Mark every exam question; unanswered ones are wrong."""
    grades: dict[str, Grade] = {}
    for q in state.questions:
        answer = state.answer_for(q.id)
        if not answer.answered:
            grades[q.id] = Grade(False, 0.0, "Not answered.")
        elif q.type == "recall":
            knew = bool(answer.knew_it)
            grades[q.id] = Grade(knew, 1.0 if knew else 0.0, "Self-marked.")
        else:
            grades[q.id] = grade(q, answer.response)
    return grades


class ExamScreen(Screen[None]):
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding(
            "right,n",
            "go(1)",
            "Next",
            key_display="→/n",
            id="exam-next",
            tooltip="Keep this answer and go to the next question",
        ),
        Binding(
            "left,p",
            "go(-1)",
            "Previous",
            key_display="←/p",
            id="exam-previous",
            tooltip="Keep this answer and go to the previous question",
        ),
        Binding("m", "mark", "Mark", id="exam-mark", tooltip="Mark this question for review"),
        Binding(
            "k",
            "knew(True)",
            "Knew it",
            id="exam-knew",
            tooltip="Recall: I knew it",
        ),
        Binding(
            "d",
            "knew(False)",
            "Didn't",
            id="exam-did-not-know",
            tooltip="Recall: I did not know it",
        ),
        Binding(
            "ctrl+s",
            "submit_exam",
            "Finish",
            id="exam-submit",
            priority=True,
            tooltip="Submit the exam (asks first)",
        ),
        Binding(
            "escape",
            "pause",
            "Home",
            id="exam-home",
            tooltip="Go home; press r there to resume the exam",
        ),
    ]

    app: TrainerApp

    def __init__(self, state: ExamState) -> None:
        super().__init__()
        self.state = state

    def compose(self) -> ComposeResult:
        yield QuestionHeader(id="question-header", markup=False)
        yield Static("", id="exam-status", markup=False)
        yield VerticalScroll(id="body")
        yield Footer(compact=True, show_command_palette=False)  # every key fits in 80 columns

    async def on_mount(self) -> None:
        await self.show_question()
        self.set_interval(1.0, self._update_status)

    # ------------------------------------------------------------------ display

    async def show_question(self) -> None:
        state = self.state
        question = state.current
        answer = state.answer_for(question.id)
        body = self.query_one("#body", VerticalScroll)
        await body.remove_children()
        widget = make_answer_widget(
            question,
            seed=state.seed,
            initial=answer.response,
            revealed=question.type == "recall" and answer.answered,
            exam=True,
        )
        await body.mount(Static(display_stem(question), id="stem", markup=False), widget)
        if question.type == "recall" and answer.answered:
            await body.mount(Static(self._knew_text(answer.knew_it), id="self-mark"))
        if question.id in state.logged:  # saved by a submit that failed later: it stays as it is
            widget.disabled = True
            await body.mount(
                Static("This answer is already saved; press Ctrl+S to finish.", id="exam-saved")
            )
        body.scroll_home(animate=False)
        self.query_one(QuestionHeader).show(
            self.app.engine.bank,
            question,
            f"Exam {state.index + 1}/{len(state.questions)}",
            flagged=False,
            marked=question.id in state.marked,
        )
        self._update_status()
        widget.focus_answer()
        self.refresh_bindings()

    @staticmethod
    def _knew_text(knew: bool | None) -> str:
        if knew is None:
            return "Did you know it? Press k (I knew it) or d (I did not)."
        return "You marked this: " + ("I knew it." if knew else "I did not know it.")

    def _update_status(self) -> None:
        state = self.state
        elapsed = int((self.app.engine.now() - state.started).total_seconds())
        marked = sorted(i + 1 for i, q in enumerate(state.questions) if q.id in state.marked)
        marked_text = ", ".join(map(str, marked)) if marked else "none"
        self.query_one("#exam-status", Static).update(
            f"Time {format_duration(elapsed)}   ·   Answered {state.answered_count()} of "
            f"{len(state.questions)}   ·   Marked: {marked_text}"
        )

    # ------------------------------------------------------------------ answers

    def _widget(self) -> AnswerWidget:
        return self.query_one("#answer", AnswerWidget)

    def save_current(self, *, submitted: bool = False) -> None:
        """Keep what is on screen as the answer to the current question.

        Moving away keeps only a complete answer; Enter (``submitted``) keeps whatever is there.
        """
        question = self.state.current
        if question.type == "recall" or question.id in self.state.logged:
            return  # recall: recorded when revealed and self-marked; logged: saved for good
        widget = self._widget()
        answer = self.state.answer_for(question.id)
        if widget.is_complete() or submitted:
            response = widget.response()
            blank = isinstance(response, tuple) and not any(str(v).strip() for v in response)
            if question.type == "cloze" and blank:
                answer.response, answer.answered = response, False
                return
            answer.response = response
            answer.answered = True

    def on_answer_incomplete(self, event: AnswerIncomplete) -> None:
        self.notify(event.hint, severity="warning")

    async def on_answer_submitted(self, event: AnswerSubmitted) -> None:
        event.stop()
        question = self.state.current
        if question.id in self.state.logged:
            return
        if question.type == "recall":
            answer = self.state.answer_for(question.id)
            answer.answered = True
            await self.query_one("#body", VerticalScroll).mount(
                Static(self._knew_text(answer.knew_it), id="self-mark")
            )
            self.refresh_bindings()
            return
        self.save_current(submitted=True)
        if self.state.index + 1 < len(self.state.questions):
            await self.action_go(1)
        else:
            self._update_status()
            self.action_submit_exam()

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        if action == "knew":
            question = self.state.current
            return (
                question.type == "recall"
                and self.state.answer_for(question.id).answered
                and question.id not in self.state.logged
            )
        return True

    async def action_knew(self, knew: bool) -> None:
        answer = self.state.answer_for(self.state.current.id)
        answer.knew_it = knew
        self.query_one("#self-mark", Static).update(self._knew_text(knew))
        self._update_status()

    async def action_go(self, delta: int) -> None:
        self.save_current()
        target = self.state.index + delta
        if 0 <= target < len(self.state.questions):
            self.state.index = target
            await self.show_question()
        elif target >= len(self.state.questions):
            self.notify("That was the last question. Press Ctrl+S to submit.")

    def action_mark(self) -> None:
        qid = self.state.current.id
        self.state.marked ^= {qid}
        marked = qid in self.state.marked
        self.notify(f"Question {self.state.index + 1} {'marked' if marked else 'unmarked'}.")
        question = self.state.current
        self.query_one(QuestionHeader).show(
            self.app.engine.bank,
            question,
            f"Exam {self.state.index + 1}/{len(self.state.questions)}",
            flagged=False,
            marked=marked,
        )
        self._update_status()

    def action_pause(self) -> None:
        self.save_current()
        self.app.paused = self.state
        self.app.go_home()

    # ------------------------------------------------------------------ submitting

    def action_submit_exam(self) -> None:
        from trainer.tui.screens.confirm import ConfirmScreen

        self.save_current()
        state = self.state
        missing = state.unanswered()
        marked = [i + 1 for i, q in enumerate(state.questions) if q.id in state.marked]
        detail = []
        if missing:
            detail.append(f"Not answered: {', '.join(map(str, missing))}.")
        unmarked = state.not_self_marked()
        if unmarked:
            numbers = ", ".join(map(str, unmarked))
            detail.append(f"Recall not marked k or d (counted as not known): {numbers}.")
        if marked:
            detail.append(f"Marked for review: {', '.join(map(str, marked))}.")
        self.app.push_screen(
            ConfirmScreen(
                "Submit the exam now?",
                " ".join(detail) or "Every question is answered.",
                yes="Submit",
                no="Keep going",
            ),
            self._after_confirm,
        )

    def _after_confirm(self, yes: bool | None) -> None:
        if yes:
            try:
                self.submit()
            except TrainerDBError as exc:  # e.g. the database is locked: say so, let them retry
                self.state.finished = None
                self.notify(f"Not saved: {exc}", severity="error", timeout=10)
                self.call_later(self.show_question)  # answers saved so far can no longer change

    def submit(self) -> None:
        from trainer.tui.screens.exam_result import ExamResultScreen

        state = self.state
        engine = self.app.engine
        state.finished = engine.now()
        grades = grade_exam(state)
        bank = engine.bank
        by_topic: dict[str, tuple[int, int]] = {}
        for q in state.questions:
            g = grades[q.id]
            answer = state.answer_for(q.id)
            topic = bank.topic_of(q)
            right, total = by_topic.get(topic, (0, 0))
            by_topic[topic] = (right + int(g.correct), total + 1)
            if answer.answered and q.id not in state.logged:
                engine.answer(
                    q.id,
                    suggested_rating(g),
                    response=answer.response,
                    duration_ms=0,
                    mode="exam",
                )
                state.logged.add(q.id)
        result = ExamResult(
            started=state.started,
            finished=state.finished,
            seed=state.seed,
            question_ids=tuple(q.id for q in state.questions),
            correct_ids=tuple(q.id for q in state.questions if grades[q.id].correct),
            by_topic=by_topic,
        )
        engine.record_exam(result)
        self.app.paused = None
        self.app.switch_screen(ExamResultScreen(state, grades, result))
