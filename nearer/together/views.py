"""Couple conversation pages. Thin: parse, authorise, call a service or query, render."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from nearer.accounts.models import User
from nearer.privacy import access
from nearer.together import prompt_bank, queries, services
from nearer.together.forms import (
    DepthForm,
    PreferencesForm,
    PromptChoiceForm,
    RatingForm,
    RhythmForm,
    SharingForm,
)
from nearer.together.models import Conversation, ConversationState


def _user(request: HttpRequest) -> User:
    assert isinstance(request.user, User)
    return request.user


def _add_errors(form: Any, exc: ValidationError) -> None:
    for field, msgs in exc.message_dict.items():
        form.add_error(field if field in form.fields else None, msgs)


@login_required
def index(request: HttpRequest) -> HttpResponse:
    user = _user(request)
    context = queries.index_page(user)
    if context["couple"] is not None:
        context["preferences_form"] = PreferencesForm(initial={"mood_compare": bool(context["member"] and context["member"].mood_compare)})
    return render(request, "together/index.html", context)


@login_required
@require_http_methods(["GET", "POST"])
def rhythm(request: HttpRequest) -> HttpResponse:
    user = _user(request)
    couple = services.require_couple(user)
    form = RhythmForm()
    if request.method == "POST":
        action = request.POST.get("action", "propose")
        try:
            if action == "confirm":
                services.confirm_rhythm(user, int(request.POST.get("rhythm_id") or 0))
                messages.success(request, _("Your rhythm is set. The next talk shows on both your home pages."))
                return redirect("together:index")
            if action == "decline":
                services.decline_rhythm(user, int(request.POST.get("rhythm_id") or 0))
                messages.success(request, _("No problem. Either of you can suggest another rhythm."))
                return redirect("together:rhythm")
            form = RhythmForm(request.POST)
            if form.is_valid():
                services.propose_rhythm(user, form.cleaned_data["weekdays"], form.cleaned_data["at"])
                messages.success(request, _("Suggested. Your partner can confirm it from their Together page."))
                return redirect("together:index")
        except ValueError:
            messages.error(request, _("That proposal is no longer waiting."))
        except ValidationError as exc:
            for msgs in exc.message_dict.values():
                for m in msgs:
                    messages.error(request, m)
    current = services.current_rhythm(couple)
    pending = services.pending_rhythm(couple)
    return render(request, "together/rhythm.html", {
        "form": form, "couple": couple, "partner": couple.other(user),
        "rhythm_text": queries.rhythm_text(current), "pending": pending, "pending_text": queries.rhythm_text(pending),
        "pending_mine": pending is not None and pending.proposed_by_id == user.pk,
    })


@login_required
@require_http_methods(["GET", "POST"])
def conversation_create(request: HttpRequest) -> HttpResponse:
    user = _user(request)
    couple = services.require_couple(user)
    existing = services.open_conversation(couple)
    if existing is not None:
        return redirect("together:conversation-detail", pk=existing.pk)
    error = ""
    if request.method == "POST":
        form = PromptChoiceForm(request.POST)
        if form.is_valid():
            try:
                conv = services.start_conversation(user, form.cleaned_data["prompt_id"])
                return redirect("together:conversation-detail", pk=conv.pk)
            except ValidationError as exc:
                error = " ".join(exc.message_dict.get("prompt_id", []))
        else:
            error = _("Choose one of the prompts offered.")
    depth = couple.depth
    other = request.GET.get("depth")
    if other in ("1", "2", "3") and int(other) <= services.opened_depth(couple):
        depth = int(other)
    lang = queries.lang()
    offered = [queries.prompt_view(p.id, lang) for p in services.offered_prompts(couple, depth)]
    saved = set(services.saved_prompt_ids(couple))
    for p in offered:
        p["saved"] = p["id"] in saved
    return render(request, "together/conversation_create.html", {
        "couple": couple, "partner": couple.other(user), "offered": offered, "error": error, "depth": depth,
        "depth_label": prompt_bank.depth_name(depth, lang),
        "depths": [(d, prompt_bank.depth_name(d, lang)) for d in prompt_bank.DEPTHS if d <= services.opened_depth(couple)],
    }, status=422 if error else 200)


def _conversation(request: HttpRequest, pk: int) -> Conversation:
    return services.conversation_for(_user(request), pk)


@login_required
@require_http_methods(["GET", "POST"])
def conversation_detail(request: HttpRequest, pk: int) -> HttpResponse:
    user = _user(request)
    conv = _conversation(request, pk)
    lang = queries.lang()
    if request.method == "POST":
        answers = [request.POST.get(q["id"]) for q in prompt_bank.readiness(lang)["questions"]]
        if any(a not in ("yes", "no") for a in answers):
            messages.error(request, _("Answer each question, yes or not really."))
        else:
            try:
                services.answer_readiness(user, conv, all(a == "yes" for a in answers))
            except ValidationError as exc:
                for msgs in exc.message_dict.values():
                    for m in msgs:
                        messages.error(request, m)
        return redirect("together:conversation-detail", pk=conv.pk)
    rated = conv.ratings.filter(person=user).exists()
    return render(request, "together/conversation_detail.html", {
        "conv": conv,
        "partner": conv.couple.other(user),
        "prompt": queries.prompt_view(conv.prompt_id, lang),
        "guidance": queries.guidance_view(conv.depth, lang),
        "readiness": prompt_bank.readiness(lang),
        "my_ready": conv.ready_of(user.pk),
        "rated": rated,
        "both_rated": conv.ratings.count() == 2,
        "S": ConversationState,
    })


@login_required
@require_http_methods(["GET", "POST"])
def rate(request: HttpRequest, pk: int) -> HttpResponse:
    user = _user(request)
    conv = _conversation(request, pk)
    if conv.ratings.filter(person=user).exists():
        return redirect("together:reveal", pk=conv.pk)
    if conv.state != ConversationState.TALKING or not conv.couple.is_active:
        return redirect("together:conversation-detail", pk=conv.pk)
    member = services.membership(conv.couple, user.pk)
    form = RatingForm(request.POST or None, initial={"share": member.share_by_default if member else True})
    if request.method == "POST" and form.is_valid():
        try:
            result = services.rate_conversation(user, conv, **form.cleaned_data)
        except ValidationError as exc:
            _add_errors(form, exc)
        else:
            risk = result.risk
            if risk is not None and risk.show_card:
                return render(request, "together/rated_with_care.html", {
                    "conv": conv, "risk": risk,
                })
            if conv.ratings.count() == 2:
                messages.success(request, _("Thank you. You've both rated, so here is how it went."))
            else:
                messages.success(request, _("Thank you. Your ratings stay private until you've both rated."))
            return redirect("together:reveal", pk=conv.pk)
    return render(request, "together/rate.html", {"conv": conv, "form": form, "partner": conv.couple.other(user),
                                                  "prompt": queries.prompt_view(conv.prompt_id)},
                  status=422 if form.errors else 200)


@login_required
@require_http_methods(["GET", "POST"])
def reveal(request: HttpRequest, pk: int) -> HttpResponse:
    user = _user(request)
    conv = _conversation(request, pk)
    if request.method == "POST":
        form = SharingForm(request.POST)
        if form.is_valid():
            try:
                services.set_rating_sharing(user, conv, share=form.cleaned_data["share"], note_shared=form.cleaned_data["note_shared"])
                messages.success(request, _("Saved."))
            except ValidationError as exc:
                for msgs in exc.message_dict.values():
                    for m in msgs:
                        messages.error(request, m)
        return redirect("together:reveal", pk=conv.pk)
    data = queries.reveal_for(user, conv)
    return render(request, "together/reveal.html", {
        "conv": conv, "r": data, "partner": conv.couple.other(user), "prompt": queries.prompt_view(conv.prompt_id),
        "sharing_form": SharingForm(initial={"share": data.my_share, "note_shared": data.my_note_shared}),
        "closed": conv.state == ConversationState.CLOSED or not conv.couple.is_active,
    })


def _mark(request: HttpRequest, kind: str) -> HttpResponse:
    user = _user(request)
    services.require_couple(user)
    form = PromptChoiceForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Choose one of the prompts offered."))
        return redirect("together:conversation-create")
    try:
        services.mark_prompt(user, form.cleaned_data["prompt_id"], kind)
    except ValidationError:
        messages.error(request, _("Choose one of the prompts offered."))
    else:
        messages.success(request, _("Skipped. Here are others.") if kind == "skipped" else
                         _("Saved. It will be waiting for you both next time."))
    nxt = request.POST.get("next", "")
    if nxt == "index":
        return redirect("together:index")
    return redirect("together:conversation-create")


@login_required
@require_POST
def prompt_skip(request: HttpRequest) -> HttpResponse:
    return _mark(request, "skipped")


@login_required
@require_POST
def prompt_save(request: HttpRequest) -> HttpResponse:
    return _mark(request, "saved")


@login_required
@require_POST
def depth(request: HttpRequest) -> HttpResponse:
    user = _user(request)
    services.require_couple(user)
    form = DepthForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Choose how deep you'd like the prompts to go."))
        return redirect("together:index")
    try:
        couple = services.set_depth(user, form.cleaned_data["depth"])
        messages.success(request, _("Saved for you both: prompts are now “%(name)s”. You can change this any time.")
                         % {"name": prompt_bank.depth_name(couple.depth, queries.lang())})
    except ValidationError as exc:
        for msgs in exc.message_dict.values():
            for m in msgs:
                messages.error(request, m)
    return redirect("together:index")


@login_required
@require_POST
def preferences(request: HttpRequest) -> HttpResponse:
    user = _user(request)
    services.require_couple(user)
    form = PreferencesForm(request.POST)
    form.is_valid()
    services.set_preferences(user, mood_compare=bool(form.cleaned_data.get("mood_compare")))
    messages.success(request, _("Saved."))
    return redirect(request.POST.get("next") == "trend" and "together:trend" or "together:index")


@login_required
def trend(request: HttpRequest) -> HttpResponse:
    user = _user(request)
    services.require_couple(user)
    context = queries.trend_page(user)
    context["preferences_form"] = PreferencesForm(initial={"mood_compare": bool(context["member"] and context["member"].mood_compare)})
    return render(request, "together/trend.html", context)


@login_required
def client_detail(request: HttpRequest, client_id: int) -> HttpResponse:
    viewer = _user(request)
    client = User.objects.filter(pk=client_id, is_active=True).first()
    if client is None or client.pk == viewer.pk or not viewer.is_therapist:
        raise Http404
    access.read(viewer, client, "together_ratings", "together:client-detail")
    summary = queries.couple_summary_for(client, viewer)
    return render(request, "together/client_detail.html", {"client": client, "s": summary, "labels": queries.scale_labels()})
