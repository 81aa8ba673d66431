import re

import pytest
from django.core import mail
from django.test import Client

from conftest import make_user
from nearer.accounts.models import User

pytestmark = pytest.mark.django_db


def _link_in(message_body: str) -> str:
    return re.search(r"https?://[^\s]+", message_body).group(0).replace("http://testserver", "")


def test_sign_up_verify_email_and_sign_in():
    c = Client()
    response = c.post("/accounts/signup/", {
        "email": "new@x.test", "password1": "a long enough phrase", "password2": "a long enough phrase",
        "display_name": "Robin", "role": "person"})
    assert response.status_code == 302
    user = User.objects.get(email="new@x.test")
    assert user.display_name == "Robin" and user.role == "person"
    assert user.password.startswith("md5$") or user.password.startswith("argon2")
    assert len(mail.outbox) == 1
    body = mail.outbox[0].body
    assert "Robin" not in body  # no personal data beyond the address it is sent to
    confirm = _link_in(body)
    c.get(confirm)
    c.post(confirm)
    from allauth.account.models import EmailAddress

    assert EmailAddress.objects.get(email="new@x.test").verified


def test_unverified_account_cannot_sign_in():
    c = Client()
    c.post("/accounts/signup/", {"email": "new@x.test", "password1": "a long enough phrase",
                                 "password2": "a long enough phrase", "role": "person"})
    c2 = Client()
    response = c2.post("/accounts/login/", {"login": "new@x.test", "password": "a long enough phrase"})
    assert response.status_code == 302 and "confirm-email" in response["Location"]
    assert c2.get("/me/").status_code == 302


def test_signup_errors_name_the_field_and_keep_input():
    response = Client().post("/accounts/signup/", {"email": "not-an-email", "password1": "short", "password2": "other"})
    assert response.status_code == 200
    page = response.content.decode()
    assert "not-an-email" in page
    assert User.objects.count() == 0


def test_password_reset_by_email():
    make_user("sam@x.test")
    c = Client()
    c.post("/accounts/password/reset/", {"email": "sam@x.test"})
    assert len(mail.outbox) == 1
    link = _link_in(mail.outbox[0].body)
    response = c.get(link, follow=True)
    form_url = response.redirect_chain[-1][0] if response.redirect_chain else link
    response = c.post(form_url, {"password1": "my new long passphrase", "password2": "my new long passphrase"})
    assert response.status_code == 302
    assert Client().login(email="sam@x.test", password="my new long passphrase")


def test_recovery_codes_work_once():
    from allauth.mfa.models import Authenticator
    from allauth.mfa.recovery_codes.internal.auth import RecoveryCodes

    user = make_user("t@x.test", role="therapist", mfa=True)
    codes = RecoveryCodes(Authenticator.objects.get(user=user, type="recovery_codes"))
    code = codes.get_unused_codes()[0]
    assert codes.validate_code(code)
    fresh = RecoveryCodes(Authenticator.objects.get(user=user, type="recovery_codes"))
    assert not fresh.validate_code(code)
    stored = Authenticator.objects.get(user=user, type="recovery_codes").data
    assert code not in str(stored)
    assert stored["seed"].startswith("enc1:")


def test_totp_secret_is_stored_encrypted():
    from allauth.mfa.models import Authenticator

    user = make_user("t@x.test", role="therapist", mfa=True)
    assert Authenticator.objects.get(user=user, type="totp").data["secret"].startswith("enc1:")


def test_therapist_login_asks_for_the_second_factor():
    make_user("t@x.test", role="therapist", mfa=True)
    response = Client().post("/accounts/login/", {"login": "t@x.test", "password": "correct horse battery staple"})
    assert response.status_code == 302 and "/accounts/2fa/authenticate/" in response["Location"]
