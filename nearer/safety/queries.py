"""Reads for the safety pages (plain data)."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from django.db.models import QuerySet
from django.utils.translation import gettext_lazy as _

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
    "safety": _("Safety"),
}


def source_label(source: str) -> Any:
    """A plain label for where a signal came from (the kind of entry, never its content)."""
    return SOURCE_LABELS.get(source) or SOURCE_LABELS.get(source.split(".", 1)[0]) or _("Other")
