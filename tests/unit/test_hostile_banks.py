"""The hostile banks of tests/data/hostile (reliability-1.md): `trainer check`, the CLI commands and
the output boundary. Nothing a bank, a path or an error holds reaches the terminal as a control
character; limits and collisions are errors with file, line, id and field; odd files never hang.

The app under Pilot is in tests/tui/test_hostile_ui.py, the Anki export in
tests/unit/test_hostile_export.py.
"""

from __future__ import annotations

import io
import os
import re
import socket
import subprocess
import sys
import time
from dataclasses import dataclass
from pathlib import Path

import pytest

from trainer import cli
from trainer.bank import limits, loader
from trainer.bank.codes import code_of
from trainer.bank.loader import load_bank

REPO = Path(__file__).resolve().parents[2]
HOSTILE = REPO / "tests" / "data" / "hostile"
MINI = REPO / "tests" / "data" / "mini" / "bank.toml"

# What a terminal would act on: ESC, BEL, CR, DEL, the C1 range, bidi controls, separators.
UNSAFE = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069\u2028\u2029]")


@dataclass(frozen=True)
class Err:
    code: str
    id: str
    field: str
    line: int | None
    text: str


REJECTED: dict[str, list[Err]] = {
    "esc": [
        Err("control-char", "mini", "title", 7, "U+001B (escape (ESC)"),
        Err("control-char", "mini-q-single", "options[1].text", 56, "U+001B"),
        Err("control-char", "mini-q-true-false", "stem", 107, "U+001B"),
    ],
    "c1": [
        Err("control-char", "mini-q-single", "options[1].why", 58, "U+009B (a C1 control"),
        Err("control-char", "mini-q-multiple", "explanation", 81, "U+0085 (a C1 control"),
    ],
    "bidi": [
        Err("control-char", "mini-q-single", "options[1].text", 56, "U+202E (right-to-left"),
        Err("control-char", "mini-o-risks", "text", 42, "U+2066 (a bidi control)"),
    ],
    "zero-width": [
        Err("control-char", "mini", "topics[2]", 9, "U+200B (zero-width space"),
        Err("control-char", "mini-o-risks", "topic", 41, "U+200B"),
        Err("control-char", "mini-q-true-false", "stem", 107, "U+FEFF"),
    ],
    "line-separator": [Err("control-char", "mini-q-multiple", "explanation", 81, "U+2028")],
    "cr-del": [
        Err("control-char", "mini-q-true-false", "stem", 107, "U+000D (carriage return"),
        Err("control-char", "mini-q-multiple", "explanation", 81, "U+007F (delete (DEL)"),
    ],
    "key-esc": [
        Err("unknown-key", "mini-q-single", "\x1b]52;c;cHduZWQ=\x07", 45, "unknown key"),
        Err("control-char", "mini-q-single", "\x1b]52;c;cHduZWQ=\x07", 45, "U+001B"),
    ],
    "topic-case": [
        Err("duplicate-key", "mini", "topics", 9, "'procedure' and 'Procedure' differ only by"),
    ],
    "topic-nfc": [Err("duplicate-key", "mini", "topics", 9, "differ only by case, Unicode form")],
    "topic-dash": [
        Err("duplicate-key", "mini", "topics", 9, "(both show as 'Risk factors')"),
    ],
    "id-case": [
        Err("duplicate-id", "MINI-Q-Single", "id", 133, "(as 'mini-q-single': ids differ only")
    ],
    "cloze-3000": [
        Err("over-limit", "mini-q-cloze", "stem", 49, "3,000 blanks; the limit is 8"),
        Err("over-limit", "mini-q-cloze", "stem", 49, "characters long; the limit is 5,000"),
    ],
    "options-1000": [
        Err("over-limit", "mini-q-single", "options", 45, "1,004 options; the limit is 6"),
        Err("option-count", "mini-q-single", "options", 45, "need 4-5 options"),
        Err("correct-count", "mini-q-single", "options", 45, "exactly one correct"),
    ],
    "long-field": [
        Err("over-limit", "mini-q-multiple", "explanation", 81, "5,001 characters long")
    ],
}
ACCEPTED = [
    "deck-colon",
    "markup-text",
    "rtl-ok",
    "topic-bold",
    "topic-link",
    "topic-quit",
    "topic-shot",
    "topic-unbalanced",
    "worst-allowed",
]


def test_every_hostile_bank_has_a_case() -> None:
    folders = sorted(p.name for p in HOSTILE.iterdir() if p.is_dir())
    assert folders == sorted([*REJECTED, *ACCEPTED])


def blank_db(path: Path) -> Path:
    """A trainer database with nothing recorded (the read-only commands refuse an empty file)."""
    from datetime import UTC, datetime

    from trainer.engine.store.connection import Connection

    Connection.open(path, now=datetime.now(UTC)).close()
    return path


def run_main(*argv: str, encoding: str = "utf-8") -> tuple[int, bytes, bytes]:
    """``trainer.cli.main`` in this process, its stdout and stderr captured as bytes written
    through real text streams of the given encoding."""
    out_raw, err_raw = io.BytesIO(), io.BytesIO()
    out = io.TextIOWrapper(out_raw, encoding=encoding, errors="strict", write_through=True)
    err = io.TextIOWrapper(err_raw, encoding=encoding, errors="strict", write_through=True)
    saved = sys.stdout, sys.stderr
    sys.stdout, sys.stderr = out, err
    try:
        code = cli.main(list(argv))
    finally:
        sys.stdout, sys.stderr = saved
    return code, out_raw.getvalue(), err_raw.getvalue()


def assert_safe(*outputs: bytes) -> None:
    for raw in outputs:
        text = raw.decode("utf-8", "replace")
        assert not UNSAFE.search(text), UNSAFE.findall(text)
        assert b"Traceback" not in raw


@pytest.mark.parametrize("name", sorted(REJECTED))
def test_rejected_bank_errors_have_file_line_id_and_field(name: str) -> None:
    bank, problems = load_bank(HOSTILE / name)
    assert bank is None
    errors = [p for p in problems if p.severity == "error"]
    for e in REJECTED[name]:
        assert any(
            code_of(p) == e.code
            and p.id == e.id
            and p.field == e.field
            and p.line == e.line
            and p.path.endswith(f"{name}/bank.toml")
            and e.text in p.message
            for p in errors
        ), (e, [p.format() for p in errors])
    assert len(errors) == len(REJECTED[name]), [p.format() for p in errors]


@pytest.mark.parametrize("name", sorted(REJECTED))
def test_rejected_bank_cli_says_so_safely_and_exits_1(name: str, tmp_path: Path) -> None:
    bank = str(HOSTILE / name)
    code, out, err = run_main("check", "--bank", bank)
    assert code == 1 and b"error" in out
    assert_safe(out, err)
    code, out, err = run_main("check", "--json", "--bank", bank)
    assert code == 1
    assert_safe(out, err)
    code, out, err = run_main("stats", "--bank", bank, "--db", str(tmp_path / "t.db"))
    assert code == 1 and b"has errors; fix them first" in err
    assert_safe(out, err)
    code, out, err = run_main("export-anki", str(tmp_path / "x.apkg"), "--bank", bank)
    assert code == 1 and b"nothing exported" in err
    assert_safe(out, err)
    assert not (tmp_path / "x.apkg").exists()


def test_check_output_escapes_a_key_holding_escape_sequences() -> None:
    code, out, _ = run_main("check", "--bank", str(HOSTILE / "key-esc"))
    text = out.decode()
    assert "mini-q-single: \\u001b]52;c;cHduZWQ=\\u0007: error: unknown key" in text
    assert code == 1


@pytest.mark.parametrize("name", ACCEPTED)
def test_accepted_bank_passes_and_every_command_shows_its_text_literally(
    name: str, tmp_path: Path
) -> None:
    bank_path = HOSTILE / name
    bank, problems = load_bank(bank_path)
    assert bank is not None, [p.format() for p in problems]
    assert not [p for p in problems if p.severity == "error"]
    code, out, err = run_main("check", "--bank", str(bank_path))
    assert code == 0
    assert_safe(out, err)
    blank_db(tmp_path / "t.db")  # stats only reads: it never creates a database
    code, out, err = run_main("stats", "--bank", str(bank_path), "--db", str(tmp_path / "t.db"))
    assert code == 0, err
    assert_safe(out, err)
    assert bank.title in out.decode()
    code, out, err = run_main("export-anki", str(tmp_path / "x.apkg"), "--bank", str(bank_path))
    assert code == 0, err
    assert_safe(out, err)
    assert (tmp_path / "x.apkg").is_file()


def test_stats_shows_markup_topics_literally(tmp_path: Path) -> None:
    for name, title in [
        ("topic-quit", "[@click=app.quit]quit[/]"),
        ("topic-unbalanced", "Risky a[/]b"),
        ("topic-link", "[link=file:///etc/passwd]click[/link]"),
    ]:
        blank_db(tmp_path / f"{name}.db")  # stats only reads: it never creates a database
        code, out, _ = run_main(
            "stats", "--bank", str(HOSTILE / name), "--db", str(tmp_path / f"{name}.db")
        )
        assert code == 0 and title in out.decode(), out.decode()


# -- what cannot live in git: odd file names, 1 MB lines, FIFOs and devices --------------------


def _copy_mini(folder: Path) -> Path:
    folder.mkdir()
    (folder / "bank.toml").write_text(MINI.read_text())
    return folder


def test_a_file_name_with_escape_sequences_is_an_error_and_shown_escaped(tmp_path: Path) -> None:
    bank = _copy_mini(tmp_path / "bank")
    (bank / "evil\x1b]0;PWNED\x07.toml").write_text('[[questions]]\nid = "x"\n')
    loaded, problems = load_bank(bank)
    assert loaded is None
    assert any(code_of(p) == "control-char" and "file name" in p.message for p in problems)
    code, out, err = run_main("check", "--bank", str(bank))
    assert code == 1
    assert_safe(out, err)
    assert "evil\\u001b]0;PWNED\\u0007.toml: -: -: error: the file name contains" in out.decode()


@pytest.mark.skipif(sys.platform == "darwin", reason="macOS refuses non-UTF-8 file names")
def test_a_file_name_that_is_not_utf8_is_an_error_and_never_breaks_the_output(
    tmp_path: Path,
) -> None:
    bank = _copy_mini(tmp_path / "bank")
    (bank / os.fsdecode(b"bad\xff.toml")).write_bytes(b'[[questions]]\nid = "x"\n')
    _, problems = load_bank(bank)
    assert any("U+DCFF (a lone surrogate)" in p.message for p in problems)
    code, out, err = run_main("check", "--bank", str(bank))
    assert code == 1 and "bad\\udcff.toml" in out.decode()
    assert_safe(out, err)


def test_a_surrogate_escape_in_toml_is_a_syntax_error(tmp_path: Path) -> None:
    path = tmp_path / "bank.toml"
    path.write_text(MINI.read_text().replace('title = "Mini bank"', 'title = "Mini \\ud800"'))
    _, problems = load_bank(path)
    assert [code_of(p) for p in problems] == ["toml-syntax"]
    assert problems[0].line == 7


def test_a_1mb_line_of_text_is_refused_quickly_and_a_1mb_comment_is_fine(tmp_path: Path) -> None:
    text = MINI.read_text()
    long_stem = tmp_path / "stem.toml"
    long_stem.write_text(
        text.replace(
            'stem = "Temporary numbness after thermal rhizotomy usually resolves over time."',
            'stem = "' + "x" * 1_000_000 + '"',
        )
    )
    started = time.perf_counter()
    _, problems = load_bank(long_stem)
    assert time.perf_counter() - started < 5
    [problem] = problems
    stem_line = 1 + text[: text.index("Temporary numbness after thermal")].count("\n")
    assert (code_of(problem), problem.id, problem.field, problem.line) == (
        "over-limit",
        "mini-q-true-false",
        "stem",
        stem_line,
    )
    assert "1,000,000 characters long" in problem.message
    comment = tmp_path / "comment.toml"
    comment.write_text("# " + "y" * 1_000_000 + "\n" + text)
    bank, problems = load_bank(comment)
    assert bank is not None and problems == []


def test_too_many_questions_and_too_large_a_bank_are_errors(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(loader, "MAX_QUESTIONS", 5)
    bank, problems = load_bank(MINI)
    assert bank is None
    assert [p.message for p in problems] == [
        "the bank has 6 questions; the limit is 5 (split it into several banks) [over-limit]"
    ]
    monkeypatch.setattr(loader, "MAX_QUESTIONS", limits.MAX_QUESTIONS)
    folder = tmp_path / "big"
    folder.mkdir()
    for i in range(3):
        (folder / f"{i}.toml").write_text(MINI.read_text())
    monkeypatch.setattr(loader, "MAX_BANK_BYTES", 2 * len(MINI.read_bytes()))
    started = time.perf_counter()
    bank, problems = load_bank(folder)
    assert time.perf_counter() - started < 1
    assert bank is None
    assert [code_of(p) for p in problems] == ["over-limit"]
    assert "more than" in problems[0].message and problems[0].path.endswith("big")


def test_limits_leave_the_bundled_bank_far_inside() -> None:
    from trainer.paths import bundled_bank

    bank, problems = load_bank(bundled_bank())
    assert bank is not None and not problems
    assert len(bank.questions) * 100 < limits.MAX_QUESTIONS
    texts = [q.stem for q in bank.questions] + [q.explanation for q in bank.questions]
    texts += [o.text for q in bank.questions for o in q.options]
    assert max(map(len, texts)) * 5 < limits.MAX_TEXT
    assert max(len(q.blanks) for q in bank.questions) * 2 < limits.MAX_BLANKS
    size = sum(p.stat().st_size for p in bundled_bank().glob("*.toml"))
    assert size * 100 < limits.MAX_BANK_BYTES


def _odd_files(tmp_path: Path) -> dict[str, Path]:
    fifo = tmp_path / "fifo.apkg"
    os.mkfifo(fifo)
    sock_path = tmp_path / "s.sock"
    sock = socket.socket(socket.AF_UNIX)
    sock.bind(str(sock_path))
    sock.close()
    return {"FIFO (named pipe)": fifo, "socket": sock_path, "device": Path("/dev/null")}


@pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="needs FIFOs")
def test_a_fifo_socket_or_device_is_a_clear_error_never_a_hang(tmp_path: Path) -> None:
    for kind, path in _odd_files(tmp_path).items():
        started = time.perf_counter()
        code, out, err = run_main("check", "--bank", str(path))
        assert code == 1 and f"{kind}, not a bank file or folder [unreadable]" in out.decode()
        code, out, err = run_main("export-anki", str(path), "--bank", str(MINI))
        assert code == 1 and f"is a {kind}, not a file" in err.decode()
        for argv in (["stats"], []):
            code, out, err = run_main(*argv, "--bank", str(MINI), "--db", str(path))
            assert code == 1 and f"is a {kind}; give a file with --db" in err.decode()
        assert time.perf_counter() - started < 10


@pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="needs FIFOs")
def test_a_fifo_inside_a_bank_folder_never_hangs(tmp_path: Path) -> None:
    bank = _copy_mini(tmp_path / "bank")
    os.mkfifo(bank / "pipe.toml")
    loaded, problems = load_bank(bank)
    assert loaded is not None and problems == []  # not a regular file: not a bank file
    from trainer.bank.fields import Sink
    from trainer.bank.files import read_bytes

    sink = Sink()
    assert read_bytes(bank / "pipe.toml", sink) is None  # had it been listed: refused at once
    assert "a FIFO (named pipe), not a file [unreadable]" in sink.problems[0].message


# -- the real process: closed, full and non-UTF-8 output -------------------------------------------


def _trainer(*argv: str, **kwargs: object) -> subprocess.CompletedProcess[bytes]:
    env = {**os.environ, "PYTHONPATH": str(REPO), **kwargs.pop("env", {})}  # type: ignore[dict-item]
    return subprocess.run(
        [sys.executable, "-m", "trainer", *argv],
        capture_output="stdout" not in kwargs,
        env=env,
        timeout=60,
        check=False,
        **kwargs,  # type: ignore[call-overload]
    )


def test_cli_with_stdout_closed_or_full_says_so_in_one_line(tmp_path: Path) -> None:
    db = str(tmp_path / "t.db")
    blank_db(tmp_path / "t.db")  # stats only reads: it never creates a database
    closed = subprocess.run(
        [
            sys.executable,
            "-c",
            "import os, sys, runpy; os.close(1); sys.stdout = None; "
            "sys.argv = ['trainer', 'stats', '--bank', sys.argv[1], '--db', sys.argv[2]]; "
            "runpy.run_module('trainer', run_name='__main__')",
            str(MINI),
            db,
        ],
        capture_output=False,
        stderr=subprocess.PIPE,
        env={**os.environ, "PYTHONPATH": str(REPO)},
        timeout=60,
        check=False,
    )
    assert closed.returncode == 1
    assert closed.stderr.decode() == "trainer: cannot write to standard output: it is closed\n"
    for argv in (["stats", "--db", db], ["check", "--json"], ["stats", "--json", "--db", db]):
        with open("/dev/full", "wb") as full:
            done = _trainer(*argv, "--bank", str(MINI), stdout=full, stderr=subprocess.PIPE)
        assert done.returncode == 1, argv
        message = done.stderr.decode()
        assert message == "trainer: cannot write to standard output: No space left on device\n"


@pytest.mark.parametrize(
    "env",
    [{"PYTHONIOENCODING": "ascii"}, {"LC_ALL": "C", "PYTHONCOERCECLOCALE": "0", "PYTHONUTF8": "0"}],
)
def test_cli_on_an_ascii_terminal_writes_replacements_not_tracebacks(
    env: dict[str, str], tmp_path: Path
) -> None:
    bank = str(HOSTILE / "rtl-ok")
    blank_db(tmp_path / "t.db")  # stats only reads: it never creates a database
    for argv in (
        ["check"],
        ["check", "--json"],
        ["stats", "--db", str(tmp_path / "t.db")],
        ["export-anki", str(tmp_path / "x.apkg")],
    ):
        done = _trainer(*argv, "--bank", bank, env=env)
        assert done.returncode == 0, (argv, done.stderr)
        assert b"Traceback" not in done.stderr
        done.stdout.decode("ascii")  # only ASCII was written
    stats = _trainer("stats", "--bank", bank, "--db", str(tmp_path / "t.db"), env=env)
    assert b"Mini ??? bank" in stats.stdout


def test_the_app_refuses_a_rejected_bank_with_escaped_errors(tmp_path: Path) -> None:
    code, out, err = run_main("--bank", str(HOSTILE / "esc"), "--db", str(tmp_path / "t.db"))
    assert code == 1 and b"has errors; fix them first" in err
    assert b"\\u001b]0;PWNED-TITLE" not in err  # the message names the character, not the text
    assert_safe(out, err)
    assert not (tmp_path / "t.db").exists()


def test_the_export_progress_bar_still_redraws_its_line(tmp_path: Path) -> None:
    from trainer.export.progress import ProgressBar
    from trainer.output import SafeStream

    raw = io.BytesIO()
    stream = SafeStream(io.TextIOWrapper(raw, encoding="utf-8", write_through=True), "error")
    bar = ProgressBar(stream)  # type: ignore[arg-type]
    bar(400, 400)
    bar.close()
    assert raw.getvalue().startswith(b"\rExporting [") and b"\\u000d" not in raw.getvalue()


def test_an_export_removes_what_killed_exports_left_behind(tmp_path: Path) -> None:
    import fcntl

    out = tmp_path / "deck [1].apkg"
    stale = tmp_path / ".deck [1].apkg.k1ll3d00.tmp"
    fresh = tmp_path / ".deck [1].apkg.12345.running0.tmp"  # locked: an export is writing it
    other = tmp_path / ".other.apkg.k1ll3d00.tmp"
    for path in (stale, fresh, other):
        path.write_bytes(b"half a zip")
    os.utime(stale, (1_000_000, 1_000_000))
    os.utime(other, (1_000_000, 1_000_000))
    fd = os.open(fresh, os.O_RDONLY)
    try:
        fcntl.flock(fd, fcntl.LOCK_EX)
        code, _, err = run_main("export-anki", str(out), "--bank", str(MINI))
    finally:
        os.close(fd)
    assert code == 0, err
    assert out.is_file() and not stale.exists()
    assert fresh.exists() and other.exists()  # another export's; not this target's
