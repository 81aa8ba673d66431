"""Text with a NUL character gets a 422 naming the field, on every database (PostgreSQL cannot store it)."""

import json

import pytest
from django.test import Client

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize("path,body,field", [
    ("/api/measures/administrations", {"instrument_id": "phq9", "idempotency_key": "a\x00b", "answers": {}}, "idempotency_key"),
    ("/api/diary/checkins", {"local_date": "2026-01-01", "mood": 5, "closeness": 5, "note": "late\x00night"}, "note"),
])
def test_nul_in_api_text_is_refused_by_name(world, path, body, field):
    response = Client().post(path, data=json.dumps(body), content_type="application/json",
                             HTTP_AUTHORIZATION=f"Bearer {world.tokens['owner']}")
    assert response.status_code == 422
    assert json.loads(response.content)["errors"][0]["field"] == field
