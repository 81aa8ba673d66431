"""A person's zone comes from their browser at sign-up; settings show it and take a valid zone only."""

from __future__ import annotations

from datetime import UTC, date, datetime

import pytest
import time_machine
from django.test import Client

from nearer.accounts.models import User
from nearer.diary.models import local_today

pytestmark = pytest.mark.django_db

SIGNUP = {"email": "new@x.test", "password1": "a long enough phrase", "password2": "a long enough phrase", "role": "person"}


def test_sign_up_takes_the_browsers_zone():
    assert Client().post("/accounts/signup/", {**SIGNUP, "timezone": "Pacific/Honolulu"}).status_code == 302
    user = User.objects.get(email="new@x.test")
    assert user.timezone == "Pacific/Honolulu"
    # 22:30 in Honolulu is already the next morning in New York: the day is Honolulu's.
    assert local_today(user, datetime(2026, 3, 10, 8, 30, tzinfo=UTC)) == date(2026, 3, 9)


@pytest.mark.parametrize("sent", ["", "Mars/Olympus_Mons", "x" * 200])
def test_sign_up_without_a_usable_zone_keeps_the_default(sent, settings):
    assert Client().post("/accounts/signup/", {**SIGNUP, "timezone": sent}).status_code == 302
    assert User.objects.get(email="new@x.test").timezone == settings.NEARER_DEFAULT_TIMEZONE


def test_sign_up_page_asks_the_browser_for_its_zone():
    page = Client().get("/accounts/signup/").content.decode()
    assert 'name="timezone"' in page and "data-browser-timezone" in page


def test_settings_show_the_zone_and_offer_the_devices(world, client_as):
    world.owner.timezone = "America/Los_Angeles"
    world.owner.save()
    page = client_as("owner").get("/me/").content.decode()
    assert '<option value="America/Los_Angeles" selected>America/Los Angeles</option>' in page
    assert 'data-tz-offer="id_timezone"' in page and '<meta name="nearer-tz" content="America/Los_Angeles">' in page


def test_settings_refuse_an_unknown_zone(world, client_as):
    r = client_as("owner").post("/me/", {"display_name": "Sam", "language": "", "timezone": "Nowhere/Else"})
    assert r.status_code == 200 and "timezone" in r.context["form"].errors
    world.owner.refresh_from_db()
    assert world.owner.timezone != "Nowhere/Else"


def test_checkin_at_night_in_honolulu_is_that_days(world, client_as):
    world.owner.timezone = "Pacific/Honolulu"
    world.owner.save()
    with time_machine.travel(datetime(2026, 3, 10, 8, 30, tzinfo=UTC), tick=False):
        r = client_as("owner").post("/diary/", {"mood": "5", "closeness": "6"})
        assert r.status_code == 302
        page = client_as("owner").get("/diary/").content.decode()
    assert world.owner.checkins.get().local_date == date(2026, 3, 9)
    assert "Monday 9 Mar 2026" in page
