"""Suite-wide fixtures: personas, no network, captured logs for canary checks."""

from __future__ import annotations

import logging
import socket
from collections.abc import Iterator
from typing import Any

import pytest

from nearer.testing import World

_real_connect = socket.socket.connect
_LOOPBACK = ("127.", "::1", "localhost")


def _guarded_connect(self: socket.socket, address: Any) -> Any:
    host = address[0] if isinstance(address, tuple) else str(address)
    if isinstance(host, str) and not (host.startswith(_LOOPBACK) or self.family == socket.AF_UNIX):
        raise RuntimeError(f"Tests may not reach the network ({host}).")
    return _real_connect(self, address)


@pytest.fixture(autouse=True)
def _default_language() -> Iterator[None]:
    """Each test starts in English: a request in Spanish leaves its language active on the thread."""
    from django.utils import translation

    translation.activate("en")
    yield
    translation.deactivate()


@pytest.fixture(autouse=True)
def _no_network(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(socket.socket, "connect", _guarded_connect)


class _Capture(logging.Handler):
    def __init__(self) -> None:
        super().__init__(level=logging.DEBUG)
        self.lines: list[str] = []

    def emit(self, record: logging.LogRecord) -> None:
        try:
            self.lines.append(self.format(record))
        except Exception:  # noqa: BLE001 - a broken record must not break the suite
            self.lines.append(str(record.msg))


_FORMAT = logging.Formatter("%(name)s %(levelname)s %(message)s %(request_summary)s", defaults={"request_summary": ""})
# Loggers that do not propagate to the root in our LOGGING settings.
_NON_PROPAGATING = ["django.request", "django.security"]


@pytest.fixture
def captured_logs() -> Iterator[list[str]]:
    """Every log line written while the test runs (formatted), for canary checks.

    A fresh handler is attached for each test, so a test that reconfigures logging cannot hide
    lines from a later one.
    """
    handler = _Capture()
    handler.setFormatter(_FORMAT)
    targets = [logging.getLogger()] + [logging.getLogger(name) for name in _NON_PROPAGATING]
    for logger in targets:
        logger.addHandler(handler)
    try:
        yield handler.lines
    finally:
        for logger in targets:
            logger.removeHandler(handler)


def make_user(email: str, role: str = "person", name: str = "", clinic: Any = None, mfa: bool = False) -> Any:
    from allauth.account.models import EmailAddress

    from nearer.accounts.models import User

    user = User.objects.create_user(email, "correct horse battery staple", display_name=name, role=role, clinic=clinic)
    EmailAddress.objects.create(user=user, email=email, verified=True, primary=True)
    if mfa:
        from allauth.mfa.recovery_codes.internal.auth import RecoveryCodes
        from allauth.mfa.totp.internal.auth import TOTP, generate_totp_secret

        TOTP.activate(user, generate_totp_secret())
        RecoveryCodes.activate(user)
    return user


def link(owner: Any, viewer: Any, kind: str, scopes: list[str] | None = None) -> Any:
    from nearer.accounts.models import Link
    from nearer.privacy.scopes import default_scopes

    return Link.objects.create(owner=owner, viewer=viewer, kind=kind, scopes=default_scopes(kind) if scopes is None else scopes)


def build_world() -> World:
    from nearer.accounts.models import Clinic
    from nearer.accounts.services import create_api_token

    clinic = Clinic.objects.create(name="Test Clinic", city="Atlanta", state="GA", on_call_email="oncall@clinic.test")
    other_clinic = Clinic.objects.create(name="Other Clinic", city="Austin", state="TX")
    w = World(
        owner=make_user("owner@example.test", name="Sam"),
        partner=make_user("partner@example.test", name="Alex"),
        unlinked=make_user("unlinked@example.test", name="Uma"),
        therapist=make_user("therapist@example.test", "therapist", "Dr. Rivera", clinic, mfa=True),
        other_therapist=make_user("other.therapist@example.test", "therapist", "Dr. Other", other_clinic, mfa=True),
        clinic_admin=make_user("admin@example.test", "clinic_admin", "Ada", clinic, mfa=True),
        therapist_no_mfa=make_user("nomfa@example.test", "therapist", "Dr. NoMFA", clinic, mfa=False),
        clinic=clinic,
        other_clinic=other_clinic,
    )
    w.objects["link_owner_partner"] = link(w.owner, w.partner, "partner")
    w.objects["link_partner_owner"] = link(w.partner, w.owner, "partner")
    w.objects["link_owner_therapist"] = link(w.owner, w.therapist, "therapist")
    w.objects["link_owner_nomfa"] = link(w.owner, w.therapist_no_mfa, "therapist")
    for persona in ["owner", "partner", "unlinked", "therapist", "other_therapist", "clinic_admin", "therapist_no_mfa"]:
        w.tokens[persona] = create_api_token(getattr(w, persona), "test").secret
    return w


@pytest.fixture
def world(db: Any) -> World:
    return build_world()


@pytest.fixture
def client_as(client: Any, world: World) -> Any:
    """``client_as("owner")`` returns a Django test client signed in as that persona."""
    from django.test import Client

    def make(persona: str) -> Client:
        c = Client()
        user = world.user(persona)
        if user is not None:
            from nearer.testing import sign_in

            sign_in(c, user)
        return c

    return make
