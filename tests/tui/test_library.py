"""The bank picker (--bank names a folder of banks): the banks with their counts, picking one,
and the choice remembered in the config file for the next start."""

from __future__ import annotations

import shutil
from collections.abc import Callable
from pathlib import Path

import pytest
from textual.widgets import OptionList

from trainer.bank.library import BankTarget, resolve_bank
from trainer.config import load_config
from trainer.tui.screens.library import LibraryApp, describe_banks, remember

DATA = Path(__file__).resolve().parents[1] / "data"
SnapCompare = Callable[..., bool]


@pytest.fixture
def library(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> BankTarget:
    """banks/alpha (the mini bank), banks/beta (the mini bank in two files, retitled) and
    banks/broken (a bank with errors), seen from tmp_path as the relative path "banks"."""
    monkeypatch.setenv("TRAINER_CACHE", "0")
    monkeypatch.chdir(tmp_path)
    lib = tmp_path / "banks"
    shutil.copytree(DATA / "mini", lib / "alpha")
    shutil.copytree(DATA / "mini-2files", lib / "beta")
    header = lib / "beta" / "10-bank.toml"
    header.write_text(header.read_text().replace('title = "Mini bank"', 'title = "Beta bank"'))
    (lib / "broken").mkdir()
    (lib / "broken" / "bank.toml").write_text('[bank]\nid = "broken"\n')
    target = resolve_bank(Path("banks"))
    assert target.kind == "library" and target.names() == ["alpha", "beta", "broken"]
    return target


def labels(app: LibraryApp) -> list[str]:
    banks = app.screen.query_one(OptionList)
    return [str(banks.get_option_at_index(i).prompt) for i in range(banks.option_count)]


async def test_the_picker_lists_banks_with_counts_and_returns_the_pick(
    library: BankTarget,
) -> None:
    app = LibraryApp(library, describe_banks(library))
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        assert labels(app) == [
            "Mini bank  (alpha, 6 questions)",
            "Beta bank  (beta, 6 questions)",
            "broken  (broken: has errors; run trainer check)",
        ]
        banks = app.screen.query_one(OptionList)
        assert banks.highlighted == 0
        await pilot.press("down", "down")  # the broken bank cannot be highlighted
        assert banks.highlighted != 2
        banks.highlighted = 1
        await pilot.press("enter")
        await pilot.pause()
    assert app.return_value == Path("banks") / "beta"


async def test_quitting_the_picker_opens_nothing(library: BankTarget) -> None:
    app = LibraryApp(library, describe_banks(library))
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press("escape")
        await pilot.pause()
    assert app.return_value is None


async def test_the_last_choice_is_remembered_at_the_next_start(
    library: BankTarget, tmp_path: Path
) -> None:
    config_path = tmp_path / "config.toml"
    config_path.write_text('[ui]\ntheme = "nord"\n')
    config = load_config(config_path)
    remember(config, Path("banks") / "beta")
    saved = load_config(config_path)
    assert saved.last_bank == str((tmp_path / "banks" / "beta").resolve())
    assert saved.theme == "nord" and not saved.problems  # the rest of the file is kept
    app = LibraryApp(library, describe_banks(library), saved.last_bank, saved.theme)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        assert app.screen.query_one(OptionList).highlighted == 1
        assert app.theme == "nord"
        await pilot.press("enter")
        await pilot.pause()
    assert app.return_value == Path("banks") / "beta"


@pytest.mark.parametrize("size", [(80, 24), (120, 40)], ids=["80x24", "120x40"])
def test_library_snapshot(
    snap_compare: SnapCompare, library: BankTarget, size: tuple[int, int]
) -> None:
    app = LibraryApp(library, describe_banks(library))
    assert snap_compare(app, terminal_size=size)
