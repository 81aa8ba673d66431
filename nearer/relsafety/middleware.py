"""Couple features pause: while either partner has paused, Together is closed for both of them.

The person who paused sees that they did, with a way to turn it back on; their partner sees only
"<name> has paused couple features". The API answers 409 with the same neutral words.
"""

from __future__ import annotations

from collections.abc import Callable

from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _

from nearer.accounts.services import user_for_token
from nearer.relsafety.services import couple_pause_for


class CouplePauseMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        path = request.path_info
        is_web = path.startswith("/together/") and not path.startswith("/together/clients/")
        is_api = path.startswith("/api/together/") and "/clients/" not in path
        if is_web or is_api:
            response = self._paused(request, is_api)
            if response is not None:
                return response
        return self.get_response(request)

    def _paused(self, request: HttpRequest, is_api: bool) -> HttpResponse | None:
        user = getattr(request, "user", None)
        if is_api and (user is None or not user.is_authenticated):
            user = _token_user(request)
        pause = couple_pause_for(user) if user is not None else None
        if pause is None:
            return None
        if is_api:
            return JsonResponse({"detail": _("Couple features are paused.")}, status=409)
        if request.path_info != "/together/" or request.method != "GET":
            return redirect("together:index")
        response = render(request, "relsafety/together_paused.html", {"pause": pause})
        response["Cache-Control"] = "no-store"
        return response


def _token_user(request: HttpRequest) -> object | None:
    """The API's bearer-token user, so a paused couple is closed to API clients too."""
    header = request.headers.get("Authorization", "")
    if not header.lower().startswith("bearer "):
        return None
    parts = header.split(None, 1)
    # An unknown or malformed token is the API's business (it answers 401), not ours.
    return user_for_token(parts[1].strip()) if len(parts) == 2 else None
