"""Learn pages: the library, a piece with its private reflection box, finding care, and the
therapist's view of reflections a client chose to share."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from nearer.accounts.models import User
from nearer.learn import content, queries, services
from nearer.learn.forms import ReflectionForm, ShareForm
from nearer.learn.models import Reflection
from nearer.privacy import access

FINDING_CARE_SLUG = "finding-care"


def _user(request: HttpRequest) -> User:
    assert isinstance(request.user, User)
    return request.user


def _piece_or_404(slug: str) -> content.Piece:
    piece = content.get_piece(slug)
    if piece is None:
        raise Http404
    return piece


def _piece_url(slug: str) -> str:
    return reverse("learn:piece-detail", kwargs={"slug": slug})


def _render_piece(request: HttpRequest, piece: content.Piece, form: ReflectionForm | None = None,
                  outcome: Any = None, status: int = 200) -> HttpResponse:
    context = queries.detail_page(request.user, piece)
    context["form"] = form or ReflectionForm()
    context["finding_care"] = piece.slug == FINDING_CARE_SLUG
    if outcome is not None and outcome.show_card:
        context["outcome"] = outcome
    return render(request, "learn/piece_detail.html", context, status=status)


@require_GET
def piece_list(request: HttpRequest) -> HttpResponse:
    return render(request, "learn/piece_list.html", queries.list_page(request.user))


@require_GET
def piece_detail(request: HttpRequest, slug: str) -> HttpResponse:
    return _render_piece(request, _piece_or_404(slug))


@require_GET
def finding_care(request: HttpRequest) -> HttpResponse:
    return _render_piece(request, _piece_or_404(FINDING_CARE_SLUG))


@login_required
@require_POST
def reflection_save(request: HttpRequest, slug: str) -> HttpResponse:
    piece = _piece_or_404(slug)
    form = ReflectionForm(request.POST)
    if form.is_valid():
        try:
            reflection, outcome = services.save_reflection(
                _user(request), piece.slug, form.cleaned_data["text"], shared=form.cleaned_data["shared"],
            )
        except ValidationError as exc:
            form.add_error(None, exc)
        else:
            if getattr(outcome, "show_card", False):
                # The reflection is saved; crisis help is shown in this same response.
                messages.success(request, _("Your reflection is saved."))
                return _render_piece(request, piece, outcome=outcome)
            if reflection.shared:
                messages.success(request, _shared_message(request, _("Saved and shared with your therapist.")))
            else:
                messages.success(request, _("Saved. Only you can see this."))
            return redirect(_piece_url(piece.slug) + "#reflections")
    return _render_piece(request, piece, form=form, status=422)


def _shared_message(request: HttpRequest, done: str) -> str:
    """Say plainly when a shared reflection cannot reach anyone yet."""
    if queries.shares_reflections_with_therapist(_user(request)):
        return done
    return _("Marked as shared. No therapist sees it until you turn on “Reflections you chose to share” "
             "for them on Who can see what.")


def _own_reflection(request: HttpRequest, pk: int) -> Reflection:
    return get_object_or_404(Reflection, pk=pk, person=_user(request))


@login_required
@require_POST
def reflection_share(request: HttpRequest, pk: int) -> HttpResponse:
    reflection = _own_reflection(request, pk)
    form = ShareForm(request.POST)
    shared = bool(form.is_valid() and form.cleaned_data["shared"])
    services.set_reflection_shared(reflection, shared)
    if shared:
        messages.success(request, _shared_message(
            request, _("Shared with your therapist. You can stop sharing at any time.")))
    else:
        messages.success(request, _("This reflection is private again."))
    return redirect(_piece_url(reflection.slug) + "#reflections")


@login_required
@require_POST
def reflection_delete(request: HttpRequest, pk: int) -> HttpResponse:
    reflection = _own_reflection(request, pk)
    slug = reflection.slug
    services.delete_reflection(reflection)
    messages.success(request, _("Reflection deleted."))
    return redirect(_piece_url(slug) + "#reflections")


@login_required
@require_POST
def mark_read(request: HttpRequest, slug: str) -> HttpResponse:
    piece = _piece_or_404(slug)
    services.mark_read(_user(request), piece.slug)
    messages.success(request, _("Marked as read."))
    target = request.POST.get("next", "")
    if target and url_has_allowed_host_and_scheme(target, allowed_hosts={request.get_host()},
                                                   require_https=request.is_secure()):
        return redirect(target)
    return redirect(_piece_url(piece.slug))


@login_required
@require_GET
def client_reflections(request: HttpRequest, client_id: int) -> HttpResponse:
    viewer = _user(request)
    if not viewer.is_therapist:
        raise Http404
    client = get_object_or_404(User, pk=client_id)
    access.read(viewer, client, "reflections", "learn:client-reflections")
    rows = queries.shared_reflections(client)
    return render(request, "learn/client_reflections.html", {"rows": rows, "client_id": client.pk})
