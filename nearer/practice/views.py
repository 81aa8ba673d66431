"""Practice pages: thin views over services and queries."""

from __future__ import annotations

from typing import Any

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from nearer.accounts.models import User
from nearer.practice import queries, services
from nearer.practice import suggestion_bank as bank
from nearer.practice.forms import (
    ExperimentForm,
    FormulationForm,
    OutcomeForm,
    RecordStartForm,
    RespondForm,
    StepForm,
    SuggestForm,
    record_step_form,
)
from nearer.practice.models import Experiment, LadderStep, MomentRecord, SuggestionKind, TherapistSuggestion
from nearer.privacy import access
from nearer.safety.services import RiskOutcome


def _user(request: HttpRequest) -> User:
    assert isinstance(request.user, User)
    return request.user


def _lang() -> str:
    return bank.normalise_lang(get_language())


def _errors(form: forms.Form, exc: ValidationError) -> None:
    if hasattr(exc, "error_dict"):
        for field, errs in exc.message_dict.items():
            form.add_error(field if field in form.fields else None, errs)
    else:
        form.add_error(None, exc.messages)


def _saved(request: HttpRequest, risk: RiskOutcome, next_url: str, message: str) -> HttpResponse:
    """Redirect after saving, unless crisis help must show in this very response."""
    if risk.show_card:
        return render(request, "practice/saved.html", {"risk": risk, "next_url": next_url, "message": message})
    messages.success(request, message)
    return redirect(next_url)


# ------------------------------------------------------------------ overview


@login_required
def index(request: HttpRequest) -> HttpResponse:
    user = _user(request)
    lang = _lang()
    return render(request, "practice/index.html", {
        "ladder": queries.ladder(user, lang),
        "experiments": queries.experiments_overview(user),
        "patterns": queries.patterns(user, lang),
        "formulation": queries.formulation(user),
        "pending": queries.pending_suggestions(user),
        "records": list(MomentRecord.objects.filter(owner=user)[:5]),
    })


# ------------------------------------------------------------------ worksheet


@login_required
@require_http_methods(["GET", "POST"])
def formulation(request: HttpRequest) -> HttpResponse:
    user = _user(request)
    lang = _lang()
    current = queries.formulation(user)["current"]
    initial: dict[str, Any] = {}
    if current is not None:
        initial = {f: getattr(current, f) for f in ("past_closeness", "moves", *current.TEXT_FIELDS)}
    form = FormulationForm(request.POST or None, initial=initial, lang=lang)
    if request.method == "POST" and form.is_valid():
        try:
            version, risk = services.save_formulation(user, form.cleaned_data)
        except ValidationError as exc:
            _errors(form, exc)
        else:
            return _saved(request, risk, reverse("practice:formulation"),
                          _("Saved as version %(n)s. Earlier versions stay in your history.") % {"n": version.number})
    sheet = bank.worksheet("formulation")
    return render(request, "practice/formulation.html", {
        "form": form, "current": current, "title": sheet.title(lang), "intro": sheet.intro(lang),
        "view": queries.formulation_view(current, lang) if current else None,
    })


@login_required
def formulation_history(request: HttpRequest) -> HttpResponse:
    user = _user(request)
    lang = _lang()
    versions = queries.formulation(user)["versions"]
    return render(request, "practice/formulation_history.html",
                  {"versions": [queries.formulation_view(v, lang) for v in versions]})


# ------------------------------------------------------------------ ladder


@login_required
def ladder(request: HttpRequest) -> HttpResponse:
    user = _user(request)
    lang = _lang()
    return render(request, "practice/ladder.html", {
        "ladder": queries.ladder(user, lang),
        "experiments": queries.experiments_overview(user),
        "form": StepForm(lang=lang),
        "pending": queries.pending_suggestions(user),
    })


@login_required
@require_http_methods(["GET", "POST"])
def step_create(request: HttpRequest) -> HttpResponse:
    user = _user(request)
    lang = _lang()
    from nearer.relsafety.services import couple_pause_for

    form = StepForm(request.POST or None, lang=lang, initial={"suggestion_id": request.GET.get("suggestion", "")},
                    hide_partner_steps=couple_pause_for(user) is not None)
    if request.method == "POST" and form.is_valid():
        try:
            _step, risk = services.add_step(user, **form.cleaned_data)
        except ValidationError as exc:
            _errors(form, exc)
        else:
            return _saved(request, risk, reverse("practice:ladder"), _("Step added to your ladder."))
    return render(request, "practice/step_form.html", {"form": form}, status=400 if form.errors else 200)


# ------------------------------------------------------------------ experiments


@login_required
@require_http_methods(["GET", "POST"])
def experiment_create(request: HttpRequest) -> HttpResponse:
    user = _user(request)
    lang = _lang()
    initial = {}
    step_param = request.GET.get("step", "")
    if step_param.isdigit():
        initial["step"] = LadderStep.objects.filter(owner=user, pk=int(step_param)).first()
    form = ExperimentForm(request.POST or None, owner=user, lang=lang, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            exp, risk = services.plan_experiment(user, **form.cleaned_data)
        except ValidationError as exc:
            _errors(form, exc)
        else:
            return _saved(request, risk, reverse("practice:experiment-detail", args=[exp.pk]),
                          _("Your experiment is planned. Come back afterwards to note how it went."))
    sheet = bank.worksheet("experiment_before")
    return render(request, "practice/experiment_form.html",
                  {"form": form, "title": sheet.title(lang), "intro": sheet.intro(lang)},
                  status=400 if form.errors else 200)


def _own_experiment(request: HttpRequest, pk: int) -> Experiment:
    return get_object_or_404(Experiment.objects.select_related("step"), pk=pk, owner=_user(request))


@login_required
def experiment_detail(request: HttpRequest, pk: int) -> HttpResponse:
    exp = _own_experiment(request, pk)
    return render(request, "practice/experiment_detail.html", {"exp": exp, "step_label": exp.step.label(_lang()) if exp.step else ""})


@login_required
@require_http_methods(["GET", "POST"])
def experiment_outcome(request: HttpRequest, pk: int) -> HttpResponse:
    user = _user(request)
    exp = _own_experiment(request, pk)
    initial = {}
    if exp.is_done:
        initial = {f: getattr(exp, f) for f in ("what_happened", "outcome", "belief_after", "actual_anxiety", "learned")}
    form = OutcomeForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            exp, risk = services.record_outcome(user, exp, **form.cleaned_data)
        except ValidationError as exc:
            _errors(form, exc)
        else:
            return _saved(request, risk, reverse("practice:experiment-detail", args=[exp.pk]),
                          _("Thank you for trying. Your answers are saved."))
    sheet = bank.worksheet("experiment_after")
    return render(request, "practice/experiment_outcome.html",
                  {"form": form, "exp": exp, "title": sheet.title(_lang()), "intro": sheet.intro(_lang()),
                   "step_label": exp.step.label(_lang()) if exp.step else ""},
                  status=400 if form.errors else 200)


# ------------------------------------------------------------------ present or past


@login_required
@require_http_methods(["GET", "POST"])
def record_create(request: HttpRequest) -> HttpResponse:
    user = _user(request)
    lang = _lang()
    form = RecordStartForm(request.POST or None, lang=lang, initial={"kind": request.GET.get("kind", "")})
    if request.method == "POST" and form.is_valid():
        try:
            rec, risk = services.start_record(user, **form.cleaned_data)
        except ValidationError as exc:
            _errors(form, exc)
        else:
            if risk.show_card:
                return _record_page(request, rec, risk=risk)
            return redirect("practice:record-detail", pk=rec.pk)
    sheet = bank.worksheet("present_or_past")
    return render(request, "practice/record_start.html",
                  {"form": form, "title": sheet.title(lang), "intro": sheet.intro(lang),
                   "total": len(services.RECORD_STEPS) + 1},
                  status=400 if form.errors else 200)


def _record_page(request: HttpRequest, rec: MomentRecord, form: forms.Form | None = None,
                 risk: RiskOutcome | None = None, status: int = 200) -> HttpResponse:
    lang = _lang()
    sheet = bank.worksheet("present_or_past")
    step = None
    if rec.current_step != "done":
        step = sheet.step(rec.current_step)
        if form is None:
            form = record_step_form(rec.current_step, lang=lang)
    position = services.RECORD_STEPS.index(rec.current_step) + 2 if step else len(services.RECORD_STEPS) + 1
    feelings = []
    for f in rec.feelings:
        label = rec.feelings_own if f["id"] == "own" else bank.label("emotions", f["id"], lang)
        feelings.append({"label": label, "strength": f["strength"]})
    return render(request, "practice/record_detail.html", {
        "rec": rec, "step": step, "form": form, "risk": risk, "title": sheet.title(lang),
        "first_reading": rec.first_reading(lang), "kind_label": rec.kind_label(lang),
        "instruction": step.instruction(lang) if step else None, "step_text": step.text(lang) if step else "",
        "position": position, "total": len(services.RECORD_STEPS) + 1, "feelings": feelings,
    }, status=status)


@login_required
@require_http_methods(["GET", "POST"])
def record_detail(request: HttpRequest, pk: int) -> HttpResponse:
    user = _user(request)
    rec = get_object_or_404(MomentRecord, pk=pk, owner=user)
    if request.method == "POST":
        step_id = request.POST.get("step", "")
        if step_id not in services.RECORD_STEPS:
            return _record_page(request, rec, status=400)
        form = record_step_form(step_id, request.POST, lang=_lang())
        if form.is_valid():
            try:
                rec, risk = services.answer_record_step(user, rec, step_id, {**form.cleaned_data})
            except ValidationError as exc:
                _errors(form, exc)
            else:
                if risk.show_card:
                    return _record_page(request, rec, risk=risk)
                return redirect("practice:record-detail", pk=rec.pk)
        rec.refresh_from_db()
        return _record_page(request, rec, form=form if step_id == rec.current_step else None, status=400)
    return _record_page(request, rec)


@login_required
def patterns(request: HttpRequest) -> HttpResponse:
    user = _user(request)
    return render(request, "practice/patterns.html", {
        "patterns": queries.patterns(user, _lang()),
        "records": list(MomentRecord.objects.filter(owner=user)),
    })


# ------------------------------------------------------------------ with a therapist


def _client(client_id: int) -> User:
    client = User.objects.filter(pk=client_id, is_active=True).first()
    if client is None:
        raise Http404
    return client


@login_required
@require_http_methods(["GET", "POST"])
def suggest(request: HttpRequest, client_id: int) -> HttpResponse:
    viewer = _user(request)
    client = _client(client_id)
    if not services.can_suggest(viewer, client):
        raise access.AccessDenied("no_link")
    lang = _lang()
    form = SuggestForm(request.POST or None, lang=lang, initial={"kind": SuggestionKind.LADDER_STEP})
    if request.method == "POST" and form.is_valid():
        try:
            services.suggest(viewer, client, **form.cleaned_data)
        except ValidationError as exc:
            _errors(form, exc)
        else:
            messages.success(request, _("Suggestion sent. Your client can accept, change or decline it."))
            return redirect("practice:suggest", client_id=client.pk)
    return render(request, "practice/suggest.html", {
        "form": form, "client": client, "sent": queries.suggestions_for(client, viewer),
    }, status=400 if form.errors else 200)


@login_required
@require_http_methods(["GET", "POST"])
def suggestion_respond(request: HttpRequest, pk: int) -> HttpResponse:
    user = _user(request)
    sug = get_object_or_404(TherapistSuggestion.objects.select_related("therapist"), pk=pk, client=user)
    form = RespondForm(request.POST or None, initial={"text": sug.label(_lang()), "difficulty": sug.difficulty})
    if request.method == "POST" and form.is_valid():
        try:
            sug, risk = services.respond_to_suggestion(user, sug, **form.cleaned_data)
        except ValidationError as exc:
            _errors(form, exc)
        else:
            message = {"declined": _("Declined. Your therapist will see that you said no, and that's fine.")}.get(
                sug.state, _("Added. Your therapist will see that you accepted."))
            target = reverse("practice:record-create") if sug.kind == SuggestionKind.PRESENT_OR_PAST and sug.state != "declined" \
                else reverse("practice:ladder")
            return _saved(request, risk, target, message)
    return render(request, "practice/suggestion_respond.html",
                  {"form": form, "sug": sug, "label": sug.label(_lang())}, status=400 if form.errors else 200)


@login_required
def client_summary(request: HttpRequest, client_id: int) -> HttpResponse:
    viewer = _user(request)
    client = _client(client_id)
    access.read(viewer, client, "practice_summaries", "practice:client-summary")
    entries = None
    if viewer.pk != client.pk and access.can_read(viewer, client, "practice_entries"):
        access.read(viewer, client, "practice_entries", "practice:client-summary")
        entries = queries.practice_entries(client, _lang())
    return render(request, "practice/client_summary.html", {
        "client": client,
        "summary": queries.practice_summary(client),
        "entries": entries,
        "suggestions": queries.suggestions_for(client, viewer) if viewer.pk != client.pk else [],
        "can_suggest": services.can_suggest(viewer, client),
    })
