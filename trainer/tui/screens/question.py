"""Answering, for study and practice: one question at a time, feedback, then a rating."""

from __future__ import annotations

import time
from typing import TYPE_CHECKING, ClassVar

from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Horizontal, VerticalScroll
from textual.screen import Screen
from textual.widgets import Footer, ProgressBar, Static

from trainer.bank.models import Question
from trainer.engine import Grade, Rating, TrainerDBError, grade, suggested_rating
from trainer.engine.grading import allowed_ratings
from trainer.tui.decks import PracticeDeck, StudyDeck
from trainer.tui.messages import AnswerIncomplete, AnswerSubmitted, RatingChosen
from trainer.tui.paging import page_bindings, scroll_page
from trainer.tui.widgets.answer_base import AnswerWidget
from trainer.tui.widgets.answer_factory import display_stem, make_answer_widget
from trainer.tui.widgets.feedback import Feedback
from trainer.tui.widgets.question_header import QuestionHeader
from trainer.tui.widgets.rating_bar import RatingBar

if TYPE_CHECKING:
    from trainer.engine.grading import Response
    from trainer.tui.app import TrainerApp


class QuestionScreen(Screen[None]):
    """Shows the deck's current question; commits each answer before the next appears."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding(
            "escape",
            "pause",
            "Home",
            id="question-home",
            tooltip="Go home; press r there to resume this session",
        ),
        Binding(
            "u",
            "undo",
            "Undo",
            id="question-undo",
            tooltip="Undo the last answer and show it again",
        ),
        Binding("f", "flag", "Flag", id="question-flag", tooltip="Flag or unflag this question"),
        *page_bindings("question-page", "the question", label="More"),
    ]

    app: TrainerApp

    def __init__(self, deck: StudyDeck | PracticeDeck) -> None:
        super().__init__()
        self.deck = deck
        self.question: Question | None = None
        self.submitted = False
        self.grade: Grade | None = None
        self.response: Response = None
        self.started = time.monotonic()
        self.duration_ms = 0

    @property
    def mode_title(self) -> str:
        return "Study" if isinstance(self.deck, StudyDeck) else "Practice"

    def compose(self) -> ComposeResult:
        yield QuestionHeader(id="question-header", markup=False)
        with Horizontal(id="progress-row"):
            yield ProgressBar(id="progress", show_eta=False, show_percentage=False)
            yield Static("", id="left", markup=False)
        yield VerticalScroll(id="body")
        yield Horizontal(id="rating-slot")
        yield Footer()

    async def on_mount(self) -> None:
        await self.show_current()

    # ------------------------------------------------------------------ showing

    async def show_current(self) -> None:
        question = self.deck.current()
        if question is None:
            self.finish()
            return
        self.question = question
        self.submitted = False
        self.grade = None
        self.response = None
        self.started = time.monotonic()
        body = self.query_one("#body", VerticalScroll)
        await body.remove_children()
        await self.query_one("#rating-slot").remove_children()
        widget = make_answer_widget(question, seed=self.app.seed)
        await body.mount(Static(display_stem(question), id="stem", markup=False), widget)
        body.scroll_home(animate=False)
        self._update_header()
        self._update_progress()
        widget.focus_answer()

    def _update_header(self) -> None:
        if self.question is None:
            return
        flagged = self.app.engine.is_flagged(self.question.id)
        self.query_one(QuestionHeader).show(
            self.app.engine.bank, self.question, self.mode_title, flagged=flagged
        )

    def _update_progress(self) -> None:
        done, total = self.deck.progress()
        self.query_one(ProgressBar).update(total=max(total, 1), progress=done)
        if isinstance(self.deck, StudyDeck):
            c = self.app.engine.counts()
            left = f"Left today: {c.new} new, {c.learning} learning, {c.review} review"
        else:
            left = f"{done} of {total} done, {self.deck.correct} right"
        self.query_one("#left", Static).update(left)

    def finish(self) -> None:
        from trainer.tui.screens.done import DoneScreen

        self.app.paused = None
        self.app.switch_screen(DoneScreen(self.deck))

    # ------------------------------------------------------------------ answering

    def _answer_widget(self) -> AnswerWidget:
        return self.query_one("#answer", AnswerWidget)

    def on_answer_incomplete(self, event: AnswerIncomplete) -> None:
        self.notify(event.hint, severity="warning")

    async def on_answer_submitted(self, event: AnswerSubmitted) -> None:
        event.stop()
        if self.submitted or self.question is None:
            return
        question = self.question
        widget = self._answer_widget()
        self.submitted = True
        self.duration_ms = int((time.monotonic() - self.started) * 1000)
        self.response = widget.response()
        self.grade = None if question.type == "recall" else grade(question, self.response)
        widget.show_grade(self.grade)
        feedback = Feedback(self.app.engine.bank, question, self.grade)
        await self.query_one("#body", VerticalScroll).mount(feedback)
        if self.grade is not None:
            suggested = suggested_rating(self.grade)
            allowed = allowed_ratings(self.grade)
        else:
            suggested, allowed = Rating.GOOD, tuple(Rating)
        engine = self.app.engine
        scheduled = engine.schedules(question.id, self.deck.mode)
        intervals = engine.intervals(question.id) if scheduled else None
        bar = RatingBar(intervals, suggested, allowed)
        await self.query_one("#rating-slot").mount(bar)
        bar.focus()
        body = self.query_one("#body", VerticalScroll)
        target = feedback.query("#verdict").first() if feedback.query("#verdict") else feedback
        self.call_after_refresh(body.scroll_to_widget, target, animate=False)

    async def on_rating_chosen(self, event: RatingChosen) -> None:
        event.stop()
        if not self.submitted or self.question is None:
            return
        question = self.question
        try:
            self.app.engine.answer(
                question.id,
                event.rating,
                response=self.response,
                duration_ms=self.duration_ms,
                mode=self.deck.mode,
            )
        except TrainerDBError as exc:  # e.g. the database is locked: say so, let them retry
            self.notify(f"Not saved: {exc}", severity="error", timeout=10)
            return
        # as the engine logs it: a recall rated Hard or better was recalled
        correct = self.grade.correct if self.grade is not None else event.rating != Rating.AGAIN
        self.deck.answered(correct)
        self.question = None
        await self.show_current()

    # ------------------------------------------------------------------ actions

    async def action_undo(self) -> None:
        engine = self.app.engine
        if self.deck.done == 0 or not engine.can_undo():
            self.notify("Nothing to undo in this session.")
            return
        qid = engine.undo()
        if qid is None:
            self.notify(
                "Can't undo: that question has since been answered in another trainer window.",
                severity="warning",
            )
            return
        self.deck.undone(qid)
        await self.show_current()
        self.notify(f"Undid your answer to {qid}; here it is again.")

    def action_flag(self) -> None:
        if self.question is None:
            return
        engine = self.app.engine
        flagged = not engine.is_flagged(self.question.id)
        engine.set_flag(self.question.id, flagged)
        self._update_header()
        self.notify(f"{self.question.id} {'flagged' if flagged else 'unflagged'}.")

    def action_pause(self) -> None:
        self.app.paused = self.deck
        self.app.go_home()

    def action_scroll(self, direction: int) -> None:
        scroll_page(self.query_one("#body", VerticalScroll), direction)
