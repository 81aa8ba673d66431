"""Reads for the safety pages (plain data)."""

from __future__ import annotations

import re
from typing import TYPE_CHECKING, Any

from django.db.models import QuerySet
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from nearer.practice.models import LadderStep
from nearer.safety.models import Alert, AlertState, SafetyPlan

if TYPE_CHECKING:
    from nearer.accounts.models import User


def plan_of(person: User) -> SafetyPlan | None:
    return SafetyPlan.objects.filter(owner=person).first()


def versions_of(plan: SafetyPlan, limit: int = 10) -> list[Any]:
    return list(plan.versions.select_related("edited_by").order_by("-number")[:limit])


def therapist_alerts(therapist: User, *, open_only: bool = False) -> QuerySet[Alert]:
    """The therapist's alerts for people who are still linked with them (issue 16 item 4: after an
    unlink the person no longer appears, in the list or the API)."""
    from nearer.accounts.models import Link

    linked = Link.objects.active().filter(viewer=therapist, kind="therapist").values("owner_id")
    qs = Alert.objects.filter(therapist=therapist, person_id__in=linked).select_related("person")
    if open_only:
        qs = qs.exclude(state=AlertState.RESOLVED)
    return qs.order_by("state", "-last_signal_at")


def open_alerts(therapist: User) -> list[Alert]:
    from nearer.accounts.models import Link

    active_owners = set(
        Link.objects.active().filter(viewer=therapist, kind="therapist").values_list("owner_id", flat=True)
    )
    return [a for a in therapist_alerts(therapist, open_only=True) if a.person_id in active_owners]


SOURCE_LABELS = {
    "diary": _("Daily check-in"),
    "measures": _("Questionnaire"),
    "practice": _("Practice"),
    "together": _("Couple conversation"),
    "learn": _("Reflection"),
    "safety.not_safe": _("Tapped “I'm not safe”"),
    "safety.need_help": _("Chose “I need help now”"),
    "safety.plan": _("Safety plan"),
    "safety.asq": _("Direct safety questions (ASQ)"),
    "clinic": _("Request to a therapist"),
    "safety": _("Safety"),
}


def source_label(source: str) -> Any:
    """A plain label for where a signal came from (the kind of entry, never its content)."""
    return SOURCE_LABELS.get(source) or SOURCE_LABELS.get(source.split(".", 1)[0]) or _("Other")


_PHONE = re.compile(r"\+?\d[\d\s().-]{5,}\d")


def people_to_call(plan: SafetyPlan | None, limit: int = 3) -> list[dict[str, str]]:
    """People in the plan's "people I can ask for help" with a phone number on their line, as tel: links."""
    if plan is None:
        return []
    out = []
    for line in plan.parts()["people_to_ask"]:
        m = _PHONE.search(line)
        if not m:
            continue
        digits = re.sub(r"[^\d+]", "", m.group(0))
        if len(digits.lstrip("+")) < 7:
            continue
        name = (line[: m.start()] + line[m.end():]).strip(" :,-–()") or m.group(0).strip()
        out.append({"name": name, "number": m.group(0).strip(), "tel": f"tel:{digits}"})
        if len(out) >= limit:
            break
    return out


def small_step(person: User, lang: str | None) -> dict[str, Any] | None:
    """The easiest open step on the person's closeness ladder (or None when they have no ladder)."""
    step = LadderStep.objects.filter(owner=person, archived_at__isnull=True).order_by("difficulty", "pk").first()
    if step is None:
        return None
    return {"label": step.label(lang), "url": reverse("practice:experiment-create") + f"?step={step.pk}"}


def next_steps(person: User, lang: str | None) -> dict[str, Any]:
    """What a hard moment can lead to: the plan (or an offer to write one), one small step, someone to call."""
    plan = plan_of(person)
    if plan is not None and plan.is_empty():
        plan = None
    return {"plan": plan, "step": small_step(person, lang), "people": people_to_call(plan)}
