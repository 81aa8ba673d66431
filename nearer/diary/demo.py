"""Demo history: about 8 weeks of check-ins for Sam and Alex with a visible loop and uneven progress.

The generator is our own seeded lag-1 process (the same model the loop page estimates), with a
gentle upward drift, a harder stretch in week 5, some missed days (single and a block) and a few
notes. Tests reuse :func:`seed_checkins` for a known diary.
"""

from __future__ import annotations

from datetime import date, timedelta
from decimal import Decimal
from typing import Any

import numpy as np

from nearer.diary.models import STRESSOR_KEYS, Answer, CheckIn, Source, local_today

# mood inertia, closeness -> mood, mood -> closeness, closeness inertia (COEF_NAMES order)
SAM_COEF = (0.35, 0.45, 0.40, 0.40)
ALEX_COEF = (0.40, 0.15, 0.10, 0.45)

_NOTES = [
    "Walked after dinner together, felt easier.",
    "Long day at work, didn't say much at home.",
    "We talked about the weekend plans.",
    "Tired. Went to bed early.",
    "Told Alex about the meeting, felt listened to.",
    "Quiet evening, a bit far apart.",
    "Cooked together.",
    "Argued about money, made up later.",
]


def generate_diary(
    seed: int,
    end: date,
    n_days: int = 56,
    coef: tuple[float, float, float, float] = SAM_COEF,
    *,
    missing_rate: float = 0.1,
    block: tuple[int, int] | None = (20, 3),
    notes: bool = True,
) -> list[dict[str, Any]]:
    """Rows ``{"local_date", values...}`` for ``n_days`` days ending on ``end`` (missed days left out)."""
    rng = np.random.default_rng(seed)
    b = np.array(coef, dtype=float).reshape(2, 2)
    t = np.arange(n_days)
    # Uneven progress: a slow rise, with a harder stretch in week 5.
    dip = -1.2 * np.exp(-0.5 * ((t - 31) / 3.0) ** 2)
    mu = np.column_stack([4.0 + 2.0 * t / max(n_days - 1, 1) + dip, 4.5 + 1.5 * t / max(n_days - 1, 1) + 0.6 * dip])
    chol = np.linalg.cholesky(np.array([[1.0, 0.3], [0.3, 1.0]])) * 1.3
    dev = np.zeros(2)
    for _ in range(30):
        dev = b @ dev + chol @ rng.standard_normal(2)
    missing = rng.random(n_days) < missing_rate
    if block is not None:
        missing[block[0]:block[0] + block[1]] = True
    missing[-1] = False  # the demo person checked in today
    rows = []
    start = end - timedelta(days=n_days - 1)
    for i in range(n_days):
        dev = b @ dev + chol @ rng.standard_normal(2)
        mood, closeness = (int(v) for v in np.clip(np.rint(mu[i] + dev), 0, 10))
        if missing[i]:
            continue
        stressors = [k for k, p in zip(STRESSOR_KEYS, (0.35, 0.15, 0.1, 0.1, 0.0, 0.08), strict=True) if rng.random() < p]
        if closeness <= 3 and rng.random() < 0.6:
            stressors.append("conflict")

        def answer(p_yes: float) -> str:
            u = rng.random()
            return Answer.YES if u < p_yes else (Answer.NO if u < p_yes + 0.35 else Answer.NOT_TODAY)

        rows.append({
            "local_date": start + timedelta(days=i),
            "mood": mood,
            "closeness": closeness,
            "shared_personal": answer(0.1 + 0.06 * closeness),
            "held_back": answer(0.6 - 0.05 * closeness),
            "felt_heard": answer(0.1 + 0.06 * closeness),
            "felt_accepted": answer(0.15 + 0.05 * closeness),
            "hours_slept": Decimal(str(round(float(np.clip(rng.normal(6.2 + 0.2 * mood, 0.8), 3, 11)) * 2) / 2)),
            "exercise_minutes": int(rng.choice([0, 0, 15, 20, 30, 45])) if rng.random() < 0.8 else None,
            "stressors": sorted(set(stressors), key=STRESSOR_KEYS.index),
            "note": str(rng.choice(_NOTES)) if notes and rng.random() < 0.2 else "",
        })
    return rows


def seed_checkins(person: Any, seed: int, *, end: date | None = None, n_days: int = 56,
                  coef: tuple[float, float, float, float] = SAM_COEF, **kwargs: Any) -> list[CheckIn]:
    """Bulk-create a generated diary for ``person`` (demo and tests; no screening: the notes are ours)."""
    end = end or local_today(person)
    rows = generate_diary(seed, end, n_days, coef, **kwargs)
    objs = [CheckIn(person=person, source=Source.WEB, **r) for r in rows]
    return CheckIn.objects.bulk_create(objs)


def populate(world: Any) -> None:
    seed_checkins(world.sam, world.seed, end=local_today(world.sam, world.now), coef=SAM_COEF)
    seed_checkins(world.alex, world.seed + 1, end=local_today(world.alex, world.now), coef=ALEX_COEF,
                  block=(9, 4), missing_rate=0.12)
