"""``nearer escalate-alerts``: send overdue urgent alerts to the clinic's on-call contact.

Run it every few minutes (the production set-up schedules it). It is idempotent: an alert is
escalated once.
"""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand

from nearer.safety.services import escalate_overdue_alerts, escalation_minutes


class Command(BaseCommand):
    help = "Send urgent safety alerts not acknowledged in time to the clinic's on-call contact."

    def handle(self, *args: Any, **options: Any) -> None:
        escalated = escalate_overdue_alerts()
        sent = sum(1 for a in escalated if a.escalated_to)
        self.stdout.write(
            f"{len(escalated)} alert(s) overdue after {escalation_minutes()} minutes; "
            f"{sent} sent to an on-call contact, {len(escalated) - sent} without one."
        )
