"""A child process that runs one kind of session (study, practice or exam) until killed.

    python session_child.py BANK DB KIND SEED

On start it resumes the kind's saved session if there is one (else starts one) and prints
``ready``. Then, action after action (submit, rate, move, mark, submit the exam...), it prints
``begin`` before the action and, once the action is committed, ``submitted KIND QID`` for an
answer it recorded and ``state SHA`` (the saved session's text, hashed; ``state none`` when the
session ended). The parent kills it at a random moment and checks the database against what was
printed. Errors print ``error: ...`` and exit 3.
"""

from __future__ import annotations

import hashlib
import os
import random
import sys
from datetime import UTC, datetime, timedelta
from pathlib import Path


def say(line: str) -> None:
    os.write(1, (line + "\n").encode())


def saved_sha(engine: object, kind: str) -> str:
    saved = engine.saved_session(kind)  # type: ignore[attr-defined]
    return "none" if saved is None else hashlib.sha1(saved.state.encode()).hexdigest()[:12]


def main(bank_path: Path, db: Path, kind: str, seed: int) -> int:
    sys.path.insert(0, str(Path(__file__).parent))
    from childproc import respond

    from trainer.bank import load_bank
    from trainer.engine import Engine, Rating
    from trainer.sessions import ExamSession, Kept, PracticeSession, StudySession

    bank, problems = load_bank(bank_path)
    if bank is None:
        say(f"error: {problems}")
        return 3
    rng = random.Random(seed)
    now = [datetime(2030, 1, 1, 9, tzinfo=UTC) + timedelta(days=seed)]
    engine = Engine.open(bank, db, clock=lambda: now[0], seed=seed)
    say(f"resumed {saved_sha(engine, kind)}")
    while True:
        session: object
        if kind == "exam":
            session = ExamSession.resume(engine) or ExamSession.start(
                engine, engine.exam_questions(6, seed), seed
            )
        elif kind == "practice":
            session = PracticeSession.resume(engine) or PracticeSession.start(
                engine, engine.practice_questions(None, "all", seed), seed
            )
        else:
            session = StudySession.resume(engine) or StudySession.start(engine, seed)
        say("ready")
        if isinstance(session, ExamSession):
            while True:
                q = session.current
                say("begin")
                roll = rng.random()
                if roll < 0.1:
                    session.toggle_mark()
                elif roll < 0.2 and session.answered_count() >= 3:
                    session.submit()
                    say("state none")
                    break
                elif q.type == "recall":
                    session.reveal()
                    session.knew(rng.random() < 0.5)
                    session.go(1 if session.index + 1 < len(session.questions) else -1)
                    say(f"submitted exam {q.id}")
                else:
                    kept = Kept(respond(q, rng.random() < 0.6), complete=True)
                    session.go(1 if session.index + 1 < len(session.questions) else -1, kept)
                    say(f"submitted exam {q.id}")
                say(f"state {saved_sha(engine, kind)}")
        else:
            view = session.view()  # type: ignore[attr-defined]
            say(f"state {saved_sha(engine, kind)}")
            while view.question is not None:
                say("begin")
                if view.marking is None:
                    q = view.question
                    view = session.submit(respond(q, rng.random() < 0.6))  # type: ignore[attr-defined]
                    say(f"submitted {kind} {q.id}")
                else:
                    choice = rng.choice(view.marking.allowed)
                    view = session.rate(Rating(choice))  # type: ignore[attr-defined]
                say(f"state {saved_sha(engine, kind)}")
            now[0] += timedelta(days=1)


if __name__ == "__main__":
    try:
        sys.exit(main(Path(sys.argv[1]), Path(sys.argv[2]), sys.argv[3], int(sys.argv[4])))
    except Exception as exc:  # reported to the parent test, which fails with it
        import traceback

        say(f"error: {type(exc).__name__}: {exc}")
        traceback.print_exc()
        sys.exit(3)
