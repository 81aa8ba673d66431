"""Site-wide pages: home, crisis help, and error pages."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.db import transaction
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import render

from nearer.clinic import home as clinic_home
from nearer.diary import home as diary_home
from nearer.learn import home as learn_home
from nearer.measures import home as measures_home
from nearer.practice import home as practice_home
from nearer.safety import home as safety_home
from nearer.together import home as together_home

# Each app's card on the home page: ``<app>/home.py: panel(request) -> dict | None`` rendered with
# ``templates/<app>/home_panel.html``. The order here is the order on the page.
HOME_PANELS: dict[str, Callable[[HttpRequest], dict[str, Any] | None]] = {
    "safety": safety_home.panel,
    "measures": measures_home.panel,
    "diary": diary_home.panel,
    "practice": practice_home.panel,
    "together": together_home.panel,
    "learn": learn_home.panel,
    "clinic": clinic_home.panel,
}


#: Cards computed on every request, never cached (crisis help and the safety plan stay live).
LIVE_PANEL_APPS = frozenset({"safety"})


def home_order(panels: list[dict[str, Any]]) -> list[str]:
    """The order of the home page's cards. Someone here as a partner (the Together card says so with
    ``leads``) finds Together first: the next talk, a talk waiting for them, the prompts. Crisis help
    stays in the header of every page; their own safety plan card follows."""
    leads = any(p["template"] == "together/home_panel.html" and p["context"].get("leads") for p in panels)
    if not leads:
        return list(HOME_PANELS)
    return ["together", *[app for app in HOME_PANELS if app != "together"]]


def _panels(request: HttpRequest, apps: list[str]) -> list[dict[str, Any]]:
    panels = []
    for app in apps:
        context = HOME_PANELS[app](request)
        if context is not None:
            panels.append({"template": f"{app}/home_panel.html", "context": context})
    return panels


def home(request: HttpRequest) -> HttpResponse:
    if not request.user.is_authenticated:
        return render(request, "landing.html")
    from django.utils.translation import get_language

    from nearer import home_cache, home_facts
    from nearer.accounts.queries import clients_of, sharing_page
    from nearer.diary.models import local_today

    user = request.user

    def cards() -> dict[str, Any]:
        context: dict[str, Any] = {
            "panels": _panels(request, [a for a in HOME_PANELS if a not in LIVE_PANEL_APPS]),
        }
        if getattr(user, "is_therapist", False):
            context["clients"] = clients_of(user)  # type: ignore[arg-type]
        else:
            active = home_facts.active_links(request)
            context.update(sharing_page(user, links=active,  # type: ignore[arg-type]
                                        open_invitations=home_facts.facts(request).get("accounts_open_invitations")))
        return context

    context = dict(home_cache.cached(user, [get_language() or "", local_today(user).isoformat()], cards))
    live = {p["template"]: p for p in _panels(request, [a for a in HOME_PANELS if a in LIVE_PANEL_APPS])}
    # Keep the page's order of cards: live ones in their place among the cached ones.
    order = {f"{app}/home_panel.html": k for k, app in enumerate(home_order(context["panels"]))}
    context["panels"] = sorted([*live.values(), *context["panels"]], key=lambda p: order[p["template"]])
    return render(request, "home.html", context)


def help_now(request: HttpRequest) -> HttpResponse:
    return render(request, "help.html")


@transaction.non_atomic_requests  # report a database that is down as 503, not fail opening a transaction
def healthz(request: HttpRequest) -> HttpResponse:
    """Database, Redis and worker liveness (last scheduled job run); no personal data."""
    from nearer.ops.health import report

    body, serving = report()
    response = JsonResponse(body, status=200 if serving else 503)
    response["Cache-Control"] = "no-store"
    return response


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
