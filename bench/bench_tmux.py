"""The app as a trainee uses it, in a real terminal (tmux), against bare Textual apps, in one run.

    python bench/bench_tmux.py --quick        # < 2 minutes: bundled bank + a small 10k session
    python bench/bench_tmux.py                # bundled, 10k questions + 1M reviews, 50k + 1M
    python bench/bench_tmux.py --answers 500 --scales bundled,10k

A private tmux server (socket ``trainer-bench-<pid>``, 120x40, killed at the end) runs each side in
its own session through ``tmux_child.py``. "Painted" is seen from outside: the bench polls
``tmux capture-pane`` (every few ms) until a marker text is on screen (MARKERS below; the only place
to update when the screens change). Both sides pay the same tmux and polling overhead.

- start: from ``tmux new-session`` to the home screen painted, against a bare Textual app with a
  Static and a Footer; a fresh process per round, app and baseline alternately (ABBA), after one
  warm-up each (which fills the parsed-bank cache: a user's second start).
- submit -> feedback painted, rating -> next question painted: one long study session of the real
  app and one of the bare app (``bare-answer``: a screen of similar content whose widgets are
  removed and mounted per step), answer by answer alternately (ABBA). The answer's own keys (a
  letter, a blank typed...) are sent untimed; only the final key (Enter, or Space for recall) is
  timed. The app reads a config with high daily limits and 1-second learning steps, so a session
  never runs dry on the bundled bank.
- memory: over the same session, VmRSS after answer 20 and after the last one, full (gen-2) GC
  pauses from ``gc.callbacks`` and the live widget count, probed by tmux_child.py on SIGUSR1.

Bench is not a test; pytest never runs it.
"""

from __future__ import annotations

import argparse
import json
import os
import re
import shlex
import shutil
import signal
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

import harness
from harness import Result
from paint_run import compile_trainer

CHILD = Path(__file__).resolve().parent / "tmux_child.py"
COLS, ROWS = 120, 40
POLL = 0.003

# What "painted" looks like on the pane. Update here when the screens change.
MARKERS = {
    "home": (re.compile(r"Streak:"), re.compile(r"Mastery by topic")),
    "bare-home": (re.compile(r"BARE READY"), re.compile(r"\^p palette")),
    "question": re.compile(r"^ Study  ·  .*·  (\S+)\s*$", re.M),
    # The answer widget's hint: on screen only once the new question's widgets are mounted.
    "hint": re.compile(
        r"Press [A-Z]-[A-Z] to|Press T \(true\)|Type each blank|choose a step|press Space to reveal"
    ),
    # The rating bar: only the ratings that apply (Again alone after a wrong answer), then Enter's.
    "rating": re.compile(r"\d (?:Again|Hard|Good|Easy)\b.*Enter: (?:Again|Hard|Good|Easy)"),
    "bare-question": re.compile(r"BARE-Q (\d+)"),
    "bare-rating": re.compile(r"BARE-RATE (\d+)"),
    "done": re.compile(r"Press Enter to go home|Nothing (?:is )?(?:due|left)", re.I),
}

CONFIG = """\
[study]
new_per_day = 9999
reviews_per_day = 99999
learning_steps = ["1s"]
relearning_steps = ["1s"]
bury_new = false
"""


class Tmux:
    """A private tmux server of this run."""

    def __init__(self) -> None:
        self.socket = f"trainer-bench-{os.getpid()}"
        # A session that lives as long as the server: killing the last session would stop the
        # server, and the next new-session could reach it while it is going away.
        self.run("new-session", "-d", "-s", "keep", "sleep 86400")

    def run(self, *args: str) -> str:
        out = subprocess.run(
            ["tmux", "-L", self.socket, "-f", "/dev/null", *args],
            capture_output=True,
            text=True,
            check=False,
        )
        return out.stdout

    def start(self, name: str, argv: list[str], env: dict[str, str]) -> None:
        sets = " ".join(f"{k}={shlex.quote(v)}" for k, v in env.items())
        cmd = f"exec env -u PYTHONDONTWRITEBYTECODE {sets} {shlex.join(argv)}"
        self.run("new-session", "-d", "-s", name, "-x", str(COLS), "-y", str(ROWS), cmd)

    def pid(self, name: str) -> int:
        return int(self.run("display-message", "-p", "-t", name, "#{pane_pid}").strip() or 0)

    def capture(self, name: str) -> str:
        return self.run("capture-pane", "-p", "-t", name)

    def send(self, name: str, *keys: str) -> None:
        self.run("send-keys", "-t", name, *keys)

    def kill(self, name: str) -> None:
        self.run("kill-session", "-t", name)

    def close(self) -> None:
        self.run("kill-server")


class Timeout(RuntimeError):
    pass


def wait_for(tmux: Tmux, name: str, ok: Callable[[str], bool], timeout: float = 60.0) -> str:
    deadline = time.monotonic() + timeout
    while True:
        text = tmux.capture(name)
        if ok(text):
            return text
        if time.monotonic() > deadline:
            raise Timeout(f"{name}: no marker within {timeout} s; screen:\n{text}")
        time.sleep(POLL)


def _env(workdir: Path, probe: Path | None = None) -> dict[str, str]:
    env = {
        "TERM": "xterm-256color",
        "COLORTERM": "truecolor",
        "TRAINER_CACHE_DIR": str(harness.CACHE_DIR),
        "TRAINER_CONFIG": str(workdir / "config.toml"),
        "PYTHONPATH": str(harness.REPO),
    }
    if probe is not None:
        env["BENCH_PROBE"] = str(probe)
    return env


def _is_home(text: str) -> bool:
    return all(m.search(text) for m in MARKERS["home"])  # type: ignore[union-attr]


def _is_bare_home(text: str) -> bool:
    return all(m.search(text) for m in MARKERS["bare-home"])  # type: ignore[union-attr]


# ----------------------------------------------------------------------------- start


def measure_start(
    tmux: Tmux, workdir: Path, sides: dict[str, tuple[str, Path]], rounds: int
) -> dict[str, list[float]]:
    """Start times per side: "bare" and one per scale (bank, db), rotated round by round so that
    every side is measured in every round, each in every position in turn (one warm-up each)."""
    env = _env(workdir)
    cmds: dict[str, tuple[list[str], Callable[[str], bool]]] = {
        "bare": ([sys.executable, str(CHILD), "bare-start"], _is_bare_home)
    }
    for scale, (bank, db) in sides.items():
        argv = [sys.executable, str(CHILD), "trainer", "--bank", bank, "--db", str(db)]
        cmds[scale] = (argv, _is_home)

    def once(side: str) -> float:
        argv, ok = cmds[side]
        name = f"start-{side}"
        t = time.perf_counter()
        tmux.start(name, argv, env)
        try:
            wait_for(tmux, name, ok)
            return time.perf_counter() - t
        finally:
            tmux.kill(name)

    names = list(cmds)
    for side in names:
        once(side)  # warm-up: page cache, bytecode, the parsed-bank cache (a second start)
    out: dict[str, list[float]] = {side: [] for side in names}
    for i in range(rounds):
        k = i % len(names)
        order = names[k:] + names[:k]
        if (i // len(names)) % 2:
            order.reverse()
        for side in order:
            out[side].append(once(side))
    return out


# ----------------------------------------------------------------------------- answers


@dataclass
class Session:
    submit: list[float] = field(default_factory=list)
    rate: list[float] = field(default_factory=list)
    probes: list[dict[str, object]] = field(default_factory=list)


def _probe(tmux: Tmux, name: str, probe: Path) -> dict[str, object]:
    before = probe.stat().st_mtime_ns if probe.exists() else 0
    os.kill(tmux.pid(name), signal.SIGUSR1)
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline:
        if probe.exists() and probe.stat().st_mtime_ns != before:
            try:
                return dict(json.loads(probe.read_text()))
            except ValueError:
                pass
        time.sleep(0.01)
    raise Timeout("no probe answer")


class App:
    """The real app in a study session."""

    def __init__(self, tmux: Tmux, workdir: Path, bank: str, db: Path) -> None:
        self.tmux, self.name = tmux, "app"
        self.probe = workdir / "probe-app.json"
        argv = [sys.executable, str(CHILD), "trainer", "--bank", bank, "--db", str(db)]
        tmux.start(self.name, argv, _env(workdir, self.probe))
        wait_for(tmux, self.name, _is_home)
        self._study()

    def _study(self) -> None:
        self.tmux.send(self.name, "s")
        wait_for(self.tmux, self.name, self._question_shown)

    def _question_shown(self, text: str) -> bool:
        return (
            bool(MARKERS["question"].search(text))  # type: ignore[union-attr]
            and bool(MARKERS["hint"].search(text))  # type: ignore[union-attr]
            and not MARKERS["rating"].search(text)  # type: ignore[union-attr]
        )

    def prepare(self) -> str:
        """Send the answer's own keys (untimed); returns the timed key."""
        text = self.tmux.capture(self.name)
        if MARKERS["done"].search(text):  # type: ignore[union-attr]
            self.tmux.send(self.name, "Enter")
            wait_for(self.tmux, self.name, _is_home)
            time.sleep(1.2)  # the 1-second learning steps come due
            self._study()
            text = self.tmux.capture(self.name)
        if "press Space to reveal" in text:
            return "Space"
        if "Press T (true) or F (false)" in text:
            self.tmux.send(self.name, "t")
        elif "Type each blank" in text:
            blanks = max(1, len(set(re.findall(r"\[(\d)\]", text))))
            for i in range(blanks):
                self.tmux.send(self.name, "x")
                if i < blanks - 1:
                    self.tmux.send(self.name, "Tab")
        elif "choose a step" not in text:
            self.tmux.send(self.name, "a")
        time.sleep(0.05)
        return "Enter"

    def submit(self, key: str) -> float:
        t = time.perf_counter()
        self.tmux.send(self.name, key)
        wait_for(self.tmux, self.name, lambda s: bool(MARKERS["rating"].search(s)))  # type: ignore[union-attr]
        return time.perf_counter() - t

    def rate(self) -> float:
        t = time.perf_counter()
        self.tmux.send(self.name, "Enter")
        wait_for(
            self.tmux,
            self.name,
            lambda s: self._question_shown(s) or bool(MARKERS["done"].search(s)),  # type: ignore[union-attr]
        )
        return time.perf_counter() - t


class Bare:
    """The bare-answer app: a question screen swapped per answer."""

    def __init__(self, tmux: Tmux, workdir: Path) -> None:
        self.tmux, self.name, self.n = tmux, "bare", 0
        self.probe = workdir / "probe-bare.json"
        tmux.start(
            self.name, [sys.executable, str(CHILD), "bare-answer"], _env(workdir, self.probe)
        )
        wait_for(tmux, self.name, lambda s: "BARE-Q 0" in s)

    def prepare(self) -> str:
        self.tmux.send(self.name, "a")
        time.sleep(0.05)
        return "Enter"

    def submit(self, key: str) -> float:
        t = time.perf_counter()
        self.tmux.send(self.name, key)
        marker = f"BARE-RATE {self.n}"
        wait_for(self.tmux, self.name, lambda s: marker in s)
        return time.perf_counter() - t

    def rate(self) -> float:
        t = time.perf_counter()
        self.tmux.send(self.name, "Enter")
        self.n += 1
        marker = f"BARE-Q {self.n}"
        wait_for(
            self.tmux,
            self.name,
            lambda s: marker in s and "Press A-D to choose" in s and "BARE-RATE" not in s,
        )
        return time.perf_counter() - t


def measure_answers(
    tmux: Tmux, workdir: Path, bank: str, db: Path, answers: int, probe_at: int = 20
) -> tuple[Session, Session]:
    app_side, bare_side = App(tmux, workdir, bank, db), Bare(tmux, workdir)
    sessions = {"app": Session(), "bare": Session()}
    sides = {"app": app_side, "bare": bare_side}
    try:
        for i in range(answers):
            order = ("bare", "app") if i % 2 == 0 else ("app", "bare")
            for side in order:
                s = sides[side]
                key = s.prepare()  # type: ignore[attr-defined]
                sessions[side].submit.append(s.submit(key))  # type: ignore[attr-defined]
                sessions[side].rate.append(s.rate())  # type: ignore[attr-defined]
            if i + 1 in (probe_at, answers):
                for side in ("app", "bare"):
                    s = sides[side]
                    sessions[side].probes.append(_probe(tmux, s.name, s.probe))  # type: ignore[attr-defined]
    finally:
        tmux.kill("app")
        tmux.kill("bare")
    return sessions["app"], sessions["bare"]


# ----------------------------------------------------------------------------- data


def _write_config(workdir: Path) -> None:
    (workdir / "config.toml").write_text(CONFIG, encoding="utf-8")


def make_data(workdir: Path, scale: str, quick: bool) -> tuple[str, Path]:
    """(bank, db) for a scale: bundled (1,000 reviews), 10k (+1M reviews), 50k (+1M reviews)."""
    from gen_reviews import generate_reviews
    from workspace import generated_bank

    from trainer.bank import load_bank
    from trainer.paths import bundled_bank

    if scale == "bundled":
        bank_path, reviews = bundled_bank(), 1000
    else:
        n = {"10k": 10_000, "50k": 50_000}[scale]
        bank_path, reviews = generated_bank(n), (30_000 if quick else 1_000_000)
    db = workdir / f"{scale}.db"
    if not db.exists():
        bank, problems = load_bank(bank_path)
        assert bank is not None, problems
        generate_reviews(bank, db, reviews)
    return str(bank_path), db


def _fresh_copy(db: Path, workdir: Path, tag: str) -> Path:
    copy = workdir / f"{db.stem}-{tag}.db"
    for suffix in ("", "-wal", "-shm"):
        src = Path(str(db) + suffix)
        if src.exists():
            shutil.copyfile(src, str(copy) + suffix)
    return copy


def _gc_full(probe: dict[str, object]) -> list[float]:
    return [ms for gen, ms in probe["gc"] if gen == 2]  # type: ignore[attr-defined]


def run(
    quick: bool = False, scales: list[str] | None = None, answers: int | None = None
) -> list[Result]:
    if shutil.which("tmux") is None:
        raise SystemExit("bench_tmux: tmux is not installed")
    compile_trainer()
    scales = scales or (["bundled", "10k"] if quick else ["bundled", "10k", "50k"])
    start_rounds = 6 if quick else 12
    n_answers = answers or (30 if quick else 500)
    tmux = Tmux()
    results: list[Result] = []
    workdir = Path(tempfile.mkdtemp(prefix="trainer-bench-tmux-"))
    try:
        _write_config(workdir)
        data = {s: make_data(workdir, s, quick) for s in scales}
        starts = measure_start(
            tmux,
            workdir,
            {s: (data[s][0], _fresh_copy(data[s][1], workdir, "start")) for s in scales},
            start_rounds,
        )
        for scale in scales:
            results.append(
                Result(
                    f"tmux start: home painted ({scale})",
                    "trainer start -> home painted",
                    "bare app (Static+Footer)",
                    "s",
                    starts[scale],
                    starts["bare"],
                    goal={"bundled": 1.2}.get(scale),
                )
            )
        for scale in scales:
            if scale == "bundled" or "bundled" not in starts:
                continue
            results.append(
                Result(
                    f"tmux start: {scale} vs bundled",
                    f"start at {scale}",
                    "start at the bundled bank",
                    "s",
                    starts[scale],
                    starts["bundled"],
                    goal={"10k": 1.3, "50k": 1.6}.get(scale),
                    note="same rounds, sides rotated",
                )
            )
        answer_scales = [s for s in scales if s != "50k" or not quick]
        for scale in answer_scales:
            bank, db = data[scale]
            count = n_answers if scale == "bundled" else min(n_answers, 100 if quick else 200)
            if quick and scale != "bundled":
                count = min(count, 15)
            app, bare = measure_answers(
                tmux, workdir, bank, _fresh_copy(db, workdir, "study"), count, min(20, count // 2)
            )
            results.append(
                Result(
                    f"tmux submit -> feedback ({scale})",
                    "submit -> feedback painted",
                    "bare app: mount feedback",
                    "s",
                    app.submit,
                    bare.submit,
                    goal=1.5,
                )
            )
            results.append(
                Result(
                    f"tmux rating -> next ({scale})",
                    "rating -> next question painted",
                    "bare app: swap the question",
                    "s",
                    app.rate,
                    bare.rate,
                    goal=1.5,
                )
            )
            first, last = app.probes[0], app.probes[-1]
            b_first, b_last = bare.probes[0], bare.probes[-1]
            growth = (int(last["rss_kib"]) - int(first["rss_kib"])) / 1024  # type: ignore[call-overload]
            b_growth = (int(b_last["rss_kib"]) - int(b_first["rss_kib"])) / 1024  # type: ignore[call-overload]
            full = _gc_full(last)
            b_full = _gc_full(b_last)
            results.append(
                Result(
                    f"tmux memory over {count} answers ({scale})",
                    "app VmRSS at the end",
                    "bare app VmRSS at the end",
                    "MiB",
                    [int(last["rss_kib"]) / 1024],  # type: ignore[call-overload]
                    [int(b_last["rss_kib"]) / 1024],  # type: ignore[call-overload]
                    note=(
                        f"RSS growth after answer {min(20, count // 2)}: app {growth:+.1f} MiB, "
                        f"bare {b_growth:+.1f} MiB (goal <= 10 MiB over 500); "
                        f"full GC: app {len(full)} pauses, max "
                        f"{max(full, default=0):.0f} ms, median "
                        f"{statistics.median(full) if full else 0:.0f} ms; bare {len(b_full)}, max "
                        f"{max(b_full, default=0):.0f} ms (goal: none over 50 ms); live widgets "
                        f"app {first['widgets']} -> {last['widgets']}, "
                        f"bare {b_first['widgets']} -> {b_last['widgets']} (goal: flat; app's "
                        f"detached at the end: {last.get('detached')}; detached toasts: "
                        f"{last.get('toasts')}); objects "
                        f"a full GC scans: app {first.get('tracked')} -> {last.get('tracked')} "
                        f"({last.get('frozen')} frozen), bare {b_last.get('tracked')}"
                    ),
                    extra={
                        "rss_growth_mib": growth,
                        "bare_rss_growth_mib": b_growth,
                        "gc_full_ms": full,
                        "bare_gc_full_ms": b_full,
                        "widgets": [first["widgets"], last["widgets"]],
                        "bare_widgets": [b_first["widgets"], b_last["widgets"]],
                    },
                )
            )
    finally:
        tmux.close()
        shutil.rmtree(workdir, ignore_errors=True)
    return results


if __name__ == "__main__":
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    ap.add_argument("--quick", action="store_true")
    ap.add_argument("--scales", default="", help="comma-separated: bundled,10k,50k")
    ap.add_argument("--answers", type=int, default=None)
    args = ap.parse_args()
    out = run(args.quick, [s for s in args.scales.split(",") if s] or None, args.answers)
    print(harness.table(out))
    sys.exit(0)
