"""The private offer on the home page reads the person's settings among the home page's facts.

No card of its own (the offer is part of ``home.html``); see :mod:`nearer.home_facts`.
"""

from __future__ import annotations

from typing import Any

from django.db.models import OuterRef


def facts(user: Any, params: dict[str, Any]) -> dict[str, Any]:
    from nearer.home_facts import row
    from nearer.relsafety.models import PrivateSettings

    if getattr(user, "role", "") != "person":
        return {}
    return row("relsafety_settings", PrivateSettings, PrivateSettings.objects.filter(person=OuterRef("pk")))
