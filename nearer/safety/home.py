"""Home-page panels: open alerts for therapists; the plan (or an invitation to write one) for people."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest

from nearer.safety import queries
from nearer.safety.templatetags.safety_tags import plan_for_request


def panel(request: HttpRequest) -> dict[str, Any] | None:
    user: Any = request.user
    if not user.is_authenticated or user.is_clinic_admin:
        return None
    if user.is_therapist:
        if not user.has_mfa():
            return None
        return {"kind": "therapist", "alerts": queries.open_alerts(user)[:10]}
    return {
        "kind": "person",
        "plan": plan_for_request(request),
        "has_therapist": user.links_out.filter(kind="therapist", revoked_at__isnull=True).exists(),
    }
