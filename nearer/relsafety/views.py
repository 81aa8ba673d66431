"""Relationship-safety pages. Neutral addresses and titles (they show in browser history), a
quick-exit control on every page, and nothing that ever reaches the partner."""

from __future__ import annotations

from django.conf import settings
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import get_language
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from nearer.accounts.models import User
from nearer.privacy.access import AccessDenied
from nearer.relsafety import hark, queries, services
from nearer.relsafety.forms import ScreenForm

#: Where "Leave quickly" goes: a neutral everyday site (override with NEARER_QUICK_EXIT_URL).
DEFAULT_QUICK_EXIT_URL = "https://www.weather.gov/"


def quick_exit_url() -> str:
    return str(getattr(settings, "NEARER_QUICK_EXIT_URL", "") or DEFAULT_QUICK_EXIT_URL)


def _person(request: HttpRequest) -> User:
    user = request.user
    assert isinstance(user, User)
    if user.role != "person":
        raise PermissionDenied
    return user


def _no_store(response: HttpResponse) -> HttpResponse:
    response["Cache-Control"] = "no-store"
    return response


@login_required
@require_http_methods(["GET", "POST"])
def questions(request: HttpRequest) -> HttpResponse:
    user = _person(request)
    lang = hark.lang_of(get_language())
    form = ScreenForm(request.POST or None, language=lang)
    if request.method == "POST" and form.is_valid():
        try:
            services.record_screen(user, form.answers(), lang)
        except ValidationError as exc:
            for field, errors in exc.message_dict.items():
                form.add_error(field if field in form.fields else None, errors)
        else:
            return redirect("relsafety:support")
    return _no_store(render(request, "relsafety/questions.html", {
        "form": form, "official": hark.OFFICIAL[lang], "citation": hark.CITATION, "quick_exit_url": quick_exit_url(),
    }, status=400 if form.errors else 200))


@require_GET
def support(request: HttpRequest) -> HttpResponse:
    context = queries.support_page(request.user)
    context["quick_exit_url"] = quick_exit_url()
    return _no_store(render(request, "relsafety/support.html", context))


def _toggle(request: HttpRequest, fn: object, value: bool) -> HttpResponse:
    user = _person(request)
    fn(user, value)  # type: ignore[operator]
    return redirect("relsafety:support")


@login_required
@require_POST
def pause(request: HttpRequest) -> HttpResponse:
    return _toggle(request, services.set_pause, True)


@login_required
@require_POST
def resume(request: HttpRequest) -> HttpResponse:
    user = _person(request)
    services.set_pause(user, False)
    # Resuming from the Together page returns there.
    return redirect("together:index" if request.POST.get("next") == "together" else "relsafety:support")


@login_required
@require_POST
def plan_toggle(request: HttpRequest) -> HttpResponse:
    return _toggle(request, services.set_in_plan, request.POST.get("in_plan") == "on")


@login_required
@require_POST
def offer_dismiss(request: HttpRequest) -> HttpResponse:
    user = _person(request)
    services.dismiss_offer(user)
    nxt = request.POST.get("next", "")
    return redirect(nxt if nxt in ("/", "/together/", "/practice/ladder/") else "home")


@login_required
@require_POST
def forget(request: HttpRequest) -> HttpResponse:
    services.delete_screens(_person(request))
    return redirect("relsafety:support")


@login_required
@require_GET
def client_result(request: HttpRequest, person_id: int) -> HttpResponse:
    viewer = request.user
    assert isinstance(viewer, User)
    if not viewer.is_therapist:
        raise Http404
    client = get_object_or_404(User, pk=person_id, role="person")
    try:
        context = queries.client_result(viewer, client)
    except AccessDenied:
        raise Http404 from None  # without the scope, nothing says whether there is anything to see
    return _no_store(render(request, "relsafety/client_result.html", context))
