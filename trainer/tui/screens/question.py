"""Study and practice: a view of a StudySession or PracticeSession (trainer/sessions/deck.py).

The screen renders the session's view and sends it the trainee's input; every session call runs
off the UI thread (SessionScreen). The answer is recorded when it is graded; leaving the feedback
without rating keeps the suggested rating, and the session says so."""

from __future__ import annotations

from asyncio import gather
from typing import TYPE_CHECKING, Any, ClassVar

from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Horizontal, VerticalScroll
from textual.widget import Widget
from textual.widgets import ProgressBar, Static

from trainer.bank.models import CHOICE_TYPES, Question
from trainer.gcpause import (
    automatic_full_collections,
    collect_while_reading,
    collect_young,
    settle_heap,
)
from trainer.sessions import DeckSession, DeckView, Undone
from trainer.tui.messages import AnswerIncomplete, AnswerSubmitted, OverrideChosen, RatingChosen
from trainer.tui.paging import page_bindings, scroll_page
from trainer.tui.screens.session_screen import KeyBuffer, SessionScreen, forget_removed_styles
from trainer.tui.widgets.answer_base import AnswerWidget
from trainer.tui.widgets.answer_factory import display_stem, make_answer_widget
from trainer.tui.widgets.choice_answer import ChoiceAnswer
from trainer.tui.widgets.feedback import Feedback
from trainer.tui.widgets.key_bar import KeyBar
from trainer.tui.widgets.question_header import QuestionHeader
from trainer.tui.widgets.rating_bar import RatingBar, rating_bindings

if TYPE_CHECKING:
    from trainer.tui.app import TrainerApp


class Body(VerticalScroll):
    """The question and its feedback.

    Once the answer is graded, the answer in it keeps the focus, and the rating keys are the
    body's (the rating bar's own apply when a cloze hands the focus to the bar): the same
    bindings, ids and checks as the bar's (``rating_bindings``), in a namespace of their own, so
    that a ``[keys]`` remap of a rating never takes a key from the screen's bindings. Its page
    keys give way to the screen's then (the key bar shows "PgDn More"); before that they scroll
    the question, unshown, as the answer's container."""

    BINDINGS: ClassVar[list[BindingType]] = rating_bindings()

    def _graded_bar(self) -> RatingBar | None:
        screen = self.screen
        return screen.graded_bar() if isinstance(screen, QuestionScreen) else None

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        if action in ("page_up", "page_down"):
            return self._graded_bar() is None
        if action in ("rate", "rate_suggested", "override"):
            bar = self._graded_bar()
            return bar is not None and bar.check_action(action, parameters)
        return super().check_action(action, parameters)

    def action_rate(self, value: int) -> None:
        if (bar := self._graded_bar()) is not None:
            bar.action_rate(value)

    def action_rate_suggested(self) -> None:
        if (bar := self._graded_bar()) is not None:
            bar.action_rate_suggested()

    def action_override(self) -> None:
        if (bar := self._graded_bar()) is not None:
            bar.action_override()


class QuestionScreen(SessionScreen):
    """Shows the session's current question, then its feedback and the rating bar."""

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
        *page_bindings("question-page", "the question", label="More"),  # see Body
    ]

    # The scrollbar's column is kept whether or not the body scrolls: showing the feedback (which
    # makes the body scroll) then does not narrow the question above it, which would re-wrap and
    # repaint every line of it.
    DEFAULT_CSS = """
    QuestionScreen #body { scrollbar-gutter: stable; }
    """

    app: TrainerApp

    def __init__(self, session: DeckSession) -> None:
        super().__init__()
        self.session = session
        self.view: DeckView | None = None
        # Direct references, not query_one: the screen's query_one cache would keep every
        # removed answer widget alive (up to 1024 of them) over a long session.
        self._answer: AnswerWidget | None = None
        self._stem: Static | None = None
        self._shown: tuple[str, tuple[int, ...]] | None = None  # the answer widget's question
        self._collector_policy = False  # the session's collector policy is on (gcpause)
        # The feedback and the rating bar, mounted once and kept (hidden while a question is
        # answered); _ready: the question the feedback is filled in for
        self._feedback: Feedback | None = None
        self._bar: RatingBar | None = None
        self._ready: tuple[str, tuple[int, ...]] | None = None

    @property
    def question(self) -> Question | None:
        return self.view.question if self.view is not None else None

    @property
    def submitted(self) -> bool:
        return self.view is not None and self.view.marking is not None

    @property
    def mode_title(self) -> str:
        return "Study" if self.session.kind == "study" else "Practice"

    def compose(self) -> ComposeResult:
        yield QuestionHeader(id="question-header", markup=False)
        with Horizontal(id="progress-row"):
            yield ProgressBar(id="progress", show_eta=False, show_percentage=False)
            yield Static("", id="left", markup=False)
        yield Body(id="body", can_focus=False)
        yield Horizontal(id="rating-slot")
        yield KeyBuffer()
        yield KeyBar()

    def on_mount(self) -> None:
        self.run_db("view", self.session.show)

    def on_screen_resume(self) -> None:
        if self._collector_policy:
            automatic_full_collections(False)

    def on_screen_suspend(self) -> None:
        if self._collector_policy:
            automatic_full_collections(True)

    def on_unmount(self) -> None:
        if self._collector_policy:
            automatic_full_collections(True)

    # ------------------------------------------------------------------ showing

    async def db_done(self, tag: str, result: Any) -> None:
        if tag == "undo":
            view, undone = result
            await self.show(view)
            self._say_undone(undone)
        elif tag == "flag":
            self.view = result
            self._update_header()
            if self.question is not None:
                state = "flagged" if result.flagged else "unflagged"
                self.notify(f"{self.question.id} {state}.", markup=False)
        else:
            await self.show(result)

    def retry_hint(self, tag: str) -> str:
        if tag == "view":
            return "Press Escape, then r, to try again."
        return super().retry_hint(tag)

    def _say_undone(self, undone: Undone) -> None:
        if undone.qid is None:
            self.notify(
                undone.refused,
                severity="warning" if "Can't" in undone.refused else "information",
                markup=False,
            )
        else:
            self.notify(f"Undid your answer to {undone.qid}; here it is again.", markup=False)

    async def show(self, view: DeckView) -> None:
        """Render ``view``: the question (answering), or its feedback and the rating bar.

        In one batch: the screen is laid out and painted once, with everything in place. The
        screen asks for that layout itself: each changed widget asks for one from its own task,
        and the screen's first paint after the batch would otherwise come before their requests
        are in (a paint of the restyled question, then the layout one frame later: 17-30 ms)."""
        with self.app.batch_update():
            await self._show(view)
            if self.is_current:
                self.refresh(layout=True, repaint=False)

    async def _show(self, view: DeckView) -> None:
        self.view = view
        if view.summary is not None:
            self.finish(view)
            return
        question = view.question
        assert question is not None
        body = self.query_one("#body", VerticalScroll)
        marking = view.marking
        widget = self._answer
        shown = (question.id, view.order)
        if (  # just submitted: keep the stem and the answer as typed, add the feedback
            marking is None
            or widget is None
            or not widget.is_attached
            or widget.locked
            or self._shown != shown
        ):
            widget = await self._ask(body, view, question)
        self._update_header()
        self._update_progress()
        feedback, bar = self._feedback, self._bar
        if marking is None:
            if feedback is not None and bar is not None:
                feedback.display = bar.display = False
            body.scroll_home(animate=False)
            self._focus(widget.input_widget())
            self.call_after_refresh(self._prepare)
            if self.app.freeze_heap:
                if not self._collector_policy:
                    self._collector_policy = True
                    self.call_after_refresh(self._settle_heap)
                else:
                    self.call_after_refresh(collect_while_reading)
            return
        widget.show_grade(marking.grade)
        if feedback is None or bar is None or not feedback.is_attached or not bar.is_attached:
            feedback = Feedback(
                self.app.engine.bank, question, None, order=view.order, pending=True
            )
            bar = RatingBar()
            self._feedback, self._bar, self._ready = feedback, bar, shown
            await gather(body.mount(feedback), self.query_one("#rating-slot").mount(bar))
        elif self._ready != shown:
            feedback.show_question(question, order=view.order)
            self._ready = shown
        feedback.set_grade(marking.grade)
        bar.set_marking(
            marking.intervals,
            marking.suggested,
            marking.allowed,
            overridable=marking.overridable,
            overridden=marking.overridden,
        )
        feedback.display = bar.display = True
        focused = self.focused
        if focused is not None and not focused.disabled and widget in (focused, *focused.ancestors):
            self._focus(focused)  # the answer keeps it: the body's rating keys apply
        elif (target := widget.input_widget()).focusable:
            self._focus(target)  # a graded answer asked anew (undo, o, resume): it takes it
        else:
            self._focus(bar)  # a cloze's blanks are disabled: the bar takes the keys
        self.call_after_refresh(self._scroll_to_verdict, body, feedback)
        if self._collector_policy:
            self.call_after_refresh(collect_young)

    def _scroll_to_verdict(self, body: VerticalScroll, feedback: Feedback) -> None:
        body.scroll_to_region(
            feedback.first_line_region(), spacing=feedback.dock_gutter, animate=False
        )

    async def _ask(self, body: VerticalScroll, view: DeckView, question: Question) -> AnswerWidget:
        """Put ``question`` on screen, unanswered (or as answered, when ``view`` has a marking).

        The stem, the feedback and the rating bar stay mounted for the whole session (filled in
        again for each question); a choice question's answer widget is kept for the next choice
        question; another answer widget is removed and its question's mounted."""
        marking = view.marking
        stem, old = self._stem, self._answer
        if stem is None or not stem.is_attached:
            stem = self._stem = Static(display_stem(question), id="stem", markup=False)
            if body.children:
                await body.mount(stem, before=0)
            else:
                await body.mount(stem)
        else:
            stem.update(display_stem(question))
        if (  # another choice question: ask it in the same widget
            marking is None
            and question.type in CHOICE_TYPES
            and isinstance(old, ChoiceAnswer)
            and old.is_attached
        ):
            await old.show_question(question, order=view.order)
            widget: AnswerWidget = old
        else:
            if old is not None and old.is_attached:
                await old.remove()  # first: the new one has the same id
                forget_removed_styles()
            widget = make_answer_widget(
                question,
                order=view.order,
                initial=marking.response if marking is not None else None,
                revealed=marking is not None,
            )
            await body.mount(widget, after=stem)
        self._answer, self._shown = widget, (question.id, view.order)
        return widget

    def _settle_heap(self) -> None:
        # Frozen first, as at home (uncollected): a full pass before the freeze scanned the
        # whole start-up heap (55 ms at 50k); after it, only what is left.
        self.app.freeze_session_needs()
        settle_heap()

    async def _prepare(self) -> None:
        """While the trainee reads the question (after it is painted): fill in its feedback and
        the rating bar, hidden (mounted the first time), so that submitting only fills in the
        grade and shows them."""
        view, shown = self.view, self._shown
        if (
            view is None
            or view.marking is not None
            or view.question is None
            or self._ready == shown
            or shown != (view.question.id, view.order)
        ):
            return
        feedback, bar = self._feedback, self._bar
        if feedback is not None and bar is not None and feedback.is_attached and bar.is_attached:
            feedback.show_question(view.question, order=view.order)
            self._ready = shown
            return
        feedback = Feedback(
            self.app.engine.bank, view.question, None, order=view.order, pending=True
        )
        bar = RatingBar()
        feedback.display = bar.display = False
        self._feedback, self._bar, self._ready = feedback, bar, shown
        await gather(
            self.query_one("#body").mount(feedback), self.query_one("#rating-slot").mount(bar)
        )

    def _focus(self, widget: Widget) -> None:
        """Focus ``widget`` now (when it does not have it) and show the keys that apply on the
        key bar now, in this batch (a ``widget.focus()`` would wait for the next turn, and the
        key bar for the next paint: two more layouts of the whole screen)."""
        if self.focused is not widget:
            self.set_focus(widget)
        keys = self.query_one(KeyBar)
        if not keys.update_now():
            self.call_later(keys.recompose)

    def graded_bar(self) -> RatingBar | None:
        """The rating bar, when an answer is graded and the bar shows its ratings."""
        bar = self._bar
        if self.submitted and bar is not None and bar.is_attached and bar.display:
            return bar
        return None

    def input_widget(self) -> Widget | None:
        bar = self.graded_bar()
        if bar is not None:
            return self.focused or bar  # the graded answer, or the bar (a cloze)
        answer = self._answer
        return answer.input_widget() if answer is not None and answer.is_attached else None

    def _update_header(self) -> None:
        view = self.view
        if view is None or view.question is None:
            return
        self.query_one(QuestionHeader).show(
            self.app.engine.bank, view.question, self.mode_title, flagged=view.flagged
        )

    def _update_progress(self) -> None:
        if self.view is None:
            return
        p = self.view.progress
        self.query_one(ProgressBar).update(total=max(p.total, 1), progress=p.done)
        left = self.query_one("#left", Static)
        if left.content != p.left_text:
            left.update(p.left_text)

    def finish(self, view: DeckView) -> None:
        from trainer.tui.screens.done import DoneScreen

        assert view.summary is not None
        self.app.session_ended(self.session)
        self.app.switch_screen(DoneScreen(view.summary))

    # ------------------------------------------------------------------ answering

    def _answer_widget(self) -> AnswerWidget:
        assert self._answer is not None
        return self._answer

    def on_answer_incomplete(self, event: AnswerIncomplete) -> None:
        self.notify(event.hint, severity="warning", markup=False)

    def on_answer_submitted(self, event: AnswerSubmitted) -> None:
        event.stop()
        if self.busy or self.view is None or self.submitted or self.question is None:
            return
        response = self._answer_widget().response()
        session = self.session
        self.run_db("submit", lambda: session.submit(response))

    def on_rating_chosen(self, event: RatingChosen) -> None:
        event.stop()
        if self.busy or not self.submitted:
            return
        session, rating = self.session, event.rating
        self.run_db("rate", lambda: session.rate(rating))

    def on_override_chosen(self, event: OverrideChosen) -> None:
        event.stop()
        if self.busy or self.view is None or self.view.marking is None:
            return
        if not self.view.marking.overridable:
            return
        self.run_db("override", self.session.override)

    # ------------------------------------------------------------------ actions

    def action_undo(self) -> None:
        if self.busy:
            return
        self.run_db("undo", self.session.undo)

    def action_flag(self) -> None:
        if self.busy or self.question is None:
            return
        self.run_db("flag", self.session.toggle_flag)

    def action_pause(self) -> None:
        self.app.pause_session(self.session)

    def action_scroll(self, direction: int) -> None:
        scroll_page(self.query_one("#body", VerticalScroll), direction)
