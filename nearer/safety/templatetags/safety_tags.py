"""Template helpers for the crisis control and the crisis card.

``{% own_safety_plan as plan %}`` gives the signed-in person's plan (or None) with one query per
request at most: the result is cached on the request.
"""

from __future__ import annotations

from typing import Any

from django import template
from django.utils.translation import get_language

from nearer.safety.plan_text import PLAN_PARTS, part_text

register = template.Library()

_CACHE_ATTR = "_nearer_safety_plan"


def plan_for_request(request: Any) -> Any:
    if request is None:
        return None
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated or user.is_therapist or user.is_clinic_admin:
        return None
    if not hasattr(request, _CACHE_ATTR):
        from nearer.safety.models import SafetyPlan

        plan = SafetyPlan.objects.filter(owner=user).first()
        if plan is not None and plan.is_empty():
            plan = None
        setattr(request, _CACHE_ATTR, plan)
    return getattr(request, _CACHE_ATTR)


def remember_plan(request: Any, plan: Any) -> None:
    """Keep the person's plan, already read in this request (the home page's facts), for the page."""
    if plan is not None and plan.is_empty():
        plan = None
    setattr(request, _CACHE_ATTR, plan)


@register.simple_tag(takes_context=True)
def own_safety_plan(context: Any) -> Any:
    return plan_for_request(context.get("request"))


@register.simple_tag
def plan_sections(plan: Any) -> list[dict[str, Any]]:
    """The plan's parts with their titles in the current language, skipping empty ones."""
    if plan is None:
        return []
    lang = get_language()
    sections = []
    for key in PLAN_PARTS:
        items = [line.strip() for line in (getattr(plan, key, "") or "").splitlines() if line.strip()]
        if items:
            sections.append({"key": key, "title": part_text(key, lang).title, "items": items})
    return sections


@register.simple_tag
def card_text() -> Any:
    """The crisis card's words in the current language (from plan_text.py)."""
    from nearer.safety.plan_text import crisis_card

    return crisis_card(get_language())


@register.simple_tag
def crisis_one_line() -> str:
    """One plain sentence with the crisis routes in the current language (emails and plain text)."""
    from nearer.safety.crisis import plain_lines

    return plain_lines(get_language())["one_line"]


@register.simple_tag
def crisis_plain_lines(lang: str | None = None) -> dict[str, str]:
    """The crisis routes as plain sentences in ``lang`` (default: the current language)."""
    from nearer.safety.crisis import plain_lines

    return plain_lines(lang or get_language())


@register.filter
def asq_trigger(risk: Any) -> str:
    """The ASQ trigger code for a risk outcome shown on the crisis card."""
    from nearer.safety.asq import trigger_for_source

    return trigger_for_source(str(getattr(risk, "source", "") or ""))


@register.simple_tag(takes_context=True)
def safety_next_steps(context: Any) -> dict[str, Any]:
    """The signed-in person's plan, one small ladder step and people to call (see queries.next_steps)."""
    from nearer.safety.queries import next_steps

    request = context.get("request")
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated or user.is_therapist or user.is_clinic_admin:
        return {"plan": None, "step": None, "people": []}
    return next_steps(user, get_language())


@register.simple_tag(takes_context=True)
def alert_reach_problems(context: Any) -> list[dict[str, Any]]:
    """For a clinic admin: therapists at their clinic whose accounts cannot open safety alerts."""
    request = context.get("request")
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated or not user.is_clinic_admin:
        return []
    from nearer.safety.services import therapists_who_cannot_receive_alerts

    return therapists_who_cannot_receive_alerts(user.clinic)
