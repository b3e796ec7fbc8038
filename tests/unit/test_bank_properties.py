"""Property tests: whatever a bank file holds, loading and checking report problems, never crash."""

from __future__ import annotations

import contextlib
import io
import json
import subprocess
import sys
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from trainer.bank import load_bank
from trainer.bank.codes import ERRORS, WARNINGS, code_of
from trainer.cli import main

REPO = Path(__file__).resolve().parents[2]
MINI = (REPO / "tests" / "data" / "mini" / "bank.toml").read_text()
MINI_LINES = MINI.split("\n")

SETTINGS = settings(
    max_examples=150,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow],
)

odd_text = st.text(alphabet=st.characters(codec="utf-8", exclude_categories=("Cs",)), max_size=60)
toml_values = st.sampled_from(
    [
        "1",
        "-7",
        "3.5",
        "true",
        "false",
        '""',
        '"  "',
        "[]",
        "[1, 2]",
        '["a", 1]',
        "{}",
        '{ a = "b" }',
        "1979-05-27T07:32:00Z",
        "07:32:00",
        '"{{}}"',
        '"{{ | }}"',
        '"All of the above"',
        '"A and C"',
        '"\\u0000"',
        "[[[[[[[[1]]]]]]]]",
    ]
)


@st.composite
def mutated_bank(draw: st.DrawFn) -> bytes:
    lines = list(MINI_LINES)
    for _ in range(draw(st.integers(1, 4))):
        i = draw(st.integers(0, len(lines) - 1))
        op = draw(
            st.sampled_from(
                ["delete", "duplicate", "swap", "flip-type", "odd-text", "huge", "nest", "raw"]
            )
        )
        line = lines[i]
        key, eq, _ = line.partition("=")
        if op == "delete":
            del lines[i]
        elif op == "duplicate":
            lines.insert(i, line)
        elif op == "swap":
            j = draw(st.integers(0, len(lines) - 1))
            lines[i], lines[j] = lines[j], lines[i]
        elif op == "flip-type" and eq:
            lines[i] = f"{key}= {draw(toml_values)}"
        elif op == "odd-text" and eq:
            lines[i] = f"{key}= {json.dumps(draw(odd_text))}"
        elif op == "huge" and eq:
            lines[i] = f'{key}= "{"x" * draw(st.integers(10_000, 200_000))}"'
        elif op == "nest":
            depth = draw(st.integers(1, 3000))
            lines.insert(i, "a" + str(i) + " = " + "[" * depth + "]" * depth)
        elif op == "raw":
            lines[i] = draw(odd_text)
        if not lines:
            break
    data = "\n".join(lines).encode("utf-8")
    if draw(st.booleans()) and data:
        # sometimes splice in random bytes (NUL, invalid UTF-8...)
        at = draw(st.integers(0, len(data)))
        data = data[:at] + draw(st.binary(max_size=16)) + data[at:]
    return data


def _assert_well_formed(path: Path) -> None:
    bank, problems = load_bank(path)
    has_error = any(p.severity == "error" for p in problems)
    assert (bank is None) == has_error
    for p in problems:
        assert p.path
        assert p.message.strip()
        assert p.severity in ("error", "warning")
        assert code_of(p) in (ERRORS if p.severity == "error" else WARNINGS)
        assert p.line is None or p.line >= 1
        p.format()
        json.dumps(p.to_dict())


def _check_in_process(path: Path) -> int:
    out = io.StringIO()
    with contextlib.redirect_stdout(out):
        code = main(["check", "--bank", str(path), "--json"])
    report = json.loads(out.getvalue())
    assert report["errors"] == sum(p["severity"] == "error" for p in report["problems"])
    assert code == (1 if report["errors"] else 0)
    return code


@pytest.fixture(scope="module")
def work(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return tmp_path_factory.mktemp("props")


@SETTINGS
@given(data=mutated_bank())
def test_mutated_bank_never_crashes(work: Path, data: bytes) -> None:
    path = work / "bank.toml"
    path.write_bytes(data)
    _assert_well_formed(path)
    _check_in_process(path)


@SETTINGS
@given(data=st.binary(max_size=400))
def test_random_bytes_never_crash(work: Path, data: bytes) -> None:
    path = work / "bank.toml"
    path.write_bytes(data)
    _assert_well_formed(path)
    assert _check_in_process(path) == 1


@SETTINGS
@given(text=odd_text, field=st.sampled_from(["stem", "explanation", "why", "text", "id"]))
def test_odd_unicode_in_a_field(work: Path, text: str, field: str) -> None:
    # a basic TOML string: json escapes are valid TOML escapes for these characters
    lines = [
        f"{field} = {json.dumps(text)}" if line.startswith(f"{field} = ") else line
        for line in MINI_LINES
    ]
    path = work / "bank.toml"
    path.write_text("\n".join(lines), encoding="utf-8")
    _assert_well_formed(path)
    _check_in_process(path)


@settings(max_examples=12, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(data=mutated_bank())
def test_real_cli_never_prints_a_traceback(work: Path, data: bytes) -> None:
    path = work / "cli.toml"
    path.write_bytes(data)
    for extra in ([], ["--json"]):
        run = subprocess.run(
            [sys.executable, "-m", "trainer", "check", "--bank", str(path), *extra],
            cwd=REPO,
            capture_output=True,
            text=True,
            timeout=60,
        )
        assert "Traceback" not in run.stdout + run.stderr
        assert run.returncode in (0, 1)
        assert run.stderr == ""
        if extra:
            assert (json.loads(run.stdout)["errors"] > 0) == (run.returncode == 1)
