"""Home-page panel for people: clinic notices (caseload moved), assignments waiting, directory.

The counts come with the home page's facts (one query for every card); the notices and
assignments themselves are read only when there are some.
"""

from __future__ import annotations

from typing import Any

from django.db.models import OuterRef
from django.http import HttpRequest


def facts(user: Any, params: dict[str, Any]) -> dict[str, Any]:
    from nearer.clinic.models import Assignment, ClientNotice, TherapistRequest
    from nearer.home_facts import SubqueryCount

    if getattr(user, "role", "") != "person":
        return {}
    return {
        "clinic_notices": SubqueryCount(ClientNotice.objects.filter(person=OuterRef("pk"), seen_at__isnull=True)
                                        .order_by().values("pk")),
        "clinic_assignments": SubqueryCount(Assignment.objects.filter(client=OuterRef("pk"), state="pending")
                                            .order_by().values("pk")),
        "clinic_requests": SubqueryCount(TherapistRequest.objects.filter(person=OuterRef("pk"), state="pending")
                                         .order_by().values("pk")),
    }


def panel(request: HttpRequest) -> dict[str, Any] | None:
    from nearer import home_facts
    from nearer.clinic.models import Assignment, ClientNotice

    user = request.user
    if not user.is_authenticated or getattr(user, "role", "") != "person":
        return None
    f = home_facts.facts(request)
    notices = list(ClientNotice.objects.filter(person=user, seen_at__isnull=True).select_related("new_therapist")[:5]) \
        if f.get("clinic_notices") else []
    assignments = list(Assignment.objects.filter(client=user, state="pending")[:10]) if f.get("clinic_assignments") else []
    requests = int(f.get("clinic_requests") or 0)
    has_therapist = bool(home_facts.active_links(request, kind="therapist", owner=True))
    return {"notices": notices, "assignments": assignments, "requests": requests, "directory": not has_therapist}
