"""Page data for the relationship-safety pages. Only the person themself, or a therapist the person
gave the "relationship_safety" scope, ever gets a result; a partner never does."""

from __future__ import annotations

from typing import Any

from django.utils.translation import gettext_lazy as _

from nearer.privacy import access
from nearer.relsafety import hark
from nearer.relsafety.models import OfferState, PrivateSettings, Screen

_ANSWER_WORDS = {hark.YES: _("Yes"), hark.NO: _("No"), hark.SKIP: _("Left out")}


def settings_of(user: Any) -> PrivateSettings | None:
    if not getattr(user, "is_authenticated", False):
        return None
    return PrivateSettings.objects.filter(person=user).first()


def latest_screen(user: Any) -> Screen | None:
    return Screen.objects.filter(person=user).order_by("-created_at", "-pk").first()


def offer_visible(user: Any) -> bool:
    """The private invitation shows to a person until they answer or say "not now"."""
    if not getattr(user, "is_authenticated", False) or getattr(user, "role", "") != "person":
        return False
    s = settings_of(user)
    return s is None or s.offer_state == OfferState.PENDING


def support_page(user: Any) -> dict[str, Any]:
    s = settings_of(user)
    screen = latest_screen(user) if getattr(user, "is_authenticated", False) else None
    return {"private": s, "screen": screen, "is_person": getattr(user, "role", "") == "person"}


def client_result(therapist: Any, client: Any) -> dict[str, Any]:
    """A client's latest screen for their therapist; needs the client's "relationship_safety" scope.
    Raises AccessDenied otherwise (the caller answers 404, so nothing is revealed)."""
    access.read(therapist, client, "relationship_safety", "relsafety:client-result")
    screen = latest_screen(client)
    if screen is None:
        return {"client": client, "screen": None}
    r = screen.result
    return {
        "client": client, "screen": screen, "positive": bool(r.get("positive")), "score": r.get("score", 0),
        "unsure": bool(r.get("unsure")), "official_wording": hark.OFFICIAL.get(screen.language, False),
        "answers": [(text, str(_ANSWER_WORDS.get(r.get("answers", {}).get(key, hark.SKIP), "")))
                    for key, text in hark.questions("en")],
    }
