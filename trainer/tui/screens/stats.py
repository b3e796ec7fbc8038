"""Stats: the engine's numbers, per topic, and plots (textual-plotext, imported lazily).

Every figure has one line under it saying what it shows; a figure with nothing to show yet says
"No reviews yet" in its place instead of drawing empty axes. Count axes have whole-number ticks
from 0, retention is a percentage on a 0-100 axis, and topic names are never cut: when they do
not fit under their bars, the bars are numbered and a legend names them.

At the end, the workload: expected answers per day over the next year at the desired retention,
and answers per day against desired retention (0.70-0.97), as Anki's options screen shows them;
simulated in a worker (engine/workload.py: fsrs-rs with the [fsrs] extra, else an estimate).

The numbers are read in the database worker (DbScreen), never on the UI thread: the screen opens
at once with "Reading statistics..." and fills in when they come."""

from __future__ import annotations

import asyncio
import math
from typing import TYPE_CHECKING, Any, ClassVar

from rich.text import Text
from textual import work
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import VerticalScroll
from textual.widgets import Static

from trainer.bank.models import topic_title
from trainer.tui.formatting import bar, percent
from trainer.tui.paging import page_bindings, scroll_page
from trainer.tui.screens.db_screen import DbScreen
from trainer.tui.widgets.key_bar import KeyBar

if TYPE_CHECKING:
    from trainer.engine import Engine, Settings, Stats
    from trainer.engine.workload import Deck, Forecast


def summary_text(stats: Stats) -> Text:
    cards = stats.cards
    text = Text("Summary\n", style="bold")
    text.append(
        f"  Cards: {cards.get('new', 0)} new, {cards.get('learning', 0)} learning, "
        f"{cards.get('review', 0)} review, {cards.get('relearning', 0)} relearning, "
        f"{cards.get('suspended', 0)} suspended\n"
    )
    text.append(
        f"  Due now {stats.due_now}  ·  due today {stats.due_today}  ·  "
        f"{stats.reviews} {'answer' if stats.reviews == 1 else 'answers'} logged  ·  "
        f"streak {stats.streak} "
        f"{'day' if stats.streak == 1 else 'days'}\n"
    )
    text.append(
        f"  Retention (passed reviews) {percent(stats.true_retention)}  ·  "
        f"mean recall now {percent(stats.mean_retrievability)}"
    )
    return text


TOPIC_TITLE_MAX = 30  # a longer topic name gets a line of its own in the table


def _rate(right: int, answered: int) -> str:
    return f"{round(100 * right / answered)}%" if answered else "-"


def topic_table(stats: Stats, correct: dict[str, tuple[int, int]] | None = None) -> Text:
    """Per topic: cards, new, due, answers, share right, retention and mastery; full names."""
    correct = correct or {}
    titles = {topic: topic_title(topic) for topic in stats.by_topic}
    width = max([5, *(len(t) for t in titles.values() if len(t) <= TOPIC_TITLE_MAX)])
    text = Text("By topic\n", style="bold")
    text.append(
        f"  {'Topic':<{width}} {'Cards':>5} {'New':>4} {'Due':>4} {'Answers':>7} "
        f"{'Correct':>7} {'Retention':>9}  Mastery\n",
        style="dim",
    )
    for topic, t in stats.by_topic.items():
        mastery = stats.mastery.get(topic, t.mastery)
        right, answered = correct.get(topic, (0, 0))
        title = titles[topic]
        if len(title) > width:  # a very long name: on its own line, the numbers under it
            text.append(f"  {title}\n")
            title = ""
        text.append(
            f"  {title:<{width}} {t.cards:>5} {t.new:>4} {t.due:>4} {answered:>7} "
            f"{_rate(right, answered):>7} {percent(t.retention):>9}  "
            f"{bar(mastery, 8)} {percent(mastery):>4}\n"
        )
    for line in (
        "Correct: the share of your answers that were right, in every mode.",
        "Retention: the share of reviews of learnt cards you passed (not Again).",
        "Mastery: the share of the topic learnt and still remembered now.",
    ):
        text.append(f"\n  {line}", style="dim")
    return text


def count_ticks(top: float, most: int = 5) -> list[int]:
    """Whole-number ticks from 0 that cover ``top``: at most ``most`` + 1 of them."""
    top = max(1, math.ceil(top))
    step = max(1, math.ceil(top / most))
    return list(range(0, top + step, step))


# id -> (title, what it means, what it says when there is nothing to show: before any answer,
# and after some)
FIGURES: dict[str, tuple[str, str, str, str]] = {
    "reviews": (
        "Answers per day (last 30 days)",
        "How many answers you gave on each of the last 30 days, in every mode.",
        "No reviews yet: your answers will show here, day by day.",
        "No answers in the last 30 days.",
    ),
    "forecast": (
        "Due forecast (cards per day, day 0 = today)",
        "How many learnt cards fall due on each of the next 30 days (overdue ones on day 0).",
        "No reviews yet: nothing is scheduled, so nothing falls due.",
        "Nothing falls due in the next 30 days.",
    ),
    "retention": (
        "Retention by topic (%)",
        "Of your reviews of learnt cards, the percentage you passed (not Again), per topic "
        "(topics with none yet are left out).",
        "No reviews yet: retention shows once learnt cards come back for review.",
        "No reviews of learnt cards yet: retention shows once they come back for review.",
    ),
    "workload-year": (
        "Expected answers per day, next 365 days",
        "The workload to expect each day over the next year at your desired retention.",
        "No cards to forecast.",
        "No cards to forecast.",
    ),
    "workload-curve": (
        "Answers per day against desired retention (%)",
        "What a higher desired retention costs: the average answers a day at each setting.",
        "No cards to forecast.",
        "No cards to forecast.",
    ),
}


def topic_labels(titles: list[str], width: int) -> tuple[list[str], str]:
    """Bar labels for ``titles`` in a plot ``width`` columns wide: the names when each fits
    under its bar, else numbers 1..n and a legend line naming them."""
    slot = (width - 10) // max(1, len(titles))
    if all(len(t) < slot for t in titles):
        return titles, ""
    legend = "  ".join(f"{i}. {t}" for i, t in enumerate(titles, start=1))
    return [str(i) for i in range(1, len(titles) + 1)], legend


def read_stats(engine: Engine) -> tuple[Stats, dict[str, tuple[int, int]], Deck]:
    """What the screen shows, read in the database worker."""
    from trainer.engine.workload import deck_of

    return engine.stats(), engine.correct_by_topic(), deck_of(engine)


def workload_of(deck: Deck, settings: Settings) -> tuple[Forecast, list[tuple[float, float]]]:
    """The next year's answers a day, and the workload by desired retention (off the UI thread)."""
    from trainer.engine.workload import simulate, workload_curve

    year = simulate(deck, settings)
    return year, workload_curve(deck, settings, method=year.method)


class StatsScreen(DbScreen):
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape,q", "app.home", "Home", id="stats-home", tooltip="Back to home"),
        *page_bindings("stats", "the stats and plots"),
    ]

    _workload_due = False  # the workload simulation is to start after the next paint

    @property
    def busy(self) -> int:
        return self._db_calls + self._workload_due

    def compose(self) -> ComposeResult:
        from textual_plotext import PlotextPlot  # lazy: only when the stats screen opens

        with VerticalScroll(id="stats-body"):
            yield Static("Reading statistics...", id="stats-summary")
            yield Static("", id="stats-topics")
            for name in ("reviews", "forecast", "retention"):
                yield from self._figure(PlotextPlot, name)
            yield Static("Workload: simulating...", id="stats-workload", markup=False)
            for name in ("workload-year", "workload-curve"):
                yield from self._figure(PlotextPlot, name)
        yield KeyBar()

    @staticmethod
    def _figure(plot_class: type[Any], name: str) -> ComposeResult:
        """A plot, the line saying what it shows, and (hidden) the line shown when it is empty."""
        meaning = FIGURES[name][1]
        yield plot_class(id=f"plot-{name}", classes="plot")
        yield Static(meaning, id=f"caption-{name}", classes="plot-caption", markup=False)
        empty = Static("", id=f"empty-{name}", classes="plot-empty", markup=False)
        empty.display = False
        yield empty

    def _show_empty(self, name: str) -> None:
        """No data: the title and "No reviews yet ..." in the plot's place."""
        title, _meaning, before, after = FIGURES[name]
        empty = after if self.stats.reviews else before
        self.query_one(f"#plot-{name}").display = False
        self.query_one(f"#caption-{name}").display = False
        note = self.query_one(f"#empty-{name}", Static)
        note.update(Text.assemble((f"{title}\n", "bold"), empty))
        note.display = True

    def on_mount(self) -> None:
        for plot in self.query(".plot, .plot-caption"):
            plot.display = False  # until the numbers are read
        self.query_one("#stats-body", VerticalScroll).focus()
        self.run_engine("read-stats", read_stats, read=True)

    def db_done(self, tag: str, result: Any) -> None:
        if tag == "read-stats":
            self.show(*result)

    def show(self, stats: Stats, correct: dict[str, tuple[int, int]], deck: Deck) -> None:
        self.stats = stats
        self.query_one("#stats-summary", Static).update(summary_text(stats))
        self.query_one("#stats-topics", Static).update(topic_table(stats, correct))
        for plot in self.query(".plot, .plot-caption"):
            plot.display = True
        days = [d[5:] for d, _n in stats.reviews_per_day]  # "MM-DD"
        counts = [n for _d, n in stats.reviews_per_day]
        if any(counts):
            self._bars("reviews", days, counts)
        else:
            self._show_empty("reviews")
        forecast = list(stats.forecast)
        if any(forecast):
            self._bars("forecast", [str(i) for i in range(len(forecast))], forecast)
        else:
            self._show_empty("forecast")
        rated = {t: s.retention for t, s in stats.by_topic.items() if s.retention is not None}
        if rated:
            titles = [topic_title(t) for t in rated]
            labels, legend = topic_labels(titles, self.app.size.width)
            values = [round(r * 100) for r in rated.values()]
            self._bars("retention", labels, values, percent_axis=True)
            if legend:
                caption = self.query_one("#caption-retention", Static)
                caption.update(f"{FIGURES['retention'][1]}\nTopics: {legend}")
        else:
            self._show_empty("retention")
        # after the plots' first paint, which sets their theme (and so the colour of what is
        # plotted next): the workload line is drawn in the same colour every time
        self._workload_due = True
        self.call_after_refresh(self._start_workload, deck, self.app.engine.settings)

    def _start_workload(self, deck: Deck, settings: Settings) -> None:
        self._workload_due = False
        self.simulate_workload(deck, settings)

    @work(exclusive=True, group="stats-workload")
    async def simulate_workload(self, deck: Deck, settings: Settings) -> None:
        """The simulation runs in a thread (up to a second of work), its result is shown here,
        on the UI thread; the worker goes with the screen."""
        year, curve = await asyncio.to_thread(workload_of, deck, settings)
        self._show_workload(settings, year, curve)

    def _show_workload(
        self, settings: Settings, year: Forecast, curve: list[tuple[float, float]]
    ) -> None:
        if not self.is_attached:
            return
        how = (
            "fsrs-rs simulation of a deck this size, all new"
            if year.method == "fsrs-rs"
            else "an estimate from your cards, simulated"
        )
        self.query_one("#stats-workload", Static).update(
            Text.assemble(
                ("Workload\n", "bold"),
                f"  At {settings.desired_retention:.0%} desired retention: about "
                f"{year.per_day:.1f} answers a day over the next year ({how})",
            )
        )
        per_day = [r + n for r, n in zip(year.reviews, year.learned, strict=True)]
        if not per_day:
            self._show_empty("workload-year")
            self._show_empty("workload-curve")
            return
        widget: Any = self.query_one("#plot-workload-year")
        plt = widget.plt
        plt.clear_data()
        plt.plot(list(range(len(per_day))), per_day)
        self._count_axis(plt, max(per_day))
        plt.title(FIGURES["workload-year"][0])
        widget.refresh()
        widget = self.query_one("#plot-workload-curve")
        plt = widget.plt
        plt.clear_data()
        plt.plot([round(100 * r) for r, _w in curve], [w for _r, w in curve])
        if curve:
            self._count_axis(plt, max(w for _r, w in curve))
        plt.title(FIGURES["workload-curve"][0])
        widget.refresh()

    @staticmethod
    def _count_axis(plt: Any, top: float) -> None:
        """A y axis of whole numbers from 0 (counts are never fractions)."""
        ticks = count_ticks(top)
        plt.ylim(0, ticks[-1])
        plt.yticks(ticks, [str(t) for t in ticks])

    def _bars(
        self, name: str, labels: list[str], values: list[int], *, percent_axis: bool = False
    ) -> None:
        widget: Any = self.query_one(f"#plot-{name}")
        plt = widget.plt
        plt.clear_data()
        plt.bar(labels, values)
        step = max(1, len(labels) // 8)
        plt.xticks(list(range(1, len(labels) + 1, step)), labels[::step])
        if percent_axis:
            ticks = [0, 25, 50, 75, 100]
            plt.ylim(0, 100)
            plt.yticks(ticks, [str(t) for t in ticks])
        else:
            self._count_axis(plt, max(values))
        plt.title(FIGURES[name][0])
        widget.refresh()

    def action_scroll(self, direction: int) -> None:
        scroll_page(self.query_one("#stats-body", VerticalScroll), direction)
