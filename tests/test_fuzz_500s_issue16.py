"""Issue 16 item 14: the two 500s fuzzing found on the live PostgreSQL server are 422s naming the field.

These run on whichever database the suite uses; on PostgreSQL they are the exact failures found
(an offset PostgreSQL cannot store; a NUL byte PostgreSQL refuses in text).
"""

from __future__ import annotations

import json

import pytest
from django.test import Client

from nearer.testing import World

pytestmark = pytest.mark.django_db


def _auth(world: World) -> dict[str, str]:
    return {"HTTP_AUTHORIZATION": f"Bearer {world.tokens['owner']}"}


def _experiment(world: World, planned_for: str) -> object:
    body = {"planned_for": planned_for, "fear": "They will look away", "belief_before": 70, "expected_anxiety": 60}
    return Client().post("/api/practice/experiments", json.dumps(body), content_type="application/json", **_auth(world))


@pytest.mark.parametrize("planned_for", ["2026-03-01T19:30:00-21:22", "2026-03-01T19:30:00+23:59", "9999-12-31T23:59:59-11:00"])
def test_an_offset_no_clock_uses_is_a_422_naming_planned_for(world: World, planned_for: str) -> None:
    response = _experiment(world, planned_for)
    assert response.status_code == 422, response.content
    assert [e["field"] for e in response.json()["errors"]] == ["planned_for"]


def test_a_real_offset_is_kept_as_the_same_instant(world: World) -> None:
    response = _experiment(world, "2026-03-01T19:30:00-05:00")
    assert response.status_code in (200, 201), response.content
    assert response.json()["experiment"]["planned_for"].replace("Z", "+00:00") == "2026-03-02T00:30:00+00:00"


@pytest.mark.parametrize("query", ["instrument_id=%00", "instrument_id=phq%009", "x%00=1"])
def test_a_nul_byte_in_the_query_string_is_a_422(world: World, query: str) -> None:
    response = Client().get(f"/api/measures/administrations?{query}", **_auth(world))
    assert response.status_code == 422
    assert response.json()["errors"][0]["field"] in ("instrument_id", "query")
