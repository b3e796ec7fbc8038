"""The bank picker: ``--bank`` named a library (a folder of banks), so the trainee picks one.

It runs as a small app of its own before the trainer app (which needs one bank to open its
engine): each bank with its title and question count (or that it has errors); the bank picked
last time (the config file's ``[ui] last_bank``) is highlighted, and the choice is saved there.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from pathlib import Path
from typing import TYPE_CHECKING, ClassVar

from textual.app import App, ComposeResult
from textual.binding import Binding, BindingType
from textual.screen import Screen
from textual.widgets import OptionList, Static
from textual.widgets.option_list import Option

from trainer.tui.plain import plain, plain_content
from trainer.tui.widgets.key_bar import KeyBar

if TYPE_CHECKING:
    from trainer.bank.library import BankTarget, LibraryBank
    from trainer.config import Config


@dataclass(frozen=True)
class BankChoice:
    """One line of the picker."""

    bank: LibraryBank
    title: str
    questions: int | None  # None: the bank has errors (`trainer check` says which)

    def label(self) -> str:
        if self.questions is None:
            return f"{self.title}  ({self.bank.name}: has errors; run trainer check)"
        noun = "question" if self.questions == 1 else "questions"
        return f"{self.title}  ({self.bank.name}, {self.questions} {noun})"


def describe_banks(target: BankTarget) -> list[BankChoice]:
    """Each bank of the library with its title and number of active questions."""
    from trainer.bank import load_bank

    choices = []
    for lib_bank in target.banks:
        bank, _problems = load_bank(lib_bank.path)
        if bank is None:
            choices.append(BankChoice(lib_bank, lib_bank.name, None))
        else:
            choices.append(BankChoice(lib_bank, bank.title, len(bank.active_questions)))
    return choices


def same_path(a: Path, b: str | None) -> bool:
    if b is None:
        return False
    try:
        return a.resolve() == Path(b).resolve()
    except OSError:
        return False


class LibraryScreen(Screen[Path | None]):
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding(
            "escape,q", "quit", "Quit", id="library-quit", tooltip="Quit without opening a bank"
        ),
    ]

    def __init__(self, target: BankTarget, choices: list[BankChoice], last: str | None) -> None:
        super().__init__()
        self.target = target
        self.choices = choices
        self.last = last

    def compose(self) -> ComposeResult:
        yield Static(plain(f"Banks in {self.target.path}", style="bold"), id="library-title")
        yield Static("Pick a bank to study (arrows, then Enter).", id="library-hint")
        yield OptionList(
            *(
                Option(plain_content(c.label()), id=str(i), disabled=c.questions is None)
                for i, c in enumerate(self.choices)
            ),
            id="library-banks",
        )
        yield KeyBar()

    def on_mount(self) -> None:
        banks = self.query_one("#library-banks", OptionList)
        usable = [i for i, c in enumerate(self.choices) if c.questions is not None]
        last = [i for i in usable if same_path(self.choices[i].bank.path, self.last)]
        if last or usable:
            banks.highlighted = (last or usable)[0]
        banks.focus()

    def on_option_list_option_selected(self, event: OptionList.OptionSelected) -> None:
        if event.option.id is not None:
            self.dismiss(self.choices[int(event.option.id)].bank.path)

    def action_quit(self) -> None:
        self.dismiss(None)


class LibraryApp(App[Path | None]):
    """The picker on its own: exits with the chosen bank's folder, or None."""

    TITLE = "trainer"
    CSS = """
    #library-title { margin: 1 1 0 1; }
    #library-hint { margin: 0 1 1 1; color: $text-muted; }
    #library-banks { margin: 0 1; height: auto; max-height: 1fr; }
    """

    def __init__(
        self,
        target: BankTarget,
        choices: list[BankChoice],
        last: str | None = None,
        theme: str | None = None,
    ) -> None:
        super().__init__()
        self.target = target
        self.choices = choices
        self.last = last
        self.start_theme = theme

    def on_mount(self) -> None:
        if self.start_theme and self.start_theme in self.available_themes:
            self.theme = self.start_theme
        self.push_screen(LibraryScreen(self.target, self.choices, self.last), self.exit)


def remember(config: Config, chosen: Path) -> Config:
    """The config with ``chosen`` as the last bank, saved (a failure is only a warning)."""
    import sys

    from trainer.config import ConfigError, save_config

    updated = replace(config, last_bank=str(chosen.resolve()))
    if config.path is not None:
        try:
            save_config(updated)
        except ConfigError as exc:
            sys.stderr.write(f"trainer: warning: {exc}\n")
    return updated


def choose_bank(target: BankTarget, config: Config) -> tuple[Path | None, Config]:
    """Run the picker for the library ``target``: the chosen bank (None: quit) and the config
    (with the choice remembered)."""
    app = LibraryApp(target, describe_banks(target), config.last_bank, config.theme)
    chosen = app.run()
    if chosen is None:
        return None, config
    return chosen, remember(config, chosen)
