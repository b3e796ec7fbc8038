"""`trainer fsrs evaluate|optimize` (fsrs-rs-python, the [fsrs] extra) on a generated year of
history (> 10,000 reviews, seeded): the figures before and after, the adoption rule both ways,
the message for too short a history, Anki's training items, and the no-extra path."""

from __future__ import annotations

import re
import sys
import tomllib
from datetime import UTC, timedelta
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).parent / "helpers"))
from engine_kit import MINI, T0, Clock, answer, mini_bank, open_engine
from revlog_gen import DEFAULT, generate, write_bank, write_revlog

from trainer import cli
from trainer.config import Config, save_config
from trainer.engine import Rating, Settings, fsrs_fit
from trainer.engine.fsrs_fit import Item, training_items
from trainer.engine.replay import Answer, scheduled_answers

pytest.importorskip("fsrs_rs_python")  # the [fsrs] extra (installed by the test extra, in CI)

N_CARDS = 800
# A trainee whose memory is much better than FSRS's average learner, from day 250 on.
STRONG = (0.6, 2.5, 6.0, 16.0, *DEFAULT[4:8], 2.0, *DEFAULT[9:20], 0.12)
FIGURES = re.compile(r"log loss (\d\.\d+), RMSE\(bins\) (\d\.\d+) on (\d+) items")


def figures(text: str) -> list[tuple[float, float, int]]:
    return [(float(a), float(b), int(c)) for a, b, c in FIGURES.findall(text)]


def run(capsys: pytest.CaptureFixture[str], *argv: str) -> tuple[int, str, str]:
    code = cli.main(list(argv))
    out, err = capsys.readouterr()
    return code, out, err


@pytest.fixture(scope="module")
def bank_file(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, list[str]]:
    path = tmp_path_factory.mktemp("bank") / "bank.toml"
    return path, write_bank(path, N_CARDS)


def test_optimize_beats_the_defaults_on_a_year_of_history(
    bank_file: tuple[Path, list[str]], tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    bank, qids = bank_file
    rows = generate(qids, seed=1)
    assert len(rows) >= 10_000
    csv_path, db, config = tmp_path / "revlog.csv", tmp_path / "t.db", tmp_path / "config.toml"
    write_revlog(csv_path, rows)
    common = ("--bank", str(bank), "--db", str(db), "--config", str(config))
    code, out, _ = run(capsys, "reviews", "import", str(csv_path), *common)
    assert code == 0 and f"Imported {len(rows)} reviews" in out

    code, before_text, _ = run(capsys, "fsrs", "evaluate", *common)
    assert code == 0 and "the default parameters" in before_text
    [before] = figures(before_text)
    code, opt_text, _ = run(capsys, "fsrs", "optimize", *common)
    assert code == 0
    current_held_out, fitted_held_out = figures(opt_text)
    assert "adopted" in opt_text and fitted_held_out[0] < current_held_out[0]
    assert f"Saved the parameters to {config}; {N_CARDS} cards rescheduled" in opt_text
    saved = tomllib.loads(config.read_text())["fsrs"]["parameters"]
    assert len(saved) == 21 and tuple(saved) != DEFAULT
    code, after_text, _ = run(capsys, "fsrs", "evaluate", *common)
    assert code == 0 and "your fitted parameters" in after_text
    [after] = figures(after_text)
    print(f"\n{len(rows)} reviews, {before[2]} training items")
    print(f"  evaluate before optimize: log loss {before[0]:.4f}, RMSE(bins) {before[1]:.4f}")
    print(f"  held out (last 20%): current {current_held_out[:2]}, fitted {fitted_held_out[:2]}")
    print(f"  evaluate after optimize:  log loss {after[0]:.4f}, RMSE(bins) {after[1]:.4f}")
    assert before[2] == after[2] >= 10_000 * 0.7
    assert after[0] < before[0] - 0.01 and after[1] < before[1] / 2

    # the cards were rescheduled with the new parameters: same as replaying under them
    settings = Settings(parameters=tuple(saved))
    from trainer.bank import load_bank
    from trainer.engine import Engine
    from trainer.engine.replay import recompute

    loaded, _ = load_bank(bank)
    assert loaded is not None
    with Engine.open(loaded, db, settings=settings) as engine:
        stored = {r.question_id: r.schedule for r in engine.store.cards(loaded.id)}
        assert recompute(engine, settings) == N_CARDS
        assert {r.question_id: r.schedule for r in engine.store.cards(loaded.id)} == stored


def test_parameters_that_do_not_predict_the_later_history_are_not_adopted(
    bank_file: tuple[Path, list[str]], tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """The trainee changed: a fit to the earlier 80% predicts the later answers worse than the
    current parameters (which describe the later trainee), so they are kept."""
    bank, qids = bank_file
    rows = generate(qids, seed=1, later=STRONG, switch_day=250)
    assert len(rows) >= 10_000
    csv_path, db, config = tmp_path / "revlog.csv", tmp_path / "t.db", tmp_path / "config.toml"
    write_revlog(csv_path, rows)
    save_config(Config(settings=Settings(parameters=STRONG)), config)
    text = config.read_text()
    common = ("--bank", str(bank), "--db", str(db), "--config", str(config))
    assert run(capsys, "reviews", "import", str(csv_path), *common)[0] == 0
    code, out, _ = run(capsys, "fsrs", "optimize", *common)
    assert code == 0
    current, fitted = figures(out)
    print(f"\nheld out: current {current[:2]}, fitted {fitted[:2]}")
    assert fitted[0] >= current[0]
    assert "kept the current ones" in out
    assert config.read_text() == text  # nothing saved


def test_too_short_a_history_says_how_many_more_items_are_needed(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    clock = Clock(T0)
    db = tmp_path / "t.db"
    with open_engine(mini_bank(), db, clock) as engine:
        for day in (0, 2, 6):
            clock.set(T0 + timedelta(days=day))
            for qid in ("mini-q-single", "mini-q-recall"):
                answer(engine, qid, Rating.GOOD)
    common = ("--bank", str(MINI), "--db", str(db), "--config", str(tmp_path / "c.toml"))
    code, out, _ = run(capsys, "fsrs", "optimize", *common)
    assert code == 0
    assert "Not enough history to optimize: 4 training items, 996 more are needed" in out
    assert not (tmp_path / "c.toml").exists()
    code, out, _ = run(capsys, "fsrs", "evaluate", *common)
    assert code == 0 and "on 4 items" in out


def test_training_items_are_built_as_anki_builds_them() -> None:
    """Each target is an answer at least a study day after the previous one, with the whole
    history before it; delta_t in study days (4 am rollover)."""
    t = T0.replace(hour=20)  # 20:00 UTC
    answers = [
        Answer(1, t, Rating.AGAIN),
        Answer(2, t + timedelta(minutes=10), Rating.GOOD),  # same day: history, not a target
        Answer(3, t + timedelta(hours=12), Rating.GOOD),  # 08:00 next morning: 1 study day
        Answer(4, t + timedelta(days=4, hours=12), Rating.HARD),
    ]
    items = training_items({"q": answers}, 4, UTC)
    assert items == [
        Item(((1, 0), (3, 0), (3, 1)), answers[2].time),
        Item(((1, 0), (3, 0), (3, 1), (2, 4)), answers[3].time),
    ]


def test_exam_and_unscheduled_practice_answers_are_not_training_data(tmp_path: Path) -> None:
    clock = Clock(T0)
    with open_engine(mini_bank(), tmp_path / "t.db", clock) as engine:
        answer(engine, "mini-q-single", Rating.GOOD)
        clock.advance(days=1)
        answer(engine, "mini-q-single", Rating.GOOD, mode="exam")
        answer(engine, "mini-q-recall", Rating.GOOD, mode="practice")  # new: not due
        clock.advance(days=2)
        answer(engine, "mini-q-single", Rating.GOOD)
        history = scheduled_answers(engine)
        assert set(history) == {"mini-q-single"}
        items = fsrs_fit.items_from_settings(history, engine.settings)
    assert [i.reviews for i in items] == [((3, 0), (3, 3))]


def test_without_the_extra_both_commands_say_how_to_install_it(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.setitem(sys.modules, "fsrs_rs_python", None)  # import fails as if not installed
    common = ("--bank", str(MINI), "--db", str(tmp_path / "t.db"))
    for action in ("evaluate", "optimize"):
        code, out, err = run(capsys, "fsrs", action, *common)
        assert code == 1 and out == ""
        assert err == f"trainer: {fsrs_fit.INSTALL_HINT}\n"
        assert "pip install 'trainer[fsrs]'" in err and "Traceback" not in err
