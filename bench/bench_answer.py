"""Answer path: from submitting a rating to the next question ready, against one fsync.

Subject (the engine's part of the answer path, as the UI drives it): ``engine.answer`` (one
transaction, durably committed before it returns) + ``engine.next_question()`` +
``engine.counts()``, on the bundled bank with a real database file. The response is graded before
the clock starts (the UI grades on submit, before the trainee picks a rating).

Baseline: one ``os.write`` + ``os.fsync`` of a small (200-byte) file in the same folder: the least
any durable save can cost on this disk.

Goal: the engine's part <= 2x the fsync. Its two parts (the answer's commit; next_question +
counts) are timed within the same rounds and reported apart too. The UI repaint is measured
separately by bench_answer_ui.py.
"""

from __future__ import annotations

import argparse
import os
import random
import sys
import tempfile
import time
from datetime import UTC, datetime, timedelta
from pathlib import Path

import harness
from gen_reviews import respond
from harness import Result, interleave

from trainer.bank import load_bank
from trainer.bank.models import Question
from trainer.engine import Engine, Grade, Rating, Response, Settings, grade
from trainer.paths import bundled_bank


class AnswerLoop:
    """Answers the study queue forever; the clock moves a day whenever the day is done."""

    def __init__(self, db: Path, seed: int = 0) -> None:
        bank, problems = load_bank(bundled_bank())
        if bank is None:
            raise SystemExit(
                "bundled bank did not load: " + "; ".join(p.format() for p in problems)
            )
        self.now = datetime(2030, 1, 1, 9, tzinfo=UTC)
        self.rng = random.Random(seed)
        self.engine = Engine.open(
            bank,
            db,
            clock=lambda: self.now,
            seed=seed,
            settings=Settings(tz=UTC, leech_action="tag"),
        )
        self.question = self._next()
        self.parts: list[tuple[float, float]] = []  # (answer, next+counts) of each timed full()

    def _next(self) -> Question:
        q = self.engine.next_question()
        while q is None:
            self.now += timedelta(days=1)
            q = self.engine.next_question()
        return q

    def prepare(self) -> tuple[str, Rating, Response, Grade | None]:
        """Grade a response to the current question (not timed); returns the answer's arguments."""
        q = self.question
        right = self.rng.random() < 0.8
        response = respond(q, right)
        g = None if q.type == "recall" else grade(q, response)
        ok = right if g is None else g.correct
        rating = self.rng.choice((Rating.HARD, Rating.GOOD, Rating.EASY)) if ok else Rating.AGAIN
        return q.id, rating, response, g

    def full(self) -> float:
        """One answer path, timed; its two parts are kept in self.parts."""
        qid, rating, response, _ = self.prepare()
        t0 = time.perf_counter()
        self.engine.answer(qid, rating, response=response, duration_ms=12_000)
        t1 = time.perf_counter()
        q = self.engine.next_question()
        self.engine.counts()
        t2 = time.perf_counter()
        self.parts.append((t1 - t0, t2 - t1))
        self._advance(q)
        return t2 - t0

    def _advance(self, q: Question | None) -> None:
        self.now += timedelta(seconds=40)
        self.question = q if q is not None else self._next()

    def close(self) -> None:
        self.engine.close()


class Fsync:
    def __init__(self, folder: Path) -> None:
        self.fd = os.open(folder / "fsync.bin", os.O_WRONLY | os.O_CREAT, 0o600)
        self.data = os.urandom(200)

    def __call__(self) -> float:
        t = time.perf_counter()
        os.pwrite(self.fd, self.data, 0)
        os.fsync(self.fd)
        return time.perf_counter() - t

    def close(self) -> None:
        os.close(self.fd)


def run(quick: bool = False) -> list[Result]:
    rounds = 40 if quick else 300
    with tempfile.TemporaryDirectory(prefix="trainer-bench-answer-") as tmp:
        loop = AnswerLoop(Path(tmp) / "reviews.db")
        fsync = Fsync(Path(tmp))
        try:
            b, s = interleave(fsync, loop.full, rounds, warmup=5)
            parts = loop.parts[-rounds:]  # the warmup rounds come first
        finally:
            loop.close()
            fsync.close()
    return [
        Result(
            "answer: engine path",
            "answer+next+counts",
            "write+fsync 200 B",
            "s",
            s,
            b,
            goal=2.0,
        ),
        Result(
            "answer: commit alone",
            "engine.answer",
            "write+fsync 200 B",
            "s",
            [p[0] for p in parts],
            b,
            note="the two parts of the same rounds as the engine path, against the same fsyncs",
        ),
        Result(
            "answer: next+counts",
            "next_question+counts",
            "write+fsync 200 B",
            "s",
            [p[1] for p in parts],
            b,
        ),
    ]


if __name__ == "__main__":
    ap = argparse.ArgumentParser()
    ap.add_argument("--quick", action="store_true")
    print(harness.table(run(ap.parse_args().quick)))
    sys.exit(0)
