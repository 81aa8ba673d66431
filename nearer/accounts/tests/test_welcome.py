"""After confirming their email a person gets a short, skippable welcome that ends on today's check-in."""

from __future__ import annotations

import datetime as dt
import re

import pytest
from django.core import mail
from django.test import Client

from nearer.accounts.models import User
from nearer.ops.models import ReminderPreference

pytestmark = pytest.mark.django_db

SIGNUP = {"email": "welcome@x.test", "password1": "a long enough phrase", "password2": "a long enough phrase",
          "role": "person", "timezone": "America/Los_Angeles"}


def _confirmed(role: str = "person", email: str = "welcome@x.test") -> tuple[Client, object]:
    c = Client()
    # A fresh address per test: confirmation emails are rate-limited per address.
    c.post("/accounts/signup/", {**SIGNUP, "role": role, "email": email})
    link = re.search(r"https?://\S+", mail.outbox[-1].body).group(0).replace("http://testserver", "")
    return c, c.post(link)


def test_confirming_the_email_leads_to_the_welcome_and_it_sets_things_up():
    c, r = _confirmed()
    assert r.status_code == 302 and r["Location"] == "/welcome/"
    first = c.get("/welcome/").content.decode()
    assert "Step 1 of 3" in first and "Skip, go to today's check-in" in first
    second = c.get("/welcome/?step=2").content.decode()
    assert '<option value="America/Los_Angeles" selected>' in second
    r = c.post("/welcome/?step=2", {"timezone": "Pacific/Honolulu", "language": "es", "remind": "on", "remind_at": "21:30"})
    assert r.status_code == 302 and r["Location"] == "/welcome/?step=3"
    user = User.objects.get(email="welcome@x.test")
    assert (user.timezone, user.language) == ("Pacific/Honolulu", "es")
    pref = ReminderPreference.objects.get(person=user, kind="checkin")
    assert (pref.enabled, pref.local_time, pref.by_email) == (True, dt.time(21, 30), True)
    third = c.get("/welcome/?step=3").content.decode()
    assert 'href="/safety/plan/edit/"' in third and 'href="/diary/"' in third
    # Done: signing in again goes home, not to the welcome.
    c.logout()
    r = c.post("/accounts/login/", {"login": "welcome@x.test", "password": SIGNUP["password1"]})
    assert r.status_code == 302 and r["Location"] == "/"


def test_skip_lands_on_todays_checkin():
    c, _r = _confirmed(email="skip@x.test")
    r = c.post("/welcome/", {"skip": "1"})
    assert r.status_code == 302 and r["Location"] == "/diary/"


def test_bad_time_is_a_field_error():
    c, _r = _confirmed(email="badtime@x.test")
    r = c.post("/welcome/?step=2", {"timezone": "Pacific/Honolulu", "language": "", "remind": "on", "remind_at": "25:99"})
    assert r.status_code == 400 and "remind_at" in r.context["form"].errors


def test_a_therapist_is_not_welcomed_as_a_person():
    c, r = _confirmed("therapist", email="dr@x.test")
    assert r["Location"] != "/welcome/"
    assert c.get("/welcome/")["Location"] == "/"
