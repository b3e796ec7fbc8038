"""What the trainee sees after submitting: the verdict in words, the key, the why, the source."""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING, ClassVar

from rich.style import Style
from rich.text import Text
from textual.geometry import Region
from textual.strip import Strip
from textual.style import Style as VisualStyle
from textual.visual import Visual, visualize

from trainer.bank.models import Bank, Question
from trainer.tui.answer_text import key_text
from trainer.tui.formatting import letter
from trainer.tui.widgets.drawn_lines import DrawnLines

if TYPE_CHECKING:
    from trainer.engine import Grade


def verdict_text(question: Question, grade: Grade | None) -> str:
    """Right or wrong in words (never colour alone)."""
    if grade is None:
        return "Compare with the model answer and rate how well you recalled it."
    if grade.correct:
        return "Correct."
    if grade.score > 0:
        return f"Not correct (partly right: {round(grade.score * 100)}%)."
    return "Not correct."


def _labelled(label: str, body: str) -> Text:
    return Text.assemble((f"{label}: ", "bold"), body)


WHY_INDENT = 2  # each option's why is indented under "Why each option"


class Feedback(DrawnLines):
    """The verdict, the correct answer, the explanation, each option's why, objective and source.

    One widget that draws its lines itself, part by part (the verdict; the grade's detail; the
    answer and explanation; the whys, indented; the objectives and sources), each part wrapped
    once per width and kept: the study screen shows this on every answer, and a screen lays
    out, styles and paints a widget at a time, wrapping a Static's text when it is laid out and
    again when it is painted.

    ``pending=True``: built before the answer is graded (the study screen mounts one, hidden,
    and keeps it for the whole session); ``show_question`` fills it in for another question
    (and wraps it, at the width it last had, while the trainee reads the question) and
    ``set_grade`` with the verdict and the detail, the only parts that depend on the answer:
    showing the feedback then wraps two short lines. Bank text is plain text, never markup."""

    COMPONENT_CLASSES: ClassVar[set[str]] = {
        "feedback--verdict",
        "feedback--correct",
        "feedback--wrong",
    }

    DEFAULT_CSS = """
    Feedback { height: auto; }
    Feedback > .feedback--verdict { text-style: bold; }
    Feedback > .feedback--correct { color: $text-success; }
    Feedback > .feedback--wrong { color: $text-error; }
    """

    def __init__(
        self,
        bank: Bank,
        question: Question,
        grade: Grade | None,
        *,
        verdict: bool = True,
        key: bool = True,
        order: Sequence[int] = (),
        pending: bool = False,
    ) -> None:
        super().__init__(id="feedback")
        self.bank = bank
        self.show_verdict = verdict
        self.show_key = key
        self.question = question
        self.order = tuple(order)  # options as shown (bank order if empty)
        self.main, self.whys, self.objectives = self._texts()
        self.grade: Grade | None = None
        self.verdict = ""
        self.detail = ""
        if not pending:
            self._grade(grade)
        # part name -> (the text it was drawn from, its lines); the width and style they are for
        self._drawn: dict[str, tuple[object, list[Strip]]] = {}
        self._drawn_for: tuple[object, ...] | None = None
        self._lines: list[Strip] | None = None
        self._width = 0  # the content width last laid out (a hidden widget's size is 0)

    # ------------------------------------------------------------------ what it says

    def parts(self) -> list[tuple[str, str | Text]]:
        """The parts shown, in order: (name, text)."""
        shown: list[tuple[str, str | Text]] = []
        if self.show_verdict and self.verdict:
            shown.append(("verdict", self.verdict))
        if self.detail:
            shown.append(("detail", self.detail))
        shown.append(("main", self.main))
        if self.whys is not None:
            shown.append(("why", self.whys))
        if self.objectives is not None:
            shown.append(("objective", self.objectives))
        return shown

    def text(self, part: str | None = None) -> str:
        """The plain text of ``part`` ("verdict", "detail", "main", "why", "objective"; "" when
        it is not shown), or of every part shown, one after another."""
        texts = [str(t) for name, t in self.parts() if part is None or name == part]
        return "\n".join(texts)

    def _grade(self, grade: Grade | None) -> None:
        self.grade = grade
        self.verdict = verdict_text(self.question, grade) if self.show_verdict else ""
        detail = grade.detail if grade is not None else ""
        self.detail = detail if self.question.type in ("multiple", "order", "cloze") else ""

    def show_question(self, question: Question, *, order: Sequence[int] = ()) -> None:
        """Fill a pending Feedback in for another question, ungraded (mounted, hidden), and wrap
        it at the width it last had."""
        self.question, self.order, self.grade = question, tuple(order), None
        self.verdict = self.detail = ""
        self.main, self.whys, self.objectives = self._texts()
        self._changed()
        if self._width and self.is_attached:
            self.lines(self._width)

    def set_grade(self, grade: Grade | None) -> None:
        """Fill in what depends on the answer: the verdict and the grade's detail."""
        self._grade(grade)
        self._changed()

    def _changed(self) -> None:
        self._lines = None
        if self.is_attached:
            self.refresh(layout=True)

    # ------------------------------------------------------------------ drawing

    def notify_style_update(self) -> None:
        super().notify_style_update()
        self._lines = None
        self._drawn.clear()

    def lines(self, width: int) -> list[Strip]:
        """The lines at content width ``width`` (each part drawn again only when its text, the
        width or the styles changed)."""
        if width <= 0:
            return []
        self._width = width
        # the style drawn with, not the styles' cache key (showing the widget changes that)
        drawn_for = (width, self.visual_style)
        if drawn_for != self._drawn_for:
            self._drawn_for, self._lines = drawn_for, None
            self._drawn.clear()
        if self._lines is not None:
            return self._lines
        base_background, background = self.background_colors
        blank_style = VisualStyle(background=base_background + background).rich_style
        lines: list[Strip] = []
        drawn: dict[str, tuple[object, list[Strip]]] = {}
        for name, text in self.parts():
            kept = self._drawn.get(name)
            if kept is not None and kept[0] is text:
                part = kept[1]
            else:
                part = self._draw(name, text, width, blank_style)
            drawn[name] = (text, part)
            lines.extend(part)
        self._drawn.update(drawn)
        self._lines = lines
        return lines

    def _draw(self, name: str, text: str | Text, width: int, blank_style: Style) -> list[Strip]:
        """One part's lines, as a Static of the content width (``why``: padded left) draws
        them."""
        if name == "verdict":
            grade = self.grade
            mark = "feedback--correct" if grade is not None and grade.correct else "feedback--wrong"
            style = self.get_visual_style("feedback--verdict", *((mark,) if grade else ()))
        else:
            style = self.visual_style
        indent = WHY_INDENT if name == "why" else 0
        inner = max(1, width - indent)
        visual = visualize(self, text, markup=False)
        strips = Visual.to_strips(self, visual, inner, None, style)
        strips = [strip.adjust_cell_length(inner, blank_style) for strip in strips]
        if indent:
            pad = Strip.blank(indent, blank_style)
            strips = [Strip.join([pad, strip]) for strip in strips]
        return strips

    def first_line_region(self) -> Region:
        """Its first part (the verdict, as wrapped), with the margin and border above it, in its
        container's virtual coordinates: what to scroll into view (as ``scroll_to_widget`` made
        room for the verdict when it was a widget of its own inside this one)."""
        margin = self.styles.margin
        parts = self.parts()
        first = self._drawn.get(parts[0][0]) if parts else None
        height = len(first[1]) if first is not None and first[1] else 1
        return (
            Region(0, 0, self.size.width, height)
            .translate(margin.top_left)
            .translate(self.styles.border.spacing.top_left)
            .translate(self.virtual_region_with_margin.offset)
            .grow(margin)
        )

    def _keyed(self) -> bool:
        return self.question.type != "recall" and self.show_key

    def _texts(self) -> tuple[Text, Text | None, Text | None]:
        """The answer and explanation; each option's why (None: no options); the objectives
        and their sources (None: none), one after another."""
        q = self.question
        lines: list[Text] = []
        if self._keyed():
            lines.append(_labelled("Answer", key_text(q, self.order)))
        lines.append(_labelled("Explanation", q.explanation))
        if q.options:
            lines.append(Text("Why each option", style="bold"))
        whys: Text | None = None
        if q.options:
            shown = self.order if sorted(self.order) == list(range(len(q.options))) else None
            parts: list[Text] = []
            for pos, i in enumerate(shown or range(len(q.options))):
                option = q.options[i]
                status = "correct" if option.correct else "wrong"
                parts.append(Text.assemble(f"{letter(pos)} ({status}) ", (option.why, "")))
            whys = Text("\n").join(parts)
        blocks: list[Text] = []
        for oid in q.objectives:
            objective = self.bank.objectives.get(oid)
            if objective is None:
                continue
            block = [_labelled("Objective", objective.text)]
            block.extend(
                _labelled("Source", self.bank.citation_text(citation))
                for citation in objective.sources
            )
            blocks.append(Text("\n").join(block))
        objectives = Text("\n").join(blocks) if blocks else None
        return Text("\n").join(lines), whys, objectives
