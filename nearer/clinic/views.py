"""Clinic pages: thin views over queries and services; client data only through the access layer."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from nearer.accounts.models import User
from nearer.clinic import queries, services
from nearer.clinic.forms import (
    AssignForm,
    DirectoryFilter,
    LicenceForm,
    MoveForm,
    ProfileForm,
    ReferenceForm,
    ReportPeriodForm,
    RequestForm,
    RespondForm,
    SessionForm,
)
from nearer.clinic.models import (
    Assignment,
    AssignmentState,
    ClientNotice,
    RequestState,
    TherapistProfile,
    TherapistRequest,
)
from nearer.downloads import attachment
from nearer.privacy import access


def _user(request: HttpRequest) -> User:
    assert isinstance(request.user, User)
    return request.user


def _therapist(request: HttpRequest) -> User:
    user = _user(request)
    if not user.is_therapist:
        raise Http404
    return user


def _admin(request: HttpRequest) -> User:
    return access.require_clinic_admin(_user(request))


def _errors_into(form: Any, exc: ValidationError) -> None:
    for field_name, msgs in exc.message_dict.items():
        form.add_error(field_name if field_name in form.fields else None, msgs)


# ----------------------------------------------------------------------------- therapist


@login_required
def caseload(request: HttpRequest) -> HttpResponse:
    therapist = _therapist(request)
    data = queries.caseload(therapist, sort=request.GET.get("sort", "priority"), filter_key=request.GET.get("filter", "all"))
    queries.caseload_words(data["rows"])
    data["pending_requests"] = TherapistRequest.objects.filter(therapist=therapist, state=RequestState.PENDING).count()
    return render(request, "clinic/caseload.html", data)


def _session_form(therapist: User, data: dict[str, Any], post: Any = None) -> SessionForm:
    measured = [m["instrument"] for m in (data.get("sections", {}).get("measures") or [])]
    return SessionForm(post, **queries.session_choices(therapist, data["client"], measured))


@login_required
def client_detail(request: HttpRequest, pk: int) -> HttpResponse:
    therapist = _therapist(request)
    data = queries.client_page(therapist, pk)
    data["session_form"] = _session_form(therapist, data)
    data["reference_form"] = ReferenceForm(initial={"reference": data["reference"]})
    data["period_form"] = ReportPeriodForm(initial={"since": "last_session"})
    data["period"] = queries.report_period(therapist, data["client"])
    return render(request, "clinic/client_detail.html", data)


def render_report_pdf(therapist: User, client_id: int, *, via: str = "web", since: str = "last_session"
                      ) -> tuple[bytes, dict[str, Any]]:
    from weasyprint import HTML

    client, _link = queries.client_link(therapist, client_id)
    start, end = queries.report_period(therapist, client, since=since)
    data = queries.client_page(therapist, client_id, via=via, what="clinic:client-report", start=start, end=end)
    data["therapist"] = therapist
    data["sessions_in_period"] = [s for s in data["sessions"] if start <= s["held_on"] <= end]
    data["filename"] = queries.report_filename(data["reference"], data["initials"], start, end)
    html = render_to_string("clinic/report.html", data)
    return HTML(string=html).write_pdf(), data


@login_required
def client_report(request: HttpRequest, pk: int) -> HttpResponse:
    therapist = _therapist(request)
    form = ReportPeriodForm(request.GET or None)
    since = form.cleaned_data.get("since") or "last_session" if form.is_valid() else "last_session"
    pdf, data = render_report_pdf(therapist, pk, since=since)
    return attachment(pdf, "application/pdf", data["filename"])


@login_required
@require_POST
def session_create(request: HttpRequest, pk: int) -> HttpResponse:
    therapist = _therapist(request)
    client, _link = queries.client_link(therapist, pk)
    measured = sorted(set(queries.measured_instruments(therapist, client)))
    form = SessionForm(request.POST, **queries.session_choices(therapist, client, measured))
    if form.is_valid():
        try:
            cd = form.cleaned_data
            services.record_session(therapist, client, cd["held_on"], duration_minutes=cd.get("duration_minutes"),
                                    modality=cd.get("modality", ""), note=cd.get("note", ""),
                                    measures_reviewed=cd.get("measures_reviewed", []),
                                    assignments_reviewed=cd.get("assignments_reviewed", []))
            messages.success(request, _("Session recorded. The next report starts from this date."))
        except ValidationError as exc:
            messages.error(request, " ".join(m for msgs in exc.message_dict.values() for m in msgs))
    else:
        messages.error(request, " ".join(str(m) for msgs in form.errors.values() for m in msgs))
    return redirect("clinic:client-detail", pk=client.pk)


@login_required
@require_POST
def reference_set(request: HttpRequest, pk: int) -> HttpResponse:
    therapist = _therapist(request)
    client, _link = queries.client_link(therapist, pk)
    form = ReferenceForm(request.POST)
    if form.is_valid():
        try:
            services.set_client_reference(therapist, client, form.cleaned_data["reference"])
            messages.success(request, _("Client reference saved."))
        except ValidationError as exc:
            messages.error(request, " ".join(m for msgs in exc.message_dict.values() for m in msgs))
    else:
        messages.error(request, " ".join(str(m) for msgs in form.errors.values() for m in msgs))
    return redirect("clinic:client-detail", pk=client.pk)


@login_required
@require_http_methods(["GET", "POST"])
def assign(request: HttpRequest, pk: int) -> HttpResponse:
    therapist = _therapist(request)
    client, _link = queries.client_link(therapist, pk)
    form = AssignForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.assign(therapist, client, form.cleaned_data["kind"], {k: v for k, v in form.cleaned_data.items() if v not in (None, "")})
        except ValidationError as exc:
            _errors_into(form, exc)
        else:
            messages.success(request, _("Sent. Your client will see it and can accept or decline."))
            return redirect("clinic:client-detail", pk=client.pk)
    return render(request, "clinic/assign.html", {"form": form, "client": client, "status": 400 if form.errors else 200},
                  status=400 if form.errors else 200)


# ----------------------------------------------------------------------------- outcomes (aggregate only)


def _outcome_rows(request: HttpRequest, what: str) -> tuple[list[Any], dict[str, Any]]:
    """A therapist's caseload or, for a clinic admin, the whole clinic: counts only."""
    from nearer.clinic import outcomes

    user = _user(request)
    if user.is_therapist:
        access.check_viewer(user)
        ids, links = outcomes.therapist_client_ids(user)
        rows = outcomes.compute(ids)
        # Each client whose questionnaires went into the counts sees this read in their access log.
        access.read_many(user, [(ln, "measures") for ln in links], what)
        return rows, {"scope_label": _("Your caseload"), "is_admin": False}
    if user.is_clinic_admin:
        admin = _admin(request)
        rows = outcomes.compute(outcomes.clinic_client_ids(admin), min_cell=outcomes.MIN_CELL)
        return rows, {"scope_label": admin.clinic.name if admin.clinic else "", "is_admin": True, "min_cell": outcomes.MIN_CELL}
    raise Http404


@login_required
def outcomes_view(request: HttpRequest) -> HttpResponse:
    rows, extra = _outcome_rows(request, "clinic:outcomes")
    return render(request, "clinic/outcomes.html", {"rows": rows, **extra})


@login_required
def outcomes_csv(request: HttpRequest) -> HttpResponse:
    from nearer.clinic import outcomes

    rows, _extra = _outcome_rows(request, "clinic:outcomes-csv")
    return attachment(outcomes.to_csv(rows), "text/csv; charset=utf-8", "nearer-outcomes.csv")


# ----------------------------------------------------------------------------- clinician export


@login_required
def measures_export(request: HttpRequest) -> HttpResponse:
    from nearer.clinic.outcomes import therapist_client_ids

    therapist = _therapist(request)
    access.check_viewer(therapist)
    ids, _links = therapist_client_ids(therapist)  # a count for the page; nothing is read yet
    return render(request, "clinic/measures_export.html", {"clients": len(ids)})


@login_required
def measures_export_csv(request: HttpRequest) -> HttpResponse:
    from nearer.clinic import export

    return attachment(export.export_csv(_therapist(request)), "text/csv; charset=utf-8", "nearer-questionnaires.csv")


@login_required
def measures_export_fhir(request: HttpRequest) -> HttpResponse:
    import json

    from nearer.clinic import export

    return attachment(json.dumps(export.export_fhir(_therapist(request)), ensure_ascii=False),
                      "application/fhir+json; charset=utf-8", "nearer-questionnaires.fhir.json")


# ----------------------------------------------------------------------------- client side


@login_required
@require_http_methods(["GET", "POST"])
def assignment_respond(request: HttpRequest, pk: int) -> HttpResponse:
    user = _user(request)
    assignment = get_object_or_404(Assignment, pk=pk, client=user)
    form = RespondForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.respond_assignment(user, assignment, form.cleaned_data["action"] == "accept")
        except ValidationError as exc:
            messages.error(request, " ".join(m for msgs in exc.message_dict.values() for m in msgs))
        else:
            messages.success(request, _("Thank you. Your therapist will see your answer."))
        return redirect("home")
    return render(request, "clinic/assignment_respond.html", {"a": assignment, "detail": queries.assignment_detail(assignment),
                                                              "pending": assignment.state == AssignmentState.PENDING})


@login_required
@require_POST
def notice_dismiss(request: HttpRequest, pk: int) -> HttpResponse:
    user = _user(request)
    get_object_or_404(ClientNotice, pk=pk, person=user)
    services.dismiss_notice(user, pk)
    return redirect("home")


# ----------------------------------------------------------------------------- directory


@login_required
def directory(request: HttpRequest) -> HttpResponse:
    form = DirectoryFilter(request.GET or None)
    filters = form.cleaned_data if form.is_valid() else {}
    profiles = queries.directory(**{k: v for k, v in filters.items() if v})
    return render(request, "clinic/directory.html", {"form": form, "profiles": profiles, "cities": queries.cities()})


@login_required
def therapist_detail(request: HttpRequest, pk: int) -> HttpResponse:
    profile = get_object_or_404(TherapistProfile.objects.select_related("user", "user__clinic"), user_id=pk, verified=True,
                                user__is_active=True, user__role="therapist")
    return render(request, "clinic/therapist_detail.html", {"profile": profile})


@login_required
@require_http_methods(["GET", "POST"])
def request_create(request: HttpRequest, pk: int) -> HttpResponse:
    user = _user(request)
    profile = get_object_or_404(TherapistProfile.objects.select_related("user"), user_id=pk, verified=True,
                                user__is_active=True, user__role="therapist")
    if user.role != "person":
        raise Http404
    form = RequestForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            _req, outcome = services.create_request(user, profile.user, form.cleaned_data["message"], form.cleaned_data["scopes"])
        except ValidationError as exc:
            _errors_into(form, exc)
        else:
            if outcome is not None and getattr(outcome, "show_card", False):
                return render(request, "clinic/request_sent.html", {"profile": profile, "risk": outcome})
            messages.success(request, _("Your request is sent. You'll see the therapist's answer on your requests page."))
            return redirect("clinic:request-list")
    return render(request, "clinic/request_form.html", {"form": form, "profile": profile}, status=400 if form.errors else 200)


@login_required
def request_list(request: HttpRequest) -> HttpResponse:
    user = _user(request)
    if user.is_therapist:
        incoming = list(TherapistRequest.objects.filter(therapist=user).select_related("person")[:100])
        return render(request, "clinic/request_list.html", {"incoming": incoming, "is_therapist": True})
    sent = list(TherapistRequest.objects.filter(person=user).select_related("therapist")[:100])
    return render(request, "clinic/request_list.html", {"sent": sent, "is_therapist": False})


@login_required
@require_POST
def request_respond(request: HttpRequest, pk: int) -> HttpResponse:
    user = _user(request)
    req = TherapistRequest.objects.filter(pk=pk).select_related("person", "therapist").first()
    if req is None or user.pk not in (req.person_id, req.therapist_id):
        raise Http404
    action = request.POST.get("action", "")
    try:
        if user.pk == req.person_id:
            services.withdraw_request(user, req)
            messages.success(request, _("Request withdrawn."))
        elif action in ("accept", "decline"):
            services.respond_request(user, req, action == "accept")
            messages.success(request, _("Accepted. This person is now on your caseload.") if action == "accept" else _("Declined."))
        else:
            messages.error(request, _("Choose accept or decline."))
    except ValidationError as exc:
        messages.error(request, " ".join(m for msgs in exc.message_dict.values() for m in msgs))
    return redirect("clinic:request-list")


@login_required
@require_http_methods(["GET", "POST"])
def profile_edit(request: HttpRequest) -> HttpResponse:
    therapist = _therapist(request)
    profile = services.profile_of(therapist)
    form = ProfileForm(request.POST or None, initial={
        "focus_areas": profile.focus_areas, "languages": profile.languages, "modality": profile.modality,
        "city": profile.city, "bio": profile.bio, "accepting": profile.accepting})
    if request.method == "POST" and form.is_valid():
        try:
            services.update_own_profile(therapist, **form.cleaned_data)
        except ValidationError as exc:
            _errors_into(form, exc)
        else:
            messages.success(request, _("Saved."))
            return redirect("clinic:profile-edit")
    return render(request, "clinic/profile_edit.html", {"form": form, "profile": profile})


# ----------------------------------------------------------------------------- clinic admin (counts only)


@login_required
@require_http_methods(["GET", "POST"])
def admin_therapists(request: HttpRequest) -> HttpResponse:
    admin = _admin(request)
    if request.method == "POST":
        from nearer.accounts import services as account_services

        action = request.POST.get("action", "")
        if action == "invite":
            new = account_services.create_invitation(admin, "clinic_therapist")
            request.session["clinic_invite_url"] = request.build_absolute_uri(reverse("accounts:invitation", args=[new.token]))
            messages.success(request, _("Your invitation link is ready. It works once and lasts 7 days."))
        elif action in ("deactivate", "reactivate"):
            try:
                account_services.set_therapist_active(admin, int(request.POST.get("therapist", "0")), action == "reactivate")
            except (User.DoesNotExist, ValueError):
                raise Http404 from None
            except ValidationError as exc:
                messages.error(request, " ".join(exc.messages))
            else:
                messages.success(request, _("Saved."))
        return redirect("clinic:admin-therapists")
    return render(request, "clinic/admin_therapists.html", {
        "rows": queries.clinic_therapists(admin), "clinic": admin.clinic,
        "invite_url": request.session.pop("clinic_invite_url", None)})


@login_required
@require_http_methods(["GET", "POST"])
def admin_therapist_edit(request: HttpRequest, pk: int) -> HttpResponse:
    admin = _admin(request)
    therapist = get_object_or_404(User, pk=pk, clinic=admin.clinic, role="therapist")
    profile = services.profile_of(therapist)
    form = LicenceForm(request.POST or None, initial={"licence_number": profile.licence_number,
                                                      "licence_state": profile.licence_state, "verified": profile.verified})
    if request.method == "POST" and form.is_valid():
        try:
            services.set_licence(admin, therapist, **form.cleaned_data)
        except ValidationError as exc:
            _errors_into(form, exc)
        else:
            messages.success(request, _("Saved."))
            return redirect("clinic:admin-therapists")
    return render(request, "clinic/admin_therapist_edit.html", {"form": form, "therapist": therapist, "profile": profile},
                  status=400 if form.errors else 200)


@login_required
@require_http_methods(["GET", "POST"])
def admin_move_caseload(request: HttpRequest) -> HttpResponse:
    admin = _admin(request)
    staff = list(User.objects.filter(clinic=admin.clinic, role="therapist").order_by("email"))
    form = MoveForm(staff, request.POST or None)
    if request.method == "POST" and form.is_valid():
        by_id = {u.pk: u for u in staff}
        try:
            move = services.move_caseload(admin, by_id[form.cleaned_data["from_therapist"]], by_id[form.cleaned_data["to_therapist"]])
        except ValidationError as exc:
            _errors_into(form, exc)
        else:
            messages.success(request, _("Moved %(n)s clients. Each of them has been told.") % {"n": move.client_count})
            return redirect("clinic:admin-therapists")
    return render(request, "clinic/admin_move.html", {"form": form}, status=400 if form.errors else 200)
