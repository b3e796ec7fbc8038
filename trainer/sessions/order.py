"""The order a question's options (or steps) are shown in: shuffled per card and per showing.

Seeded, so that the same showing (after an undo, or a resume after a quit or a crash) shows the
same order; the order is kept with the session. Responses stay in bank order (grading and the log
never see display positions): a view maps a shown letter to a bank index through the order.
"""

from __future__ import annotations

import random

from trainer.bank.models import Question


def option_order(question: Question, seed: str) -> tuple[int, ...]:
    """Bank indexes in the order they are shown.

    single/multiple: shuffled unless the question says ``shuffle = false`` (then file order);
    order: the steps' starting arrangement, never already in order; true/false: True before
    False; others have nothing to order: ().
    """
    rng = random.Random(f"{seed}:{question.id}")
    if question.type in ("single", "multiple"):
        order = list(range(len(question.options)))
        if question.shuffle:
            rng.shuffle(order)
        return tuple(order)
    if question.type == "true_false":
        return (0, 1)
    if question.type == "order":
        steps = list(range(len(question.steps)))
        rng.shuffle(steps)
        if len(steps) > 1 and steps == sorted(steps):
            steps = steps[1:] + steps[:1]
        return tuple(steps)
    return ()
