"""Shared test support: one persona per role, and the authorisation-matrix row type.

Every app declares the expected outcome of each of its routes for every persona in
``nearer/<app>/tests/authz.py`` as ``ROWS = [Row(...), ...]``. ``tests/test_authorization_matrix.py``
walks the URL resolver and the OpenAPI document and fails when a route has no row.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

PERSONAS = [
    "anonymous",
    "owner",
    "partner",
    "unlinked",
    "therapist",
    "other_therapist",
    "clinic_admin",
    "therapist_no_mfa",
]

OK = "ok"  # a 2xx, or a redirect that is not to sign-in or second-factor set-up
LOGIN = "login"  # redirect to sign-in (web) or 401 (API)
DENY = "deny"  # 403 or 404 (or 401/403/404 for the API), never the data
ANY_SIGNED_IN = "signed_in"  # shorthand expanded by ``expect``


@dataclass
class World:
    """The people every authorisation test uses. ``owner`` is the person whose data is at stake."""

    owner: Any
    partner: Any
    unlinked: Any
    therapist: Any
    other_therapist: Any
    clinic_admin: Any
    therapist_no_mfa: Any
    clinic: Any
    other_clinic: Any
    tokens: dict[str, str] = field(default_factory=dict)
    objects: dict[str, Any] = field(default_factory=dict)

    def user(self, persona: str) -> Any:
        return None if persona == "anonymous" else getattr(self, persona)


def expect(default: str = DENY, **overrides: str) -> dict[str, str]:
    """Build an outcome per persona: ``expect(DENY, owner=OK, anonymous=LOGIN)``."""
    out = {p: default for p in PERSONAS}
    out["anonymous"] = LOGIN if default != OK else OK
    out.update(overrides)
    return out


def owner_only() -> dict[str, str]:
    return expect(DENY, owner=OK)


def any_signed_in() -> dict[str, str]:
    return expect(OK, anonymous=LOGIN)


def public() -> dict[str, str]:
    return {p: OK for p in PERSONAS}


def therapist_reads() -> dict[str, str]:
    """A therapist-facing read of the owner's data with a default therapist scope."""
    return expect(DENY, therapist=OK)


@dataclass
class Row:
    """One route × method with the outcome for each persona.

    ``name`` is the URL name (``"accounts:sharing"``) for web routes, or the OpenAPI path
    (``"/api/accounts/links/{link_id}/scopes"``) for API operations (``api=True``).
    ``kwargs(world)`` fills URL/path parameters, ``data(world)`` is the POST form or JSON body,
    ``setup(world)`` may create objects first. ``reads`` names the owner attribute whose data a
    successful non-owner request reads; the matrix then checks exactly one access-log row.
    """

    name: str
    method: str
    outcomes: dict[str, str]
    kwargs: Callable[[World], dict[str, Any]] | None = None
    data: Callable[[World], dict[str, Any]] | None = None
    setup: Callable[[World], None] | None = None
    api: bool = False
    reads: str | None = None
    query: str = ""
    log_rows: int = 1
    note: str = ""


def allauth_rows(names: list[str], outcomes: dict[str, str]) -> list[Row]:
    return [Row(name, "GET", outcomes) for name in names]


def sign_in(client: Any, user: Any) -> Any:
    """Sign ``client`` in as ``user`` the way the real door does: a user with an authenticator gets a
    session that passed the second factor (``force_login`` alone is a password-only session, which
    therapists and clinic admins can no longer use to read client data; issue 16 item 8)."""
    from allauth.mfa.models import Authenticator

    client.force_login(user)
    if Authenticator.objects.filter(user=user, type=Authenticator.Type.TOTP).exists():
        from nearer.accounts.mfa import mark_session_passed_mfa

        session = client.session
        mark_session_passed_mfa(session, user)
        session.save()
    return client
