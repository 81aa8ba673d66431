"""Regressions for what the API fuzzing (tests/test_api_fuzz.py) found."""

from __future__ import annotations

import json
from typing import Any

import pytest
from django.test import Client

from nearer.testing import World


def _post(world: World, path: str, body: Any) -> Any:
    return Client().post(path, json.dumps(body), content_type="application/json",
                         HTTP_AUTHORIZATION=f"Bearer {world.tokens['owner']}")


@pytest.mark.django_db
@pytest.mark.parametrize("at", [0, "00:00:00Z", "19:30:00+02:00"])
def test_rhythm_with_a_time_zone_is_a_422_naming_the_field(world: World, at: Any) -> None:
    # Found by fuzzing: {"weekdays": [0], "at": 0} parsed as an aware 00:00 UTC and SQLite refused it (500).
    response = _post(world, "/api/together/rhythm", {"weekdays": [0], "at": at})
    assert response.status_code == 422
    assert [e["field"] for e in response.json()["errors"]] == ["at"]


@pytest.mark.django_db
def test_rhythm_with_a_local_time_is_saved_and_echoed_without_an_offset(world: World) -> None:
    response = _post(world, "/api/together/rhythm", {"weekdays": [1, 3], "at": "19:30"})
    assert response.status_code == 201, response.content
    assert response.json()["at"] == "19:30:00"
    assert response.json()["weekdays"] == [1, 3]


def test_openapi_describes_rhythm_time_as_local(client: Client, db: None) -> None:
    doc = json.loads(client.get("/api/openapi.json").content)
    for name in ("RhythmIn", "RhythmOut"):
        at = doc["components"]["schemas"][name]["properties"]["at"]
        assert "format" not in at
        assert at["pattern"].startswith("^([01][0-9]|2[0-3])")
