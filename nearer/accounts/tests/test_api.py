import json

import pytest
from django.test import Client

from nearer.accounts.models import ApiToken

pytestmark = pytest.mark.django_db


def _api(world, persona, method, path, body=None):
    return Client().generic(method, path, data=json.dumps(body) if body is not None else "",
                            content_type="application/json", HTTP_AUTHORIZATION=f"Bearer {world.tokens[persona]}")


def test_tokens_are_stored_hashed_and_work_until_revoked(world):
    secret = world.tokens["owner"]
    stored = ApiToken.objects.get(user=world.owner)
    assert secret.startswith("nrr_") and secret not in stored.token_hash and stored.hint == secret[-4:]
    assert json.loads(_api(world, "owner", "GET", "/api/accounts/me").content)["email"] == "owner@example.test"
    stored.revoked_at = stored.created_at
    stored.save()
    assert _api(world, "owner", "GET", "/api/accounts/me").status_code == 401


def test_no_token_or_wrong_token_is_401(world):
    assert Client().get("/api/accounts/me").status_code == 401
    assert Client().get("/api/accounts/me", HTTP_AUTHORIZATION="Bearer nrr_nope").status_code == 401


def test_bad_input_names_the_field(world):
    link = world.objects["link_owner_partner"]
    r = _api(world, "owner", "PUT", f"/api/accounts/links/{link.pk}/scopes", {"scopes": "measures"})
    assert r.status_code == 422
    body = json.loads(r.content)
    assert body["errors"][0]["field"] == "scopes"
    r = _api(world, "owner", "PUT", f"/api/accounts/links/{link.pk}/scopes", {"scopes": ["nonsense"]})
    assert r.status_code == 422 and "scopes" in json.loads(r.content)["detail"]
    r = Client().generic("PUT", f"/api/accounts/links/{link.pk}/scopes", data="{not json", content_type="application/json",
                         HTTP_AUTHORIZATION=f"Bearer {world.tokens['owner']}")
    assert 400 <= r.status_code < 500


def test_scope_change_through_the_api_applies_to_the_next_request(world):
    from nearer.privacy import access

    link = world.objects["link_owner_therapist"]
    assert access.can_read(world.therapist, world.owner, "measures")
    r = _api(world, "owner", "PUT", f"/api/accounts/links/{link.pk}/scopes", {"scopes": ["checkins"]})
    assert r.status_code == 200 and json.loads(r.content)["scopes"] == ["checkins"]
    assert not access.can_read(world.therapist, world.owner, "measures")


def test_someone_elses_link_is_not_found(world):
    link = world.objects["link_owner_partner"]
    assert _api(world, "unlinked", "PUT", f"/api/accounts/links/{link.pk}/scopes", {"scopes": []}).status_code == 404
    assert _api(world, "partner", "PUT", f"/api/accounts/links/{link.pk}/scopes", {"scopes": []}).status_code == 404


def test_tokens_page_shows_the_secret_once(world, client_as):
    c = client_as("owner")
    first = c.post("/me/tokens/", {"name": "my script"}).content.decode()
    assert "nrr_" in first
    again = c.get("/me/tokens/").content.decode()
    assert "my script" in again
    new_secret = [t for t in first.split('"') if t.startswith("nrr_")][0]
    assert new_secret not in again


def test_openapi_document_lists_the_routers(client, db):
    schema = json.loads(client.get("/api/openapi.json").content)
    assert "/api/accounts/me" in schema["paths"]
    assert schema["info"]["title"] == "Nearer API"
