"""The sharing list on the home page: whether any invitation is still open, among the home page's facts.

No card of its own (the sharing list is part of ``home.html``); see :mod:`nearer.home_facts`.
"""

from __future__ import annotations

from typing import Any

from django.db.models import OuterRef
from django.utils import timezone


def fact_params(user: Any) -> dict[str, Any]:
    return {"accounts_now": timezone.now()}


def facts(user: Any, params: dict[str, Any]) -> dict[str, Any]:
    from nearer.accounts.models import Invitation
    from nearer.home_facts import SubqueryCount

    if getattr(user, "is_therapist", False):
        return {}
    open_ones = Invitation.objects.filter(inviter=OuterRef("pk"), revoked_at__isnull=True, used_at__isnull=True,
                                          expires_at__gt=params["accounts_now"])
    return {"accounts_open_invitations": SubqueryCount(open_ones.order_by().values("pk"))}
