"""Security bar items 1, 2, 4, 5, 6 and 20 (see shared/reference/security-bar.md)."""

import os
import subprocess
import sys
import time
from datetime import timedelta
from pathlib import Path

import pytest
import time_machine
from django.conf import settings
from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError
from django.test import Client
from django.utils import timezone

from conftest import make_user

ROOT = Path(__file__).resolve().parents[3]
PRODUCTION_ENV = {
    "NEARER_ENV": "production",
    "NEARER_SECRET_KEY": "a-long-random-production-secret-for-the-check-only-" + "z" * 30,
    "NEARER_ALLOWED_HOSTS": "nearer.example.org",
    "NEARER_EMAIL_BACKEND": "django.core.mail.backends.smtp.EmailBackend",
    "NEARER_ENCRYPTION_KEYS": "p1:" + "QUJDREVGR0hJSktMTU5PUFFSU1RVVldYWVo0NTY3ODk=",
    "DJANGO_SETTINGS_MODULE": "nearer.settings",
}


def _run(*args, extra=None):
    env = {k: v for k, v in os.environ.items() if not k.startswith(("NEARER_", "DJANGO_", "DATABASE_URL"))}
    env.update(PRODUCTION_ENV)
    env["NEARER_SQLITE_PATH"] = "/tmp/nearer-deploy-check.sqlite3"
    env.update(extra or {})
    return subprocess.run([sys.executable, *args], cwd=ROOT, env=env, capture_output=True, text=True, timeout=120)


def test_check_deploy_with_production_settings_reports_nothing(tmp_path):
    # A complete production configuration: a backup key and folder, real email, an https address,
    # and a worker that has run (check --deploy flags a worker that never ran; see nearer/ops/checks.py).
    backups = tmp_path / "backups"
    backups.mkdir(mode=0o700)
    extra = {"NEARER_BACKUP_KEY": "bk1:" + "QmFja3VwLWtleS1mb3ItdGVzdHMtb25seS0zMi1ieXQ=",
             "NEARER_BACKUP_DIR": str(backups), "NEARER_SITE_URL": "https://nearer.example.org",
             "NEARER_EMAIL_BACKEND": "django.core.mail.backends.smtp.EmailBackend",
             "NEARER_SQLITE_PATH": str(tmp_path / "deploy.sqlite3"), "NEARER_VAR_DIR": str(tmp_path / "var")}
    first = _run("manage.py", "check", "--deploy", extra=extra)
    assert "nearer.E111" in first.stdout + first.stderr  # not migrated yet: no heartbeat to read
    for step in (("migrate", "--verbosity", "0"), ("worker", "--once")):
        done = _run("manage.py", *step, extra=extra)
        assert done.returncode == 0, done.stdout + done.stderr
    result = _run("manage.py", "check", "--deploy", "--fail-level", "DEBUG", extra=extra)
    assert result.returncode == 0, result.stdout + result.stderr
    assert "System check identified no issues (0 silenced)." in result.stdout


def test_production_settings_refuse_to_start_without_secrets():
    result = _run("manage.py", "check", extra={"NEARER_ENCRYPTION_KEYS": ""})
    assert result.returncode != 0
    result = subprocess.run(
        [sys.executable, "manage.py", "check"], cwd=ROOT, capture_output=True, text=True, timeout=120,
        env={"PATH": os.environ["PATH"], "NEARER_ENV": "production", "DJANGO_SETTINGS_MODULE": "nearer.settings"},
    )
    assert result.returncode != 0 and "NEARER_SECRET_KEY" in result.stderr


def test_production_uses_argon2id_and_secure_cookies():
    code = (
        "import django; django.setup(); from django.conf import settings as s;"
        "from django.contrib.auth.hashers import make_password, identify_hasher;"
        "h = make_password('x'); print(identify_hasher(h).algorithm, h.split('$')[0],"
        " s.SESSION_COOKIE_SECURE, s.CSRF_COOKIE_SECURE, s.SESSION_COOKIE_HTTPONLY, s.SESSION_COOKIE_SAMESITE,"
        " s.SECURE_HSTS_SECONDS)"
    )
    result = _run("-c", code)
    assert result.returncode == 0, result.stderr
    assert result.stdout.split() == ["argon2", "argon2", "True", "True", "True", "Lax", "31536000"]


def test_argon2_is_variant_id():
    from django.contrib.auth.hashers import Argon2PasswordHasher

    encoded = Argon2PasswordHasher().encode("correct horse", Argon2PasswordHasher().salt())
    assert encoded.startswith("argon2$argon2id$")


@pytest.mark.parametrize("password", ["password123", "qwertyuiop", "iloveyou12"])
def test_common_passwords_are_refused(password):
    with pytest.raises(ValidationError):
        validate_password(password)


@pytest.mark.parametrize("password", ["lowercase only long phrase", "correct horse battery staple"])
def test_no_composition_rules(password):
    validate_password(password)


@pytest.mark.django_db
def test_failed_logins_are_throttled_per_account_and_the_lock_lapses_by_itself():
    from django.core.cache import cache

    cache.clear()
    make_user("sam@x.test")
    url = "/accounts/login/"
    start = timezone.now()
    with time_machine.travel(start, tick=False):
        for i in range(10):
            response = Client(REMOTE_ADDR=f"10.0.0.{i}").post(url, {"login": "sam@x.test", "password": "wrong"})
            assert response.status_code == 200
            assert "Too many failed" not in response.content.decode()
        blocked = Client(REMOTE_ADDR="10.0.1.1").post(url, {"login": "sam@x.test", "password": "correct horse battery staple"})
        assert blocked.status_code == 429 or "Too many failed" in blocked.content.decode()
    with time_machine.travel(start + timedelta(minutes=16), tick=False):
        ok = Client(REMOTE_ADDR="10.0.1.2").post(url, {"login": "sam@x.test", "password": "correct horse battery staple"})
        assert ok.status_code == 302
    cache.clear()


@pytest.mark.django_db
def test_login_issues_a_new_session_id():
    make_user("sam@x.test")
    c = Client()
    c.get("/accounts/login/")
    c.session["x"] = 1
    before = c.cookies.get(settings.SESSION_COOKIE_NAME)
    c.post("/accounts/login/", {"login": "sam@x.test", "password": "correct horse battery staple"})
    after = c.cookies[settings.SESSION_COOKIE_NAME].value
    assert after and (before is None or before.value != after)


def _signed_in(user):
    c = Client()
    c.force_login(user)
    assert c.get("/me/").status_code == 200
    return c


@pytest.mark.django_db
@pytest.mark.parametrize("role,minutes", [("person", 30), ("therapist", 15)])
def test_idle_timeout(role, minutes):
    user = make_user(f"{role}@x.test", role=role)
    start = time.time()
    with time_machine.travel(start, tick=False):
        c = _signed_in(user)
    with time_machine.travel(start + (minutes - 1) * 60, tick=False):
        assert c.get("/me/").status_code == 200
    with time_machine.travel(start + (2 * minutes) * 60, tick=False):
        response = c.get("/me/")
        assert response.status_code == 302 and "/accounts/login/" in response["Location"]


@pytest.mark.django_db
def test_absolute_session_limit_of_twelve_hours():
    user = make_user("sam@x.test")
    start = time.time()
    with time_machine.travel(start, tick=False):
        c = _signed_in(user)
    # Stay active every 20 minutes: the idle timer never fires, but 12 h is the hard limit.
    t = start
    while t < start + 12 * 3600 - 1200:
        t += 1200
        with time_machine.travel(t, tick=False):
            assert c.get("/me/").status_code == 200
    with time_machine.travel(start + 12 * 3600 + 60, tick=False):
        assert c.get("/me/").status_code == 302


@pytest.mark.django_db
def test_password_change_ends_other_sessions():
    user = make_user("sam@x.test")
    other = _signed_in(user)
    me = _signed_in(user)
    response = me.post("/accounts/password/change/", {
        "oldpassword": "correct horse battery staple", "password1": "a brand new passphrase", "password2": "a brand new passphrase"})
    assert response.status_code == 302
    assert me.get("/me/").status_code == 200
    assert other.get("/me/").status_code == 302


@pytest.mark.django_db
def test_second_factor_change_ends_other_sessions():
    from allauth.mfa.signals import authenticator_added
    from django.test import RequestFactory

    user = make_user("t@x.test", role="therapist")
    other = _signed_in(user)
    me = _signed_in(user)
    request = RequestFactory().get("/")
    request.session = me.session
    request.user = user
    from allauth.core import context

    with context.request_context(request):
        authenticator_added.send(sender=None, request=request, user=user, authenticator=None)
    assert other.get("/me/").status_code == 302


@pytest.mark.django_db
def test_person_sees_and_ends_their_sessions():
    user = make_user("sam@x.test")
    phone = _signed_in(user)
    laptop = _signed_in(user)
    page = laptop.get("/accounts/sessions/")
    assert page.status_code == 200
    response = laptop.post("/accounts/sessions/", {"action": "logout"})
    assert response.status_code in (200, 302)
    assert phone.get("/me/").status_code == 302
    assert laptop.get("/me/").status_code == 200


@pytest.mark.django_db
def test_security_headers_on_pages_and_api(client):
    for url in ["/", "/help/", "/accounts/login/", "/api/openapi.json", "/does-not-exist/"]:
        response = client.get(url)
        csp = response.headers["Content-Security-Policy"]
        assert "script-src 'self'" in csp and "unsafe-inline" not in csp, url
        assert response.headers["X-Content-Type-Options"] == "nosniff", url
        assert response.headers["Referrer-Policy"] == "same-origin", url
        assert response.headers["Cache-Control"] == "no-store", url
        assert response.headers["X-Frame-Options"] == "DENY", url


@pytest.mark.django_db
def test_errors_never_show_stack_traces(client, settings):
    settings.DEBUG = False
    response = client.get("/api/accounts/links/999999/scopes")
    assert response.status_code in (401, 404, 405)
    assert b"Traceback" not in response.content
