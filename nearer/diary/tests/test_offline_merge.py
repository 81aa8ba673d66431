"""An offline check-in merges into the day's saved one field by field; conflicts ask; retries replay."""

from __future__ import annotations

import json
from datetime import UTC, date, datetime
from decimal import Decimal

import pytest
import time_machine

from nearer.diary.models import CheckIn
from nearer.diary.services import save_checkin

pytestmark = pytest.mark.django_db

NOON_NY = datetime(2026, 3, 10, 17, 0, tzinfo=UTC)
DAY = date(2026, 3, 10)


def _post(client, token, body, key):
    return client.post("/api/diary/checkins", data=json.dumps(body), content_type="application/json",
                       HTTP_AUTHORIZATION=f"Bearer {token}", HTTP_IDEMPOTENCY_KEY=key)


def _online_checkin(world):
    return save_checkin(world.owner, DAY, {"mood": 6, "closeness": 5, "note": "A long walk helped",
                                           "hours_slept": Decimal("7.5"), "stressors": ["work"]}).checkin


def test_offline_save_keeps_what_it_did_not_touch(world, client):
    with time_machine.travel(NOON_NY, tick=False):
        saved = _online_checkin(world)
        r = _post(client, world.tokens["owner"], {"mood": 6, "closeness": 8, "local_date": "2026-03-10", "merge": True,
                                                  "base_updated_at": saved.updated_at.isoformat()}, "offline-1")
    assert r.status_code == 200, r.content
    c = CheckIn.objects.get(person=world.owner)
    assert (c.mood, c.closeness, c.note, c.hours_slept, c.stressors) == (6, 8, "A long walk helped", Decimal("7.5"), ["work"])


def test_both_changed_is_a_question_and_nothing_is_written(world, client):
    with time_machine.travel(NOON_NY, tick=False):
        _online_checkin(world)
        r = _post(client, world.tokens["owner"], {"mood": 3, "closeness": 5, "local_date": "2026-03-10", "merge": True},
                  "offline-2")
    assert r.status_code == 409
    body = r.json()
    assert body["local_date"] == "2026-03-10"
    assert body["conflicts"] == [{"field": "mood", "device": 3, "saved": 6}]  # closeness agrees: no question
    c = CheckIn.objects.get(person=world.owner)
    assert (c.mood, c.closeness, c.note) == (6, 5, "A long walk helped")


def test_the_persons_choice_is_kept_and_a_retry_replays(world, client):
    token = world.tokens["owner"]
    with time_machine.travel(NOON_NY, tick=False):
        _online_checkin(world)
        body = {"mood": 3, "closeness": 9, "local_date": "2026-03-10", "merge": True,
                "keep": {"mood": "device", "closeness": "saved"}}
        first = _post(client, token, body, "offline-3")
        # Someone changes the day online; a retry of the same device save must not write again.
        c = CheckIn.objects.get(person=world.owner)
        save_checkin(world.owner, DAY, {"mood": 4})
        again = _post(client, token, body, "offline-3")
    assert (first.status_code, again.status_code) == (200, 200)
    assert (first.json()["mood"], first.json()["closeness"], first.json()["note"]) == (3, 5, "A long walk helped")
    c = CheckIn.objects.get(person=world.owner)
    assert (c.mood, c.closeness, c.hours_slept) == (4, 5, Decimal("7.5"))
    assert CheckIn.objects.filter(person=world.owner).count() == 1


def test_offline_save_on_an_empty_day_creates_it(world, client):
    with time_machine.travel(NOON_NY, tick=False):
        r = _post(client, world.tokens["owner"], {"mood": 2, "closeness": 7, "local_date": "2026-03-10", "merge": True},
                  "offline-4")
    assert r.status_code == 201
    c = CheckIn.objects.get(person=world.owner)
    assert (c.mood, c.closeness, c.note, c.felt_heard) == (2, 7, "", "not_today")


def test_plain_api_update_with_a_key_blanks_nothing_it_did_not_send(world, client):
    with time_machine.travel(NOON_NY, tick=False):
        _online_checkin(world)
        r = _post(client, world.tokens["owner"], {"mood": 4, "closeness": 4}, "plain-1")
    assert r.status_code == 200
    c = CheckIn.objects.get(person=world.owner)
    assert (c.mood, c.note, c.stressors) == (4, "A long walk helped", ["work"])


def test_one_checkin_is_one_not_ones(world):
    from nearer.diary.queries import trends_for

    with time_machine.travel(NOON_NY, tick=False):
        save_checkin(world.owner, DAY, {"mood": 5, "closeness": 5})
        mood = trends_for(world.owner)["charts"][0]
    assert mood["summary"] == "There is 1 check-in in the last 4 weeks; a summary of your mood appears after 7."
