import io
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest
from django.core.management import call_command

from nearer import demo
from nearer.accounts.models import Link, User

ROOT = Path(__file__).resolve().parents[3]


def test_nearer_help_lists_the_commands():
    result = subprocess.run([sys.executable, "-m", "nearer.cli", "--help"], cwd=ROOT, capture_output=True, text=True, timeout=60)
    assert result.returncode == 0
    for command in ["serve", "demo", "migrate", "createsuperuser", "export", "rotate-keys", "loop", "measures"]:
        assert f"  {command} " in result.stdout


def test_a_configuration_error_is_one_plain_line_not_a_traceback(tmp_path):
    import os

    env = {k: v for k, v in os.environ.items() if not k.startswith(("NEARER_", "DJANGO_"))}
    env.update(NEARER_ENV="production", NEARER_ALLOWED_HOSTS="nearer.example.org", NEARER_VAR_DIR=str(tmp_path))
    result = subprocess.run([sys.executable, "-m", "nearer.cli", "check"], cwd=ROOT, env=env, capture_output=True,
                            text=True, timeout=60)
    assert result.returncode == 2
    assert result.stderr.startswith("nearer: the configuration is not valid: The environment variable NEARER_SECRET_KEY is required.")
    assert "Traceback" not in result.stderr and "docs/operating.md" in result.stderr
    import base64

    env.update(NEARER_SECRET_KEY="x" * 50, NEARER_ENCRYPTION_KEYS="k1:" + base64.b64encode(bytes(32)).decode(),
               NEARER_IDLE_TIMEOUT_MINUTES="soon")
    result = subprocess.run([sys.executable, "-m", "nearer.cli", "check"], cwd=ROOT, env=env, capture_output=True,
                            text=True, timeout=60)
    assert result.returncode == 2 and "NEARER_IDLE_TIMEOUT_MINUTES must be a whole number, not 'soon'." in result.stderr


def test_check_names_a_default_time_zone_that_does_not_exist(settings):
    from nearer.accounts.apps import check_default_timezone

    settings.NEARER_DEFAULT_TIMEZONE = "America/Atlanta"
    errors = check_default_timezone(None)
    assert [e.id for e in errors] == ["nearer.E002"] and "America/Atlanta" in errors[0].msg
    settings.NEARER_DEFAULT_TIMEZONE = "America/New_York"
    assert check_default_timezone(None) == []


@pytest.mark.django_db
def test_demo_creates_people_links_and_prints_logins(tmp_path):
    out = io.StringIO()
    call_command("demo", stdout=out)
    text = out.getvalue()
    for email in [demo.SAM, demo.ALEX, demo.RIVERA]:
        assert email in text
    assert demo.DEMO_PASSWORD in text and "demo-code" in text
    sam = User.objects.get(email=demo.SAM)
    rivera = User.objects.get(email=demo.RIVERA)
    assert rivera.clinic.city == "Atlanta" and rivera.has_mfa()
    assert Link.objects.active().filter(owner=sam, kind="partner").count() == 1
    assert Link.objects.active().get(owner=sam, kind="therapist").viewer == rivera
    # The printed code is the one the sign-in step accepts.
    code_out = io.StringIO()
    call_command("demo-code", demo.RIVERA, stdout=code_out)
    from allauth.mfa.models import Authenticator
    from allauth.mfa.totp.internal.auth import TOTP

    code = code_out.getvalue().strip()
    assert len(code) == 6 and code.isdigit()
    assert TOTP(Authenticator.objects.get(user=rivera, type="totp")).validate_code(code)
    # Running it again does not duplicate anyone.
    call_command("demo", stdout=io.StringIO())
    assert User.objects.filter(email=demo.SAM).count() == 1


@pytest.mark.django_db
def test_demo_code_refuses_real_accounts():
    from django.core.management.base import CommandError

    with pytest.raises(CommandError):
        call_command("demo-code", "someone@example.org")


@pytest.mark.django_db
def test_export_command_writes_a_zip(world, tmp_path):
    target = tmp_path / "sam.zip"
    call_command("export", "owner@example.test", "--out", str(target), stdout=io.StringIO())
    with zipfile.ZipFile(target) as archive:
        names = archive.namelist()
    assert "nearer-export.json" in names and "csv/links.csv" in names
