"""Settings: the config file's settings, edited with validation, saved and applied at once.

Next to the desired retention: the estimated answers per day at that retention (a simulation in a
worker, see engine/workload.py). FSRS Evaluate and Optimize run in workers (they need the
``[fsrs]`` extra; without it they say how to get it). A change of desired retention or of the
FSRS parameters reschedules every card from its history (Anki's "reschedule cards on change"),
in the database worker (DbScreen): the screen never freezes, even at tens of thousands of reviews
or while another program holds the database. The cards the workload and FSRS start from are read
there too.
"""

from __future__ import annotations

import asyncio
from dataclasses import replace
from typing import TYPE_CHECKING, Any, ClassVar

from textual import work
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Horizontal, VerticalScroll
from textual.widgets import Button, Checkbox, Input, Select, Static

from trainer.config import SETTING_KEYS, Config, format_step
from trainer.tui.keys import key_list
from trainer.tui.screens.db_screen import DbScreen
from trainer.tui.widgets.key_bar import KeyBar
from trainer.tui.widgets.text_input import TextInput

if TYPE_CHECKING:
    from trainer.engine import Engine
    from trainer.engine.fsrs_fit import Item
    from trainer.engine.scheduler import Settings
    from trainer.engine.workload import Deck

# (field, label, help) for the text fields, in screen order
FIELDS: tuple[tuple[str, str, str], ...] = (
    ("new_per_day", "New cards/day", "0-9999"),
    ("reviews_per_day", "Reviews/day", "0-99999; also caps new cards"),
    ("desired_retention", "Desired retention", "0.70-0.99"),
    ("day_starts_hour", "Day starts at", "hour 0-23, local time"),
    ("learning_steps", "Learning steps", "e.g. 1m 10m (s, m, h, d)"),
    ("relearning_steps", "Relearning steps", "e.g. 10m"),
    ("leech_threshold", "Leech threshold", "lapses, 1-99"),
)
SECTION = {key: section for (section, key) in SETTING_KEYS}


def _field_text(settings: Settings, key: str) -> str:
    value = getattr(settings, key)
    if key.endswith("_steps"):
        return " ".join(format_step(s) for s in value)
    if key == "desired_retention":
        return f"{value:.2f}"
    return str(value)


def parse_keys(text: str) -> dict[str, str]:
    """``"home-study=x; stats-home=escape,q"`` as a keymap. Raises ValueError."""
    keys: dict[str, str] = {}
    for part in text.split(";"):
        if not part.strip():
            continue
        name, sep, value = part.partition("=")
        if not sep or not name.strip() or not value.strip():
            raise ValueError(f"{part.strip()!r} is not binding-id=keys")
        keys[name.strip()] = ",".join(key_list(value))
    return keys


def format_keys(keys: dict[str, str]) -> str:
    return "; ".join(f"{k}={v}" for k, v in sorted(keys.items()))


def reschedule(engine: Engine, settings: Settings) -> int:
    """Recompute every card from its history under ``settings`` (in the database worker)."""
    from trainer.engine.replay import mark_applied, recompute

    n = recompute(engine, settings)
    mark_applied(engine, settings)
    return n


def fsrs_run(
    action: str, items: list[Item], settings: Settings
) -> tuple[str, tuple[float, ...] | None]:
    """FSRS ``action`` ("evaluate" or "optimize") on ``items`` (off the UI thread): what to say,
    and the fitted parameters when they are to be adopted."""
    from trainer.engine import fsrs_fit

    current = fsrs_fit.current_parameters(settings)
    if action == "evaluate":
        if not items:
            return "No history to evaluate yet (answer cards on several days).", None
        return f"FSRS evaluate: {fsrs_fit.evaluate(items, current).format()}", None
    result = fsrs_fit.optimize(items, current)
    lines = [result.message]
    if result.current is not None:
        lines.insert(0, f"current: {result.current.format()}")
    if result.fitted is not None:
        lines.insert(1, f"fitted: {result.fitted.format()}")
    text = "FSRS optimize: " + "\n".join(lines)
    if result.adopted and result.parameters is not None:
        return text, result.parameters
    return text, None


class SettingsScreen(DbScreen):
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding(
            "ctrl+s", "save", "Save", id="settings-save", tooltip="Save and apply", priority=True
        ),
        Binding("escape", "app.home", "Home", id="settings-home", tooltip="Back (unsaved: lost)"),
    ]

    deck: Deck | None = None
    _message = ""  # the saved message, completed once the cards are rescheduled
    _prefix = ""  # the FSRS result shown above it

    def compose(self) -> ComposeResult:
        config = self.app.config
        s = self.app.engine.settings
        with VerticalScroll(id="settings-body"):
            yield Static(
                "Settings: Ctrl+S saves them to "
                + (config.path.name if config.path else "(no config file)")
                + " and applies them at once",
                classes="panel-title",
                markup=False,
            )
            for key, label, hint in FIELDS:
                with Horizontal(classes="settings-row"):
                    yield Static(label, classes="settings-label", markup=False)
                    yield TextInput(
                        _field_text(s, key), id=f"set-{key}", classes="settings-input", compact=True
                    )
                    yield Static(hint, id=f"hint-{key}", classes="settings-hint", markup=False)
            with Horizontal(classes="settings-row"):
                yield Static("Leech action", classes="settings-label", markup=False)
                yield Select(
                    [("tag only", "tag"), ("suspend", "suspend")],
                    value=s.leech_action,
                    allow_blank=False,
                    id="set-leech_action",
                    classes="settings-input",
                    compact=True,
                )
            with Horizontal(classes="settings-row"):
                yield Static("Bury siblings", classes="settings-label", markup=False)
                yield Checkbox("new cards", s.bury_new, id="set-bury_new", compact=True)
                yield Checkbox("reviews", s.bury_reviews, id="set-bury_reviews", compact=True)
            with Horizontal(classes="settings-row"):
                yield Static("Theme", classes="settings-label", markup=False)
                themes = sorted(self.app.available_themes)
                yield Select(
                    [(t, t) for t in themes],
                    value=self.app.theme if self.app.theme in themes else themes[0],
                    allow_blank=False,
                    id="set-theme",
                    classes="settings-input",
                    compact=True,
                )
            with Horizontal(classes="settings-row"):
                yield Static("Key bindings", classes="settings-label", markup=False)
                yield TextInput(
                    format_keys(dict(config.keys)),
                    placeholder="binding-id=keys; e.g. home-study=f2",
                    id="set-keys",
                    classes="settings-input",
                    compact=True,
                )
            with Horizontal(classes="settings-row"):
                yield Static("FSRS", classes="settings-label", markup=False)
                yield Static(self._parameters_text(s), id="fsrs-parameters", markup=False)
            with Horizontal(id="settings-buttons"):
                yield Button(
                    "Save (Ctrl+S)", id="settings-save-button", variant="primary", compact=True
                )
                yield Button("Evaluate FSRS", id="fsrs-evaluate", compact=True)
                yield Button("Optimize FSRS", id="fsrs-optimize", compact=True)
            yield Static("", id="settings-status", markup=False)
        yield KeyBar()

    @staticmethod
    def _parameters_text(s: Settings) -> str:
        return "your fitted parameters" if s.parameters else "default parameters"

    def on_mount(self) -> None:
        from trainer.engine.workload import deck_of

        self.query_one("#set-new_per_day", Input).focus()
        self.query_one("#hint-desired_retention", Static).update("0.70-0.99  (estimating...)")
        self.run_engine("read-deck", deck_of, read=True)

    def db_done(self, tag: str, result: Any) -> None:
        if tag == "read-deck":
            self.deck = result
            self._estimate(self._form_settings())
        elif tag == "reschedule":
            self._done(f"{self._message} {result} cards rescheduled from their history.")
        elif tag == "read-fsrs":
            action, items, settings = result
            self._status(f"FSRS {action}: {len(items)} training items...")
            self.run_fsrs(action, items, settings)

    def db_failed(self, tag: str, error: Exception) -> None:
        if tag == "reschedule":
            self._done(f"{self._message} Cards not rescheduled: {error}")
            return
        super().db_failed(tag, error)

    def _form_settings(self) -> Settings:
        """The settings with the retention typed in the form, when it is valid."""
        settings = self.app.engine.settings
        text = self.query_one("#set-desired_retention", Input).value
        try:
            retention = SETTING_KEYS[("fsrs", "desired_retention")](float(text))
        except ValueError:
            return settings
        return replace(settings, desired_retention=retention)

    # -- reading the form --------------------------------------------------------------------

    def read_form(self) -> tuple[dict[str, Any], list[str]]:
        """The form's values by Settings field (plus theme and keys), and one error per bad one."""
        values: dict[str, Any] = {}
        errors: list[str] = []
        for key, label, _hint in FIELDS:
            text = self.query_one(f"#set-{key}", Input).value.strip()
            raw: object = text
            try:
                if key == "desired_retention":
                    raw = float(text)
                elif not key.endswith("_steps"):
                    raw = int(text)
                values[key] = SETTING_KEYS[(SECTION[key], key)](raw)
            except ValueError as exc:
                msg = str(exc) if raw is not text else f"{text!r} is not a number"
                errors.append(f"{label} ({key}): {msg}")
        values["leech_action"] = self.query_one("#set-leech_action", Select).value
        values["bury_new"] = self.query_one("#set-bury_new", Checkbox).value
        values["bury_reviews"] = self.query_one("#set-bury_reviews", Checkbox).value
        values["theme"] = self.query_one("#set-theme", Select).value
        try:
            values["keys"] = parse_keys(self.query_one("#set-keys", Input).value)
        except ValueError as exc:
            errors.append(f"Key bindings (keys): {exc}")
        if "keys" in values:
            from trainer.tui.keys import clashing_keys, unknown_binding_ids

            unknown = unknown_binding_ids(values["keys"])
            if unknown:
                errors.append(f"Key bindings (keys): unknown binding ids {', '.join(unknown)}")
            clashes = clashing_keys(values["keys"])
            if clashes:
                errors.append(
                    "Key bindings (keys): a key taken twice on one screen ("
                    + "; ".join(clashes)
                    + "): give one of them another key"
                )
        return values, errors

    def _status(self, text: str) -> None:
        self.query_one("#settings-status", Static).update(text)

    def on_input_changed(self, event: Input.Changed) -> None:
        if event.input.id == "set-desired_retention":
            try:
                retention = SETTING_KEYS[("fsrs", "desired_retention")](float(event.value))
            except ValueError:
                self.query_one("#hint-desired_retention", Static).update("0.70-0.99")
                return
            self._estimate(replace(self.app.engine.settings, desired_retention=retention))

    def on_input_submitted(self, event: Input.Submitted) -> None:
        self.action_save()

    def on_button_pressed(self, event: Button.Pressed) -> None:
        if event.button.id == "settings-save-button":
            self.action_save()
        elif event.button.id == "fsrs-evaluate":
            self.start_fsrs("evaluate")
        elif event.button.id == "fsrs-optimize":
            self.start_fsrs("optimize")

    # -- saving ------------------------------------------------------------------------------

    def action_save(self) -> None:
        values, errors = self.read_form()
        if errors:
            self._status("Not saved:\n" + "\n".join(errors))
            self.notify(errors[0], title="Settings not saved", severity="error", markup=False)
            return
        theme = values.pop("theme")
        keys = values.pop("keys")
        settings = replace(self.app.engine.settings, **values)
        self.apply(replace(self.app.config, settings=settings, theme=theme, keys=keys))

    def apply(self, config: Config, prefix: str = "") -> None:
        """Save ``config`` and apply it; reschedule every card if retention or FSRS changed (in
        the database worker: the status says so until it is done)."""
        old = self.app.engine.settings
        new = config.settings
        if not self.app.save_config(config):
            self._status("Not saved: the config file could not be written.")
            return
        message = f"Saved to {config.path}." if config.path else "Applied (no config file)."
        self.query_one("#fsrs-parameters", Static).update(self._parameters_text(new))
        self._prefix, self._message = prefix, message
        if (old.desired_retention, old.parameters) != (new.desired_retention, new.parameters):
            self._status(f"{prefix}{message} Rescheduling the cards from their history...")
            self.run_engine("reschedule", lambda engine: reschedule(engine, new))
            return
        self._done(self._message)

    def _done(self, message: str) -> None:
        """Say ``message`` (the saved message and what rescheduling did) in the status line,
        after the FSRS result when there is one, and in a toast."""
        self._status(self._prefix + message)
        self.notify(message, title="Settings", markup=False)

    # -- workload ----------------------------------------------------------------------------

    def _estimate(self, settings: Settings) -> None:
        self.query_one("#hint-desired_retention", Static).update("0.70-0.99  (estimating...)")
        if self.deck is not None:
            self.estimate_workload(self.deck, settings)

    @work(exclusive=True, group="settings-workload")
    async def estimate_workload(self, deck: Deck, settings: Settings) -> None:
        """The simulation runs in a thread, its result is shown here, on the UI thread (the
        newest estimate wins: an older one is cancelled; the worker goes with the screen)."""
        from trainer.engine.workload import simulate

        forecast = await asyncio.to_thread(simulate, deck, settings)
        text = (
            f"0.70-0.99  ≈ {forecast.per_day:.1f} answers/day over a year "
            f"({'fsrs-rs' if forecast.method == 'fsrs-rs' else 'estimate'})"
        )
        self.query_one("#hint-desired_retention", Static).update(text)

    # -- FSRS --------------------------------------------------------------------------------

    def start_fsrs(self, action: str) -> None:
        from trainer.engine import fsrs_fit
        from trainer.engine.replay import scheduled_answers

        try:
            fsrs_fit.fsrs_rs()
        except fsrs_fit.FsrsUnavailable as exc:
            self._status(str(exc))
            self.notify(str(exc), title="FSRS", severity="warning", markup=False)
            return
        settings = self.app.engine.settings
        self._status(f"FSRS {action}: reading the answers...")

        def read(engine: Engine) -> tuple[str, list[Item], Settings]:
            return (
                action,
                fsrs_fit.items_from_settings(scheduled_answers(engine), settings),
                settings,
            )

        self.run_engine("read-fsrs", read, read=True)

    @work(exclusive=True, group="settings-fsrs")
    async def run_fsrs(self, action: str, items: list[Item], settings: Settings) -> None:
        """FSRS evaluate or optimize in a thread; what it found is shown (and fitted parameters
        adopted) here, on the UI thread. The worker goes with the screen: an optimization still
        running when the trainee leaves settings is dropped, its parameters not adopted (the
        thread finishes its computation; nothing is saved)."""
        text, params = await asyncio.to_thread(fsrs_run, action, items, settings)
        if params is None:
            self._status(text)
            return
        config = self.app.config
        new = replace(config.settings, parameters=params)
        self.apply(replace(config, settings=new), prefix=text + "\n")
