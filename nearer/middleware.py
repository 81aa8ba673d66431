"""Security headers on every response, session time limits and the person's own time zone."""

from __future__ import annotations

import time
import zoneinfo
from collections.abc import Callable

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import logout
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.utils import timezone
from django.utils.translation import gettext as _

CSP = "; ".join(
    [
        "default-src 'self'",
        "script-src 'self'",
        "style-src 'self'",
        "img-src 'self' data:",
        "font-src 'self'",
        "connect-src 'self'",
        "manifest-src 'self'",
        "worker-src 'self'",
        "frame-ancestors 'none'",
        "form-action 'self'",
        "base-uri 'none'",
        "object-src 'none'",
    ]
)


class SecurityHeadersMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        response = self.get_response(request)
        response.headers.setdefault("Content-Security-Policy", CSP)
        response.headers.setdefault("Permissions-Policy", "camera=(), microphone=(), geolocation=(), interest-cohort=()")
        response.headers.setdefault("Cross-Origin-Resource-Policy", "same-origin")
        if not request.path.startswith(settings.STATIC_URL):
            # Personal pages must never sit in a shared cache or the back-forward cache.
            response.headers["Cache-Control"] = "no-store"
        return response


class SecondFactorSessionMiddleware:
    """Tell the request's user whether this session passed the second factor (see nearer.accounts.mfa).

    Therapists, clinic admins and operators (staff) reach client data and the admin site only from a
    session that passed it; ``User.has_mfa()`` reads the flag.
    """

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        from nearer.accounts.mfa import needs_session_mfa, session_passed_mfa

        user = getattr(request, "user", None)
        if user is not None and user.is_authenticated and needs_session_mfa(user):
            user.session_mfa = session_passed_mfa(request, user)
        return self.get_response(request)


class SessionLimitsMiddleware:
    """Idle timeout (shorter for therapists and clinic admins) and an absolute session limit."""

    START = "_nearer_started"
    SEEN = "_nearer_seen"

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        user = getattr(request, "user", None)
        if user is not None and user.is_authenticated:
            now = time.time()
            started = request.session.get(self.START)
            seen = request.session.get(self.SEEN)
            idle_minutes = (
                settings.NEARER_THERAPIST_IDLE_TIMEOUT_MINUTES
                if getattr(user, "needs_mfa", False)
                else settings.NEARER_IDLE_TIMEOUT_MINUTES
            )
            expired = (seen is not None and now - seen > idle_minutes * 60) or (
                started is not None and now - started > settings.NEARER_SESSION_ABSOLUTE_HOURS * 3600
            )
            if expired:
                logout(request)
                if request.path.startswith("/api/"):
                    return HttpResponse(status=401, content=b'{"detail": "Session ended; sign in again."}', content_type="application/json")
                messages.info(request, _("You were signed out to keep your account safe. Please sign in again."))
                return redirect(f"{settings.LOGIN_URL and '/accounts/login/'}?next={request.path}")
            if started is None:
                request.session[self.START] = now
            if seen is None or now - seen > 30:
                request.session[self.SEEN] = now
        return self.get_response(request)


class RefuseNulInApiMiddleware:
    """API bodies whose text holds a NUL character get a 422 naming the field.

    PostgreSQL cannot store NUL in text and no person types one; Django forms already refuse it, and
    this does the same for every API operation in one place, before any view runs.
    """

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        is_api = request.path.startswith("/api/")
        nul_in_body = is_api and request.method in ("POST", "PUT", "PATCH") and b"\\u0000" in request.body
        query_field = _nul_query_field(request) if is_api else None
        if query_field is not None:
            # PostgreSQL refuses NUL in a query parameter too (a 500 found by fuzzing; issue 16 item 14).
            from django.http import JsonResponse

            return JsonResponse({"detail": "Some fields need attention.", "errors": [
                {"field": query_field, "message": "This value contains a character that cannot be used."}]}, status=422)
        if is_api and (nul_in_body or "\x00" in request.path):
            field = _nul_field(request)
            if field is not None:
                from django.http import JsonResponse

                return JsonResponse({"detail": "Some fields need attention.", "errors": [
                    {"field": field, "message": "This text contains a character that cannot be saved."}]}, status=422)
        return self.get_response(request)


def _nul_query_field(request: HttpRequest) -> str | None:
    if "\x00" not in request.META.get("QUERY_STRING", "") and "%00" not in request.META.get("QUERY_STRING", ""):
        return None
    for key, values in request.GET.lists():
        if "\x00" in key:
            return "query"
        if any("\x00" in v for v in values):
            return key
    return None


def _nul_field(request: HttpRequest) -> str | None:
    import json

    if "\x00" in request.path:
        return "path"
    try:
        data = json.loads(request.body)
    except ValueError:
        return None  # not JSON: the API answers that itself

    def walk(value: object, path: str) -> str | None:
        if isinstance(value, str):
            return (path or "body") if "\x00" in value else None
        if isinstance(value, dict):
            for key, item in value.items():
                name = f"{path}.{key}" if path else str(key)
                if "\x00" in str(key):
                    return path or "body"
                found = walk(item, name)
                if found:
                    return found
        if isinstance(value, list):
            for index, item in enumerate(value):
                found = walk(item, f"{path}.{index}" if path else str(index))
                if found:
                    return found
        return None

    return walk(data, "")


class UserTimezoneMiddleware:
    """Show and read times in the signed-in person's own time zone (Settings → Time zone).

    Without this every page showed UTC: an agreed talk at 20:30 in New York appeared as 01:30 the
    next day, and times typed into forms were read as UTC. Visitors keep the default zone.
    """

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        user = getattr(request, "user", None)
        name = getattr(user, "timezone", "") if user is not None and user.is_authenticated else ""
        try:
            zone = zoneinfo.ZoneInfo(name) if name else None
        except (zoneinfo.ZoneInfoNotFoundError, ValueError):
            zone = None  # an odd stored zone must not break the page; fall back to the default
        if zone is None:
            timezone.deactivate()
        else:
            timezone.activate(zone)
        try:
            return self.get_response(request)
        finally:
            timezone.deactivate()
