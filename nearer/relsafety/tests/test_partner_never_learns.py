"""The partner never learns that the relationship-safety screen exists, was taken, or what it said.

A differential canary: every page and API response the partner can reach (every GET route, with any
id filled in with the person's id, every GET operation of the API with the partner's token), their
export, their access log, emails and notifications, are recorded before and after the person answers
the screen. Answering (and then turning the automatic pause off again) must change nothing the partner
sees. With the pause on, the only difference the partner may see is the neutral sentence
"Sam has paused couple features" (and shared data going quiet).
"""

from __future__ import annotations

import io
import json
import re
import zipfile
from typing import Any

import pytest
import time_machine
from django.core import mail
from django.test import Client
from django.urls import get_resolver

from nearer.privacy.models import AccessLog
from nearer.relsafety import services

CSRF = re.compile(r'(name="csrfmiddlewaretoken" value=")[^"]+"|("csrf": ")[^"]+"')
PARAM = re.compile(r"<(?:int:|slug:|str:)?(\w+)>")
# Words that would give the screen away if they ever reached the partner.
CANARIES = ("HARK", "relationship_safety", "relsafety", "positive screen", "answered the questions",
            "Relationship safety questions", "data-paused")


def _web_routes() -> list[str]:
    from tests.test_authorization_matrix import _walk

    out = []
    for _name, route in _walk(get_resolver().url_patterns):
        if route.startswith(("accounts/", "i18n/", "ops/sw.js")) or "logout" in route:
            continue
        out.append("/" + route)
    return sorted(set(out))


def _api_paths(client: Client) -> list[str]:
    schema = json.loads(client.get("/api/openapi.json").content)
    return sorted(p for p, ops in schema["paths"].items() if "get" in ops and "export" not in p)


def _fill(path: str, owner_id: int) -> str:
    path = PARAM.sub(str(owner_id), path)
    return re.sub(r"\{\w+\}", str(owner_id), path)


def _normalise(body: bytes) -> str:
    text = body.decode("utf-8", "replace")
    return CSRF.sub(lambda m: (m.group(1) or m.group(2)) + 'X"', text)


def _snapshot(world: Any) -> dict[str, Any]:
    web = Client()
    web.force_login(world.partner)
    api = Client()
    auth = {"HTTP_AUTHORIZATION": f"Bearer {world.tokens['partner']}"}
    seen: dict[str, Any] = {}
    start = AccessLog.objects.order_by("-pk").values_list("pk", flat=True).first() or 0
    for route in _web_routes():
        url = _fill(route, world.owner.pk)
        r = web.get(url)
        seen["GET " + url] = (r.status_code, r.headers.get("Location", ""), _normalise(r.content))
    for path in _api_paths(api):
        url = _fill(path, world.owner.pk)
        r = api.get(url, **auth)
        seen["API " + url] = (r.status_code, _normalise(r.content))
    from nearer.privacy.services import collect

    data = collect(world.partner)
    data.pop("sessions", None)  # each walk signs the partner in once more: that is the walk, not the screen
    seen["export"] = json.dumps(data, sort_keys=True, default=str)
    # The rows this walk wrote (the partner's own reads), and every row about the partner.
    seen["access_log"] = sorted(AccessLog.objects.filter(viewer=world.partner, pk__gt=start)
                                .values_list("owner_id", "scope", "what"))
    seen["access_log_of_partner"] = sorted(AccessLog.objects.filter(owner=world.partner, pk__gt=start)
                                           .values_list("viewer_id", "scope"))
    seen["mail"] = [m.subject for m in mail.outbox if world.partner.email in m.to]
    return seen


def _no_canaries(seen: dict[str, Any]) -> None:
    """No trace of the screen outside the partner's own help and support pages (which everyone has,
    unchanged by anything the person does: the differential above shows that)."""
    own = ("GET /support/", "GET /help/")
    rest = json.dumps({k: v for k, v in seen.items() if not k.startswith(own)}, default=str)
    for word in CANARIES:
        assert word not in rest, word


def _diff(before: dict[str, Any], after: dict[str, Any]) -> dict[str, tuple[Any, Any]]:
    return {k: (before.get(k), after.get(k)) for k in set(before) | set(after) if before.get(k) != after.get(k)}


@pytest.mark.django_db
def test_taking_the_screen_changes_nothing_the_partner_can_see(world, client_as):
    with time_machine.travel("2026-06-01 12:00:00+00:00", tick=False):
        _snapshot(world)  # the first walk sets up what browsing sets up (e.g. the couple's Together record)
        before = _snapshot(world)
        owner = client_as("owner")
        owner.post("/support/questions/", {"afraid": "yes", "hurt": "yes", "humiliated": "no", "forced": "no"})
        owner.get("/support/")
        owner.post("/support/plan/", {"in_plan": "on"})
        owner.post("/support/resume/")  # the person keeps couple features on
        assert services.is_paused(world.owner) is False
        after = _snapshot(world)
    changed = _diff(before, after)
    assert not changed, sorted(changed)[:10]
    _no_canaries(after)


@pytest.mark.django_db
def test_with_the_pause_on_the_partner_sees_only_the_neutral_sentence(world, client_as):
    with time_machine.travel("2026-06-01 12:00:00+00:00", tick=False):
        _snapshot(world)
        before = _snapshot(world)
        client_as("owner").post("/support/questions/", {"afraid": "yes"})
        assert services.is_paused(world.owner) is True
        after = _snapshot(world)
    changed = _diff(before, after)
    assert changed, "the pause must show somewhere"
    for key, (old, new) in changed.items():
        if key == "access_log":  # sharing is paused: the partner reads less of Sam's data, never more
            assert set(new) < set(old), (old, new)
            continue
        assert key.startswith(("GET /together/", "API /api/together/", "GET /practice/")), key
        if key.startswith("GET /practice/"):
            # Practice pages say steps about the partner are set aside, in the same neutral words.
            assert "Couple features are paused" in new[2] or new[2].count("<option") < old[2].count("<option"), key
        elif key == "GET /together/":
            assert "Sam has paused couple features." in new[2]
        elif key.startswith("API "):
            assert new[0] == 409 and json.loads(new[1]) == {"detail": "Couple features are paused."}
        else:
            assert new[:2] == (302, "/together/"), key
    _no_canaries(after)
    assert after["mail"] == before["mail"] and after["export"] == before["export"]


@pytest.mark.django_db
def test_partners_own_export_never_holds_the_persons_screen(world, client_as):
    from nearer.privacy.services import export_zip

    services.record_screen(world.owner, {"afraid": "yes"}, "en")
    archive = zipfile.ZipFile(io.BytesIO(export_zip(world.partner)))
    names = archive.namelist()
    blob = b"".join(archive.read(n) for n in names)
    assert b'"positive"' not in blob and b"afraid" not in blob
    rows = json.loads(archive.read("nearer-export.json"))["data"]
    assert rows.get("relationship_screens", []) == []
    # The person's own export does hold it (they own it).
    own = json.loads(zipfile.ZipFile(io.BytesIO(export_zip(world.owner))).read("nearer-export.json"))["data"]
    assert len(own["relationship_screens"]) == 1
