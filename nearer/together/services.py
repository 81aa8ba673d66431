"""Every change to couple conversations: one function per action, each atomic.

Who may act is checked here too (a person acts only inside their own active couple), so the web
views and the API share one set of rules.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import time
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Count
from django.http import Http404
from django.utils import timezone
from django.utils.translation import gettext as _

from nearer.safety.services import RiskOutcome, check_text_and_respond
from nearer.together import prompt_bank
from nearer.together.models import (
    Conversation,
    ConversationState,
    Couple,
    Membership,
    PromptMark,
    PromptMarkKind,
    Rating,
    Rhythm,
)

OPEN_STATES = (ConversationState.READINESS, ConversationState.TALKING)
#: How many recent talks at the current depth must go well for both before deeper prompts are offered.
DEEPER_AFTER = 2


def _partner_of(person: Any) -> Any | None:
    """The partner when the two hold active partner links both ways, else None."""
    from nearer.accounts.models import Link

    if person is None or not getattr(person, "is_authenticated", False) or getattr(person, "role", "person") != "person":
        return None
    for link in Link.objects.active().filter(owner=person, kind="partner").select_related("viewer"):
        if Link.objects.active().filter(owner=link.viewer, viewer=person, kind="partner").exists():
            return link.viewer
    return None


def couple_for(person: Any) -> Couple | None:
    """The person's active couple, created on first use; ends a couple whose links no longer hold."""
    if person is None or not getattr(person, "is_authenticated", False):
        return None
    partner = _partner_of(person)
    stale = Couple.objects.filter(ended_at__isnull=True).filter(
        models_q_member(person.pk)
    )
    for couple in stale:
        if partner is None or set(couple.members()) != {person.pk, partner.pk}:
            end_couple(couple)
    if partner is None:
        return None
    a_id, b_id = sorted([person.pk, partner.pk])
    with transaction.atomic():
        found = Couple.objects.filter(a_id=a_id, b_id=b_id, ended_at__isnull=True).first()
        if found is None:
            found = Couple.objects.create(a_id=a_id, b_id=b_id)
            for pk in (a_id, b_id):
                Membership.objects.get_or_create(couple=found, person_id=pk)
    return found


def models_q_member(person_id: int) -> Any:
    from django.db.models import Q

    return Q(a_id=person_id) | Q(b_id=person_id)


@transaction.atomic
def end_couple(couple: Couple) -> None:
    """Unlinking ends all sharing at once: open talks close and stay unrevealed."""
    now = timezone.now()
    Couple.objects.filter(pk=couple.pk, ended_at__isnull=True).update(ended_at=now)
    couple.ended_at = couple.ended_at or now
    from django.db.models import Count

    unfinished = (
        Conversation.objects.filter(couple=couple, state__in=OPEN_STATES)
        .annotate(n=Count("ratings"))
        .filter(n__lt=2)
        .values_list("pk", flat=True)
    )
    Conversation.objects.filter(pk__in=list(unfinished)).update(state=ConversationState.CLOSED, closed_at=now)
    Rhythm.objects.filter(couple=couple, confirmed_at__isnull=True, withdrawn_at__isnull=True).update(withdrawn_at=now)


def end_couples_between(a_id: int, b_id: int) -> None:
    x, y = sorted([a_id, b_id])
    for couple in Couple.objects.filter(a_id=x, b_id=y, ended_at__isnull=True):
        end_couple(couple)


def require_couple(person: Any) -> Couple:
    couple = couple_for(person)
    if couple is None:
        raise Http404("no couple")
    return couple


def conversation_for(person: Any, conversation_id: int) -> Conversation:
    """A conversation of the person's couple (active or ended). 404 for anyone else."""
    conv = Conversation.objects.select_related("couple").filter(pk=conversation_id).first()
    if conv is None or person.pk not in conv.couple.members():
        raise Http404("no conversation")
    couple_for(person)  # ends the couple now if a link was revoked
    conv.refresh_from_db()
    return conv


# ---------------------------------------------------------------- rhythm


def current_rhythm(couple: Couple) -> Rhythm | None:
    return couple.rhythms.filter(confirmed_at__isnull=False).order_by("-confirmed_at", "-pk").first()


def pending_rhythm(couple: Couple) -> Rhythm | None:
    return couple.rhythms.filter(confirmed_at__isnull=True, withdrawn_at__isnull=True).order_by("-created_at", "-pk").first()


@transaction.atomic
def propose_rhythm(person: Any, weekdays: list[int], at: time) -> Rhythm:
    couple = require_couple(person)
    rhythm = Rhythm(couple=couple, proposed_by=person, weekdays=list(weekdays), at=at)
    rhythm.clean()
    Rhythm.objects.filter(couple=couple, confirmed_at__isnull=True, withdrawn_at__isnull=True).update(withdrawn_at=timezone.now())
    rhythm.save()
    return rhythm


@transaction.atomic
def confirm_rhythm(person: Any, rhythm_id: int) -> Rhythm:
    couple = require_couple(person)
    rhythm = Rhythm.objects.select_for_update().filter(
        pk=rhythm_id, couple=couple, confirmed_at__isnull=True, withdrawn_at__isnull=True
    ).first()
    if rhythm is None:
        raise ValidationError({"rhythm": _("That proposal is no longer waiting.")})
    if rhythm.proposed_by_id == person.pk:
        raise ValidationError({"rhythm": _("Your partner confirms a rhythm you proposed.")})
    rhythm.confirmed_at = timezone.now()
    rhythm.save(update_fields=["confirmed_at"])
    return rhythm


@transaction.atomic
def decline_rhythm(person: Any, rhythm_id: int) -> None:
    couple = require_couple(person)
    Rhythm.objects.filter(pk=rhythm_id, couple=couple, confirmed_at__isnull=True, withdrawn_at__isnull=True).update(
        withdrawn_at=timezone.now()
    )


# ---------------------------------------------------------------- prompts and depth


def used_prompt_ids(couple: Couple) -> list[str]:
    talks = Conversation.objects.filter(couple=couple).exclude(state=ConversationState.NOT_TONIGHT)
    ids = list(talks.order_by("created_at", "pk").values_list("prompt_id", flat=True))
    ids += list(couple.marks.filter(kind=PromptMarkKind.SKIPPED).values_list("prompt_id", flat=True))
    return ids


def saved_prompt_ids(couple: Couple) -> list[str]:
    used = set(Conversation.objects.filter(couple=couple).exclude(state=ConversationState.NOT_TONIGHT).values_list("prompt_id", flat=True))
    saved = couple.marks.filter(kind=PromptMarkKind.SAVED).order_by("created_at", "pk").values_list("prompt_id", flat=True)
    return [pid for pid in dict.fromkeys(saved) if pid not in used]


def offered_prompts(couple: Couple, depth: int | None = None, n: int = 3) -> list[prompt_bank.Prompt]:
    d = depth or couple.depth
    seed = couple.pk * 1000 + Conversation.objects.filter(couple=couple).count() * 10 + couple.marks.count()
    return prompt_bank.next_prompts(d, used_prompt_ids(couple), saved_prompt_ids(couple), n=n, seed=seed, recycle=True)


def _check_prompt(prompt_id: str, couple: Couple) -> prompt_bank.Prompt:
    try:
        prompt = prompt_bank.get_prompt(prompt_id)
    except KeyError:
        raise ValidationError({"prompt_id": _("Choose one of the prompts offered.")})
    if prompt.retired or prompt.depth > max(couple.depth, couple.opened_depth):
        raise ValidationError({"prompt_id": _("Choose one of the prompts offered.")})
    return prompt


@transaction.atomic
def mark_prompt(person: Any, prompt_id: str, kind: str) -> PromptMark:
    couple = require_couple(person)
    if kind not in PromptMarkKind.values:
        raise ValidationError({"kind": _("Unknown choice.")})
    try:
        prompt_bank.get_prompt(prompt_id)
    except KeyError:
        raise ValidationError({"prompt_id": _("Choose one of the prompts offered.")})
    mark, _created = PromptMark.objects.get_or_create(couple=couple, person=person, prompt_id=prompt_id, kind=kind)
    return mark


def opened_depth(couple: Couple) -> int:
    return max(couple.depth, couple.opened_depth)


def deeper_offered(couple: Couple) -> bool:
    """Offer the next depth once both partners rated heard and accepted ≥ 7 in the last talks at the deepest
    depth opened so far.

    Only ratings both partners chose to share count, so the offer reveals nothing private.
    """
    opened = opened_depth(couple)
    if opened >= max(prompt_bank.DEPTHS):
        return False
    recent = []
    for conv in couple.conversations.filter(depth=opened).prefetch_related("ratings").order_by("-created_at", "-pk"):
        ratings = list(conv.ratings.all())
        if len(ratings) == 2:
            recent.append(ratings)
        if len(recent) == DEEPER_AFTER:
            break
    if len(recent) < DEEPER_AFTER:
        return False
    return all(
        r.share and r.heard >= prompt_bank.HIGH_AT and r.accepted >= prompt_bank.HIGH_AT for pair in recent for r in pair
    )


def depth_choices(couple: Couple, lang: str | None = None) -> list[dict[str, Any]]:
    """Each depth by its name, whether the couple can choose it now, and whether it is their choice."""
    opened = opened_depth(couple)
    offered = deeper_offered(couple)
    return [{"depth": d, "label": prompt_bank.depth_label(d, lang), "about": prompt_bank.depth_about(d, lang),
             "name": prompt_bank.depth_name(d, lang), "chosen": d == couple.depth,
             "open": d <= opened or (d == opened + 1 and offered)} for d in prompt_bank.DEPTHS]


@transaction.atomic
def set_depth(person: Any, depth: int) -> Couple:
    """The couple's depth, remembered for both partners. Lighter, or any depth opened before, is always
    allowed; the next one opens once recent talks went well for both (``deeper_offered``)."""
    couple = require_couple(person)
    if depth not in prompt_bank.DEPTHS:
        raise ValidationError({"depth": _("Choose a depth from 1 to 3.")})
    opened = opened_depth(couple)
    if depth > opened and not (depth == opened + 1 and deeper_offered(couple)):
        raise ValidationError({"depth": _("Deeper prompts open once you've both felt heard and accepted in recent talks.")})
    couple.depth = depth
    couple.opened_depth = max(opened, depth)
    couple.save(update_fields=["depth", "opened_depth"])
    return couple


@transaction.atomic
def set_preferences(person: Any, *, mood_compare: bool | None = None, share_by_default: bool | None = None) -> Membership:
    couple = require_couple(person)
    member, _created = Membership.objects.get_or_create(couple=couple, person=person)
    if mood_compare is not None:
        member.mood_compare = mood_compare
        _set_mood_scope(person, mood_compare)
    if share_by_default is not None:
        member.share_by_default = share_by_default
    member.save()
    return member


def _set_mood_scope(person: Any, on: bool) -> None:
    """The mood toggle grants or withdraws the "mood_talk_days" scope on the person's own partner link
    (a recorded share event), so the partner's view of it goes through the access layer like any other."""
    from nearer.accounts.models import Link
    from nearer.accounts.services import set_link_scopes

    link = Link.objects.active().filter(owner=person, kind="partner").first()
    if link is None:
        return
    scopes = set(link.scopes or [])
    wanted = scopes | {"mood_talk_days"} if on else scopes - {"mood_talk_days"}
    if wanted != scopes:
        set_link_scopes(person, link.pk, sorted(wanted))


def membership(couple: Couple, person_id: int | None) -> Membership | None:
    if person_id is None:
        return None
    return Membership.objects.filter(couple=couple, person_id=person_id).first()


# ---------------------------------------------------------------- a conversation


def open_conversation(couple: Couple) -> Conversation | None:
    """The talk in progress: readiness, or talking and not yet rated by both."""
    # One query, however many talks the couple has had (it was one count per talk).
    return (couple.conversations.filter(state__in=OPEN_STATES).annotate(n_ratings=Count("ratings"))
            .filter(n_ratings__lt=2).order_by("-created_at", "-pk").first())


@transaction.atomic
def start_conversation(person: Any, prompt_id: str) -> Conversation:
    couple = require_couple(person)
    existing = open_conversation(couple)
    if existing is not None:
        return existing
    prompt = _check_prompt(prompt_id, couple)
    return Conversation.objects.create(couple=couple, started_by=person, prompt_id=prompt.id, depth=prompt.depth)


@transaction.atomic
def answer_readiness(person: Any, conversation: Conversation, ready: bool) -> Conversation:
    conv = Conversation.objects.select_for_update().select_related("couple").get(pk=conversation.pk)
    if not conv.couple.is_active or conv.state != ConversationState.READINESS:
        raise ValidationError({"ready": _("This talk is no longer waiting for a readiness check.")})
    if person.pk == conv.couple.a_id:
        conv.ready_a = ready
    elif person.pk == conv.couple.b_id:
        conv.ready_b = ready
    else:
        raise Http404("no conversation")
    if not ready:
        conv.state = ConversationState.NOT_TONIGHT
        conv.closed_at = timezone.now()
    elif conv.ready_a and conv.ready_b:
        conv.state = ConversationState.TALKING
        conv.talked_at = timezone.now()
    conv.save()
    return conv


@dataclass
class RatingResult:
    rating: Rating
    risk: RiskOutcome | None  # the safety outcome (``show_card``) for the writer only


def screen_note(person: Any, text: str, ref: Any) -> RiskOutcome | None:
    """Screen a note like any other free text. Risk goes to the writer's card and therapist, never the partner."""
    if not text.strip():
        return None
    return check_text_and_respond(person, "together.note", text, ref=ref)


@transaction.atomic
def rate_conversation(
    person: Any,
    conversation: Conversation,
    *,
    heard: int,
    accepted: int,
    close: int,
    defensive: int,
    note: str = "",
    share: bool = True,
    note_shared: bool = False,
) -> RatingResult:
    conv = Conversation.objects.select_for_update().select_related("couple").get(pk=conversation.pk)
    if person.pk not in conv.couple.members():
        raise Http404("no conversation")
    if not conv.couple.is_active or conv.state != ConversationState.TALKING:
        raise ValidationError({"conversation": _("This talk can't be rated now.")})
    if conv.ratings.filter(person=person).exists():
        raise ValidationError({"conversation": _("You've already rated this talk.")})
    values = {"heard": heard, "accepted": accepted, "close": close, "defensive": defensive}
    errors = {k: _("Choose a number from 0 to 10.") for k, v in values.items() if not isinstance(v, int) or not 0 <= v <= 10}
    if errors:
        raise ValidationError(errors)
    note = (note or "").strip()
    if len(note) > 4000:
        raise ValidationError({"note": _("Please keep the note under 4,000 characters.")})
    rating = Rating.objects.create(
        conversation=conv, person=person, note=note, share=share, note_shared=bool(note_shared and note), **values
    )
    risk = screen_note(person, note, rating)
    return RatingResult(rating=rating, risk=risk)


@transaction.atomic
def set_rating_sharing(person: Any, conversation: Conversation, *, share: bool | None = None, note_shared: bool | None = None) -> Rating:
    rating = Rating.objects.select_for_update().filter(conversation=conversation, person=person).first()
    if rating is None:
        raise ValidationError({"share": _("Rate the talk first.")})
    if share is not None:
        rating.share = share
    if note_shared is not None:
        rating.note_shared = bool(note_shared and rating.note)
    rating.save(update_fields=["share", "note_shared"])
    return rating
