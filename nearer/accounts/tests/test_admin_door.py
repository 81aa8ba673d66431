"""Issue 16 item 8: the admin site and every client read need a session that passed the second factor.

A password-only sign-in (the Django admin's own login form, or any session without the second
step) reaches no admin page, no clinic admin page, no client data, and cannot mint an API token.
"""

from __future__ import annotations

import time
from typing import Any

import pytest
from allauth.mfa.models import Authenticator
from allauth.mfa.totp.internal.auth import format_hotp_value, hotp_value
from django.test import Client

from conftest import make_user
from nearer.accounts.adapter import MFAAdapter
from nearer.accounts.models import ApiToken

pytestmark = pytest.mark.django_db
PASSWORD = "correct horse battery staple"


def _operator() -> Any:
    user = make_user("operator@example.test", "clinic_admin", "Op", mfa=True)
    user.is_staff = user.is_superuser = True
    user.save()
    return user


def _code(user: Any) -> str:
    from allauth.mfa import app_settings

    auth = Authenticator.objects.get(user=user, type=Authenticator.Type.TOTP)
    secret = MFAAdapter().decrypt(auth.data["secret"])
    return format_hotp_value(hotp_value(secret, int(time.time()) // app_settings.TOTP_PERIOD))


def test_the_admin_site_is_off_by_default(settings: Any) -> None:
    assert settings.NEARER_ADMIN_ENABLED is False
    op = _operator()
    c = Client()
    assert c.get("/ops/admin/login/").status_code == 404
    c.post("/accounts/login/", {"login": op.email, "password": PASSWORD})
    c.post("/accounts/2fa/authenticate/", {"code": _code(op)})
    assert c.get("/ops/admin/").status_code == 404


def test_the_admin_login_form_no_longer_signs_anyone_in(settings: Any) -> None:
    settings.NEARER_ADMIN_ENABLED = True
    op = _operator()
    c = Client()
    page = c.get("/ops/admin/login/?next=/ops/admin/")
    assert page.status_code == 302 and page["Location"].startswith("/accounts/login/")
    posted = c.post("/ops/admin/login/", {"username": op.email, "password": PASSWORD, "next": "/ops/admin/"})
    assert posted.status_code == 302 and posted["Location"].startswith("/accounts/login/")
    assert "_auth_user_id" not in c.session
    assert c.get("/ops/admin/").status_code == 302


def test_a_password_only_session_reaches_no_admin_page_and_mints_no_token(settings: Any, world: Any) -> None:
    settings.NEARER_ADMIN_ENABLED = True
    op = _operator()
    c = Client()
    c.force_login(op)  # what the old admin login produced: a session without the second step
    assert c.get("/ops/admin/").status_code in (302, 403, 404)
    assert c.get("/ops/admin/accounts/user/").status_code in (302, 403, 404)
    assert c.get("/ops/admin/login/").status_code == 403
    assert c.post("/me/tokens/", {"name": "script"}).status_code == 403
    assert not ApiToken.objects.filter(user=op).exists()
    # The clinic admin pages and the therapist's client page ask for the second step too.
    admin = Client()
    admin.force_login(world.clinic_admin)
    assert admin.get("/clinic/admin/therapists/").status_code == 403
    therapist = Client()
    therapist.force_login(world.therapist)
    page = therapist.get(f"/clinic/clients/{world.owner.pk}/")
    assert page.status_code == 403 and b"second" in page.content
    assert therapist.post("/me/tokens/", {"name": "script"}).status_code == 403


def test_the_real_sign_in_with_the_second_factor_opens_the_admin(settings: Any) -> None:
    settings.NEARER_ADMIN_ENABLED = True
    op = _operator()
    c = Client()
    step = c.post("/accounts/login/", {"login": op.email, "password": PASSWORD})
    assert "/accounts/2fa/authenticate/" in step["Location"]
    assert c.get("/ops/admin/").status_code != 200
    c.post("/accounts/2fa/authenticate/", {"code": _code(op)})
    assert c.get("/ops/admin/").status_code == 200
    assert c.post("/me/tokens/", {"name": "script"}).status_code == 200
    assert ApiToken.objects.filter(user=op).count() == 1
