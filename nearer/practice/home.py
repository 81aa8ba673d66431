"""The practice panel on the home page: a planned experiment, or the next ladder step."""

from __future__ import annotations

from typing import Any

from django.db.models import F
from django.http import HttpRequest
from django.utils.translation import get_language

from nearer.practice import queries
from nearer.practice import suggestion_bank as bank
from nearer.practice.models import Experiment


def panel(request: HttpRequest) -> dict[str, Any] | None:
    user = request.user
    if not user.is_authenticated or getattr(user, "is_therapist", False) or getattr(user, "is_clinic_admin", False):
        return None
    lang = bank.normalise_lang(get_language())
    planned = (Experiment.objects.filter(owner=user, done_at__isnull=True).select_related("step")
               .order_by(F("planned_for").asc(nulls_last=True), "created_at").first())
    ladder = queries.ladder(user, lang)  # type: ignore[arg-type]
    return {
        "planned": planned,
        "planned_label": planned.step.label(lang) if planned and planned.step else "",
        "next_label": ladder["next_row"]["label"] if ladder["next_row"] else "",
        "pending": len(queries.pending_suggestions(user)),  # type: ignore[arg-type]
    }
