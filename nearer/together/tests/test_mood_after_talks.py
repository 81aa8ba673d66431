"""Mood on days after a personal talk vs other days, on simulated check-ins with a known effect."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta
from typing import Any

import numpy as np
import pytest
from numpy.testing import assert_allclose

from nearer.diary.models import CheckIn
from nearer.together import queries, services

pytestmark = pytest.mark.django_db

CAUSAL = ("because", "caused", "causes", "led to", "made your", "improves", "improved", "boost", "effect")


def _simulate(seed: int, effect: float, n_days: int = 120) -> tuple[list[date], list[tuple[date, float]]]:
    rng = np.random.default_rng(seed)
    start = date(2026, 1, 5)
    talk = rng.random(n_days) < 0.35
    talk_days = [start + timedelta(days=i) for i in range(n_days) if talk[i]]
    rows = []
    for i in range(n_days):
        after = i > 0 and talk[i - 1]
        rows.append((start + timedelta(days=i), 5.0 + (effect if after else 0.0) + rng.normal(0, 1.0)))
    return talk_days, rows


def test_known_effect_is_recovered(monkeypatch: pytest.MonkeyPatch, world: Any) -> None:
    talk_days, rows = _simulate(7, effect=1.5)
    monkeypatch.setattr(queries, "_mood_rows", lambda person: rows)
    r = queries.mood_after_talks(world.owner, talk_days)
    assert r is not None and r["sufficient"]
    assert_allclose(r["difference"], 1.5, atol=0.45)
    assert 0 < r["low"] <= 1.5 <= r["high"] + 0.05  # page values are rounded to 0.1
    assert r["n_after"] + r["n_other"] == 120
    assert "tended to be higher" in r["sentence"] and "90% range" in r["sentence"]
    assert not any(word in r["sentence"].lower() for word in CAUSAL)


def test_no_effect_says_no_clear_difference(monkeypatch: pytest.MonkeyPatch, world: Any) -> None:
    talk_days, rows = _simulate(11, effect=0.0)
    monkeypatch.setattr(queries, "_mood_rows", lambda person: rows)
    r = queries.mood_after_talks(world.owner, talk_days)
    assert r is not None and r["low"] <= 0 <= r["high"]
    assert "no clear difference" in r["sentence"]


def test_interval_covers_truth_about_ninety_percent(monkeypatch: pytest.MonkeyPatch, world: Any) -> None:
    covered = 0
    for seed in range(60):
        talk_days, rows = _simulate(1000 + seed, effect=1.0, n_days=80)
        monkeypatch.setattr(queries, "_mood_rows", lambda person, rows=rows: rows)
        r = queries.mood_after_talks(world.owner, talk_days)
        covered += r["low"] - 0.05 <= 1.0 <= r["high"] + 0.05  # rounding to 0.1 in the page values
    assert 48 <= covered <= 60


def test_too_few_days_says_so(monkeypatch: pytest.MonkeyPatch, world: Any) -> None:
    monkeypatch.setattr(queries, "_mood_rows", lambda person: [(date(2026, 1, 1), 5.0), (date(2026, 1, 2), 6.0)])
    r = queries.mood_after_talks(world.owner, [date(2026, 1, 1)])
    assert r is not None and not r["sufficient"] and r["difference"] is None
    assert "Not enough check-ins" in r["sentence"]


def test_trend_uses_real_checkins_and_consent(world: Any, client_as: Any) -> None:
    """End to end with the diary's check-ins: Alex sees Sam's comparison only once Sam turns it on."""
    rng = np.random.default_rng(3)
    couple = services.couple_for(world.owner)
    start = date(2026, 1, 5)
    talk_idx = set(range(0, 60, 3))
    for i in range(60):
        d = start + timedelta(days=i)
        mood = 5 + (2 if (i - 1) in talk_idx else 0) + int(rng.integers(-1, 2))
        CheckIn.objects.create(person=world.owner, local_date=d, mood=mood, closeness=5, note="CANARYcheckinNote")
    for i in sorted(talk_idx):
        conv = services.start_conversation(world.owner, services.offered_prompts(couple)[0].id)
        services.answer_readiness(world.owner, conv, True)
        services.answer_readiness(world.partner, conv, True)
        type(conv).objects.filter(pk=conv.pk).update(talked_at=datetime(2026, 1, 5, 15, tzinfo=UTC) + timedelta(days=i))
        services.rate_conversation(world.owner, conv, heard=7, accepted=7, close=7, defensive=2)
        services.rate_conversation(world.partner, conv, heard=6, accepted=7, close=7, defensive=2)
    world.owner.timezone = "UTC"
    world.owner.save()
    sam = queries.trend_page(world.owner)
    assert sam["moods"][0]["own"] and not sam["moods"][0]["consented"]
    assert_allclose(sam["moods"][0]["result"]["difference"], 2.0, atol=0.6)
    alex_page = client_as("partner").get("/together/trend/").content.decode()
    assert "Sam&#x27;s mood" not in alex_page and "Sam's mood" not in alex_page
    services.set_preferences(world.owner, mood_compare=True)
    alex_page = client_as("partner").get("/together/trend/").content.decode()
    assert "On days after a personal talk, Sam&#x27;s mood tended to be higher" in alex_page
    assert "CANARYcheckinNote" not in alex_page
    assert '<svg class="chart"' in alex_page and 'role="img"' in alex_page
