"""The Together panel on the home page: the next talk, a talk waiting for you, the prompts' depth.

The couple, its agreed and proposed rhythms and the talk in progress are single rows among the
home page's facts (one query for every card), and the partner comes from the page's one read of
links. Anything unusual (no couple yet, or a couple whose links no longer hold) goes through
``services.couple_for``, which creates or ends couples as before.

For a partner who uses Nearer for the couple talks (no therapist of their own, no recent check-ins),
``leads`` is true and the home page puts this panel first (``nearer.views.home``).
"""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from django.db.models import OuterRef, Q, Subquery
from django.http import HttpRequest

from nearer.together import prompt_bank, queries, services
from nearer.together.models import Conversation, Couple, Rating, Rhythm


def _couples(user_ref: Any) -> Any:
    return Couple.objects.filter(ended_at__isnull=True).filter(Q(a_id=user_ref) | Q(b_id=user_ref))


def fact_params(user: Any) -> dict[str, Any]:
    from nearer.diary.models import local_today

    if getattr(user, "role", "") != "person":
        return {}
    return {"together_since": local_today(user) - timedelta(days=queries.OWN_USE_DAYS)}


def facts(user: Any, params: dict[str, Any]) -> dict[str, Any]:
    from nearer.diary.models import CheckIn
    from nearer.home_facts import SubqueryCount, row

    if getattr(user, "role", "") != "person":
        return {}
    couple_id = Subquery(_couples(OuterRef(OuterRef("pk"))).order_by("pk").values("pk")[:1])
    rhythms = Rhythm.objects.filter(couple_id=couple_id)
    ratings = SubqueryCount(Rating.objects.filter(conversation=OuterRef("pk")).order_by().values("pk"))
    talk = (Conversation.objects.filter(couple_id=couple_id, state__in=services.OPEN_STATES).alias(n_ratings=ratings)
            .filter(n_ratings__lt=2).order_by("-created_at", "-pk"))
    return {
        "together_couples": SubqueryCount(_couples(OuterRef("pk")).order_by().values("pk")),
        **row("together_couple", Couple, _couples(OuterRef("pk")).order_by("pk")),
        **row("together_current", Rhythm, rhythms.filter(confirmed_at__isnull=False).order_by("-confirmed_at", "-pk")),
        **row("together_pending", Rhythm, rhythms.filter(confirmed_at__isnull=True, withdrawn_at__isnull=True)
              .order_by("-created_at", "-pk")),
        **row("together_talk", Conversation, talk),
        # Check-ins of their own lately: someone here only as a partner finds Together first.
        "together_recent_checkins": SubqueryCount(
            CheckIn.objects.filter(person=OuterRef("pk"), local_date__gt=params["together_since"]).order_by().values("pk")
        ),
    }


def panel(request: HttpRequest) -> dict[str, Any] | None:
    from nearer import home_facts
    from nearer.home_facts import row_from

    user = request.user
    if not getattr(user, "is_authenticated", False) or getattr(user, "role", "") != "person":
        return None
    f = home_facts.facts(request)
    partner = home_facts.partner(request)
    couple = row_from("together_couple", Couple, f)
    usual = (partner is not None and couple is not None and f.get("together_couples") == 1
             and set(couple.members()) == {user.pk, partner.pk})
    if usual:
        rhythm = row_from("together_current", Rhythm, f)
        pending = row_from("together_pending", Rhythm, f)
        talk = row_from("together_talk", Conversation, f)
    else:
        if partner is None and not f.get("together_couples"):
            return None
        couple = services.couple_for(user)
        if couple is None:
            return None
        partner = couple.other(user)
        rhythm = services.current_rhythm(couple)
        pending = services.pending_rhythm(couple)
        talk = services.open_conversation(couple)
    return {
        "partner": partner,
        "next_talk": queries.next_talk(rhythm, user),
        "pending": pending,
        "pending_mine": pending is not None and pending.proposed_by_id == user.pk,
        "open_conv": talk,
        "waiting_for_me": queries.waiting_for(user, talk),
        "depth_name": prompt_bank.depth_name(couple.depth, queries.lang()),
        # queries.together_leads_home's rule, applied to what the page has already read.
        "leads": queries.leads_home(
            has_own_therapist=bool(home_facts.active_links(request, kind="therapist", owner=True)),
            checked_in_lately=bool(f.get("together_recent_checkins")),
        ),
    }
