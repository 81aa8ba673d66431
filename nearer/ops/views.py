"""Reminder settings, push subscription endpoints, the service worker and the offline page."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.middleware.csrf import get_token
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from nearer.ops import services
from nearer.ops.forms import PreferenceForm
from nearer.ops.models import ReminderKind
from nearer.ops.push import push_enabled, vapid_keys

SW_PATH = Path(__file__).resolve().parent.parent / "static" / "nearer" / "sw.js"


@login_required
@require_http_methods(["GET", "POST"])
def reminders(request: HttpRequest) -> HttpResponse:
    prefs = services.preferences_for(request.user)
    can_push = push_enabled()
    forms_by_kind = {}
    for pref in prefs:
        initial = {"enabled": pref.enabled, "local_time": pref.local_time, "by_email": pref.by_email, "by_push": pref.by_push}
        data = request.POST if request.method == "POST" else None
        forms_by_kind[pref.kind] = PreferenceForm(data, initial=initial, prefix=pref.kind, can_push=can_push)
    if request.method == "POST" and all(f.is_valid() for f in forms_by_kind.values()):
        for kind, form in forms_by_kind.items():
            services.set_preference(request.user, kind, **{"by_push": False, **form.cleaned_data})
        messages.success(request, _("Your reminders are saved."))
        return redirect("ops:reminders")
    rows = [{"label": ReminderKind(k).label, "form": f} for k, f in forms_by_kind.items()]
    status = 422 if request.method == "POST" else 200
    return render(request, "ops/reminders.html", {"rows": rows, "push_key": vapid_keys()[0] if can_push else "",
                                                  "push_enabled": can_push, "tz": request.user.timezone},  # type: ignore[union-attr]
                  status=status)


def _json_body(request: HttpRequest) -> Any:
    try:
        return json.loads(request.body or b"null")
    except ValueError:
        return None


def _errors(exc: ValidationError) -> JsonResponse:
    errors = [{"field": f, "message": " ".join(str(m) for m in msgs)} for f, msgs in exc.message_dict.items()]
    return JsonResponse({"detail": _("Some fields need attention."), "errors": errors}, status=422)


@login_required
@require_POST
def push_subscribe(request: HttpRequest) -> HttpResponse:
    try:
        sub = services.subscribe_push(request.user, _json_body(request))
    except ValidationError as exc:
        return _errors(exc)
    return JsonResponse({"id": sub.pk}, status=201)


@login_required
@require_POST
def push_unsubscribe(request: HttpRequest) -> HttpResponse:
    body = _json_body(request)
    try:
        n = services.unsubscribe_push(request.user, body.get("endpoint") if isinstance(body, dict) else None)
    except ValidationError as exc:
        return _errors(exc)
    return JsonResponse({"removed": n})


@require_GET
def service_worker(request: HttpRequest) -> HttpResponse:
    """The service worker, served so it may control the whole site (scope "/")."""
    response = HttpResponse(SW_PATH.read_bytes(), content_type="text/javascript; charset=utf-8")
    response["Service-Worker-Allowed"] = "/"
    response["Cache-Control"] = "no-cache"
    return response


@require_GET
def offline(request: HttpRequest) -> HttpResponse:
    """What the app shows without a connection: crisis help links and a check-in kept on the device."""
    context: dict[str, Any] = {"scale": range(11)}
    user = request.user
    if user.is_authenticated and getattr(user, "role", "") == "person":
        from nearer.diary.models import CheckIn, local_today

        day = local_today(user)
        saved = CheckIn.objects.filter(person=user, local_date=day).only("updated_at").first()
        # The device sends this back with an offline check-in, so the server can tell whether the
        # saved check-in changed after the page was kept (then differing answers are a choice).
        context.update(day=day, base=saved.updated_at.isoformat() if saved else "")
    response = render(request, "offline.html", context)
    response["Cache-Control"] = "no-store"
    return response


@never_cache
@login_required
@require_GET
def offline_token(request: HttpRequest) -> HttpResponse:
    """A fresh CSRF token and the signed-in account, so queued check-ins go out only as their writer."""
    return JsonResponse({"csrf": get_token(request), "user": request.user.pk})
