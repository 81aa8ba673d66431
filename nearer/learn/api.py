"""Learn API: pieces (rendered HTML and metadata), read marks, your own reflections, sharing, and
the reflections a client shared with their therapist."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from django.http import Http404, HttpRequest
from ninja import Router, Schema, Status
from pydantic import Field

from nearer.accounts.models import User
from nearer.learn import content, queries, services
from nearer.learn.models import REFLECTION_MAX_CHARS, Reflection
from nearer.privacy import access

router = Router()


class PieceSummaryOut(Schema):
    slug: str
    language: str
    title: str
    reading_minutes: int
    related_tool: str
    audience: str
    topics: list[str]
    read: bool


class PieceOut(PieceSummaryOut):
    sources: list[str]
    html: str


class ReadOut(Schema):
    slug: str
    read_at: datetime


class ReflectionIn(Schema):
    slug: str = Field(min_length=1, max_length=80)
    text: str = Field(min_length=1, max_length=REFLECTION_MAX_CHARS)
    shared: bool = False


class ReflectionTextIn(Schema):
    text: str = Field(min_length=1, max_length=REFLECTION_MAX_CHARS)


class ShareIn(Schema):
    shared: bool


class ReflectionOut(Schema):
    id: int
    slug: str
    language: str
    text: str
    shared: bool
    shared_at: datetime | None
    created_at: datetime
    updated_at: datetime


class ReflectionSavedOut(ReflectionOut):
    show_crisis_help: bool = Field(description="True when the text suggests the person may be at risk; "
                                               "show crisis resources (see /help/) with the saved entry.")


class SharedReflectionOut(Schema):
    id: int
    slug: str
    title: str
    text: str
    shared_at: datetime | None


def _me(request: HttpRequest) -> User:
    user = request.user
    assert isinstance(user, User)
    return user


def _summary(piece: content.Piece, read: set[str]) -> dict[str, Any]:
    return {
        "slug": piece.slug, "language": piece.language, "title": piece.title,
        "reading_minutes": piece.reading_minutes, "related_tool": piece.related_tool,
        "audience": piece.audience, "topics": list(piece.topics), "read": piece.slug in read,
    }


def _lang(lang: str | None) -> str:
    return content.active_language(lang)


def _piece(slug: str, lang: str | None) -> content.Piece:
    piece = content.get_piece(slug, _lang(lang))
    if piece is None:
        raise Http404
    return piece


def _own(request: HttpRequest, reflection_id: int) -> Reflection:
    reflection = Reflection.objects.filter(pk=reflection_id, person=_me(request)).first()
    if reflection is None:
        raise Http404
    return reflection


def _saved(reflection: Reflection, outcome: Any) -> dict[str, Any]:
    out = ReflectionOut.from_orm(reflection).dict()
    out["show_crisis_help"] = outcome is not None and outcome.show_card
    return out


@router.get("/pieces", response=list[PieceSummaryOut])
def list_pieces(request: HttpRequest, lang: str | None = None) -> list[dict[str, Any]]:
    """Every piece in the requested language (English where a translation is missing)."""
    read = queries.read_slugs(_me(request))
    return [_summary(p, read) for p in content.all_pieces(_lang(lang))]


@router.get("/pieces/{slug}", response=PieceOut)
def get_piece(request: HttpRequest, slug: str, lang: str | None = None) -> dict[str, Any]:
    piece = _piece(slug, lang)
    out = _summary(piece, queries.read_slugs(_me(request)))
    out.update({"sources": list(piece.sources), "html": piece.html})
    return out


@router.post("/pieces/{slug}/read", response=ReadOut)
def mark_read(request: HttpRequest, slug: str) -> Any:
    piece = _piece(slug, None)
    return services.mark_read(_me(request), piece.slug)


@router.get("/reflections", response=list[ReflectionOut])
def list_reflections(request: HttpRequest, slug: str | None = None) -> list[Reflection]:
    qs = Reflection.objects.filter(person=_me(request))
    if slug:
        qs = qs.filter(slug=slug)
    return list(qs)


@router.post("/reflections", response={201: ReflectionSavedOut})
def create_reflection(request: HttpRequest, payload: ReflectionIn) -> Status:
    reflection, outcome = services.save_reflection(
        _me(request), payload.slug, payload.text, shared=payload.shared, language=getattr(request, "LANGUAGE_CODE", None)
    )
    return Status(201, _saved(reflection, outcome))


@router.get("/reflections/{reflection_id}", response=ReflectionOut)
def get_reflection(request: HttpRequest, reflection_id: int) -> Reflection:
    return _own(request, reflection_id)


@router.put("/reflections/{reflection_id}", response=ReflectionSavedOut)
def update_reflection(request: HttpRequest, reflection_id: int, payload: ReflectionTextIn) -> dict[str, Any]:
    reflection, outcome = services.update_reflection(_own(request, reflection_id), payload.text)
    return _saved(reflection, outcome)


@router.put("/reflections/{reflection_id}/share", response=ReflectionOut)
def share_reflection(request: HttpRequest, reflection_id: int, payload: ShareIn) -> Reflection:
    """Share with your therapist (``true``) or make private again (``false``)."""
    return services.set_reflection_shared(_own(request, reflection_id), payload.shared)


@router.delete("/reflections/{reflection_id}", response={204: None})
def delete_reflection(request: HttpRequest, reflection_id: int) -> Status:
    services.delete_reflection(_own(request, reflection_id))
    return Status(204, None)


@router.get("/clients/{client_id}/reflections", response=list[SharedReflectionOut])
def client_reflections(request: HttpRequest, client_id: int, lang: str | None = None) -> list[dict[str, Any]]:
    """For a therapist: the reflections a client chose to share (needs the ``reflections`` scope)."""
    viewer = _me(request)
    if not viewer.is_therapist:
        raise Http404
    client = User.objects.filter(pk=client_id).first()
    if client is None:
        raise Http404
    access.read(viewer, client, "reflections", "learn:client-reflections", via="api")
    return [
        {"id": row["reflection"].pk, "slug": row["slug"], "title": row["title"], "text": row["reflection"].text,
         "shared_at": row["reflection"].shared_at}
        for row in queries.shared_reflections(client, _lang(lang))
    ]
