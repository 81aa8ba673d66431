"""Home-page panels: open alerts for therapists; the plan (or an invitation to write one) for people."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest

from nearer.safety import queries
from nearer.safety.templatetags.safety_tags import plan_for_request, remember_plan


def facts(user: Any, params: dict[str, Any]) -> dict[str, Any]:
    """The person's own safety plan as a single row among the home page's facts (read afresh on every
    request: the facts are never cached)."""
    from django.db.models import OuterRef

    from nearer.home_facts import row
    from nearer.safety.models import SafetyPlan

    if user.is_therapist or user.is_clinic_admin:
        return {}
    return row("safety_plan", SafetyPlan, SafetyPlan.objects.filter(owner=OuterRef("pk")))


def panel(request: HttpRequest) -> dict[str, Any] | None:
    user: Any = request.user
    if not user.is_authenticated:
        return None
    if user.is_clinic_admin:
        # Staff data only: which therapists' alerts cannot reach them (never which clients).
        from nearer.safety.services import therapists_who_cannot_receive_alerts

        unreachable = therapists_who_cannot_receive_alerts(user.clinic)
        return {"kind": "admin", "unreachable": unreachable} if unreachable else None
    if user.is_therapist:
        if not user.has_mfa():
            from nearer.accounts.models import Link
            from nearer.safety.models import Alert, AlertState

            clients = Link.objects.active().filter(viewer=user, kind="therapist").count()
            waiting = Alert.objects.filter(therapist=user).exclude(state=AlertState.RESOLVED).count()
            return {"kind": "therapist_no_mfa", "clients": clients, "waiting": waiting} if clients or waiting else None
        return {"kind": "therapist", "alerts": queries.open_alerts(user)[:10]}
    from nearer import home_facts

    if home_facts.known(request):
        from nearer.safety.models import SafetyPlan

        remember_plan(request, home_facts.row_from("safety_plan", SafetyPlan, home_facts.facts(request)))
    return {
        "kind": "person",
        "plan": plan_for_request(request),
        # The person's own therapist links (revoked ones left out), from the page's one read of links.
        "has_therapist": any(link.owner_id == user.pk and link.kind == "therapist" for link in home_facts.links(request)),
    }
