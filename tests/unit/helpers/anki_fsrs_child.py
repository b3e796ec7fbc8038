"""Run in a subprocess with TZ set: replay seeded histories through Anki's own FSRS (the ``anki``
package) and through trainer's scheduler, and print both as JSON lines.

Anki reads the local time zone when it starts, so each zone needs its own process. With
ANKI_TEST_MODE set, Anki applies no fuzz; trainer's settings turn fuzz off too.
"""

from __future__ import annotations

import itertools
import json
import os
import random
import sys
import tempfile
import time
from datetime import UTC, datetime, timedelta
from zoneinfo import ZoneInfo

ZONE = sys.argv[1]
os.environ["TZ"] = ZONE
time.tzset()

from anki.cards_pb2 import FsrsMemoryState  # noqa: E402
from anki.collection import Collection  # noqa: E402

from trainer.engine.days import elapsed_days  # noqa: E402
from trainer.engine.scheduler import CardSchedule, Rating, Settings, preview, review  # noqa: E402

# Times of day for answers: either side of the 4 am rollover (kept an hour or more from it, so a
# daylight-saving change between a review and today cannot move it across Anki's fixed-length
# days), morning, evening and just before midnight.
TIMES = [(2, 30), (5, 30), (8, 0), (13, 15), (20, 0), (23, 30)]
RATINGS = [1, 2, 3, 3, 3, 4]


def history(rng: random.Random, now: datetime, tz: ZoneInfo) -> list[tuple[datetime, int]]:
    """A card's answers: learnt on one day, then reviews days to months apart, all in the past."""
    gaps = [0, 0] + [
        rng.choice([0, 1, 1, 2, 3, 5, 8, 13, 30, 60]) for _ in range(rng.randint(3, 9))
    ]
    total = sum(gaps) + 2
    day = (now - timedelta(days=total)).date()
    out: list[tuple[datetime, int]] = []
    last: datetime | None = None
    for gap in gaps:
        day = day + timedelta(days=gap)
        hour, minute = rng.choice(TIMES)
        t = datetime(day.year, day.month, day.day, hour, minute, tzinfo=tz)
        if last is not None and t <= last:
            t = last + timedelta(minutes=rng.randint(5, 30))
        out.append((t, rng.choice(RATINGS) if out else 3))
        last = t
    return out


def main() -> None:
    tz = ZoneInfo(ZONE)
    settings = Settings(enable_fuzzing=False, tz=tz, day_starts_hour=4)
    col = Collection(os.path.join(tempfile.mkdtemp(), "c.anki2"))
    col.set_config("fsrs", True)
    model = col.models.by_name("Basic")
    assert model is not None
    now = datetime.now(UTC)
    rng = random.Random(f"trainer-anki-{ZONE}")
    for case in range(int(sys.argv[2])):
        note = col.new_note(model)
        note["Front"], note["Back"] = f"q{case}", "a"
        col.add_note(note, 1)  # type: ignore[arg-type]
        cid = note.cards()[0].id
        ours = CardSchedule()
        answers = history(rng, now, tz)
        # does counting 24-hour periods instead of study days change any gap of this history?
        differs = any(
            (b - a).days != elapsed_days(a, b, 4, tz)
            for (a, _), (b, _) in itertools.pairwise(answers)
        )
        for t, rating in answers:
            kind = {"new": 0, "learning": 0, "review": 1, "relearning": 2}[ours.state]
            col.db.execute(
                "insert into revlog (id, cid, usn, ease, ivl, lastIvl, factor, time, type)"
                " values (?, ?, -1, ?, 1, 1, 0, 5000, ?)",
                int(t.timestamp() * 1000) + case,  # unique ids: one card per case
                cid,
                rating,
                kind,
            )
            ours = review(ours, Rating(rating), t.astimezone(UTC), settings, card_id=cid)
        memory = col.compute_memory_state(cid)
        row: dict[str, object] = {
            "case": case,
            "state": ours.state,
            "ours": [ours.stability, ours.difficulty],
            "anki": [memory.stability, memory.difficulty],
            "study_days_differ": differs,
        }
        if ours.state == "review":
            assert ours.last_review is not None and ours.due is not None
            card = col.get_card(cid)
            ivl = (ours.due - ours.last_review).days
            since = elapsed_days(ours.last_review, now, 4, tz)
            card.type, card.queue, card.ivl = 2, 2, ivl  # type: ignore[assignment]
            card.due = col.sched.today + ivl - since
            card.reps = 5
            card.memory_state = FsrsMemoryState(
                stability=memory.stability, difficulty=memory.difficulty
            )
            card.decay = memory.decay
            card.last_review_time = int(ours.last_review.timestamp())
            col.update_card(card)
            states = col._backend.get_scheduling_states(cid)
            anki_days = []
            for state in (states.hard, states.good, states.easy):
                kind_name = state.normal.WhichOneof("kind")
                anki_days.append(getattr(state.normal, kind_name).scheduled_days)
            mine = preview(ours, now, settings, card_id=cid)
            row["anki_days"] = anki_days
            row["our_days"] = [mine[r].days for r in (Rating.HARD, Rating.GOOD, Rating.EASY)]
            row["since"] = since
        print(json.dumps(row))
    col.close()


if __name__ == "__main__":
    main()
