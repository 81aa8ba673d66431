"""Demo: Sam has a safety plan (two versions); Dr. Rivera has one resolved alert in the history."""

from __future__ import annotations

import json
from datetime import timedelta
from typing import Any

from nearer.safety.models import Alert, AlertState, Choice, RiskEvent, SafetyPlan, SafetyPlanVersion
from nearer.safety.services import plan_snapshot

SAM_PLAN = {
    "warning_signs": "After a fight with Alex, or a long silence between us\n"
                     "Lying awake replaying the day\nCancelling on friends",
    "cope_alone": "Walk around the block, even for ten minutes\nA hot shower\nWrite down what I'm feeling",
    "distractions": "The library on Elm Street\nCalling my cousin Jo about anything but this",
    "people_to_ask": "My sister Ana\nMy friend Marcus",
    "professionals": "Dr. Rivera (clinic number on the fridge)\nCall or text 988\nIn immediate danger, 911",
    "safer_surroundings": "Ana keeps the extra medication at her place",
    "reasons_for_living": "My niece's birthday in June\nOur dog, Biscuit\nThe trip to the coast we keep planning",
}


def populate(world: Any) -> None:
    now = world.now
    sam, rivera = world.sam, world.rivera
    first = now - timedelta(days=40)
    plan = SafetyPlan.objects.create(owner=sam, created_at=first, updated_at=now - timedelta(days=12),
                                     updated_by=sam, **SAM_PLAN)
    early = dict(SAM_PLAN, reasons_for_living="Our dog, Biscuit", safer_surroundings="")
    SafetyPlanVersion.objects.create(plan=plan, owner=sam, number=1, edited_by=sam, edited_by_role="person",
                                     created_at=first, content=_snapshot(early))
    SafetyPlanVersion.objects.create(plan=plan, owner=sam, number=2, edited_by=sam, edited_by_role="person",
                                     created_at=now - timedelta(days=12), content=plan_snapshot(plan))

    # Three weeks ago a PHQ-9 answer raised a concern; Dr. Rivera acknowledged and resolved it.
    at = now - timedelta(days=21, hours=3)
    alert = Alert.objects.create(
        person=sam, therapist=rivera, level="concern", state=AlertState.RESOLVED,
        first_source="measures.phq9", last_source="measures.phq9", signal_count=1,
        created_at=at, last_signal_at=at, emailed_at=at + timedelta(minutes=1),
        acknowledged_at=at + timedelta(minutes=40), acknowledged_by=rivera,
        resolved_at=at + timedelta(hours=2), resolved_by=rivera,
        resolution_note="Called Sam the same afternoon. Went through the safety plan together; "
                        "Sam felt safe and we kept the Thursday session.",
    )
    RiskEvent.objects.create(person=sam, source="measures.phq9", level="concern", rules=["phq9.item9"],
                             created_at=at, choice=Choice.SAFE, choice_at=at + timedelta(minutes=2), alert=alert)


def _snapshot(parts: dict[str, str]) -> str:
    return json.dumps(parts, ensure_ascii=False)
