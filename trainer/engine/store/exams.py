"""Exam results."""

from __future__ import annotations

import json

from trainer.engine.errors import TrainerDBError
from trainer.engine.records import ExamResult
from trainer.engine.store.codec import from_us, to_us
from trainer.engine.store.connection import Connection


class Exams(Connection):
    def record_exam(self, bank_id: str, result: ExamResult) -> int:
        """Within the caller's write() (or in one of its own): the exam's row; its id."""
        with self.write():
            cur = self._x(
                "INSERT INTO exam_results (bank_id, started, finished, seed, question_ids, "
                "correct_ids, by_topic) VALUES (?, ?, ?, ?, ?, ?, ?)",
                (
                    bank_id,
                    to_us(result.started),
                    to_us(result.finished),
                    result.seed,
                    json.dumps(list(result.question_ids)),
                    json.dumps(list(result.correct_ids)),
                    json.dumps({k: list(v) for k, v in result.by_topic.items()}),
                ),
            )
        assert cur.lastrowid is not None
        return cur.lastrowid

    def exam_results(self, bank_id: str) -> list[ExamResult]:
        out = []
        for r in self._q(
            "SELECT * FROM exam_results WHERE bank_id = ? ORDER BY started, id", (bank_id,)
        ):
            try:
                out.append(
                    ExamResult(
                        started=from_us(r["started"]),
                        finished=from_us(r["finished"]),
                        seed=r["seed"],
                        question_ids=tuple(json.loads(r["question_ids"])),
                        correct_ids=tuple(json.loads(r["correct_ids"])),
                        by_topic={
                            k: (int(v[0]), int(v[1])) for k, v in json.loads(r["by_topic"]).items()
                        },
                        id=r["id"],
                    )
                )
            except (ValueError, TypeError, KeyError, IndexError, AttributeError, OverflowError):
                raise TrainerDBError(
                    f"exam result {r['id']} in {self.path} holds values trainer never writes: "
                    "the database was edited or is damaged",
                    kind="damaged",
                ) from None
        return out
