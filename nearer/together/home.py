"""The Together panel on the home page: the next talk, on both partners' pages."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest

from nearer.together import queries, services


def panel(request: HttpRequest) -> dict[str, Any] | None:
    user = request.user
    if not getattr(user, "is_authenticated", False) or getattr(user, "role", "") != "person":
        return None
    couple = services.couple_for(user)
    if couple is None:
        return None
    rhythm = services.current_rhythm(couple)
    pending = services.pending_rhythm(couple)
    return {
        "partner": couple.other(user),
        "next_talk": queries.next_talk(rhythm, user),
        "pending": pending,
        "pending_mine": pending is not None and pending.proposed_by_id == user.pk,
        "open_conv": services.open_conversation(couple),
    }
