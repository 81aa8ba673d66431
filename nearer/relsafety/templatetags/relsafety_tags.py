"""Template helpers: the private offer, the content note, and the safety plan's relationship part."""

from __future__ import annotations

from typing import Any

from django import template

register = template.Library()


@register.inclusion_tag("relsafety/_offer.html", takes_context=True)
def relsafety_offer(context: Any, where: str = "home") -> dict[str, Any]:
    """The private invitation to the questions, for the signed-in person only.

    On the home page it appears once the person has a partner link; on Together and the closeness
    ladder it appears when they start them. It goes once they answer or say "not now".
    """
    from nearer import home_facts
    from nearer.relsafety import queries, services

    request = context.get("request")
    user = getattr(request, "user", None)
    if where == "home" and home_facts.known(request):
        # The home page already read the person's settings and links: no query of its own.
        from nearer.relsafety.models import OfferState, PrivateSettings

        s = home_facts.row_from("relsafety_settings", PrivateSettings, home_facts.facts(request))
        show = getattr(user, "role", "") == "person" and (s is None or s.offer_state == OfferState.PENDING)
        show = show and bool(home_facts.active_links(request, kind="partner"))
    else:
        show = queries.offer_visible(user)
        if show and where == "home":
            show = bool(services.partner_ids(user))
    nexts = {"home": "/", "together": "/together/", "ladder": "/practice/ladder/"}
    return {"show": show, "next": nexts.get(where, "/"), "request": request}


@register.inclusion_tag("relsafety/_note.html", takes_context=True)
def relsafety_note(context: Any) -> dict[str, Any]:
    """A short visible note for anyone whose partner hurts or frightens them, with a link to support;
    while couple features are paused, a line saying steps about the partner are set aside."""
    from nearer.relsafety.services import couple_pause_for

    request = context.get("request")
    return {"paused": couple_pause_for(getattr(request, "user", None)) is not None}


@register.inclusion_tag("relsafety/_plan_section.html", takes_context=True)
def relsafety_plan_section(context: Any, owner: Any = None) -> dict[str, Any]:
    """The relationship-safety part of a safety plan: only on the owner's own pages, never a viewer's."""
    from nearer.relsafety import queries

    request = context.get("request")
    user = getattr(request, "user", None)
    own = not owner or getattr(owner, "pk", None) == getattr(user, "pk", None)
    s = queries.settings_of(user) if own else None
    return {"show": bool(s and s.in_plan), "crisis": context.get("crisis"), "request": request}
