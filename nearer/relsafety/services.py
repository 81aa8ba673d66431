"""State changes for the relationship-safety screen and the couple-features pause (all atomic)."""

from __future__ import annotations

import json
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from nearer.relsafety import hark
from nearer.relsafety.models import OfferState, PrivateSettings, Screen


def _person(user: Any) -> None:
    if not getattr(user, "is_authenticated", False) or getattr(user, "role", "") != "person":
        raise ValidationError({"person": _("Only a personal account can do this.")})


def _settings(user: Any) -> PrivateSettings:
    obj, _created = PrivateSettings.objects.select_for_update().get_or_create(person=user)
    return obj


def is_paused(user_or_id: Any) -> bool:
    """True when this person has paused couple features (for themselves and their partner)."""
    pk = getattr(user_or_id, "pk", user_or_id)
    if pk is None:
        return False
    return PrivateSettings.objects.filter(person_id=pk, couple_paused=True).exists()


def leaving_quietly(user_or_id: Any) -> bool:
    """True when this person said their relationship is not safe (a positive private screen) or paused
    couple features: then nothing they do is announced to their partner (a closed account included)."""
    pk = getattr(user_or_id, "pk", user_or_id)
    if pk is None:
        return False
    if is_paused(pk):
        return True
    latest = Screen.objects.filter(person_id=pk).order_by("-pk").first()
    return latest is not None and latest.positive


def partner_ids(user: Any) -> set[int]:
    """Everyone linked with ``user`` as a partner, in either direction."""
    from nearer.accounts.models import Link

    if not getattr(user, "is_authenticated", False):
        return set()
    mine = Link.objects.active().filter(kind="partner", owner=user).values_list("viewer_id", flat=True)
    theirs = Link.objects.active().filter(kind="partner", viewer=user).values_list("owner_id", flat=True)
    return set(mine) | set(theirs)


def couple_pause_for(user: Any) -> dict[str, Any] | None:
    """Who paused couple features in ``user``'s couple, as the person would be told: ``{"self": True}``
    when the user paused, ``{"name": "Sam"}`` when their partner did; None when nothing is paused."""
    from nearer.accounts.models import User

    if not getattr(user, "is_authenticated", False) or getattr(user, "role", "") != "person":
        return None
    if is_paused(user):
        return {"self": True, "name": ""}
    ids = partner_ids(user)
    if not ids:
        return None
    paused = PrivateSettings.objects.filter(person_id__in=ids, couple_paused=True).values_list("person_id", flat=True)
    who = User.objects.filter(pk__in=list(paused)).first()
    return {"self": False, "name": who.name} if who is not None else None


@transaction.atomic
def record_screen(user: Any, answers: dict[str, str], language: str) -> tuple[Screen, hark.Result]:
    """Save one screen. A positive screen pauses couple features and adds relationship safety to the
    person's own safety plan, both undoable by the person at any time. Nothing reaches anyone else."""
    _person(user)
    try:
        result = hark.score(answers)
    except ValueError as exc:
        raise ValidationError({str(exc): _("Choose yes, no or rather not say.")}) from None
    lang = hark.lang_of(language)
    screen = Screen.objects.create(
        person=user, language=lang,
        result_json=json.dumps({"answers": {k: answers.get(k, hark.SKIP) for k in hark.ITEMS},
                                "score": result.score, "positive": result.positive, "unsure": result.unsure}),
    )
    s = _settings(user)
    s.offer_state = OfferState.ANSWERED
    if result.positive:
        if not s.couple_paused:
            s.couple_paused, s.paused_at = True, timezone.now()
        s.in_plan = True
    s.updated_at = timezone.now()
    s.save()
    return screen, result


@transaction.atomic
def set_pause(user: Any, paused: bool) -> PrivateSettings:
    _person(user)
    s = _settings(user)
    if s.couple_paused != paused:
        s.couple_paused = paused
        s.paused_at = timezone.now() if paused else None
    s.updated_at = timezone.now()
    s.save()
    return s


@transaction.atomic
def set_in_plan(user: Any, in_plan: bool) -> PrivateSettings:
    _person(user)
    s = _settings(user)
    s.in_plan = in_plan
    s.updated_at = timezone.now()
    s.save()
    return s


@transaction.atomic
def dismiss_offer(user: Any) -> PrivateSettings:
    _person(user)
    s = _settings(user)
    if s.offer_state == OfferState.PENDING:
        s.offer_state = OfferState.DISMISSED
    s.updated_at = timezone.now()
    s.save()
    return s


@transaction.atomic
def delete_screens(user: Any) -> int:
    """The person can remove every answer they gave; the settings stay as they chose them."""
    _person(user)
    n, _detail = Screen.objects.filter(person=user).delete()
    return n
