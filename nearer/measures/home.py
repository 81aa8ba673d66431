"""The home-page panel: measures due now and schedules waiting for the person's answer (people only)."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest

from nearer.measures import queries


def panel(request: HttpRequest) -> dict[str, Any] | None:
    user = request.user
    if not user.is_authenticated or getattr(user, "is_therapist", False) or getattr(user, "is_clinic_admin", False):
        return None
    due = queries.due_for(user)
    proposals = queries.proposals_for(user)
    if not due and not proposals:
        return None
    return {"due": due, "proposals": proposals}
