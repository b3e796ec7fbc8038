"""One question from browse: the question, its key, its card's state and its answer history.

The card and its history are read, and flag, suspend and reset written, in the database worker
(DbScreen): keys are handled at once while another program holds the database."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any, ClassVar

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import VerticalScroll
from textual.widgets import Static

from trainer.bank.models import TYPE_TITLES, topic_title
from trainer.engine import Rating
from trainer.engine.grading import response_from_json
from trainer.tui.answer_text import key_text, response_text
from trainer.tui.formatting import format_due, format_when, letter, percent
from trainer.tui.screens.db_screen import DbScreen
from trainer.tui.widgets.feedback import Feedback
from trainer.tui.widgets.key_bar import KeyBar
from trainer.tui.widgets.rating_bar import RATING_NAMES

if TYPE_CHECKING:
    from trainer.engine import CardInfo, Engine, ReviewEntry


def rating_name(value: int) -> str:
    try:
        return RATING_NAMES[Rating(value)]
    except ValueError:
        return str(value)


class QuestionDetailScreen(DbScreen):
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape", "app.pop_screen", "Back", id="detail-back", tooltip="Back to browse"),
        Binding("f", "flag", "Flag", id="detail-flag", tooltip="Flag or unflag this question"),
        Binding(
            "s",
            "suspend",
            "Suspend",
            id="detail-suspend",
            tooltip="Suspend this question (no longer studied) or unsuspend it",
        ),
        Binding(
            "r",
            "reset",
            "Reset",
            id="detail-reset",
            tooltip="Forget this question: back to new, its history kept",
        ),
    ]

    def __init__(self, qid: str) -> None:
        super().__init__()
        self.qid = qid

    def compose(self) -> ComposeResult:
        engine = self.app.engine
        bank = engine.bank
        q = bank.question(self.qid)
        with VerticalScroll(id="detail-body"):
            title = Text(f"{q.id}", style="bold")
            title.append(
                f"  ·  {TYPE_TITLES[q.type]}  ·  {topic_title(bank.topic_of(q))}", style=""
            )
            yield Static(title)
            yield Static(q.stem, id="stem", markup=False)
            for i, option in enumerate(q.options):
                yield Static(f"{letter(i)}. {option.text}", classes="detail-line", markup=False)
            if q.type == "order":
                for step in q.steps:
                    yield Static(f"- {step}", classes="detail-line", markup=False)
            yield Static(Text.assemble(("Key: ", "bold"), key_text(q)))
            yield Feedback(bank, q, None, verdict=False, key=False)
            yield Static("\nCard: reading...", id="detail-card", markup=False)
            yield Static("", id="detail-history", markup=False)
        yield KeyBar()

    def on_mount(self) -> None:
        self.refresh_card()

    def refresh_card(self) -> None:
        """Read the card and its history (in the database worker), then show them."""
        qid = self.qid

        def read(engine: Engine) -> tuple[CardInfo, list[ReviewEntry]]:
            return engine.card_info(qid), engine.history(qid)

        self.run_engine("read-card", read, read=True)

    def db_done(self, tag: str, result: Any) -> None:
        if tag == "read-card":
            self.show_card(*result)
        elif tag == "write":
            message, _card = result
            self.notify(message, timeout=3, markup=False)
            self.refresh_card()

    def show_card(self, info: CardInfo, entries: list[ReviewEntry]) -> None:
        engine = self.app.engine
        now = engine.now()
        card = Text("\nCard\n", style="bold")
        card.append(
            f"  State {info.state}  ·  due {format_due(info.due, now) if info.due else '-'}"
            f"  ·  {info.reps} reviews  ·  {info.lapses} lapses\n"
        )
        stability = f"{info.stability:.1f} days" if info.stability is not None else "-"
        difficulty = f"{info.difficulty:.1f}/10" if info.difficulty is not None else "-"
        card.append(
            f"  Stability {stability}  ·  difficulty {difficulty}  ·  "
            f"recall now {percent(info.retrievability)}\n"
        )
        marks = [
            word
            for word, on in (
                ("flagged", info.flagged),
                ("suspended", info.suspended),
                ("leech", info.leech),
            )
            if on
        ]
        if marks:
            card.append("  " + ", ".join(marks).capitalize() + "\n")
        self.query_one("#detail-card", Static).update(card)
        q = engine.bank.question(self.qid)
        history = Text("History\n", style="bold")
        if not entries:
            history.append("  Never answered.\n")
        for entry in entries:
            verdict = {True: "right", False: "wrong", None: "self-rated"}[entry.correct]
            try:
                answer = response_text(q, response_from_json(entry.response))
            except ValueError:
                answer = entry.response
            history.append(
                f"  {format_when(entry.time)}  {entry.mode:<8} {verdict:<10} "
                f"{rating_name(entry.rating):<6} {answer}\n"
            )
        self.query_one("#detail-history", Static).update(history)

    def action_flag(self) -> None:
        from trainer.tui.screens.browse import toggle_flag

        qid = self.qid
        self.run_engine("write", lambda engine: toggle_flag(engine, qid))

    def action_suspend(self) -> None:
        from trainer.tui.screens.browse import toggle_suspended

        qid = self.qid
        self.run_engine("write", lambda engine: toggle_suspended(engine, qid))

    def action_reset(self) -> None:
        from trainer.tui.screens.browse import confirm_reset

        confirm_reset(self, self.qid)
