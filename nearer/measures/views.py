"""Web pages for measures. Thin: parse, authorise, call a service or query, render."""

from __future__ import annotations

import json
import uuid
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from nearer.accounts.models import User
from nearer.measures import InstrumentError, queries, services
from nearer.measures.forms import AnswerForm, ClinicInstrumentForm, JsonUploadForm, ScheduleForm
from nearer.measures.models import Administration, ClinicInstrument
from nearer.privacy import access


def _user(request: HttpRequest) -> User:
    assert isinstance(request.user, User)
    return request.user


@login_required
@require_GET
def measure_list(request: HttpRequest) -> HttpResponse:
    user = _user(request)
    context = {
        "due": queries.due_for(user),
        "series": queries.series_for(user),
        "instruments": services.instruments_for(user),
        "schedules": queries.schedules_for(user),
        "proposals": queries.proposals_for(user),
        "stop_notices": queries.stop_notices(user),
        "history": queries.schedule_history(user, limit=5),
    }
    return render(request, "measures/measure_list.html", context)


@login_required
@require_POST
def proposal_respond(request: HttpRequest, pk: int) -> HttpResponse:
    """The person accepts or declines a schedule their therapist proposed. Anyone else: 404."""
    user = _user(request)
    action = request.POST.get("action", "")
    if action not in ("accept", "decline"):
        messages.error(request, _("Choose accept or decline."))
        return redirect("measures:measure-list")
    try:
        sched = services.respond_to_proposal(user, pk, action == "accept")
    except ValidationError as exc:
        if "schedule_id" in getattr(exc, "message_dict", {}):
            raise Http404 from None
        messages.error(request, " ".join(exc.messages))
    else:
        title = queries.schedule_title(sched.instrument_id)
        if action == "accept":
            messages.success(request, _("Accepted: %(title)s %(how)s. It starts now.") % {
                "title": title, "how": queries.how_often(sched.cadence_days)})
        else:
            messages.success(request, _("Declined. Nothing changes, and your therapist will see that you declined."))
    return redirect("measures:measure-list")


@login_required
@require_POST
def schedule_notices_seen(request: HttpRequest) -> HttpResponse:
    services.mark_schedule_notices_seen(_user(request))
    return redirect("measures:measure-list")


@login_required
@require_http_methods(["GET", "POST"])
def answer(request: HttpRequest, instrument_id: str) -> HttpResponse:
    user = _user(request)
    try:
        inst = services.available_to(user, instrument_id)
    except ValidationError:
        raise Http404 from None
    # The official version in the person's language when there is one (PHQ-9, PHQ-2, GAD-7 in Spanish).
    shown = inst.language_for(get_language())
    form = AnswerForm(inst, request.POST or None, initial={"idempotency_key": uuid.uuid4().hex}, language=shown)
    if request.method == "POST" and form.is_valid():
        try:
            sub = services.submit_administration(
                user, inst.id, form.answers(), idempotency_key=form.cleaned_data.get("idempotency_key") or "",
                language=shown,
            )
        except ValidationError as exc:
            form.add_answer_errors(exc.message_dict if hasattr(exc, "error_dict") else {"": exc.messages})
        else:
            if not sub.created:
                return redirect("measures:result", pk=sub.administration.pk)
            # The result is shown in this same response, with crisis help when item 9 was above 0.
            context = queries.result_page(sub.administration, has_therapist=queries.has_therapist(user))
            context.update(risk=sub.risk, just_answered=True)
            return render(request, "measures/result.html", context)
    context = {
        "instrument": inst,
        "title": inst.title_in(shown),
        "shown_language": shown,
        "form": form,
        "instructions": inst.instructions_in(shown),
        "copyright": str(inst.questionnaire.get("copyright", "")),
        "count": len(inst.scored_items),
    }
    context.update(queries.retake_note(user, inst.id))
    return render(request, "measures/answer.html", context, status=400 if form.errors else 200)


@login_required
@require_GET
def result(request: HttpRequest, pk: int) -> HttpResponse:
    user = _user(request)
    adm = get_object_or_404(Administration, pk=pk, person=user)
    context = queries.result_page(adm, has_therapist=queries.has_therapist(user))
    context.update(risk=None, just_answered=False)
    return render(request, "measures/result.html", context)


@login_required
@require_http_methods(["GET", "POST"])
def schedule_list(request: HttpRequest) -> HttpResponse:
    user = _user(request)
    instruments = services.instruments_for(user)
    form = ScheduleForm(instruments, initial={"cadence_days": 14, "window_days": 4})
    if request.method == "POST":
        if request.POST.get("action") == "stop":
            try:
                services.stop_schedule(user, int(request.POST.get("schedule_id") or 0), by=user)
            except (ValidationError, ValueError):
                messages.error(request, _("That schedule could not be found."))
            else:
                messages.success(request, _("Schedule stopped."))
            return redirect("measures:schedule-list")
        form = ScheduleForm(instruments, request.POST)
        if form.is_valid():
            try:
                services.set_schedule(user, form.cleaned_data["instrument_id"], form.cleaned_data["cadence_days"],
                                      form.cleaned_data["window_days"], set_by=user)
            except ValidationError as exc:
                for key, msgs in exc.message_dict.items():
                    form.add_error(key if key in form.fields else None, msgs)
            else:
                messages.success(request, _("Schedule saved."))
                return redirect("measures:schedule-list")
    status = 400 if form.errors else 200
    context = {"form": form, "schedules": queries.schedules_for(user), "proposals": queries.proposals_for(user),
               "history": queries.schedule_history(user)}
    return render(request, "measures/schedule_list.html", context, status=status)


@login_required
@require_GET
def fhir_export(request: HttpRequest) -> HttpResponse:
    user = _user(request)
    bundle = queries.fhir_bundle(user)
    response = HttpResponse(json.dumps(bundle, indent=2), content_type="application/fhir+json")
    stamp = timezone.localdate().isoformat()
    response["Content-Disposition"] = f'attachment; filename="nearer-measures-{stamp}.json"'
    return response


@login_required
@require_http_methods(["GET", "POST"])
def fhir_import(request: HttpRequest) -> HttpResponse:
    user = _user(request)
    form = JsonUploadForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        try:
            subs = services.import_fhir(user, form.cleaned_data["parsed"])
        except ValidationError as exc:
            form.add_error(None, exc.messages)
        else:
            risky = [s for s in subs if s.risk is not None]
            if risky:
                context = queries.result_page(risky[-1].administration, has_therapist=queries.has_therapist(user))
                context.update(risk=risky[-1].risk, just_answered=True, imported=len(subs))
                return render(request, "measures/result.html", context)
            messages.success(request, _("Imported %(n)d result(s).") % {"n": len(subs)})
            return redirect("measures:measure-list")
    return render(request, "measures/fhir_import.html", {"form": form}, status=400 if form.errors else 200)


def _client(person_id: int) -> User:
    person = User.objects.filter(pk=person_id, is_active=True).first()
    if person is None:
        raise Http404
    return person


@login_required
@require_GET
def client_detail(request: HttpRequest, person_id: int) -> HttpResponse:
    viewer = _user(request)
    person = _client(person_id)
    grant = access.read(viewer, person, "measures", "measures:client-detail")
    # Item answers (PHQ-9 item 9 among them) only ever reach the person and a linked therapist.
    is_therapist = grant.own or (grant.link is not None and grant.link.kind == "therapist")
    context: dict[str, Any] = {
        "person": person,
        "series": queries.series_for(person, include_items=is_therapist),
        "show_items": is_therapist,
        "can_schedule": grant.link is not None and grant.link.kind == "therapist",
    }
    if context["can_schedule"]:
        context["form"] = ScheduleForm(services.instruments_for(person), initial={"cadence_days": 14, "window_days": 4})
        # Schedules and their history are measures data: covered by the one read logged above.
        context["schedules"] = queries.schedule_status_for(person)
        context["history"] = queries.schedule_history(person, for_person=False, limit=20)
    return render(request, "measures/client_detail.html", context)


def _therapist_client(viewer: User, person_id: int) -> User:
    """The client, when ``viewer`` is their linked therapist with the measures scope; otherwise 404."""
    person = _client(person_id)
    try:
        grant = access.grant(viewer, person)
    except access.AccessDenied:
        raise Http404 from None
    if grant.own or grant.link is None or grant.link.kind != "therapist" or not grant.allows("measures"):
        raise Http404
    return person


@login_required
@require_POST
def client_schedule(request: HttpRequest, person_id: int) -> HttpResponse:
    """A therapist proposes a schedule; it starts only when the client accepts it."""
    viewer = _user(request)
    person = _therapist_client(viewer, person_id)
    form = ScheduleForm(services.instruments_for(person), request.POST)
    if form.is_valid():
        try:
            services.propose_schedule(viewer, person, form.cleaned_data["instrument_id"],
                                      form.cleaned_data["cadence_days"], form.cleaned_data["window_days"])
        except ValidationError as exc:
            messages.error(request, " ".join(exc.messages))
        else:
            messages.success(request, _("Proposed. It starts when your client accepts it on their measures page."))
    else:
        messages.error(request, _("The schedule could not be saved: please check the numbers."))
    return redirect("measures:client-detail", person_id=person.pk)


@login_required
@require_POST
def client_schedule_stop(request: HttpRequest, person_id: int, schedule_id: int) -> HttpResponse:
    """A therapist stops a client's schedule (at once; the client is told) or withdraws a proposal."""
    viewer = _user(request)
    person = _therapist_client(viewer, person_id)
    try:
        sched = services.stop_schedule(person, schedule_id, by=viewer)
    except ValidationError:
        raise Http404 from None
    if sched.status == "withdrawn":
        messages.success(request, _("Proposal withdrawn."))
    else:
        messages.success(request, _("Schedule stopped. Your client is told on their measures page."))
    return redirect("measures:client-detail", person_id=person.pk)


@login_required
@require_http_methods(["GET", "POST"])
def clinic_instrument_add(request: HttpRequest) -> HttpResponse:
    user = _user(request)
    access.require_clinic_admin(user)
    form = ClinicInstrumentForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        try:
            row = services.add_clinic_instrument(form.cleaned_data["parsed"], clinic=user.clinic, added_by=user,
                                                 replace=form.cleaned_data.get("replace", False))
        except InstrumentError as exc:
            form.add_error(None, _("This definition was not added: %(problem)s") % {"problem": exc})
        else:
            messages.success(request, _("Added “%(title)s”. Your clinic's therapists can now schedule it.") % {"title": row.title})
            return redirect("measures:clinic-instrument-add")
    rows = ClinicInstrument.objects.filter(clinic=user.clinic)
    return render(request, "measures/clinic_instrument_add.html", {"form": form, "rows": rows},
                  status=400 if form.errors else 200)
