"""The Together panel on the home page: the next talk, a talk waiting for you, the prompts' depth.

For a partner who uses Nearer for the couple talks (no therapist of their own, no recent check-ins),
``leads`` is true and the home page puts this panel first (``nearer.views.home``).
"""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest

from nearer.together import prompt_bank, queries, services


def panel(request: HttpRequest) -> dict[str, Any] | None:
    user = request.user
    if not getattr(user, "is_authenticated", False) or getattr(user, "role", "") != "person":
        return None
    couple = services.couple_for(user)
    if couple is None:
        return None
    rhythm = services.current_rhythm(couple)
    pending = services.pending_rhythm(couple)
    open_conv = services.open_conversation(couple)
    return {
        "partner": couple.other(user),
        "next_talk": queries.next_talk(rhythm, user),
        "pending": pending,
        "pending_mine": pending is not None and pending.proposed_by_id == user.pk,
        "open_conv": open_conv,
        "waiting_for_me": queries.waiting_for(user, open_conv),
        "depth_name": prompt_bank.depth_name(couple.depth, queries.lang()),
        "leads": queries.together_leads_home(user),
    }
