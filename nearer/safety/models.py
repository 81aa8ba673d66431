"""Safety data: the person's safety plan (with its versions), risk events and therapist alerts.

Nothing here stores what a person wrote elsewhere in Nearer: a RiskEvent keeps the source, the
level, the *names* of the screener rules that matched and a reference (content type + id) to the
entry, never the words. The plan's own text and a therapist's resolution note are encrypted.
"""

from __future__ import annotations

import json
from typing import Any

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from nearer.privacy.fields import EncryptedTextField
from nearer.safety.plan_text import PLAN_PARTS


class Level(models.TextChoices):
    NONE = "none", _("No sign")
    CONCERN = "concern", _("Concern")
    URGENT = "urgent", _("Urgent")


LEVEL_RANK = {"none": 0, "concern": 1, "urgent": 2}


def split_lines(text: str) -> list[str]:
    return [line.strip() for line in (text or "").splitlines() if line.strip()]


class SafetyPlan(models.Model):
    """One plan per person. Each part is encrypted text, one item per line."""

    owner = models.OneToOneField(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="safety_plan")
    warning_signs = EncryptedTextField(_("Signs that a hard time is building"))
    cope_alone = EncryptedTextField(_("Things I can do on my own"))
    distractions = EncryptedTextField(_("People and places that take my mind off things"))
    people_to_ask = EncryptedTextField(_("People I can ask for help"))
    professionals = EncryptedTextField(_("Professionals and crisis lines"))
    safer_surroundings = EncryptedTextField(_("Making my surroundings safer"))
    reasons_for_living = EncryptedTextField(_("My reasons for living"))
    created_at = models.DateTimeField(default=timezone.now)
    updated_at = models.DateTimeField(default=timezone.now)
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    def __str__(self) -> str:
        return f"Safety plan #{self.pk}"

    def parts(self) -> dict[str, list[str]]:
        return {key: split_lines(getattr(self, key)) for key in PLAN_PARTS}

    def is_empty(self) -> bool:
        return not any(getattr(self, key).strip() for key in PLAN_PARTS)

    def all_text(self) -> str:
        return "\n".join(getattr(self, key) for key in PLAN_PARTS)


class SafetyPlanVersion(models.Model):
    """A snapshot of the plan as saved, with who saved it (the person or their therapist)."""

    plan = models.ForeignKey(SafetyPlan, on_delete=models.CASCADE, related_name="versions")
    owner = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    number = models.PositiveIntegerField()
    content = EncryptedTextField()  # JSON of the parts
    edited_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    edited_by_role = models.CharField(max_length=20, default="person")
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["-number"]
        constraints = [models.UniqueConstraint(fields=["plan", "number"], name="one_plan_version_number")]

    def __str__(self) -> str:
        return f"Safety plan version {self.number}"

    def parts(self) -> dict[str, str]:
        data: dict[str, Any] = json.loads(self.content or "{}")
        return {key: str(data.get(key, "")) for key in PLAN_PARTS}


class Choice(models.TextChoices):
    NONE = "", _("No answer yet")
    SAFE = "safe", _("I'm safe for now")
    NEED_HELP = "need_help", _("I need help now")


class AlertState(models.TextChoices):
    OPEN = "open", _("Open")
    ACKNOWLEDGED = "acknowledged", _("Acknowledged")
    RESOLVED = "resolved", _("Resolved")


class Route(models.TextChoices):
    THERAPIST = "therapist", _("The therapist")
    ON_CALL = "on_call", _("The clinic's on-call contact")
    NOBODY = "nobody", _("Nobody could receive it")


class Alert(models.Model):
    """A risk alert for one linked therapist. Signals within 24 hours join the open alert.

    When the linked therapist's account cannot open alerts (no second factor, or deactivated) the
    alert is still recorded for them but routed to the clinic's on-call contact straight away
    (``route``); ``kinds`` names the kinds of signal (construct keys, never words).
    """

    person = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="safety_alerts")
    therapist = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    level = models.CharField(max_length=10, choices=Level.choices)
    state = models.CharField(max_length=20, choices=AlertState.choices, default=AlertState.OPEN)
    first_source = models.CharField(max_length=40)
    last_source = models.CharField(max_length=40)
    signal_count = models.PositiveIntegerField(default=1)
    created_at = models.DateTimeField(default=timezone.now)
    last_signal_at = models.DateTimeField(default=timezone.now)
    urgent_since = models.DateTimeField(null=True, blank=True)
    emailed_at = models.DateTimeField(null=True, blank=True)
    acknowledged_at = models.DateTimeField(null=True, blank=True)
    acknowledged_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    resolved_at = models.DateTimeField(null=True, blank=True)
    resolved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    resolution_note = EncryptedTextField()
    escalated_at = models.DateTimeField(null=True, blank=True)
    escalated_to = models.EmailField(blank=True)
    kinds = models.JSONField(default=list, blank=True)
    route = models.CharField(max_length=12, choices=Route.choices, default=Route.THERAPIST)
    route_reason = models.CharField(max_length=30, blank=True)

    class Meta:
        ordering = ["-last_signal_at"]
        indexes = [models.Index(fields=["therapist", "state"]), models.Index(fields=["person", "therapist", "state"])]

    def __str__(self) -> str:
        return f"Alert #{self.pk} ({self.level}, {self.state})"

    @property
    def is_open(self) -> bool:
        return self.state != AlertState.RESOLVED


class RiskEvent(models.Model):
    """One risk signal. No personal text: source, level, rule names and a reference only."""

    person = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="risk_events")
    source = models.CharField(max_length=40)
    level = models.CharField(max_length=10, choices=Level.choices)
    rules = models.JSONField(default=list, blank=True)
    ref_type = models.CharField(max_length=80, blank=True)
    ref_id = models.CharField(max_length=40, blank=True)
    screening_failed = models.BooleanField(default=False)
    created_at = models.DateTimeField(default=timezone.now)
    choice = models.CharField(max_length=12, choices=Choice.choices, default="", blank=True)
    choice_at = models.DateTimeField(null=True, blank=True)
    alert = models.ForeignKey(Alert, null=True, blank=True, on_delete=models.SET_NULL, related_name="events")
    # Who was told, so the person can be told the truth later too (see services.DELIVERY).
    delivery = models.CharField(max_length=20, blank=True)

    class Meta:
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return f"Risk event #{self.pk} ({self.source}, {self.level})"


class PendingRiskCheck(models.Model):
    """A risk signal whose recording failed (or whose screening failed), to be retried in the background.

    Holds no text: the source, a reference to the saved entry, and the level and rule names when
    they were known. The retry job re-screens from the stored entry when the level is unknown.
    """

    PLAIN_TEXT_FIELDS = {
        "ref_type": "a model label (e.g. diary.checkin), never content",
        "last_error": "an exception class name (e.g. IntegrityError), never content",
    }

    person = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    source = models.CharField(max_length=40)
    ref_type = models.CharField(max_length=80, blank=True)
    ref_id = models.CharField(max_length=40, blank=True)
    level = models.CharField(max_length=10, blank=True)  # "" = unknown: re-screen the stored entry
    rules = models.JSONField(default=list, blank=True)
    attempts = models.PositiveIntegerField(default=0)
    last_error = models.CharField(max_length=80, blank=True)  # exception class name only
    created_at = models.DateTimeField(default=timezone.now)
    next_attempt_at = models.DateTimeField(default=timezone.now)
    done_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["created_at"]
        indexes = [models.Index(fields=["done_at", "next_attempt_at"])]

    def __str__(self) -> str:
        return f"Pending risk check #{self.pk} ({self.source})"


class AsqAnswer(models.TextChoices):
    YES = "yes", _("Yes")
    NO = "no", _("No")
    DECLINED = "declined", _("Prefer not to answer")


class AsqResult(models.TextChoices):
    NEGATIVE = "negative", _("No risk identified by these questions")
    NON_ACUTE = "non_acute", _("Positive, not acute")
    ACUTE = "acute", _("Positive, acute")


class AsqScreen(models.Model):
    """One set of answers to the NIMH Ask Suicide-Screening Questions (yes / no / declined each).

    Not free text, but as sensitive as anything Nearer holds: exported and erased with the person.
    ``q5`` is blank when it was not answered. A declined answer is stored as declined, never as "no".
    """

    person = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="asq_screens")
    trigger = models.CharField(max_length=20)
    language = models.CharField(max_length=8, default="en")
    q1 = models.CharField(max_length=10, choices=AsqAnswer.choices)
    q2 = models.CharField(max_length=10, choices=AsqAnswer.choices)
    q3 = models.CharField(max_length=10, choices=AsqAnswer.choices)
    q4 = models.CharField(max_length=10, choices=AsqAnswer.choices)
    q5 = models.CharField(max_length=10, choices=AsqAnswer.choices, blank=True)
    result = models.CharField(max_length=12, choices=AsqResult.choices)
    declined_any = models.BooleanField(default=False)
    created_at = models.DateTimeField(default=timezone.now)
    risk_event = models.ForeignKey(RiskEvent, null=True, blank=True, on_delete=models.SET_NULL, related_name="+")

    class Meta:
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return f"ASQ #{self.pk} ({self.result})"
