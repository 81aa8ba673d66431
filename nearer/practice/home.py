"""The practice panel on the home page: a planned experiment, or the next ladder step.

Two queries for the card (the active steps, and the experiments of those steps or still planned);
the therapist's suggestions waiting are a count among the home page's facts.
"""

from __future__ import annotations

from typing import Any

from django.db.models import OuterRef, Q
from django.http import HttpRequest
from django.utils.translation import get_language

from nearer.practice import queries
from nearer.practice import suggestion_bank as bank
from nearer.practice.models import Experiment, LadderStep, SuggestionState, TherapistSuggestion


def facts(user: Any, params: dict[str, Any]) -> dict[str, Any]:
    from nearer.home_facts import SubqueryCount

    if getattr(user, "is_therapist", False) or getattr(user, "is_clinic_admin", False):
        return {}
    pending = TherapistSuggestion.objects.filter(client=OuterRef("pk"), state=SuggestionState.PENDING)
    return {"practice_pending": SubqueryCount(pending.order_by().values("pk"))}


def _planned_order(e: Experiment) -> tuple[Any, ...]:
    # As ``order_by(F("planned_for").asc(nulls_last=True), "created_at")``.
    return (0, e.planned_for, e.created_at, e.pk) if e.planned_for is not None else (1, e.created_at, e.created_at, e.pk)


def panel(request: HttpRequest) -> dict[str, Any] | None:
    from nearer import home_facts

    user = request.user
    if not user.is_authenticated or getattr(user, "is_therapist", False) or getattr(user, "is_clinic_admin", False):
        return None
    lang = bank.normalise_lang(get_language())
    steps = list(LadderStep.objects.filter(owner=user, archived_at__isnull=True))
    experiments = list(Experiment.objects.filter(Q(step_id__in=[s.pk for s in steps]) | Q(owner=user, done_at__isnull=True))
                       .select_related("step"))
    open_ones = [e for e in experiments if e.owner_id == user.pk and e.done_at is None]
    planned = min(open_ones, key=_planned_order) if open_ones else None
    ladder = queries.ladder(user, lang, steps=steps, experiments=experiments)  # type: ignore[arg-type]
    return {
        "planned": planned,
        "planned_label": planned.step.label(lang) if planned and planned.step else "",
        "next_label": ladder["next_row"]["label"] if ladder["next_row"] else "",
        "pending": int(home_facts.facts(request).get("practice_pending") or 0),
    }
