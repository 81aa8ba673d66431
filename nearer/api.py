"""The JSON API: one django-ninja router per app, assembled here.

Clients authenticate with a personal access token (``Authorization: Bearer nrr_...``) or, from the
browser, with the session cookie plus CSRF. Errors are JSON with a ``detail`` and, for bad input,
``errors`` naming each field.
"""

from __future__ import annotations

from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from ninja import NinjaAPI
from ninja.errors import AuthenticationError, HttpError
from ninja.errors import ValidationError as NinjaValidationError
from ninja.security import APIKeyCookie, HttpBearer


class TokenAuth(HttpBearer):
    def authenticate(self, request: HttpRequest, token: str) -> Any:
        from nearer.accounts.services import user_for_token

        user = user_for_token(token)
        if user is not None:
            request.user = user
        return user


class SessionAuth(APIKeyCookie):
    """The browser session; CSRF is checked on unsafe methods."""

    param_name = "sessionid"

    def authenticate(self, request: HttpRequest, key: str | None) -> Any:
        user = getattr(request, "user", None)
        if user is not None and user.is_authenticated:
            return user
        return None


api = NinjaAPI(
    title="Nearer API",
    version="1",
    urls_namespace="api",
    auth=[TokenAuth(), SessionAuth(csrf=True)],
    docs_url="/docs",
    openapi_url="/openapi.json",
)


def _field_name(loc: list[Any]) -> str:
    parts = [str(p) for p in loc if p not in ("body", "query", "path", "payload", "form")]
    return ".".join(parts) or "body"


@api.exception_handler(NinjaValidationError)
def on_validation_error(request: HttpRequest, exc: NinjaValidationError) -> HttpResponse:
    errors = [{"field": _field_name(list(e.get("loc", []))), "message": e.get("msg", "invalid")} for e in exc.errors]
    return api.create_response(request, {"detail": "Some fields need attention.", "errors": errors}, status=422)


@api.exception_handler(ValidationError)
def on_django_validation_error(request: HttpRequest, exc: ValidationError) -> HttpResponse:
    if hasattr(exc, "message_dict"):
        errors = [{"field": f, "message": " ".join(str(m) for m in msgs)} for f, msgs in exc.message_dict.items()]
    else:
        errors = [{"field": "body", "message": " ".join(str(m) for m in exc.messages)}]
    return api.create_response(request, {"detail": "Some fields need attention.", "errors": errors}, status=422)


@api.exception_handler(PermissionDenied)
def on_denied(request: HttpRequest, exc: PermissionDenied) -> HttpResponse:
    reason = getattr(exc, "reason", "")
    if reason == "mfa_required":
        return api.create_response(request, {"detail": "Set up a second factor before seeing client data."}, status=403)
    return api.create_response(request, {"detail": "Not found."}, status=404)


@api.exception_handler(Http404)
def on_not_found(request: HttpRequest, exc: Http404) -> HttpResponse:
    return api.create_response(request, {"detail": "Not found."}, status=404)


@api.exception_handler(AuthenticationError)
def on_auth(request: HttpRequest, exc: AuthenticationError) -> HttpResponse:
    return api.create_response(request, {"detail": "Sign in or send a valid token."}, status=401)


@api.exception_handler(HttpError)
def on_http_error(request: HttpRequest, exc: HttpError) -> HttpResponse:
    return api.create_response(request, {"detail": str(exc)}, status=exc.status_code)


from nearer.accounts import api as accounts_api  # noqa: E402 (routers import the handlers above)
from nearer.clinic import api as clinic_api  # noqa: E402
from nearer.diary import api as diary_api  # noqa: E402
from nearer.learn import api as learn_api  # noqa: E402
from nearer.measures import api as measures_api  # noqa: E402
from nearer.practice import api as practice_api  # noqa: E402
from nearer.safety import api as safety_api  # noqa: E402
from nearer.together import api as together_api  # noqa: E402

for _name, _module in [
    ("accounts", accounts_api), ("safety", safety_api), ("diary", diary_api), ("measures", measures_api),
    ("practice", practice_api), ("together", together_api), ("clinic", clinic_api), ("learn", learn_api),
]:
    api.add_router(f"/{_name}/", _module.router, tags=[_name])
