"""Has *this session* passed the second factor? (issue 16 item 8)

``User.has_mfa()`` used to ask only whether an authenticator exists, so a session opened by a
password alone (the Django admin's own login form did that) counted as protected. Now a request's
user carries ``session_mfa`` (set by ``SecondFactorSessionMiddleware`` from allauth's record of how
this session signed in) and ``has_mfa()`` is false when that session did not pass the second step.
Objects loaded outside a browser session (API tokens, which are minted only from a session that
passed it; services; the CLI) keep the plain "an authenticator exists" answer.
"""

from __future__ import annotations

import time
from typing import Any

from allauth.account.internal.flows.login import (
    _AUTHENTICATION_METHODS_USER_SESSION_KEY,
    AUTHENTICATION_METHODS_SESSION_KEY,
    get_authentication_records,
)


def session_passed_mfa(request: Any, user: Any = None) -> bool:
    user = user if user is not None else getattr(request, "user", None)
    if user is None or not getattr(user, "is_authenticated", False) or not hasattr(request, "session"):
        return False
    return any(r.get("method") == "mfa" for r in get_authentication_records(request, user))


def mark_session_passed_mfa(session: Any, user: Any, kind: str = "totp") -> None:
    """Record in ``session`` that ``user`` just proved the second factor (set-up, or tests' sign-in)."""
    records = session.get(AUTHENTICATION_METHODS_SESSION_KEY)
    if session.get(_AUTHENTICATION_METHODS_USER_SESSION_KEY) != str(user.pk) or not isinstance(records, list):
        records = []
    records.append({"method": "mfa", "at": time.time(), "type": kind})
    session[AUTHENTICATION_METHODS_SESSION_KEY] = records
    session[_AUTHENTICATION_METHODS_USER_SESSION_KEY] = str(user.pk)


def needs_session_mfa(user: Any) -> bool:
    return bool(getattr(user, "needs_mfa", False) or getattr(user, "is_staff", False))
