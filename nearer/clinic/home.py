"""Home-page panel for people: clinic notices (caseload moved), assignments waiting, directory."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest


def panel(request: HttpRequest) -> dict[str, Any] | None:
    from nearer.accounts.models import Link
    from nearer.clinic.models import Assignment, ClientNotice, TherapistRequest

    user = request.user
    if not user.is_authenticated or getattr(user, "role", "") != "person":
        return None
    notices = list(ClientNotice.objects.filter(person=user, seen_at__isnull=True).select_related("new_therapist")[:5])
    assignments = list(Assignment.objects.filter(client=user, state="pending")[:10])
    requests = TherapistRequest.objects.filter(person=user, state="pending").count()
    has_therapist = Link.objects.active().filter(owner=user, kind="therapist").exists()
    return {"notices": notices, "assignments": assignments, "requests": requests, "directory": not has_therapist}
