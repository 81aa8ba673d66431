"""Demo history: Sam answers the PHQ-9 and GAD-7 every two weeks for eight weeks.

PHQ-9 totals 17, 15, 16, 11, 12: uneven, with one reliable improvement (17 -> 11, a drop of 6).
GAD-7 totals 11, 10, 9, 10, 8: drifting down without reliable change. Item 9 is always 0 here.
"""

from __future__ import annotations

import random
from datetime import timedelta
from typing import Any

PHQ9_TOTALS = [17, 15, 16, 11, 12]
GAD7_TOTALS = [11, 10, 9, 10, 8]
PHQ9_ITEM9 = "44260-8"


def _spread(rng: random.Random, link_ids: list[str], total: int) -> dict[str, int]:
    """Item weights 0-3 summing to ``total`` (deterministic for a seeded generator)."""
    answers = {lid: 0 for lid in link_ids}
    left = total
    while left > 0:
        lid = rng.choice([lid for lid in link_ids if answers[lid] < 3])
        answers[lid] += 1
        left -= 1
    return answers


def populate(world: Any) -> None:
    from nearer.measures import get_instrument
    from nearer.measures.services import (
        accept_suggested_schedule,
        ensure_occurrences,
        refresh_person,
        set_schedule,
        submit_administration,
    )

    rng = random.Random(world.seed)
    sam = world.sam
    start = world.now - timedelta(days=57)
    phq9 = get_instrument("phq9")
    gad7 = get_instrument("gad7")
    phq9_items = [lid for lid in phq9.scored_items if lid != PHQ9_ITEM9]
    schedules = {
        # Dr Rivera proposed it and Sam accepted (the history shows both).
        "phq9": accept_suggested_schedule(sam, "phq9", 14, 4, suggested_by=world.rivera, now=start),
        "gad7": set_schedule(sam, "gad7", 14, 4, set_by=sam, now=start),
    }
    for k, (p, g) in enumerate(zip(PHQ9_TOTALS, GAD7_TOTALS, strict=True)):
        day = start + timedelta(days=14 * k, hours=2 + k % 3)
        for sched in schedules.values():
            ensure_occurrences(sched, day)
        answers: dict[str, Any] = _spread(rng, phq9_items, p)
        answers[PHQ9_ITEM9] = 0
        answers["69722-7"] = 1  # "somewhat difficult": asked, never scored
        submit_administration(sam, "phq9", answers, completed_at=day, idempotency_key=f"demo-phq9-{k}")
        submit_administration(sam, "gad7", _spread(rng, list(gad7.scored_items), g),
                              completed_at=day + timedelta(minutes=4), idempotency_key=f"demo-gad7-{k}")
    refresh_person(sam, world.now)
