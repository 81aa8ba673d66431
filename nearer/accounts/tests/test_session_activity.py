"""The browser session's activity is recorded at most once a minute, and at once when its browser changes."""

from __future__ import annotations

from typing import Any

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

pytestmark = pytest.mark.django_db


def _writes(client: Any, **headers: str) -> int:
    with CaptureQueriesContext(connection) as ctx:
        assert client.get("/", **headers).status_code == 200
    return sum(1 for q in ctx.captured_queries if "usersessions_usersession" in q["sql"])


def test_activity_recorded_once_a_minute_and_when_the_browser_changes(world: Any, client: Any, monkeypatch: Any) -> None:
    from allauth.usersessions.models import UserSession

    from nearer.accounts import usersessions

    client.force_login(world.owner)
    assert _writes(client, HTTP_USER_AGENT="Browser A") > 0  # the first request records the session
    row = UserSession.objects.get(user=world.owner)
    assert row.user_agent == "Browser A"
    seen = row.last_seen_at
    assert _writes(client, HTTP_USER_AGENT="Browser A") == 0  # within the minute: nothing to write
    assert UserSession.objects.get(pk=row.pk).last_seen_at == seen

    assert _writes(client, HTTP_USER_AGENT="Browser B") > 0  # another browser on the same session: at once
    assert UserSession.objects.get(pk=row.pk).user_agent == "Browser B"

    monkeypatch.setattr(usersessions, "EVERY_SECONDS", 0)  # a minute later
    assert _writes(client, HTTP_USER_AGENT="Browser B") > 0
    assert UserSession.objects.get(pk=row.pk).last_seen_at > seen
