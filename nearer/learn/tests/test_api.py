"""The Learn API: pieces, read marks, own reflections (CRUD), sharing, and the therapist read."""

from __future__ import annotations

import json
from typing import Any

import pytest
from django.test import Client

from nearer.learn import content
from nearer.learn.models import ReadMark, Reflection
from nearer.privacy.models import AccessLog

pytestmark = pytest.mark.django_db


def _call(world: Any, persona: str, method: str, path: str, body: dict[str, Any] | None = None) -> Any:
    headers = {"HTTP_AUTHORIZATION": f"Bearer {world.tokens[persona]}"}
    data = json.dumps(body) if body is not None else ""
    return Client().generic(method, "/api/learn" + path, data=data, content_type="application/json", **headers)


def test_list_pieces_in_both_languages(world) -> None:
    en = _call(world, "owner", "GET", "/pieces").json()
    es = _call(world, "owner", "GET", "/pieces?lang=es").json()
    assert [p["slug"] for p in en] == [p["slug"] for p in es] == content.slugs()
    assert {p["language"] for p in es} == {"es"}
    assert es[0]["title"] == content.library()["es"][es[0]["slug"]].title
    assert all(not p["read"] for p in en)


def test_get_piece_has_html_and_sources(world) -> None:
    body = _call(world, "owner", "GET", "/pieces/loop?lang=es").json()
    piece = content.library()["es"]["loop"]
    assert body["title"] == piece.title
    assert body["html"] == piece.html and "<h2>" in body["html"]
    assert body["sources"] == list(piece.sources)
    assert body["related_tool"] == "loop"
    assert _call(world, "owner", "GET", "/pieces/nope").status_code == 404


def test_mark_read(world) -> None:
    response = _call(world, "owner", "POST", "/pieces/guarded/read")
    assert response.status_code == 200 and response.json()["slug"] == "guarded"
    assert ReadMark.objects.filter(person=world.owner, slug="guarded").count() == 1
    listed = {p["slug"]: p["read"] for p in _call(world, "owner", "GET", "/pieces").json()}
    assert listed["guarded"] is True and listed["loop"] is False


def test_reflection_crud_and_share(world) -> None:
    created = _call(world, "owner", "POST", "/reflections", {"slug": "loop", "text": "First thought."})
    assert created.status_code == 201
    data = created.json()
    assert data["shared"] is False and data["show_crisis_help"] is False and data["text"] == "First thought."
    rid = data["id"]
    assert [r["id"] for r in _call(world, "owner", "GET", "/reflections?slug=loop").json()] == [rid]
    assert _call(world, "owner", "GET", "/reflections?slug=guarded").json() == []
    updated = _call(world, "owner", "PUT", f"/reflections/{rid}", {"text": "Second thought."}).json()
    assert updated["text"] == "Second thought."
    shared = _call(world, "owner", "PUT", f"/reflections/{rid}/share", {"shared": True}).json()
    assert shared["shared"] is True and shared["shared_at"]
    assert _call(world, "owner", "PUT", f"/reflections/{rid}/share", {"shared": False}).json()["shared"] is False
    assert _call(world, "owner", "DELETE", f"/reflections/{rid}").status_code == 204
    assert not Reflection.objects.filter(pk=rid).exists()


def test_risky_reflection_via_api_is_kept_and_flags_crisis_help(world) -> None:
    text = "I want to kill myself tonight"
    response = _call(world, "owner", "POST", "/reflections", {"slug": "loop", "text": text})
    assert response.status_code == 201
    assert response.json()["show_crisis_help"] is True
    assert Reflection.objects.get(pk=response.json()["id"]).text == text


@pytest.mark.parametrize(
    ("body", "field"),
    [
        ({"slug": "loop", "text": ""}, "text"),
        ({"slug": "loop", "text": "   "}, "text"),
        ({"slug": "loop", "text": "x" * 4001}, "text"),
        ({"slug": "no-such-piece", "text": "hello"}, "slug"),
        ({"text": "hello"}, "slug"),
    ],
)
def test_bad_input_names_the_field(world, body: dict[str, Any], field: str) -> None:
    response = _call(world, "owner", "POST", "/reflections", body)
    assert response.status_code == 422
    assert field in {e["field"] for e in response.json()["errors"]}
    assert Reflection.objects.count() == 0


def test_others_cannot_reach_a_reflection(world) -> None:
    rid = _call(world, "owner", "POST", "/reflections", {"slug": "loop", "text": "Mine."}).json()["id"]
    for persona in ("partner", "therapist", "unlinked"):
        assert _call(world, persona, "GET", f"/reflections/{rid}").status_code == 404
        assert _call(world, persona, "PUT", f"/reflections/{rid}/share", {"shared": True}).status_code == 404
        assert _call(world, persona, "GET", "/reflections").json() == []
    assert Reflection.objects.get(pk=rid).shared is False


def test_therapist_reads_shared_reflections_with_the_scope(world) -> None:
    link = world.objects["link_owner_therapist"]
    path = f"/clients/{world.owner.pk}/reflections"
    _call(world, "owner", "POST", "/reflections", {"slug": "loop", "text": "Private one."})
    _call(world, "owner", "POST", "/reflections", {"slug": "guarded", "text": "Shared one.", "shared": True})
    assert _call(world, "therapist", "GET", path).status_code == 404  # scope off by default
    link.scopes = [*link.scopes, "reflections"]
    link.save(update_fields=["scopes"])
    rows = _call(world, "therapist", "GET", path).json()
    assert [r["text"] for r in rows] == ["Shared one."]
    assert rows[0]["title"] == content.library()["en"]["guarded"].title
    assert set(rows[0]) == {"id", "slug", "title", "text", "shared_at"}  # no names or emails
    assert AccessLog.objects.filter(scope="reflections", via="api").count() == 1
