"""Issue 16 item 9: behind the documented proxy each client is itself; throttling counts per account
and per client address in a cache every process shares; a locked account never locks others."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
from django.test import Client

from conftest import make_user
from nearer.accounts.clientip import client_ip

ROOT = Path(__file__).resolve().parents[3]
PASSWORD = "correct horse battery staple"
PROD_LIMITS = {"login_failed": "30/15m/ip,10/15m/key", "signup": "20/h/ip",
               "reset_password": "20/h/ip,5/h/key", "reset_password_from_key": "20/h/ip"}


def test_without_the_proxy_setting_the_header_is_ignored(settings: Any) -> None:
    settings.NEARER_BEHIND_PROXY = False
    assert client_ip({"REMOTE_ADDR": "127.0.0.1", "HTTP_X_FORWARDED_FOR": "203.0.113.9"}) == "127.0.0.1"


@pytest.mark.parametrize(("remote", "xff", "expected"), [
    ("127.0.0.1", "203.0.113.9", "203.0.113.9"),
    ("127.0.0.1", "198.51.100.1, 203.0.113.9", "203.0.113.9"),  # a client-written first hop is not believed
    ("127.0.0.1", "203.0.113.9, 10.0.0.2", "203.0.113.9"),  # a second trusted proxy in the chain
    ("127.0.0.1", "", "127.0.0.1"),
    ("127.0.0.1", "not-an-address", "127.0.0.1"),
    ("127.0.0.1", "[2001:db8::7]:4431", "2001:db8::7"),
    ("192.0.2.50", "203.0.113.9", "192.0.2.50"),  # not from a trusted proxy: the header is anyone's
])
def test_behind_a_trusted_proxy_the_client_is_the_right_most_untrusted_hop(settings: Any, remote: str, xff: str,
                                                                           expected: str) -> None:
    settings.NEARER_BEHIND_PROXY = True
    settings.NEARER_TRUSTED_PROXIES = ["127.0.0.1", "10.0.0.0/8"]
    assert client_ip({"REMOTE_ADDR": remote, "HTTP_X_FORWARDED_FOR": xff}) == expected


def _login(c: Client, email: str, password: str, ip: str) -> int:
    return c.post("/accounts/login/", {"login": email, "password": password}, HTTP_X_FORWARDED_FOR=ip).status_code


@pytest.mark.django_db
def test_thirty_failures_by_one_client_behind_the_proxy_lock_out_nobody_else(settings: Any) -> None:
    settings.NEARER_BEHIND_PROXY = True
    settings.NEARER_TRUSTED_PROXIES = ["127.0.0.1"]
    settings.ACCOUNT_RATE_LIMITS = PROD_LIMITS
    people = [make_user(f"p{i}@example.test") for i in range(4)]
    attacker = Client(REMOTE_ADDR="127.0.0.1")
    for i in range(30):
        _login(attacker, people[i % 3].email, "wrong password here", "203.0.113.9")
    assert _login(attacker, people[3].email, PASSWORD, "203.0.113.9") != 302  # this client is throttled
    # Everyone else, also arriving through the same proxy, signs in.
    assert _login(Client(REMOTE_ADDR="127.0.0.1"), people[3].email, PASSWORD, "198.51.100.7") == 302


@pytest.mark.django_db
def test_ten_wrong_passwords_lock_that_account_only_and_the_lock_lapses(settings: Any) -> None:
    import datetime as dt

    import time_machine
    from django.utils import timezone

    settings.NEARER_BEHIND_PROXY = True
    settings.ACCOUNT_RATE_LIMITS = PROD_LIMITS
    sam, alex = make_user("sam@example.test"), make_user("alex@example.test")
    for i in range(10):
        assert _login(Client(REMOTE_ADDR="127.0.0.1"), sam.email, "wrong password here", f"203.0.113.{i + 1}") == 200
    # The 11th attempt on Sam's account is refused even with the right password, from anywhere.
    assert _login(Client(REMOTE_ADDR="127.0.0.1"), sam.email, PASSWORD, "198.51.100.99") != 302
    assert _login(Client(REMOTE_ADDR="127.0.0.1"), alex.email, PASSWORD, "203.0.113.1") == 302
    with time_machine.travel(timezone.now() + dt.timedelta(minutes=16), tick=False):
        assert _login(Client(REMOTE_ADDR="127.0.0.1"), sam.email, PASSWORD, "198.51.100.99") == 302


@pytest.mark.parametrize(("redis", "backend"), [("", "django.core.cache.backends.db.DatabaseCache"),
                                                ("redis://127.0.0.1:6379/15", "django.core.cache.backends.redis.RedisCache")])
def test_throttling_counts_in_a_cache_every_process_shares(tmp_path: Path, redis: str, backend: str) -> None:
    env = {k: v for k, v in os.environ.items() if not k.startswith(("NEARER_", "DJANGO_", "DATABASE_URL"))}
    env.update(NEARER_ENV="dev", NEARER_VAR_DIR=str(tmp_path), NEARER_REDIS_URL=redis, DJANGO_SETTINGS_MODULE="nearer.settings")
    code = "import django; django.setup(); from django.conf import settings; print(settings.CACHES['default']['BACKEND'])"
    result = subprocess.run([sys.executable, "-c", code], cwd=ROOT, env=env, capture_output=True, text=True, timeout=120)
    assert result.stdout.strip() == backend, result.stderr


SEQUENCE = r"""
import sys, django
django.setup()
from django.core.management import call_command
call_command("migrate", verbosity=0)
from django.test import Client
from nearer.accounts.models import User
if not User.objects.filter(email="sam@example.test").exists():
    User.objects.create_user("sam@example.test", "correct horse battery staple")
def attempt():
    r = Client().post("/accounts/login/", {"login": "sam@example.test", "password": "wrong password here"})
    return "throttled" if r.status_code == 429 or b"Too many failed" in r.content else str(r.status_code)
print(" ".join(attempt() for _ in range(int(sys.argv[1]))))
"""


def test_two_processes_share_one_count_of_ten_on_sqlite(tmp_path: Path) -> None:
    """What two gunicorn workers did: each counted to 10 in its own memory, 20 wrong passwords in all."""
    env = {k: v for k, v in os.environ.items() if not k.startswith(("NEARER_", "DJANGO_", "DATABASE_URL"))}
    env.update(NEARER_ENV="dev", NEARER_VAR_DIR=str(tmp_path), DJANGO_SETTINGS_MODULE="nearer.settings",
               NEARER_EMBEDDED_SCHEDULER="false")
    first = subprocess.run([sys.executable, "-c", SEQUENCE, "6"], cwd=ROOT, env=env, capture_output=True, text=True, timeout=300)
    second = subprocess.run([sys.executable, "-c", SEQUENCE, "6"], cwd=ROOT, env=env, capture_output=True, text=True, timeout=300)
    assert first.returncode == 0 and second.returncode == 0, first.stderr[-2000:] + second.stderr[-2000:]
    codes = first.stdout.split() + second.stdout.split()
    assert codes == ["200"] * 10 + ["throttled"] * 2
