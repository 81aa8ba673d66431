"""The home-page panel: measures due now and schedules waiting for the person's answer (people only)."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest

from nearer.measures import queries


def panel(request: HttpRequest) -> dict[str, Any] | None:
    user = request.user
    if not user.is_authenticated or getattr(user, "is_therapist", False) or getattr(user, "is_clinic_admin", False):
        return None
    from nearer import home_facts

    due = queries.due_for(user)
    # Read only when the page's facts say a proposal waits (most days none does: no query).
    proposals: list[dict[str, Any]] = []
    if home_facts.facts(request).get("measures_proposals"):
        linked = {link.viewer_id for link in home_facts.active_links(request, kind="therapist", owner=True)}
        proposals = queries.proposals_for(user, linked_therapists=linked)
    if not due and not proposals:
        return None
    return {"due": due, "proposals": proposals}


def facts(user: Any, params: dict[str, Any]) -> dict[str, Any]:
    """How many schedule proposals wait for the person (any: their therapist may have unlinked since)."""
    from django.db.models import OuterRef

    from nearer.home_facts import SubqueryCount
    from nearer.measures.models import Schedule, ScheduleStatus

    if getattr(user, "role", "") != "person":
        return {}
    waiting = Schedule.objects.filter(person=OuterRef("pk"), status=ScheduleStatus.PROPOSED)
    return {"measures_proposals": SubqueryCount(waiting.order_by().values("pk"))}
