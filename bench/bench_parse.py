"""Bank load: the cold parse against tomllib alone, and the warm start against reading the entry.

* cold parse: ``read_bank(path, use_cache=False)`` (read, TOML, validation, line numbers, limits,
  lint, cross-cue lint, coverage) on a generated bank of 10,000 questions (1,000 with --quick),
  against the floor of any TOML bank loader: reading the same files and ``tomllib.loads`` on each.
  Goal: <= 1.5x.
* warm start: ``read_bank(path)`` served by the parsed-bank cache, against reading the cache entry
  and ``json.loads`` of its index line (the floor of this cache: a start decodes each question's
  own record only when the question is used). The entry's stamp (each file's path, size,
  mtime, ctime, inode) vouches for the files, so the bank is neither read nor hashed: the note
  counts the calls to ``cache.key`` (the content hash) over the timed rounds, which must be 0.

The bank's files are dated back an hour first, as a bank edited earlier would be (a file changed
within RACY_NS of a stamp is always hashed).
"""

from __future__ import annotations

import argparse
import json
import os
import sys
import time
import tomllib
from pathlib import Path

import harness
from harness import Result, interleave
from workspace import generated_bank

from trainer.bank import cache
from trainer.bank.loader import read_bank


def _age(folder: Path, seconds: int = 3600) -> None:
    for file in folder.glob("*.toml"):
        st = file.stat()
        os.utime(file, ns=(st.st_atime_ns, st.st_mtime_ns - seconds * 10**9))


def run(quick: bool = False) -> list[Result]:
    n = 1_000 if quick else 10_000
    rounds = 3 if quick else 7
    bank = generated_bank(n)
    _age(bank)
    files = sorted(bank.glob("*.toml"))

    def floor() -> float:
        t = time.perf_counter()
        for f in files:
            tomllib.loads(f.read_bytes().decode("utf-8"))
        return time.perf_counter() - t

    def cold() -> float:
        t = time.perf_counter()
        result = read_bank(bank, use_cache=False)
        elapsed = time.perf_counter() - t
        assert result.bank is not None and not result.errors, result.errors[:3]
        return elapsed

    b_cold, s_cold = interleave(floor, cold, rounds)

    # A stamp vouches only for files whose ctime (set by _age's utime) is RACY_NS old.
    newest = max(f.stat().st_ctime_ns for f in files)
    time.sleep(max(0.0, (newest + cache.RACY_NS - time.time_ns()) / 1e9 + 0.1))
    read_bank(bank)  # a miss: parse and store (stamp taken)
    read_bank(bank)  # a hit
    entry = cache.entry_path(str(bank))
    assert entry is not None and entry.exists()
    hashes = [0]
    real_key = cache.key

    def counting(*args: object, **kwargs: object) -> bytes:
        hashes[0] += 1
        return real_key(*args, **kwargs)  # type: ignore[arg-type]

    def entry_floor() -> float:
        # what any warm start must do: read the entry, then decode its index line (after the
        # stamp and CRC lines); the questions' records are decoded only when used
        t = time.perf_counter()
        data = entry.read_bytes()
        crc = data.index(b"\n", len(cache.MAGIC) + 32) + 1
        index = data.index(b"\n", crc) + 1
        json.loads(data[index : data.index(b"\n", index)])
        return time.perf_counter() - t

    def warm() -> float:
        t = time.perf_counter()
        result = read_bank(bank)
        elapsed = time.perf_counter() - t
        assert result.bank is not None
        return elapsed

    cache.key = counting  # type: ignore[assignment]
    try:
        b_warm, s_warm = interleave(entry_floor, warm, rounds * 2)
    finally:
        cache.key = real_key  # type: ignore[assignment]
    return [
        Result(
            f"bank cold parse ({n:,} q)",
            "read_bank, no cache",
            "read + tomllib.loads",
            "s",
            s_cold,
            b_cold,
            goal=1.5,
        ),
        Result(
            f"bank warm start ({n:,} q)",
            "read_bank, cache hit",
            "read + json.loads of the entry's index",
            "s",
            s_warm,
            b_warm,
            note=f"content hashes during the timed warm loads: {hashes[0]} (must be 0)",
            extra={"hashes": hashes[0]},
        ),
    ]


if __name__ == "__main__":
    ap = argparse.ArgumentParser()
    ap.add_argument("--quick", action="store_true")
    print(harness.table(run(ap.parse_args().quick)))
    sys.exit(0)
