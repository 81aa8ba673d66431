"""Site-wide pages: home, crisis help, and error pages."""

from __future__ import annotations

import importlib
from typing import Any

from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import render

# Each app may offer a panel on the home page through ``<app>/home.py: panel(request) -> dict | None``
# and ``templates/<app>/home_panel.html``. The order here is the order on the page.
HOME_PANEL_APPS = ["safety", "measures", "diary", "practice", "together", "learn", "clinic"]


def _panels(request: HttpRequest) -> list[dict[str, Any]]:
    panels = []
    for app in HOME_PANEL_APPS:
        try:
            module = importlib.import_module(f"nearer.{app}.home")
        except ModuleNotFoundError as exc:
            if exc.name != f"nearer.{app}.home":
                raise
            continue
        context = module.panel(request)
        if context is not None:
            panels.append({"template": f"{app}/home_panel.html", "context": context})
    return panels


def home(request: HttpRequest) -> HttpResponse:
    if not request.user.is_authenticated:
        return render(request, "landing.html")
    from nearer.accounts.queries import clients_of, sharing_page

    user = request.user
    context: dict[str, Any] = {"panels": _panels(request)}
    if getattr(user, "is_therapist", False):
        context["clients"] = clients_of(user)  # type: ignore[arg-type]
    else:
        context.update(sharing_page(user))  # type: ignore[arg-type]
    return render(request, "home.html", context)


def help_now(request: HttpRequest) -> HttpResponse:
    return render(request, "help.html")


def healthz(request: HttpRequest) -> HttpResponse:
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute("SELECT 1")
    return JsonResponse({"status": "ok"})


def error_404(request: HttpRequest, exception: Exception | None = None) -> HttpResponse:
    if request.path.startswith("/api/"):
        return JsonResponse({"detail": "Not found."}, status=404)
    return render(request, "errors/404.html", status=404)


def error_403(request: HttpRequest, exception: Exception | None = None) -> HttpResponse:
    """One answer for "not yours": the 404 page, as for an object that does not exist, so a signed-in
    user cannot tell another person's object from a missing one (issue 16 item 6). Only the
    second-factor prompt is a 403 of its own."""
    reason = getattr(exception, "reason", "")
    if reason != "mfa_required":
        return error_404(request, exception)
    if request.path.startswith("/api/"):
        return JsonResponse({"detail": "Set up a second factor before seeing client data."}, status=403)
    return render(request, "errors/403.html", {"reason": reason}, status=403)


def error_500(request: HttpRequest) -> HttpResponse:
    if request.path.startswith("/api/"):
        return JsonResponse({"detail": "Something went wrong on our side."}, status=500)
    return render(request, "errors/500.html", status=500)


def error_400(request: HttpRequest, exception: Exception | None = None) -> HttpResponse:
    if request.path.startswith("/api/"):
        return JsonResponse({"detail": "Bad request."}, status=400)
    return render(request, "errors/400.html", status=400)
