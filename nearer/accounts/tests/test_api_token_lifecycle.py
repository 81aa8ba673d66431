"""Issue 16 item 11: API tokens expire, are listed and revocable in settings, and end when the
second factor (or the password) is reset."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
import time_machine
from django.test import Client
from django.utils import timezone

from nearer.accounts.models import ApiToken
from nearer.testing import sign_in

pytestmark = pytest.mark.django_db


def _api(secret: str) -> int:
    return Client().get("/api/accounts/me", HTTP_AUTHORIZATION=f"Bearer {secret}").status_code


def _mint(c: Client, name: str, days: str = "") -> str:
    data = {"name": name, **({"days": days} if days else {})}
    page = c.post("/me/tokens/", data)
    assert page.status_code == 200
    return page.context["secret"]


def test_a_token_lasts_the_chosen_time_then_stops_by_itself(world: Any) -> None:
    c = sign_in(Client(), world.therapist)
    secret = _mint(c, "my script", "30")
    token = ApiToken.objects.get(user=world.therapist, name="my script")
    assert abs((token.expires_at - timezone.now()) - dt.timedelta(days=30)) < dt.timedelta(minutes=1)
    assert _api(secret) == 200
    with time_machine.travel(timezone.now() + dt.timedelta(days=31), tick=False):
        assert _api(secret) == 401
    default = _mint(c, "default length")
    token = ApiToken.objects.get(token_hash__isnull=False, name="default length")
    assert abs((token.expires_at - timezone.now()) - dt.timedelta(days=90)) < dt.timedelta(minutes=1)
    assert _api(default) == 200


def test_settings_list_tokens_with_expiry_and_revoke_them(world: Any) -> None:
    c = sign_in(Client(), world.owner)
    secret = _mint(c, "diary sync", "365")
    html = c.get("/me/tokens/").content.decode()
    token = ApiToken.objects.get(user=world.owner, name="diary sync")
    assert "diary sync" in html and token.hint in html and _shown(token.expires_at, world.owner.timezone) in html
    assert "stops working" in html and "never" in html  # not used yet
    c.post(f"/me/tokens/{token.pk}/revoke/")
    assert _api(secret) == 401
    assert "diary sync" not in c.get("/me/tokens/").content.decode()


def test_an_odd_length_is_refused_not_a_server_error(world: Any) -> None:
    c = sign_in(Client(), world.owner)
    page = c.post("/me/tokens/", {"name": "x", "days": "100000"})
    assert page.status_code == 200 and page.context["secret"] is None
    assert "days" in page.context["form"].errors


def test_resetting_the_second_factor_revokes_every_token(world: Any, django_capture_on_commit_callbacks: Any) -> None:
    c = sign_in(Client(), world.therapist)
    secret = _mint(c, "caseload export")
    assert _api(secret) == 200 and _api(world.tokens["therapist"]) == 200
    # New recovery codes are a reset of the second factor (after confirming the password, as allauth asks).
    c.post("/accounts/reauthenticate/", {"password": "correct horse battery staple"})
    with django_capture_on_commit_callbacks(execute=True):  # allauth signals the reset after commit
        response = c.post("/accounts/2fa/recovery-codes/generate/")
    assert response.status_code in (200, 302)
    assert _api(secret) == 401 and _api(world.tokens["therapist"]) == 401
    assert _api(world.tokens["owner"]) == 200  # nobody else's tokens


def test_changing_the_password_revokes_every_token(world: Any) -> None:
    c = sign_in(Client(), world.owner)
    secret = _mint(c, "sync")
    c.post("/accounts/password/change/", {"oldpassword": "correct horse battery staple",
                                          "password1": "a brand new long passphrase", "password2": "a brand new long passphrase"})
    assert _api(secret) == 401


def _shown(when: dt.datetime, zone: str) -> str:
    """A date as the pages write it ("3 Dec 2027"), in the person's time zone."""
    from zoneinfo import ZoneInfo

    from django.utils import formats

    return formats.date_format(timezone.localtime(when, ZoneInfo(zone)), "DATE_FORMAT")
