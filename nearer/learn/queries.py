"""Reads that assemble Learn pages; plain data out."""

from __future__ import annotations

from typing import Any

from nearer.learn import content
from nearer.learn.models import ReadMark, Reflection


def read_slugs(person: Any) -> set[str]:
    if person is None or not getattr(person, "is_authenticated", False):
        return set()
    return set(ReadMark.objects.filter(person=person).values_list("slug", flat=True))


def shares_reflections_with_therapist(person: Any) -> bool:
    """Whether any active therapist link of this person carries the ``reflections`` scope."""
    from nearer.accounts.models import Link

    links = Link.objects.active().filter(owner=person, kind="therapist")
    return any("reflections" in (link.scopes or []) for link in links)


def list_page(user: Any, language: str | None = None) -> dict[str, Any]:
    read = read_slugs(user)
    pieces = content.all_pieces(language)
    groups = content.grouped(pieces)
    for group in groups:
        group["items"] = [{"piece": p, "read": p.slug in read} for p in group["pieces"]]
    return {
        "groups": groups,
        "read_count": sum(1 for p in pieces if p.slug in read),
        "total": len(pieces),
        "language": content.active_language(language),
    }


def detail_page(user: Any, piece: content.Piece, language: str | None = None) -> dict[str, Any]:
    signed_in = bool(user is not None and getattr(user, "is_authenticated", False))
    lang = content.active_language(language)
    context: dict[str, Any] = {
        "piece": piece,
        "fallback": piece.language != lang,
        "signed_in": signed_in,
        "read": False,
        "reflections": [],
        "therapist_sees_shared": False,
    }
    if signed_in:
        context["read"] = ReadMark.objects.filter(person=user, slug=piece.slug).exists()
        context["reflections"] = list(Reflection.objects.filter(person=user, slug=piece.slug))
        context["therapist_sees_shared"] = shares_reflections_with_therapist(user)
    return context


def shared_reflections(owner: Any, language: str | None = None) -> list[dict[str, Any]]:
    """A client's shared reflections for their therapist (caller has authorised the read)."""
    rows = []
    for reflection in Reflection.objects.filter(person=owner, shared=True).order_by("-shared_at", "-pk"):
        piece = content.get_piece(reflection.slug, language)
        rows.append({
            "reflection": reflection,
            "title": piece.title if piece else reflection.slug,
            "slug": reflection.slug,
        })
    return rows


def own_reflections(person: Any, language: str | None = None) -> list[dict[str, Any]]:
    rows = []
    for reflection in Reflection.objects.filter(person=person):
        piece = content.get_piece(reflection.slug, language)
        rows.append({"reflection": reflection, "title": piece.title if piece else reflection.slug})
    return rows
