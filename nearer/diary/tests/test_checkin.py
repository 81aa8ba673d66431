"""Check-in rules: ranges, the local day, back-fill and the edit window, idempotency, screening."""

from __future__ import annotations

import json
from datetime import UTC, date, datetime, timedelta

import pytest
import time_machine
from django.urls import reverse

from nearer.diary.models import CheckIn, local_today

pytestmark = pytest.mark.django_db

NOON_NY = datetime(2026, 3, 10, 17, 0, tzinfo=UTC)  # 13:00 in New York (the default zone)


def _post(client, day: date | None = None, **fields):
    url = reverse("diary:checkin") if day is None else reverse("diary:checkin-edit", kwargs={"day": day.isoformat()})
    data = {"mood": "6", "closeness": "5", **fields}
    return client.post(url, data)


def test_checkin_today_saves_and_goes_to_trends(world, client_as):
    with time_machine.travel(NOON_NY, tick=False):
        r = _post(client_as("owner"))
    assert r.status_code == 302 and r.headers["Location"] == reverse("diary:trends")
    c = CheckIn.objects.get(person=world.owner)
    assert (c.local_date, c.mood, c.closeness, c.is_late, c.source) == (date(2026, 3, 10), 6, 5, False, "web")
    assert (c.shared_personal, c.held_back, c.felt_heard, c.felt_accepted) == ("not_today",) * 4


def test_mood_eleven_is_a_field_error_and_saves_nothing(world, client_as):
    with time_machine.travel(NOON_NY, tick=False):
        r = _post(client_as("owner"), mood="11")
    assert r.status_code == 400
    assert r.context["form"].errors["mood"] == ["Choose a number from 0 to 10."]
    assert not CheckIn.objects.exists()


@pytest.mark.parametrize(("field", "value"), [("hours_slept", "25"), ("exercise_minutes", "1441"), ("stressors", "boredom")])
def test_optional_fields_out_of_range(world, client_as, field, value):
    with time_machine.travel(NOON_NY, tick=False):
        r = _post(client_as("owner"), **{field: value})
    assert r.status_code == 400 and field in r.context["form"].errors
    assert not CheckIn.objects.exists()


def test_future_date_is_rejected_with_a_clear_message(world, client_as):
    with time_machine.travel(NOON_NY, tick=False):
        r = _post(client_as("owner"), date(2026, 3, 11))
    assert r.status_code == 400
    assert "hasn't happened yet" in " ".join(r.context["form"].non_field_errors())
    assert not CheckIn.objects.exists()


def test_backfill_three_days_is_late_four_days_is_rejected(world, client_as):
    client = client_as("owner")
    with time_machine.travel(NOON_NY, tick=False):
        assert _post(client, date(2026, 3, 7)).status_code == 302
        r = _post(client, date(2026, 3, 6))
    assert r.status_code == 400
    assert "up to 3 days back" in " ".join(r.context["form"].non_field_errors())
    c = CheckIn.objects.get(person=world.owner)
    assert c.local_date == date(2026, 3, 7) and c.is_late is True


def test_edit_window_is_the_day_and_the_next(world, client_as):
    # A fresh sign-in inside each travelled moment: sessions expire on their own.
    day = date(2026, 3, 10)
    with time_machine.travel(NOON_NY, tick=False):
        _post(client_as("owner"))
    with time_machine.travel(NOON_NY + timedelta(days=1), tick=False):
        r = _post(client_as("owner"), day, mood="8")
        assert r.status_code == 302 and r.headers["Location"] == reverse("diary:trends")
    assert CheckIn.objects.get().mood == 8
    with time_machine.travel(NOON_NY + timedelta(days=2), tick=False):
        client = client_as("owner")
        page = client.get(reverse("diary:checkin-edit", kwargs={"day": day.isoformat()}))
        r = _post(client, day, mood="2")
    assert "closed now" in page.content.decode()
    assert r.status_code == 400
    assert CheckIn.objects.get().mood == 8


def test_a_backfilled_checkin_can_be_corrected_the_same_day(world, client_as):
    client = client_as("owner")
    with time_machine.travel(NOON_NY, tick=False):
        _post(client, date(2026, 3, 7), mood="3")
        assert _post(client, date(2026, 3, 7), mood="4").status_code == 302
    assert CheckIn.objects.get().mood == 4


@pytest.mark.parametrize(
    ("tz", "utc_moment", "expected"),
    [
        ("America/Los_Angeles", datetime(2026, 3, 10, 6, 30, tzinfo=UTC), date(2026, 3, 9)),  # 23:30 the day before
        ("Asia/Tokyo", datetime(2026, 3, 10, 15, 30, tzinfo=UTC), date(2026, 3, 11)),  # 00:30 the next day
        # Daylight saving time began on 8 March 2026: midnight in New York is 04:00 UTC, not 05:00.
        ("America/New_York", datetime(2026, 3, 10, 3, 59, tzinfo=UTC), date(2026, 3, 9)),
        ("America/New_York", datetime(2026, 3, 10, 4, 0, tzinfo=UTC), date(2026, 3, 10)),
    ],
)
def test_the_day_is_the_persons_local_day(world, client_as, tz, utc_moment, expected):
    world.owner.timezone = tz
    world.owner.save()
    with time_machine.travel(utc_moment, tick=False):
        assert local_today(world.owner) == expected
        _post(client_as("owner"))
        # "Tomorrow" in their zone is still the future, even when it is already that date in UTC.
        assert _post(client_as("owner"), expected + timedelta(days=1)).status_code == 400
    assert CheckIn.objects.get().local_date == expected


def test_one_checkin_per_day_second_post_updates(world, client_as):
    client = client_as("owner")
    with time_machine.travel(NOON_NY, tick=False):
        _post(client, mood="3")
        _post(client, mood="7")
    assert CheckIn.objects.count() == 1 and CheckIn.objects.get().mood == 7


def test_partner_has_their_own_private_checkin(world, client_as):
    with time_machine.travel(NOON_NY, tick=False):
        _post(client_as("owner"), mood="3")
        _post(client_as("partner"), mood="9")
        r = client_as("partner").get(reverse("diary:client-trends", kwargs={"client_id": world.owner.pk}))
    assert r.status_code == 404  # "not yours" looks like "not there" (issue 16 item 6)
    assert CheckIn.objects.get(person=world.partner).mood == 9
    assert CheckIn.objects.get(person=world.owner).mood == 3


def test_note_is_encrypted_and_screened_after_saving(world, client_as, safety_spy):
    with time_machine.travel(NOON_NY, tick=False):
        _post(client_as("owner"), note="A quiet evening together.")
        _post(client_as("owner"), note="A quiet evening together.", mood="7")  # unchanged words: not screened again
    c = CheckIn.objects.get()
    assert len(safety_spy.calls) == 1
    call = safety_spy.calls[0]
    assert (call["person"], call["source"], call["text"], call["ref"].pk) == (world.owner, "diary.checkin", "A quiet evening together.", c.pk)
    from django.db import connection

    with connection.cursor() as cur:
        cur.execute("SELECT note FROM diary_checkin WHERE id = %s", [c.pk])
        raw = cur.fetchone()[0]
    assert "quiet" not in raw and c.note == "A quiet evening together."


def test_crisis_card_shows_in_the_same_response(world, client_as, safety_spy):
    safety_spy.show_card = True
    with time_machine.travel(NOON_NY, tick=False):
        r = _post(client_as("owner"), note="words that worry the screener")
    assert r.status_code == 200
    assert "Your check-in is saved." in r.content.decode()
    assert 'id="crisis-card"' in r.content.decode()
    assert CheckIn.objects.count() == 1


# --- API -------------------------------------------------------------------------------------------


def _api(client, method, path, token, body=None, **headers):
    return client.generic(method, "/api/diary" + path, data=json.dumps(body) if body is not None else "",
                          content_type="application/json", HTTP_AUTHORIZATION=f"Bearer {token}", **headers)


def test_api_mood_eleven_names_the_field(world, client):
    with time_machine.travel(NOON_NY, tick=False):
        r = _api(client, "POST", "/checkins", world.tokens["owner"], {"mood": 11, "closeness": 5})
    assert r.status_code == 422
    assert [e["field"] for e in r.json()["errors"]] == ["mood"]
    assert not CheckIn.objects.exists()


def test_api_future_date_names_the_field(world, client):
    with time_machine.travel(NOON_NY, tick=False):
        r = _api(client, "POST", "/checkins", world.tokens["owner"], {"mood": 5, "closeness": 5, "local_date": "2026-03-11"})
    assert r.status_code == 422 and r.json()["errors"][0]["field"] == "local_date"


def test_api_retried_create_with_idempotency_key_makes_one_checkin(world, client):
    body = {"mood": 5, "closeness": 6, "note": ""}
    with time_machine.travel(NOON_NY, tick=False):
        first = _api(client, "POST", "/checkins", world.tokens["owner"], body, HTTP_IDEMPOTENCY_KEY="abc-123")
        again = _api(client, "POST", "/checkins", world.tokens["owner"], body, HTTP_IDEMPOTENCY_KEY="abc-123")
        field_key = _api(client, "POST", "/checkins", world.tokens["owner"],
                         {**body, "local_date": "2026-03-09", "idempotency_key": "k2"})
        field_again = _api(client, "POST", "/checkins", world.tokens["owner"],
                           {**body, "local_date": "2026-03-09", "idempotency_key": "k2"})
        dup = _api(client, "POST", "/checkins", world.tokens["owner"], body)
    assert (first.status_code, again.status_code) == (201, 200)
    assert first.json()["id"] == again.json()["id"]
    assert (field_key.status_code, field_again.status_code) == (201, 200)
    assert dup.status_code == 422 and dup.json()["errors"][0]["field"] == "local_date"
    assert CheckIn.objects.filter(person=world.owner).count() == 2
    assert CheckIn.objects.get(local_date=date(2026, 3, 9)).is_late is True


def test_api_update_list_delete(world, client):
    token = world.tokens["owner"]
    with time_machine.travel(NOON_NY, tick=False):
        cid = _api(client, "POST", "/checkins", token, {"mood": 5, "closeness": 6, "stressors": ["work"]}).json()["id"]
        r = _api(client, "PATCH", f"/checkins/{cid}", token, {"mood": 2})
        assert r.status_code == 200 and r.json()["mood"] == 2 and r.json()["stressors"] == ["work"]
        assert _api(client, "PATCH", f"/checkins/{cid}", token, {"closeness": 12}).status_code == 422
        listed = _api(client, "GET", "/checkins", token).json()
        assert [c["id"] for c in listed] == [cid]
        assert _api(client, "GET", "/checkins", world.tokens["partner"]).json() == []
        assert _api(client, "DELETE", f"/checkins/{cid}", world.tokens["partner"]).status_code == 404
        assert _api(client, "DELETE", f"/checkins/{cid}", token).status_code == 204
    assert not CheckIn.objects.exists()


def test_real_screener_shows_crisis_help_and_keeps_the_entry(world, client_as):
    with time_machine.travel(NOON_NY, tick=False):
        r = _post(client_as("owner"), note="I want to kill myself tonight")
    assert r.status_code == 200
    html = r.content.decode()
    # The crisis card itself (not the "Need help now?" control every page carries) is in the response.
    assert "Your check-in is saved." in html and 'class="crisis-card' in html
    from nearer.safety.models import RiskEvent

    assert RiskEvent.objects.get(person=world.owner).level == "urgent"
    assert CheckIn.objects.get(person=world.owner).note == "I want to kill myself tonight"


@pytest.mark.parametrize(("language", "words"), [("en", ["Yes", "No", "Didn't come up"]), ("es", ["Sí", "No", "No surgió"])])
def test_no_and_not_today_read_differently(world, client_as, language, words):
    import re

    html = client_as("owner").get(reverse("diary:checkin"), headers={"accept-language": language}).content.decode()
    for field in ("shared_personal", "held_back", "felt_heard", "felt_accepted"):
        chips = re.findall(r'<label class="(chip[^"]*)" for="id_' + field + r'_\d">.*?<span>([^<]+)</span></label>', html)
        labels = [label.replace("&#x27;", "'") for _cls, label in chips]
        assert labels == words, (field, labels)
        # Only "didn't come up" is drawn as the lighter, dashed chip.
        assert [cls for cls, _label in chips] == ["chip", "chip", "chip chip-skip"]
    # The stored answer is unchanged: an untouched question is still saved as "not_today".
    client = client_as("owner")
    assert _post(client, held_back="no").status_code == 302
    c = CheckIn.objects.get(person=world.owner)
    assert (c.held_back, c.felt_heard) == ("no", "not_today")
