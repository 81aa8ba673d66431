from __future__ import annotations

from datetime import datetime

from django.http import Http404, HttpRequest
from ninja import Router, Schema, Status
from ninja.errors import HttpError

from nearer.accounts import services
from nearer.accounts.models import Link, User
from nearer.privacy.models import AccessLog
from nearer.privacy.scopes import scopes_for

router = Router()


class MeOut(Schema):
    id: int
    email: str
    display_name: str
    role: str
    language: str
    timezone: str


class LinkOut(Schema):
    id: int
    kind: str
    direction: str
    other_id: int
    other_name: str
    scopes: list[str]
    created_at: datetime


class ScopesIn(Schema):
    scopes: list[str]


class AccessLogOut(Schema):
    at: datetime
    viewer_id: int | None
    viewer_role: str
    link_kind: str
    scope: str
    what: str
    via: str


def _me(request: HttpRequest) -> User:
    user = request.user
    assert isinstance(user, User)
    return user


@router.get("/me", response=MeOut)
def me(request: HttpRequest) -> User:
    return _me(request)


@router.get("/links", response=list[LinkOut])
def links(request: HttpRequest) -> list[dict[str, object]]:
    user = _me(request)
    out = []
    for link in Link.objects.active().filter(owner=user).select_related("viewer"):
        out.append({"id": link.pk, "kind": link.kind, "direction": "shared_by_me", "other_id": link.viewer_id,
                    "other_name": link.viewer.name, "scopes": link.scopes, "created_at": link.created_at})
    for link in Link.objects.active().filter(viewer=user).select_related("owner"):
        out.append({"id": link.pk, "kind": link.kind, "direction": "shared_with_me", "other_id": link.owner_id,
                    "other_name": link.owner.name, "scopes": link.scopes, "created_at": link.created_at})
    return out


@router.put("/links/{link_id}/scopes", response=LinkOut)
def set_scopes(request: HttpRequest, link_id: int, payload: ScopesIn) -> dict[str, object]:
    user = _me(request)
    link = Link.objects.active().filter(pk=link_id, owner=user).select_related("viewer").first()
    if link is None:
        raise Http404
    allowed = {s.key for s in scopes_for(link.kind)}
    unknown = [s for s in payload.scopes if s not in allowed]
    if unknown:
        raise HttpError(422, f"scopes: unknown scope {unknown[0]!r} for a {link.kind} link")
    link = services.set_link_scopes(user, link.pk, payload.scopes)
    return {"id": link.pk, "kind": link.kind, "direction": "shared_by_me", "other_id": link.viewer_id,
            "other_name": link.viewer.name, "scopes": link.scopes, "created_at": link.created_at}


@router.delete("/links/{link_id}", response={204: None})
def unlink(request: HttpRequest, link_id: int) -> Status:
    user = _me(request)
    link = Link.objects.active().filter(pk=link_id).first()
    if link is None or user.pk not in (link.owner_id, link.viewer_id):
        raise Http404
    services.revoke_link(user, link.pk)
    return Status(204, None)


@router.get("/access-log", response=list[AccessLogOut])
def access_log(request: HttpRequest) -> list[AccessLog]:
    return list(AccessLog.objects.filter(owner=_me(request))[:500])
