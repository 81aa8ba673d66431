"""Safety pages: the plan, the crisis card choices, "I'm not safe", alerts and finding care."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from nearer.accounts.models import User
from nearer.privacy import access
from nearer.safety import asq as asq_text
from nearer.safety import queries, services
from nearer.safety.forms import AsqForm, ResolveForm, SafetyPlanForm
from nearer.safety.kinds import kind_labels
from nearer.safety.models import Alert, Choice, RiskEvent
from nearer.safety.plan_text import PLAN_PARTS, crisis_card, part_text


def _person_only(request: HttpRequest) -> User:
    return access.require_person(request.user)  # type: ignore[arg-type]


def _therapist_only(request: HttpRequest) -> User:
    return access.require_therapist(request.user)  # type: ignore[arg-type]


def _sections(plan: Any) -> list[dict[str, Any]]:
    lang = get_language()
    out = []
    for key in PLAN_PARTS:
        text = part_text(key, lang)
        items = plan.parts()[key] if plan else []
        out.append({"key": key, "title": text.title, "explanation": text.explanation, "items": items})
    return out


def _hints() -> dict[str, Any]:
    lang = get_language()
    return {key: part_text(key, lang) for key in PLAN_PARTS}


# --- The person's own plan ------------------------------------------------------------------------


@login_required
@require_GET
def plan_detail(request: HttpRequest) -> HttpResponse:
    user = _person_only(request)
    plan = queries.plan_of(user)
    return render(request, "safety/plan_detail.html", {
        "plan": plan,
        "sections": _sections(plan),
        "versions": queries.versions_of(plan) if plan else [],
        "own": True,
        "has_therapist": user.links_out.filter(kind="therapist", revoked_at__isnull=True).exists(),
    })


def _plan_form_page(request: HttpRequest, owner: User, editor: User, *, own: bool) -> HttpResponse:
    plan = queries.plan_of(owner)
    outcome = None
    if request.method == "POST":
        form = SafetyPlanForm(request.POST)
        if form.is_valid():
            try:
                plan, outcome = services.save_plan(owner, editor, {k: form.cleaned_data[k] for k in PLAN_PARTS})
            except ValidationError as exc:
                for field, errs in exc.message_dict.items():
                    form.add_error(field if field in form.fields else None, errs)
            else:
                if outcome.show_card:
                    return render(request, "safety/plan_saved.html", {"risk": outcome, "plan": plan}, status=200)
                messages.success(request, _("Your safety plan is saved.") if own else _("The plan is saved."))
                if own:
                    return redirect("safety:plan-detail")
                return redirect("safety:client-plan", person_id=owner.pk)
    else:
        form = SafetyPlanForm(initial={k: getattr(plan, k) for k in PLAN_PARTS} if plan else None)
    partner = services.partner_of(owner) if own else None
    partner_listed = bool(partner and plan and str(partner.name) in plan.parts()["people_to_ask"])
    fields = [{"field": form[key], "hints": part_text(key, get_language()).hints} for key in PLAN_PARTS]
    return render(request, "safety/plan_edit.html", {
        "form": form, "fields": fields, "own": own, "owner": owner, "plan": plan,
        "offer_partner": bool(partner) and not partner_listed,
    }, status=422 if request.method == "POST" else 200)


@login_required
@require_http_methods(["GET", "POST"])
def plan_edit(request: HttpRequest) -> HttpResponse:
    user = _person_only(request)
    return _plan_form_page(request, user, user, own=True)


@login_required
@require_POST
def plan_add_partner(request: HttpRequest) -> HttpResponse:
    user = _person_only(request)
    try:
        services.add_partner_to_plan(user)
    except ValidationError:
        messages.error(request, _("There is no partner linked to your account."))
        return redirect("safety:plan-edit")
    messages.success(request, _("Your partner is now in “People I can ask for help”."))
    return redirect("safety:plan-edit")


@login_required
@require_GET
def plan_print(request: HttpRequest) -> HttpResponse:
    user = _person_only(request)
    plan = queries.plan_of(user)
    return render(request, "safety/plan_print.html", {"plan": plan, "sections": _sections(plan), "owner": user})


# --- A client's plan, for a linked therapist (or a partner the person shared it with) -------------


@login_required
@require_GET
def client_plan(request: HttpRequest, person_id: int) -> HttpResponse:
    owner = get_object_or_404(User, pk=person_id)
    if owner.pk == request.user.pk:
        return redirect("safety:plan-detail")
    grant = access.read(request.user, owner, "safety_plan", "safety:plan")  # type: ignore[arg-type]
    plan = queries.plan_of(owner)
    can_edit = grant.link is not None and grant.link.kind == "therapist"
    return render(request, "safety/plan_detail.html", {
        "plan": plan, "sections": _sections(plan), "own": False, "owner": owner, "can_edit": can_edit,
        "versions": queries.versions_of(plan) if plan and can_edit else [],
    })


@login_required
@require_http_methods(["GET", "POST"])
def client_plan_edit(request: HttpRequest, person_id: int) -> HttpResponse:
    owner = get_object_or_404(User, pk=person_id)
    therapist = _therapist_only(request)
    grant = access.read(therapist, owner, "safety_plan", "safety:plan-edit")
    if grant.link is None or grant.link.kind != "therapist":
        raise access.AccessDenied("not_a_therapist")
    return _plan_form_page(request, owner, therapist, own=False)


# --- Card choices and "I'm not safe" --------------------------------------------------------------


@login_required
@require_POST
def not_safe(request: HttpRequest) -> HttpResponse:
    user = _person_only(request)
    outcome = services.not_safe(user)
    return render(request, "safety/not_safe.html", {"risk": outcome})


@login_required
@require_POST
def risk_choice(request: HttpRequest, event_id: int) -> HttpResponse:
    user = _person_only(request)
    event = RiskEvent.objects.filter(pk=event_id, person=user).first()
    if event is None:
        raise Http404
    choice = request.POST.get("choice", "")
    try:
        services.record_choice(user, event, choice)
    except ValidationError:
        return render(request, "safety/choice_done.html", {"error": True, "event": event,
                                                           "t": crisis_card(get_language())}, status=422)
    return render(request, "safety/choice_done.html", {
        "event": event, "need_help": choice == Choice.NEED_HELP, "t": crisis_card(get_language()),
    })


# --- Asking directly (ASQ) ------------------------------------------------------------------------


@login_required
@require_http_methods(["GET", "POST"])
def asq(request: HttpRequest) -> HttpResponse:
    user = _person_only(request)
    qs = asq_text.questions(get_language())
    trigger = request.POST.get("trigger") or request.GET.get("trigger") or "self"
    if trigger not in asq_text.TRIGGERS:
        trigger = "self"
    form = AsqForm(request.POST or None, texts=qs.texts, text_lang=qs.lang, initial={"trigger": trigger})
    if request.method == "POST" and form.is_valid():
        answers = {q: form.cleaned_data.get(q) or "" for q in asq_text.QUESTION_IDS}
        try:
            screen_row, outcome = services.submit_asq(user, answers, trigger=trigger, language=get_language())
        except ValidationError as exc:
            for field, errs in exc.message_dict.items():
                form.add_error(field if field in form.fields else None, errs)
        else:
            return render(request, "safety/asq_done.html", {"screen": screen_row, "risk": outcome})
    return render(request, "safety/asq.html", {"form": form, "questions": qs, "citation": asq_text.CITATION},
                  status=422 if request.method == "POST" else 200)


# --- Alerts (therapists) --------------------------------------------------------------------------


def _alert_for(request: HttpRequest, alert_id: int) -> Alert:
    therapist = _therapist_only(request)
    alert = Alert.objects.select_related("person").filter(pk=alert_id, therapist=therapist).first()
    if alert is None:
        raise Http404
    access.grant(therapist, alert.person)  # active link and second factor, or AccessDenied
    return alert


@login_required
@require_GET
def alert_list(request: HttpRequest) -> HttpResponse:
    therapist = _therapist_only(request)
    alerts = list(queries.therapist_alerts(therapist)[:200])
    for a in alerts:
        a.source_label = queries.source_label(a.last_source)  # type: ignore[attr-defined]
        a.kind_text = "; ".join(str(k) for k in kind_labels(a.kinds)) or "—"  # type: ignore[attr-defined]
    return render(request, "safety/alert_list.html", {"alerts": alerts})


@login_required
@require_GET
def alert_detail(request: HttpRequest, alert_id: int) -> HttpResponse:
    alert = _alert_for(request, alert_id)
    sources = [queries.source_label(s) for s in alert.events.values_list("source", flat=True).distinct()]
    return render(request, "safety/alert_detail.html", {
        "alert": alert, "form": ResolveForm(), "first_label": queries.source_label(alert.first_source),
        "kinds": kind_labels(alert.kinds),
        "last_label": queries.source_label(alert.last_source), "sources": sorted(set(map(str, sources))),
    })


@login_required
@require_POST
def alert_acknowledge(request: HttpRequest, alert_id: int) -> HttpResponse:
    alert = _alert_for(request, alert_id)
    services.acknowledge_alert(request.user, alert)  # type: ignore[arg-type]
    messages.success(request, _("Alert acknowledged."))
    return redirect("safety:alert-detail", alert_id=alert.pk)


@login_required
@require_POST
def alert_resolve(request: HttpRequest, alert_id: int) -> HttpResponse:
    alert = _alert_for(request, alert_id)
    form = ResolveForm(request.POST)
    if form.is_valid():
        try:
            services.resolve_alert(request.user, alert, form.cleaned_data["note"])  # type: ignore[arg-type]
        except ValidationError as exc:
            form.add_error("note", exc.message_dict.get("note", exc.messages))
        else:
            messages.success(request, _("Alert resolved."))
            return redirect("safety:alert-list")
    return render(request, "safety/alert_detail.html", {
        "alert": alert, "form": form, "first_label": queries.source_label(alert.first_source),
        "last_label": queries.source_label(alert.last_source), "sources": [], "kinds": kind_labels(alert.kinds),
    }, status=422)


# --- Finding care ---------------------------------------------------------------------------------


@require_GET
def finding_care(request: HttpRequest) -> HttpResponse:
    return render(request, "safety/finding_care.html")
