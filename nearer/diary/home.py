"""Home panel: today's check-in done, or a button to do it, and a tiny 14-day mood line."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest

from nearer.accounts.models import Role
from nearer.diary.queries import sparkline


def panel(request: HttpRequest) -> dict[str, Any] | None:
    user = request.user
    if not user.is_authenticated or getattr(user, "role", None) != Role.PERSON:
        return None
    return sparkline(user)
