from __future__ import annotations

from datetime import date, timedelta
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods

from nearer.accounts.models import User
from nearer.diary import queries, services
from nearer.diary.csvimport import ImportRowsError, export_checkins_csv, parse_checkins_csv
from nearer.diary.forms import CheckInForm, ImportForm
from nearer.diary.models import (
    BACKFILL_DAYS,
    CheckIn,
    local_today,
    validate_edit_allowed,
    validate_entry_date,
)
from nearer.downloads import attachment
from nearer.privacy import access


def _user(request: HttpRequest) -> User:
    assert isinstance(request.user, User)
    return request.user


def person_only(view: Any) -> Any:
    """Check-ins are for people; therapist and clinic-admin accounts have none of their own."""
    from functools import wraps

    @wraps(view)
    def wrapped(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        access.require_person(_user(request))
        return view(request, *args, **kwargs)

    return login_required(wrapped)


#: Mood at or below this (0–10) gets the bad-day answer after a check-in.
BAD_DAY_MOOD = 2


def _errors_into_form(form: CheckInForm, exc: ValidationError) -> None:
    for field, msgs in exc.message_dict.items():
        for m in msgs:
            form.add_error(field if field in form.fields else None, m)


def _checkin_page(request: HttpRequest, day: date) -> HttpResponse:
    user = _user(request)
    today = local_today(user)
    existing = CheckIn.objects.filter(person=user, local_date=day).first()
    closed_reason = None
    try:
        if existing is not None:
            validate_edit_allowed(existing, today)
        else:
            validate_entry_date(day, today)
    except ValidationError as exc:
        closed_reason = " ".join(exc.message_dict.get("local_date", exc.messages))
    form = CheckInForm(request.POST or None, instance=existing, past_day=day != today)
    outcome = None
    status = 200
    if request.method == "POST":
        if form.is_valid():
            try:
                saved = services.save_checkin(user, day, form.values(), today=today)
            except ValidationError as exc:
                _errors_into_form(form, exc)
                status = 400
            else:
                if not saved.show_card:
                    if saved.checkin.mood is not None and saved.checkin.mood <= BAD_DAY_MOOD:
                        # A bad day gets an answer, not "Saved. Thank you": the plan, one small step,
                        # someone to call, and the direct safety questions (issue 15, item 6).
                        return render(request, "safety/bad_day.html", {"checkin": saved.checkin})
                    messages.success(request, _("Saved. Thank you for checking in."))
                    return redirect("diary:trends")
                outcome = saved.safety
                existing = saved.checkin
                form = CheckInForm(instance=existing, past_day=day != today)
        else:
            status = 400
    backfill = [today - timedelta(days=i) for i in range(1, BACKFILL_DAYS + 1)]
    done = set(CheckIn.objects.filter(person=user, local_date__in=[today, *backfill]).values_list("local_date", flat=True))
    return render(request, "diary/checkin.html", {
        "form": form, "day": day, "today": today, "is_today": day == today, "existing": existing,
        "closed_reason": closed_reason, "outcome": outcome,
        "backfill": [{"day": d, "done": d in done} for d in backfill],
    }, status=status)


@person_only
@require_http_methods(["GET", "POST"])
def checkin(request: HttpRequest) -> HttpResponse:
    return _checkin_page(request, local_today(_user(request)))


@person_only
@require_http_methods(["GET", "POST"])
def checkin_edit(request: HttpRequest, day: str) -> HttpResponse:
    try:
        parsed = date.fromisoformat(day)
    except ValueError:
        raise Http404 from None
    return _checkin_page(request, parsed)


@person_only
@require_GET
def trends(request: HttpRequest) -> HttpResponse:
    user = _user(request)
    return render(request, "diary/trends.html", {"trends": queries.trends_for(user), "subject": None})


@person_only
@require_GET
def loop(request: HttpRequest) -> HttpResponse:
    user = _user(request)
    return render(request, "diary/loop.html", {
        "loop": queries.loop_for(user), "factors": queries.factors_for(user), "subject": None,
    })


def _client(request: HttpRequest, client_id: int, scope: str, what: str) -> User:
    client = get_object_or_404(User, pk=client_id, is_active=True)
    access.read(_user(request), client, scope, what)
    return client


@login_required
@require_GET
def client_trends(request: HttpRequest, client_id: int) -> HttpResponse:
    client = _client(request, client_id, "checkins", "diary:client-trends")
    own = client.pk == request.user.pk
    return render(request, "diary/trends.html", {
        "trends": queries.trends_for(client, own=own), "subject": None if own else client})


@login_required
@require_GET
def client_loop(request: HttpRequest, client_id: int) -> HttpResponse:
    client = _client(request, client_id, "loop", "diary:client-loop")
    own = client.pk == request.user.pk
    return render(request, "diary/loop.html", {
        "loop": queries.loop_for(client), "factors": queries.factors_for(client), "subject": None if own else client,
    })


@person_only
@require_http_methods(["GET", "POST"])
def import_csv(request: HttpRequest) -> HttpResponse:
    user = _user(request)
    form = ImportForm(request.POST or None, request.FILES or None)
    problems: list[Any] = []
    result = None
    status = 200
    if request.method == "POST":
        if form.is_valid():
            try:
                rows = parse_checkins_csv(
                    form.cleaned_data["file"].read(), local_today(user),
                    date_column=form.cleaned_data["date_column"], mood_column=form.cleaned_data["mood_column"],
                    closeness_column=form.cleaned_data["closeness_column"],
                )
                result = services.import_checkins(user, rows, skip_existing=form.cleaned_data["skip_existing"])
            except ImportRowsError as exc:
                problems = exc.problems
                status = 400
            except ValidationError as exc:
                problems = [" ".join(exc.messages)]
                status = 400
            else:
                if not result.show_card:
                    messages.success(request, _("Imported %(created)s check-ins; skipped %(skipped)s days you already had.")
                                     % {"created": result.created, "skipped": result.skipped})
                    return redirect("diary:trends")
        else:
            status = 400
    outcome = next((o for o in (result.outcomes if result else []) if getattr(o, "show_card", False)), None)
    return render(request, "diary/import.html", {"form": form, "problems": problems, "result": result,
                                                 "outcome": outcome}, status=status)


@person_only
@require_GET
def export_csv(request: HttpRequest) -> HttpResponse:
    user = _user(request)
    body = export_checkins_csv(list(CheckIn.objects.filter(person=user)))
    return attachment(body, "text/csv; charset=utf-8", "nearer-checkins.csv")
