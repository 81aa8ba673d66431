"""Every change to Learn data: one named, atomic function each."""

from __future__ import annotations

from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from nearer.learn import content
from nearer.learn.models import REFLECTION_MAX_CHARS, ReadMark, Reflection

SCREEN_SOURCE = "learn.reflection"


def _screen(person: Any, text: str, ref: Reflection) -> Any:
    """Screen a saved reflection through the one safety path (``check_text_and_respond``)."""
    from nearer.safety.services import check_text_and_respond

    return check_text_and_respond(person, SCREEN_SOURCE, text, ref=ref)


def _clean_text(text: str) -> str:
    text = (text or "").strip()
    if not text:
        raise ValidationError({"text": _("Write something first, or leave the box empty and carry on.")})
    if len(text) > REFLECTION_MAX_CHARS:
        raise ValidationError(
            {"text": _("Please keep a reflection under %(n)d characters.") % {"n": REFLECTION_MAX_CHARS}}
        )
    return text


def _known_slug(slug: str) -> str:
    if content.get_piece(slug) is None:
        raise ValidationError({"slug": _("There is no piece with that name.")})
    return slug


@transaction.atomic
def mark_read(person: Any, slug: str) -> ReadMark:
    _known_slug(slug)
    mark, _created = ReadMark.objects.get_or_create(person=person, slug=slug)
    return mark


@transaction.atomic
def save_reflection(person: Any, slug: str, text: str, *, shared: bool = False,
                    language: str | None = None) -> tuple[Reflection, Any]:
    """Save a new reflection, mark the piece read, then screen the text in the same transaction."""
    _known_slug(slug)
    text = _clean_text(text)
    now = timezone.now()
    reflection = Reflection.objects.create(
        person=person, slug=slug, language=content.active_language(language), text=text,
        shared=shared, shared_at=now if shared else None,
    )
    ReadMark.objects.get_or_create(person=person, slug=slug)
    outcome = _screen(person, text, reflection)
    return reflection, outcome


@transaction.atomic
def update_reflection(reflection: Reflection, text: str) -> tuple[Reflection, Any]:
    reflection.text = _clean_text(text)
    reflection.save(update_fields=["text", "updated_at"])
    outcome = _screen(reflection.person, reflection.text, reflection)
    return reflection, outcome


@transaction.atomic
def set_reflection_shared(reflection: Reflection, shared: bool) -> Reflection:
    """Share a reflection with the person's therapist, or take it back. Only by the person's choice."""
    if reflection.shared != shared:
        reflection.shared = shared
        reflection.shared_at = timezone.now() if shared else None
        reflection.save(update_fields=["shared", "shared_at", "updated_at"])
    return reflection


@transaction.atomic
def delete_reflection(reflection: Reflection) -> None:
    reflection.delete()
