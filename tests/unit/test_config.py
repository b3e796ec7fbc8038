"""The config file: every key read, bad values named and replaced by their default, the writer,
and where the file is found (--config over TRAINER_CONFIG over the user config folder)."""

from __future__ import annotations

import json
import sys
from dataclasses import replace
from datetime import UTC, timedelta
from pathlib import Path

import fsrs
import pytest

sys.path.insert(0, str(Path(__file__).parent / "helpers"))
from engine_kit import MINI, T0, Clock

from trainer import cli, paths
from trainer.config import (
    Config,
    config_to_toml,
    format_step,
    load_config,
    parse_config,
    parse_step,
    resolve_config_path,
    save_config,
)
from trainer.engine import Settings
from trainer.engine.scheduler import FSRS6_PARAMETERS

W = [round(w * 1.1, 4) for w in fsrs.scheduler.DEFAULT_PARAMETERS]
assert len(W) == FSRS6_PARAMETERS

FULL = f"""
[study]
new_per_day = 7
reviews_per_day = 70
day_starts_hour = 6
learning_steps = ["30s", "5m", "1h"]
relearning_steps = ["15m", "1d"]
leech_threshold = 5
leech_action = "suspend"
bury_new = false
bury_reviews = true

[fsrs]
desired_retention = 0.85
parameters = {json.dumps(W)}

[ui]
theme = "nord"

[keys]
home-study = "f2, s"
"stats-home" = "escape"
"""


def test_every_key_is_read() -> None:
    config = parse_config(FULL, "c.toml", tz=UTC)
    s = config.settings
    assert config.problems == ()
    assert (s.new_per_day, s.reviews_per_day, s.day_starts_hour) == (7, 70, 6)
    assert s.learning_steps == (timedelta(seconds=30), timedelta(minutes=5), timedelta(hours=1))
    assert s.relearning_steps == (timedelta(minutes=15), timedelta(days=1))
    assert (s.leech_threshold, s.leech_action) == (5, "suspend")
    assert (s.bury_new, s.bury_reviews) == (False, True)
    assert s.desired_retention == 0.85
    assert s.parameters == tuple(W)
    assert s.tz is UTC
    assert config.theme == "nord"
    assert dict(config.keys) == {"home-study": "f2,s", "stats-home": "escape"}


def test_an_empty_or_missing_file_is_ankis_defaults(tmp_path: Path) -> None:
    assert parse_config("", "c.toml").settings == Settings()
    missing = load_config(tmp_path / "none.toml")
    assert missing.settings == Settings() and missing.problems == ()
    assert missing.path == tmp_path / "none.toml"


@pytest.mark.parametrize(
    ("section", "key", "value", "default"),
    [
        ("study", "new_per_day", "-1", "20"),
        ("study", "new_per_day", '"ten"', "20"),
        ("study", "reviews_per_day", "1.5", "200"),
        ("study", "day_starts_hour", "24", "4"),
        ("study", "learning_steps", '["1m", "soon"]', "[1m, 10m]"),
        ("study", "relearning_steps", '["0m"]', "[10m]"),
        ("study", "leech_threshold", "0", "8"),
        ("study", "leech_action", '"delete"', '"tag"'),
        ("study", "bury_new", '"yes"', "true"),
        ("study", "bury_reviews", "1", "false"),
        ("fsrs", "desired_retention", "0.5", "0.9"),
        ("fsrs", "desired_retention", "true", "0.9"),
        ("fsrs", "parameters", "[1.0, 2.0]", "parameters"),
    ],
)
def test_a_bad_value_names_file_and_key_and_the_default_is_used(
    section: str, key: str, value: str, default: str
) -> None:
    text = f"[{section}]\n{key} = {value}\n"
    if section != "study":
        text += "[study]\nnew_per_day = 3\n"
    else:
        text += "[fsrs]\ndesired_retention = 0.8\n"
    config = parse_config(text, "/home/t/config.toml")
    assert len(config.problems) == 1, config.problems
    problem = config.problems[0]
    assert problem.startswith(f"/home/t/config.toml: [{section}] {key}: ")
    assert problem.endswith(f"using the default {default}")
    assert getattr(config.settings, key) == getattr(Settings(), key)
    # the rest of the file still applies
    if section == "study":
        assert config.settings.desired_retention == 0.8
    else:
        assert config.settings.new_per_day == 3


def test_unknown_keys_sections_and_bad_toml_are_reported() -> None:
    text = "[study]\nnew_cards = 3\n[extra]\nx = 1\n[keys]\n\"bad id\" = 'x'\n"
    config = parse_config(text, "c")
    assert config.problems == (
        "c: [study] new_cards: unknown key, ignored",
        "c: unknown section [extra], ignored",
        "c: [keys] bad id: not a binding id, ignored",
    )
    broken = parse_config("[study\n", "c")
    assert broken.settings == Settings()
    assert broken.problems and "not valid TOML" in broken.problems[0]


def test_steps_parse_and_format() -> None:
    assert parse_step("90s") == timedelta(seconds=90)
    assert parse_step(10) == timedelta(minutes=10)
    assert parse_step("2d") == timedelta(days=2)
    assert [format_step(timedelta(minutes=m)) for m in (1, 10, 60, 90, 1440)] == [
        "1m",
        "10m",
        "1h",
        "90m",
        "1d",
    ]
    assert format_step(timedelta(seconds=30)) == "30s"
    with pytest.raises(ValueError):
        parse_step(True)


def test_writer_round_trips_every_key_atomically(tmp_path: Path) -> None:
    config = parse_config(FULL, "c.toml", tz=UTC)
    path = tmp_path / "deep" / "config.toml"
    assert save_config(config, path) == path
    assert [p.name for p in path.parent.iterdir()] == ["config.toml"]  # no temporary file left
    again = load_config(path, tz=UTC)
    assert again.problems == ()
    assert again.settings == config.settings
    assert (again.theme, dict(again.keys)) == (config.theme, dict(config.keys))
    text = path.read_text()
    assert "desired_retention = 0.85" in text
    assert 'learning_steps = ["30s", "5m", "1h"]' in text
    # writing again gives the same text
    save_config(again, path)
    assert path.read_text() == text


def test_writer_quotes_strings_safely() -> None:
    config = Config(theme='we"ird\\theme\n', keys={"x": "ctrl+a"})
    parsed = parse_config(config_to_toml(config), "c")
    assert parsed.theme == 'we"ird\\theme' and parsed.problems == ()


def test_config_path_precedence(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    monkeypatch.delenv("TRAINER_CONFIG", raising=False)
    default = paths.default_config()
    assert default.name == "config.toml" and "trainer" in str(default)
    monkeypatch.setenv("TRAINER_CONFIG", str(tmp_path / "env.toml"))
    assert resolve_config_path(None) == tmp_path / "env.toml"
    assert resolve_config_path(tmp_path / "cli.toml") == tmp_path / "cli.toml"


def _new_db(db: Path) -> None:
    """An empty database of the mini bank (read-only commands never create one)."""
    from trainer.bank import load_bank
    from trainer.engine import Engine

    bank, _problems = load_bank(MINI)
    assert bank is not None
    Engine.open(bank, db).close()


def _left_new(capsys: pytest.CaptureFixture[str], argv: list[str]) -> int:
    assert cli.main(argv) == 0
    return int(json.loads(capsys.readouterr().out)["left_today"]["new"])


def test_stats_uses_the_config_from_the_env_and_from_the_option(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    db = tmp_path / "t.db"
    _new_db(db)
    (tmp_path / "env.toml").write_text("[study]\nnew_per_day = 2\n")
    (tmp_path / "cli.toml").write_text("[study]\nnew_per_day = 1\n")
    base = ["stats", "--bank", str(MINI), "--db", str(db), "--json"]
    absent = ["--config", str(tmp_path / "absent.toml")]
    assert _left_new(capsys, [*base, *absent]) == 6  # defaults: 20 a day; the mini bank has 6
    monkeypatch.setenv("TRAINER_CONFIG", str(tmp_path / "env.toml"))
    assert _left_new(capsys, base) == 2
    assert _left_new(capsys, [*base, "--config", str(tmp_path / "cli.toml")]) == 1
    assert _left_new(capsys, ["--config", str(tmp_path / "cli.toml"), *base]) == 1


def test_bad_values_are_warned_about_on_the_command_line(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    config = tmp_path / "c.toml"
    config.write_text("[study]\nnew_per_day = -5\n")
    _new_db(tmp_path / "t.db")
    argv = ["stats", "--bank", str(MINI), "--db", str(tmp_path / "t.db"), "--json"]
    assert cli.main([*argv, "--config", str(config)]) == 0
    out, err = capsys.readouterr()
    assert f"trainer: warning: {config}: [study] new_per_day: must be from 0 to 9999" in err
    assert json.loads(out)["left_today"]["new"] == 6  # the default (20) was used


def test_the_engine_uses_the_burying_settings(tmp_path: Path) -> None:
    sys.path.insert(0, str(Path(__file__).parent / "helpers"))
    from engine_kit import answer, make_bank, open_engine

    bank = make_bank({"t": {"a": 3}})
    with open_engine(bank, tmp_path / "b.db", Clock(T0)) as engine:
        answer(engine, "a-1")
        assert engine.counts().new == 0  # new siblings buried (Anki's default here)
    with open_engine(bank, tmp_path / "b.db", Clock(T0), bury_new=False) as engine:
        assert engine.counts().new == 2


HAND_WRITTEN = """\
# my settings: fewer new cards during rotations
[study]
new_per_day = 7   # exam term
# reviews stay at Anki's default
learning_steps = [
    "1m",   # first look
    "10m",
]
experimental_thing = 3

[keys]
home-study = "f2"
home-stats = "t"
"""


def test_saving_keeps_the_trainees_comments_layout_and_unknown_keys(tmp_path: Path) -> None:
    path = tmp_path / "config.toml"
    path.write_text(HAND_WRITTEN, encoding="utf-8")
    config = load_config(path, tz=UTC)
    settings = replace(config.settings, new_per_day=12, learning_steps=(timedelta(days=5),))
    changed = Config(settings=settings, theme="nord", keys={"home-study": "f2"}, path=path)
    save_config(changed)
    text = path.read_text(encoding="utf-8")
    lines = text.splitlines()
    assert lines[0] == "# my settings: fewer new cards during rotations"
    assert "new_per_day = 12  # exam term" in lines  # new value, the comment kept
    assert "# reviews stay at Anki's default" in lines
    assert 'learning_steps = ["5d"]' in lines and '"1m",   # first look' not in text
    assert "experimental_thing = 3" in lines  # unknown to this version: kept as written
    assert 'home-study = "f2"' in lines and "home-stats" not in text  # the binding removed
    assert lines.index("reviews_per_day = 200") < lines.index("[keys]")  # added in [study]
    assert '[ui]\ntheme = "nord"' in text  # a new section at the end
    again = load_config(path, tz=UTC)
    assert again.settings == settings and again.theme == "nord"
    assert dict(again.keys) == {"home-study": "f2"}
    assert [p for p in again.problems if "experimental_thing" not in p] == []
    save_config(again)  # saving what the file says changes nothing
    assert path.read_text(encoding="utf-8") == text


def test_a_file_too_odd_to_edit_is_rewritten_whole(tmp_path: Path) -> None:
    path = tmp_path / "config.toml"
    path.write_text("study.new_per_day = 3\n[fsrs]\ndesired_retention = 0.8\n", "utf-8")
    config = load_config(path, tz=UTC)
    save_config(replace(config, theme="nord"))
    again = load_config(path, tz=UTC)
    assert again.settings == config.settings and again.theme == "nord"
    assert again.problems == ()
