"""Stats: the engine's numbers, per topic, and plots (textual-plotext, imported lazily).

At the end, the workload: expected answers per day over the next year at the desired retention,
and answers per day against desired retention (0.70-0.97), as Anki's options screen shows them;
simulated in a worker (engine/workload.py: fsrs-rs with the [fsrs] extra, else an estimate)."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any, ClassVar

from rich.text import Text
from textual import work
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import VerticalScroll
from textual.screen import Screen
from textual.widgets import Footer, Static

from trainer.bank.models import topic_title
from trainer.tui.formatting import bar, percent
from trainer.tui.paging import page_bindings, scroll_page

if TYPE_CHECKING:
    from trainer.engine import Settings, Stats
    from trainer.engine.workload import Deck, Forecast
    from trainer.tui.app import TrainerApp


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


def topic_table(stats: Stats) -> Text:
    text = Text("By topic\n", style="bold")
    text.append(
        f"  {'Topic':<19} {'Cards':>5} {'New':>4} {'Due':>4} {'Retention':>9}  Mastery\n",
        style="dim",
    )
    for topic, t in stats.by_topic.items():
        mastery = stats.mastery.get(topic, t.mastery)
        text.append(
            f"  {topic_title(topic):<19.19} {t.cards:>5} {t.new:>4} {t.due:>4} "
            f"{percent(t.retention):>9}  {bar(mastery, 8)} {percent(mastery):>4}\n"
        )
    text.rstrip()
    return text


class StatsScreen(Screen[None]):
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape,q", "app.home", "Home", id="stats-home", tooltip="Back to home"),
        *page_bindings("stats", "the stats and plots"),
    ]

    app: TrainerApp

    def compose(self) -> ComposeResult:
        from textual_plotext import PlotextPlot  # lazy: only when the stats screen opens

        stats = self.app.engine.stats()
        self.stats = stats
        with VerticalScroll(id="stats-body"):
            yield Static(summary_text(stats), id="stats-summary")
            yield Static(topic_table(stats), id="stats-topics")
            yield PlotextPlot(id="plot-reviews", classes="plot")
            yield PlotextPlot(id="plot-forecast", classes="plot")
            yield PlotextPlot(id="plot-retention", classes="plot")
            yield Static("Workload: simulating...", id="stats-workload", markup=False)
            yield PlotextPlot(id="plot-workload-year", classes="plot")
            yield PlotextPlot(id="plot-workload-curve", classes="plot")
        yield Footer()

    def on_mount(self) -> None:
        stats = self.stats
        days = [d[5:] for d, _n in stats.reviews_per_day]  # "MM-DD"
        counts = [n for _d, n in stats.reviews_per_day]
        self._bars("#plot-reviews", "Answers per day (last 30 days)", days, counts)
        forecast = list(stats.forecast)
        self._bars(
            "#plot-forecast",
            "Due forecast (cards per day, day 0 = today)",
            [str(i) for i in range(len(forecast))],
            forecast,
        )
        topics = [topic_title(t)[:10] for t in stats.by_topic]
        retention = [round((t.retention or 0.0) * 100) for t in stats.by_topic.values()]
        self._bars("#plot-retention", "Retention by topic (%)", topics, retention)
        self.query_one("#stats-body", VerticalScroll).focus()
        from trainer.engine.workload import deck_of

        self.simulate_workload(deck_of(self.app.engine), self.app.engine.settings)

    @work(thread=True, exclusive=True, group="stats-workload")
    def simulate_workload(self, deck: Deck, settings: Settings) -> None:
        from trainer.engine.workload import simulate, workload_curve

        year = simulate(deck, settings)
        curve = workload_curve(deck, settings, method=year.method)
        self.app.call_from_thread(self._show_workload, settings, year, curve)

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
        widget: Any = self.query_one("#plot-workload-year")
        plt = widget.plt
        plt.clear_data()
        plt.plot(list(range(len(per_day))), per_day)
        plt.title("Expected answers per day, next 365 days")
        widget.refresh()
        widget = self.query_one("#plot-workload-curve")
        plt = widget.plt
        plt.clear_data()
        plt.plot([round(100 * r) for r, _w in curve], [w for _r, w in curve])
        plt.title("Answers per day against desired retention (%)")
        widget.refresh()

    def _bars(self, selector: str, title: str, labels: list[str], values: list[int]) -> None:
        widget: Any = self.query_one(selector)
        plt = widget.plt
        plt.clear_data()
        if labels:
            plt.bar(labels, values)
            step = max(1, len(labels) // 8)
            plt.xticks(list(range(1, len(labels) + 1, step)), labels[::step])
        plt.title(title)
        widget.refresh()

    def action_scroll(self, direction: int) -> None:
        scroll_page(self.query_one("#stats-body", VerticalScroll), direction)
