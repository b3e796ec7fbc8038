"""The exam (a QBank block): a view of an ExamSession (trainer/sessions/exam.py).

N questions; timed (a countdown always shown; time up submits the block) or untimed; block mode
(no feedback until the end) or tutor mode (Enter shows the feedback, Enter again goes on); move
freely, mark for review. Every change is saved with the session off the UI thread
(SessionScreen); submitting writes everything at once.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any, ClassVar

from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import VerticalScroll
from textual.screen import ModalScreen
from textual.widget import Widget
from textual.widgets import Static

from trainer.sessions import ExamSession, Kept
from trainer.tui.formatting import format_duration
from trainer.tui.messages import AnswerIncomplete, AnswerSubmitted, DbFailed
from trainer.tui.screens.session_screen import KeyBuffer, SessionScreen, forget_removed_styles
from trainer.tui.widgets.answer_base import AnswerWidget
from trainer.tui.widgets.answer_factory import display_stem, make_answer_widget
from trainer.tui.widgets.key_bar import KeyBar
from trainer.tui.widgets.question_header import QuestionHeader

if TYPE_CHECKING:
    from trainer.tui.app import TrainerApp


class ExamScreen(SessionScreen):
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
            "enter",
            "tutor_next",
            "Next",
            id="exam-tutor-next",
            tooltip="Tutor mode: go on to the next question",
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

    def __init__(self, session: ExamSession) -> None:
        super().__init__()
        self.session = session
        self.submitting = False  # the block is being submitted (time up, or confirmed)
        self.timed_out = False  # time up has submitted once: a failure waits for Ctrl+S
        # Direct references, not query_one: the screen's query_one cache would keep the removed
        # questions' widgets alive (as on the study screen)
        self._answer: AnswerWidget | None = None
        self._self_mark: Static | None = None

    def compose(self) -> ComposeResult:
        yield QuestionHeader(id="question-header", markup=False)
        yield Static("", id="exam-status", markup=False)
        yield VerticalScroll(id="body", can_focus=False)
        yield KeyBuffer()
        yield KeyBar(compact=True, show_command_palette=False)  # every key fits in 80 columns

    async def on_mount(self) -> None:
        await self.show_question()
        self.set_interval(1.0, self._update_status)
        self.run_db("start", self.session.pause)  # saved from the first moment

    # ------------------------------------------------------------------ display

    async def show_question(self) -> None:
        session = self.session
        question = session.current
        answer = session.answer_for(question.id)
        body = self.query_one("#body", VerticalScroll)
        self._answer = self._self_mark = None
        await body.remove_children()
        forget_removed_styles()
        widget = make_answer_widget(
            question,
            order=session.order_of(question.id),
            initial=answer.response,
            revealed=question.type == "recall" and answer.answered,
            exam=True,
        )
        if session.tutor:
            widget.enter_hint = "Enter to see the feedback"
        self._answer = widget
        await body.mount(Static(display_stem(question), id="stem", markup=False), widget)
        if question.type == "recall" and answer.answered:
            await self._mount_self_mark(answer.knew_it)
        if session.tutor and session.checked(question.id):
            await self.show_feedback(widget)
        body.scroll_home(animate=False)
        self._update_header()
        self._update_status()
        widget.focus_answer()
        self.refresh_bindings()

    async def show_feedback(self, widget: AnswerWidget) -> None:
        """Tutor mode: the mark, the key, every option's why, the explanation, objective, source."""
        from trainer.tui.widgets.feedback import Feedback

        session = self.session
        question = session.current
        grade = session.grade_of(question.id)
        widget.show_grade(grade)
        feedback = Feedback(
            self.app.engine.bank, question, grade, order=session.order_of(question.id)
        )
        await self.query_one("#body", VerticalScroll).mount(feedback)
        if widget.focusable:
            widget.focus()
        self.refresh_bindings()

    def _update_header(self) -> None:
        session = self.session
        question = session.current
        self.query_one(QuestionHeader).show(
            self.app.engine.bank,
            question,
            f"Exam {session.index + 1}/{len(session.questions)}",
            flagged=False,
            marked=question.id in session.marked,
        )

    def input_widget(self) -> Widget | None:
        return self._answer.input_widget() if self._answer is not None else None

    async def _mount_self_mark(self, knew: bool | None) -> None:
        self._self_mark = Static(self._knew_text(knew), id="self-mark")
        await self.query_one("#body", VerticalScroll).mount(self._self_mark)

    @staticmethod
    def _knew_text(knew: bool | None) -> str:
        if knew is None:
            return "Did you know it? Press k (I knew it) or d (I did not)."
        return "You marked this: " + ("I knew it." if knew else "I did not know it.")

    def _update_status(self) -> None:
        session = self.session
        marked = session.marked_numbers()
        marked_text = ", ".join(map(str, marked)) if marked else "none"
        remaining = session.remaining_seconds()
        if remaining is None:
            clock = f"Time {format_duration(session.elapsed_seconds())}"
        else:
            clock = f"Time left {format_duration(remaining)}"
        mode = "Tutor" if session.tutor else "Block"
        self.query_one("#exam-status", Static).update(
            f"{clock}  ·  {mode}  ·  Answered "
            f"{session.answered_count()} of {len(session.questions)}  ·  Marked: {marked_text}"
        )
        if session.time_up() and not self.submitting and not self.timed_out:
            self.time_up()

    def time_up(self) -> None:
        """The block's time is over: submit it as it stands (no question asked)."""
        self.submitting = self.timed_out = True
        while isinstance(self.app.screen, ModalScreen):
            self.app.pop_screen()  # a confirmation left open
        self.notify("Time is up: submitting the block.", severity="warning", timeout=8)
        kept, session = self.kept(), self.session
        self.run_db("submit", lambda: session.submit(kept))

    # ------------------------------------------------------------------ answers

    def _widget(self) -> AnswerWidget:
        assert self._answer is not None
        return self._answer

    def kept(self, *, submitted: bool = False) -> Kept | None:
        """What the answer widget holds now (None for recall: revealed and self-marked)."""
        if self.session.current.type == "recall":
            return None
        widget = self._widget()
        return Kept(widget.response(), widget.is_complete(), submitted)

    def on_answer_incomplete(self, event: AnswerIncomplete) -> None:
        self.notify(event.hint, severity="warning", markup=False)

    def on_answer_submitted(self, event: AnswerSubmitted) -> None:
        event.stop()
        if self.busy or self.submitting:
            return
        session = self.session
        if session.current.type == "recall":
            self.run_db("reveal", session.reveal)
            return
        kept = self.kept(submitted=True)
        if session.tutor:
            if not session.checked(session.current.id):
                self.run_db("check", lambda: session.check(kept))
            return
        if session.index + 1 < len(session.questions):
            self.run_db("go", lambda: session.go(1, kept))
        else:
            self.run_db("keep-last", lambda: session.keep(kept))  # type: ignore[arg-type]

    async def db_done(self, tag: str, result: Any) -> None:
        session = self.session
        if tag == "check":
            await self.show_feedback(self._widget())
            self._update_status()
            return
        if tag == "go":
            if result:
                await self.show_question()
            else:
                self._update_status()
                self.notify("That was the last question. Press Ctrl+S to submit.")
        elif tag == "keep-last":
            self._update_status()
            self.action_submit_exam()
        elif tag == "reveal":
            answer = session.answer_for(session.current.id)
            await self._mount_self_mark(answer.knew_it)
            self.refresh_bindings()
            self._update_status()
        elif tag == "knew":
            answer = session.answer_for(session.current.id)
            if self._self_mark is not None:
                self._self_mark.update(self._knew_text(answer.knew_it))
            self._update_status()
        elif tag == "mark":
            state = "marked" if result else "unmarked"
            self.notify(f"Question {session.index + 1} {state}.")
            self._update_header()
            self._update_status()
        elif tag == "submit":
            from trainer.tui.screens.exam_result import ExamResultScreen

            self.app.session_ended(session)
            orders = {q.id: session.order_of(q.id) for q in session.questions}
            self.app.switch_screen(ExamResultScreen(result, orders))

    async def on_db_failed(self, message: DbFailed) -> None:
        # SessionScreen.on_db_failed runs after this one (Textual calls each class's handler
        # along the MRO), so calling super() here would say "Not saved" twice.
        if message.tag == "submit":
            self.submitting = False  # it can be tried again

    def retry_hint(self, tag: str) -> str:
        if tag == "submit":
            return "Nothing of the exam was written; press Ctrl+S to try again."
        return "Your answers are kept here: press the same key again to try once more."

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        if action == "tutor_next":
            return self.session.tutor and self.session.checked(self.session.current.id)
        if action == "knew":
            question = self.session.current
            return question.type == "recall" and self.session.answer_for(question.id).answered
        return True

    def action_knew(self, knew: bool) -> None:
        if not self.busy:
            self.run_db("knew", lambda: self.session.knew(knew))

    def action_tutor_next(self) -> None:
        if self.busy or self.submitting:
            return
        session = self.session
        if session.index + 1 < len(session.questions):
            self.run_db("go", lambda: session.go(1))
        else:
            self.action_submit_exam()

    def action_go(self, delta: int) -> None:
        if self.busy:
            return
        kept, session = self.kept(), self.session
        self.run_db("go", lambda: session.go(delta, kept))

    def action_mark(self) -> None:
        if self.busy:
            return
        kept, session = self.kept(), self.session
        self.run_db("mark", lambda: session.toggle_mark(kept))

    def action_pause(self) -> None:
        self.app.pause_session(self.session, self.kept())

    # ------------------------------------------------------------------ submitting

    def action_submit_exam(self) -> None:
        from trainer.tui.screens.confirm import ConfirmScreen

        if self.busy or self.submitting:
            return
        session = self.session
        kept = self.kept()
        missing = [
            n
            for n in session.unanswered()
            if not (n == session.index + 1 and kept is not None and kept.complete)
        ]
        marked = session.marked_numbers()
        detail = []
        if missing:
            detail.append(f"Not answered: {', '.join(map(str, missing))}.")
        unmarked = session.not_self_marked()
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
            lambda yes: self._after_confirm(bool(yes), kept),
        )

    def _after_confirm(self, yes: bool, kept: Kept | None) -> None:
        if yes and not self.submitting:
            self.submitting = True
            session = self.session
            self.run_db("submit", lambda: session.submit(kept))
