from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from nearer.accounts import queries, services
from nearer.accounts.adapter import WELCOME_FLAG
from nearer.accounts.forms import (
    DeleteAccountForm,
    InviteForm,
    ProfileForm,
    ScopesForm,
    TokenForm,
    WelcomeSettingsForm,
)
from nearer.accounts.mfa import needs_session_mfa
from nearer.accounts.models import ApiToken, InvitationKind, Link, Role, User
from nearer.privacy import access


def _user(request: HttpRequest) -> User:
    assert isinstance(request.user, User)
    return request.user


@login_required
@require_http_methods(["GET", "POST"])
def profile(request: HttpRequest) -> HttpResponse:
    user = _user(request)
    form = ProfileForm(
        request.POST or None,
        initial={"display_name": user.display_name, "language": user.language, "timezone": user.timezone},
    )
    if request.method == "POST" and form.is_valid():
        services.update_profile(
            user,
            display_name=form.cleaned_data["display_name"],
            language=form.cleaned_data["language"],
            timezone_name=form.cleaned_data["timezone"],
        )
        response = redirect("accounts:profile")
        if form.cleaned_data["language"]:
            translation.activate(form.cleaned_data["language"])
            response.set_cookie("django_language", form.cleaned_data["language"], samesite="Lax", httponly=True)
        messages.success(request, _("Saved."))
        return response
    return render(request, "accounts/profile.html", {"form": form})


WELCOME_STEPS = 3


@login_required
@require_http_methods(["GET", "POST"])
def welcome(request: HttpRequest) -> HttpResponse:
    """The first-run welcome: what Nearer is for, time zone/language/reminder, the safety plan offer.

    Three screens, each skippable; it ends on today's check-in (or the plan, if the person chooses).
    """
    user = _user(request)
    if user.role != Role.PERSON:
        request.session.pop(WELCOME_FLAG, None)
        return redirect("home")
    if request.method == "POST" and "skip" in request.POST:
        request.session.pop(WELCOME_FLAG, None)
        return redirect("diary:checkin")
    try:
        step = min(max(int(request.GET.get("step", "1")), 1), WELCOME_STEPS)
    except ValueError:
        step = 1
    form = None
    status = 200
    if step == 2:
        from nearer.ops.models import ReminderPreference

        pref = ReminderPreference.objects.filter(person=user, kind="checkin").first()
        initial = {"timezone": user.timezone, "language": user.language, "remind": pref.enabled if pref else True,
                   "remind_at": pref.local_time if pref else "20:00"}
        form = WelcomeSettingsForm(request.POST or None, initial=initial)
        if request.method == "POST":
            if form.is_valid():
                services.save_welcome_settings(
                    user, language=form.cleaned_data["language"], timezone_name=form.cleaned_data["timezone"],
                    remind=form.cleaned_data["remind"], remind_at=form.cleaned_data["remind_at"])
                response = redirect(reverse("accounts:welcome") + "?step=3")
                if form.cleaned_data["language"]:
                    response.set_cookie("django_language", form.cleaned_data["language"], samesite="Lax", httponly=True)
                return response
            status = 400
    if step == WELCOME_STEPS:
        request.session.pop(WELCOME_FLAG, None)
    from nearer.safety.models import SafetyPlan

    has_plan = SafetyPlan.objects.filter(owner=user).exists()
    return render(request, "accounts/welcome.html", {"step": step, "steps": WELCOME_STEPS, "form": form,
                                                     "has_plan": has_plan}, status=status)


@login_required
def sharing(request: HttpRequest) -> HttpResponse:
    user = _user(request)
    context = queries.sharing_page(user, with_tokens=True)
    context["invite_form"] = InviteForm()
    new_url = request.session.pop("new_invite_url", None)
    context["new_invite_url"] = new_url
    # Each waiting invitation's link again, to copy or share later; the one just made shows above instead.
    waiting = []
    for inv in context["invitations"]:  # type: ignore[attr-defined]
        url = request.build_absolute_uri(reverse("accounts:invitation", args=[inv.token_sealed])) if inv.token_sealed else ""
        if url and url == new_url:
            continue
        waiting.append({"inv": inv, "url": url})
    context["waiting"] = waiting
    return render(request, "accounts/sharing.html", context)


@login_required
@require_POST
def invite_create(request: HttpRequest) -> HttpResponse:
    user = _user(request)
    if user.role == Role.THERAPIST:
        kind = InvitationKind.CLIENT
    elif user.role == Role.CLINIC_ADMIN:
        kind = InvitationKind.CLINIC_THERAPIST
    else:
        form = InviteForm(request.POST)
        if not form.is_valid():
            messages.error(request, _("Choose who you are inviting."))
            return redirect("accounts:sharing")
        kind = InvitationKind(form.cleaned_data["kind"])
    try:
        new = services.create_invitation(user, kind)
    except services.InvitationError as exc:
        messages.error(request, exc.message)
        return redirect("home")
    request.session["new_invite_url"] = request.build_absolute_uri(reverse("accounts:invitation", args=[new.token]))
    messages.success(request, _("Your invitation link is ready. It works once and lasts 7 days."))
    if kind == InvitationKind.CLINIC_THERAPIST:
        return redirect("clinic:admin-therapists")
    return redirect("accounts:sharing")


@login_required
@require_POST
def invitation_revoke(request: HttpRequest, pk: int) -> HttpResponse:
    if services.revoke_invitation(_user(request), pk):
        messages.success(request, _("Invitation withdrawn. The link no longer works."))
    return redirect("accounts:sharing")


def _inviter_unverified(inv: Any) -> bool:
    """A therapist's invitation whose account no clinic has verified (issue 14: anyone can sign up as a
    therapist, including a controlling partner, so the person is told plainly)."""
    if inv.kind != InvitationKind.CLIENT:
        return False
    profile = getattr(inv.inviter, "therapist_profile", None)
    return not (profile is not None and profile.verified and inv.inviter.clinic_id)


@require_http_methods(["GET", "POST"])
def invitation(request: HttpRequest, token: str) -> HttpResponse:
    try:
        inv = services.find_invitation(token)
    except services.InvitationError as exc:
        return render(request, "accounts/invitation_invalid.html", {"message": exc.message, "state": exc.state}, status=410)
    unverified = _inviter_unverified(inv)
    if not request.user.is_authenticated:
        return render(request, "accounts/invitation.html", {"invitation": inv, "token": token, "needs_login": True,
                                                            "unverified": unverified})
    user = _user(request)
    scope_form = None
    if inv.kind == InvitationKind.CLIENT:
        scope_form = ScopesForm("therapist", request.POST or None, initial={"scopes": inv.scopes})
    if request.method == "POST":
        chosen = None
        if scope_form is not None:
            if not scope_form.is_valid():
                return render(request, "accounts/invitation.html", {"invitation": inv, "token": token, "scope_form": scope_form,
                                                                    "unverified": unverified})
            chosen = scope_form.cleaned_data["scopes"]
        if unverified and request.POST.get("understand_unverified") != "on":
            return render(request, "accounts/invitation.html", {
                "invitation": inv, "token": token, "scope_form": scope_form, "unverified": unverified,
                "unverified_error": True}, status=400)
        try:
            services.accept_invitation(token, user, scopes=chosen)
        except services.InvitationError as exc:
            messages.error(request, exc.message)
            return render(request, "accounts/invitation.html", {"invitation": inv, "token": token, "scope_form": scope_form}, status=400)
        messages.success(request, _("You're linked."))
        return redirect("home")
    return render(request, "accounts/invitation.html", {"invitation": inv, "token": token, "scope_form": scope_form,
                                                        "unverified": unverified})


@login_required
@require_POST
def link_scopes(request: HttpRequest, pk: int) -> HttpResponse:
    user = _user(request)
    link = Link.objects.active().filter(pk=pk, owner=user).first()
    if link is None:
        raise Http404
    form = ScopesForm(link.kind, request.POST)
    if not form.is_valid():
        messages.error(request, _("Those choices could not be saved. Please try again."))
        return redirect("accounts:sharing")
    services.set_link_scopes(user, link.pk, form.cleaned_data["scopes"])
    messages.success(request, _("Saved. The change applies from now on."))
    return redirect("accounts:sharing")


@login_required
@require_http_methods(["GET", "POST"])
def link_revoke(request: HttpRequest, pk: int) -> HttpResponse:
    """Unlinking asks first and says what stops; only a POST that confirms it ends the link."""
    user = _user(request)
    link = Link.objects.active().filter(pk=pk).select_related("owner", "viewer").first()
    if link is None or user.pk not in (link.owner_id, link.viewer_id):
        raise Http404
    if request.method == "GET" or request.POST.get("confirm") != "yes":
        return render(request, "accounts/unlink_confirm.html", queries.unlink_consequences(user, link))
    services.revoke_link(user, link.pk)
    messages.success(request, _("Unlinked. Nothing more is shared through this link."))
    return redirect("accounts:sharing")


@login_required
@require_POST
def notice_dismiss(request: HttpRequest) -> HttpResponse:
    """The person read the notice that their partner's account was closed; it goes away."""
    from django.utils.http import url_has_allowed_host_and_scheme

    services.dismiss_partner_closed_notice(_user(request))
    nxt = request.POST.get("next", "")
    if nxt and url_has_allowed_host_and_scheme(nxt, allowed_hosts={request.get_host()}, require_https=request.is_secure()):
        return redirect(nxt)
    return redirect("home")


@login_required
def access_log(request: HttpRequest) -> HttpResponse:
    return render(request, "accounts/access_log.html", {"rows": queries.access_log(_user(request))})


@login_required
@require_http_methods(["GET", "POST"])
def tokens(request: HttpRequest) -> HttpResponse:
    user = _user(request)
    form = TokenForm(request.POST or None)
    secret = None
    if request.method == "POST" and needs_session_mfa(user) and not user.has_mfa():
        # A token outlives the session: therapists, clinic admins and operators mint one only from a
        # session that passed the second factor (a password-only session once minted one; issue 16 item 8).
        raise access.AccessDenied("mfa_required")
    if request.method == "POST" and form.is_valid():
        secret = services.create_api_token(user, form.cleaned_data["name"], form.cleaned_data.get("days") or 90).secret
        form = TokenForm()
    rows = ApiToken.objects.filter(user=user, revoked_at__isnull=True, expires_at__gt=timezone.now()).order_by("-created_at")
    return render(request, "accounts/tokens.html", {"form": form, "tokens": rows, "secret": secret})


@login_required
@require_POST
def token_revoke(request: HttpRequest, pk: int) -> HttpResponse:
    services.revoke_api_token(_user(request), pk)
    messages.success(request, _("Token revoked."))
    return redirect("accounts:tokens")


@login_required
@require_http_methods(["GET", "POST"])
def export(request: HttpRequest) -> HttpResponse:
    if request.method == "POST":
        from nearer.privacy.services import export_zip

        response = HttpResponse(export_zip(_user(request)), content_type="application/zip")
        response["Content-Disposition"] = 'attachment; filename="nearer-export.zip"'
        return response
    return render(request, "accounts/export.html")


@login_required
@require_http_methods(["GET", "POST"])
def delete_account(request: HttpRequest) -> HttpResponse:
    user = _user(request)
    form = DeleteAccountForm(user, request.POST or None)
    if request.method == "POST" and form.is_valid():
        from django.contrib.auth import logout

        from nearer.privacy.services import erase_account

        logout(request)
        erase_account(user)
        messages.success(request, _("Your account and everything in it have been erased."))
        return redirect("home")
    from nearer.relsafety.services import leaving_quietly

    return render(request, "accounts/delete.html", {"form": form, "quiet_exit": leaving_quietly(request.user)})
