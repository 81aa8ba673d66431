"""Recording a browser session's last activity, at most once a minute (issue 17 item 2).

allauth's ``UserSessionsMiddleware`` reads the session's row, its user and writes the row back on
every request: three queries on every page. This middleware does the same bookkeeping (the
"Signed in from" page shows when each session was last active, its address and browser), but only
when the session has not been recorded in the last :data:`EVERY_SECONDS` or its address or browser
changed since: the row is then as fresh as that page can show ("last active a minute ago").
"""

from __future__ import annotations

import hashlib
import time
from collections.abc import Callable

from django.http import HttpRequest, HttpResponse

#: Seconds between two recordings of the same session when nothing about it changed.
EVERY_SECONDS = 60
_KEY = "_nearer_us"


def _client_mark(request: HttpRequest) -> str:
    from allauth.account.adapter import get_adapter

    raw = f"{get_adapter().get_client_ip(request)}|{request.META.get('HTTP_USER_AGENT', '')}"
    return hashlib.sha256(raw.encode("utf-8", "replace")).hexdigest()[:16]


class UserSessionActivityMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        from allauth.usersessions import app_settings

        session = getattr(request, "session", None)
        user = getattr(request, "user", None)
        if app_settings.TRACK_ACTIVITY and session is not None and session.session_key and user is not None \
                and user.is_authenticated:
            now = time.time()
            mark = _client_mark(request)
            seen = session.get(_KEY)
            if not (isinstance(seen, list) and len(seen) == 3 and seen[0] == user.pk and seen[1] == mark
                    and now - float(seen[2]) < EVERY_SECONDS):
                from allauth.usersessions.models import UserSession

                UserSession.objects.create_from_request(request)
                session[_KEY] = [user.pk, mark, now]
        return self.get_response(request)
