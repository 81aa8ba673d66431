"""Measures: administrations (answered questionnaires), schedules, due occurrences, clinic instruments.

Item answers are sensitive even though they are not free text: PHQ-9 item 9 says whether a person
has had thoughts of death or self-harm. So the answers (linkId -> weight) and the flags derived from
them are stored encrypted (JSON inside an ``EncryptedTextField``). Totals, bands and change labels
stay in plain columns so that charts and lists need no decryption. No page or API answer meant for
a partner ever includes item answers or flags (see ``queries.py``).
"""

from __future__ import annotations

import json
from typing import Any

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from nearer.privacy.fields import EncryptedTextField


class Source(models.TextChoices):
    WEB = "web", _("Answered in Nearer")
    API = "api", _("Sent through the API")
    FHIR = "fhir-import", _("Imported from a FHIR file")


class ChangeLabel(models.TextChoices):
    IMPROVEMENT = "reliable_improvement", _("Reliable improvement")
    NO_CHANGE = "no_reliable_change", _("No reliable change")
    DETERIORATION = "reliable_deterioration", _("Reliable deterioration")


class Administration(models.Model):
    """One completed questionnaire."""

    person = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="measure_administrations")
    instrument_id = models.CharField(max_length=64)
    instrument_version = models.CharField(max_length=40, blank=True, default="")
    # The language the questions were shown in (an official translation, or the definition's own).
    language = models.CharField(max_length=8, default="en")
    started_at = models.DateTimeField(null=True, blank=True)
    completed_at = models.DateTimeField(default=timezone.now)
    answers_json = EncryptedTextField()  # {"linkId": weight}
    flags_json = EncryptedTextField()  # {"item9_value": 0, "item9_positive": false, ...}
    total = models.FloatField()
    band_key = models.CharField(max_length=40)
    band_label = models.CharField(max_length=120)
    subscales = models.JSONField(default=dict, blank=True)
    # Change against the person's first score on this instrument and version (the baseline),
    # and against the score just before. Empty for the baseline itself or when the instrument
    # has no SD and reliability on record.
    rci = models.FloatField(null=True, blank=True)
    change_label = models.CharField(max_length=30, choices=ChangeLabel.choices, blank=True, default="")
    rci_previous = models.FloatField(null=True, blank=True)
    change_label_previous = models.CharField(max_length=30, choices=ChangeLabel.choices, blank=True, default="")
    recovered = models.BooleanField(default=False)
    response = models.BooleanField(null=True, blank=True)
    remission = models.BooleanField(null=True, blank=True)
    source = models.CharField(max_length=20, choices=Source.choices, default=Source.WEB)
    idempotency_key = models.CharField(max_length=80, blank=True, default="")
    external_id = models.CharField(max_length=120, blank=True, default="")
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["completed_at", "pk"]
        indexes = [models.Index(fields=["person", "instrument_id", "completed_at"])]
        constraints = [
            models.UniqueConstraint(
                fields=["person", "idempotency_key"],
                condition=~models.Q(idempotency_key=""),
                name="measures_one_administration_per_key",
            )
        ]

    def __str__(self) -> str:
        return f"{self.instrument_id} #{self.pk}"

    @property
    def answers(self) -> dict[str, Any]:
        data: dict[str, Any] = json.loads(self.answers_json or "{}")
        return data

    @answers.setter
    def answers(self, value: dict[str, Any]) -> None:
        self.answers_json = json.dumps(value, sort_keys=True)

    @property
    def flags(self) -> dict[str, Any]:
        data: dict[str, Any] = json.loads(self.flags_json or "{}")
        return data

    @flags.setter
    def flags(self, value: dict[str, Any]) -> None:
        self.flags_json = json.dumps(value, sort_keys=True)

    @property
    def item9_positive(self) -> bool:
        return bool(self.flags.get("item9_positive"))

    @property
    def total_display(self) -> str:
        t = self.total
        return str(int(t)) if float(t).is_integer() else f"{t:.2f}"


class SetBy(models.TextChoices):
    PERSON = "person", _("You")
    THERAPIST = "therapist", _("Your therapist")


class ScheduleStatus(models.TextChoices):
    """Where a schedule stands. Only an ``accepted`` schedule is in force (``active``)."""

    PROPOSED = "proposed", _("Proposed")
    ACCEPTED = "accepted", _("Accepted")
    DECLINED = "declined", _("Declined")
    STOPPED = "stopped", _("Stopped")
    WITHDRAWN = "withdrawn", _("Withdrawn")
    # An accepted schedule whose numbers a later accepted one took over (history only).
    REPLACED = "replaced", _("Replaced")


class Schedule(models.Model):
    """A cadence for one instrument: due every ``cadence_days``, open for ``window_days``.

    A schedule a person sets for themselves is ``accepted`` at once. One a therapist sets or changes
    is a proposal (``status="proposed"``, ``active=False``): it creates no due questionnaires and no
    reminders until the person accepts it; until then their previous schedule stays in force.
    """

    person = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="measure_schedules")
    instrument_id = models.CharField(max_length=64)
    cadence_days = models.PositiveIntegerField()
    window_days = models.PositiveIntegerField(default=4)
    starts_at = models.DateTimeField(default=timezone.now)
    set_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    set_by_role = models.CharField(max_length=20, choices=SetBy.choices, default=SetBy.PERSON)
    # In force: only ever true for an accepted schedule (due questionnaires and reminders come from these).
    active = models.BooleanField(default=True)
    status = models.CharField(max_length=12, choices=ScheduleStatus.choices, default=ScheduleStatus.ACCEPTED)
    responded_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(default=timezone.now)
    updated_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["instrument_id", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["person", "instrument_id"], condition=models.Q(active=True), name="measures_one_active_schedule"
            ),
            models.UniqueConstraint(
                fields=["person", "instrument_id"], condition=models.Q(status="proposed"),
                name="measures_one_proposal_per_instrument",
            ),
        ]


    def __str__(self) -> str:
        return f"{self.instrument_id} every {self.cadence_days} days"


class ScheduleAction(models.TextChoices):
    # Labels for admin/debug only; pages word each line through ``queries.schedule_history``.
    SET = "set", "set"
    CHANGED = "changed", "changed"
    PROPOSED = "proposed", "proposed"
    ACCEPTED = "accepted", "accepted"
    DECLINED = "declined", "declined"
    STOPPED = "stopped", "stopped"
    WITHDRAWN = "withdrawn", "withdrew"


class ScheduleEvent(models.Model):
    """One line of a person's schedule history: who did what to which questionnaire's schedule, when.

    Append-only. ``actor`` is cleared if that account is deleted; ``actor_role`` still says whether it
    was the person or a therapist. ``seen_at`` is when the person dismissed the notice of a change a
    therapist made at once (a stop).
    """

    person = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="measure_schedule_events")
    schedule = models.ForeignKey(Schedule, null=True, blank=True, on_delete=models.SET_NULL, related_name="events")
    instrument_id = models.CharField(max_length=64)
    cadence_days = models.PositiveIntegerField()
    window_days = models.PositiveIntegerField()
    action = models.CharField(max_length=12, choices=ScheduleAction.choices)
    actor = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    actor_role = models.CharField(max_length=20, choices=SetBy.choices, default=SetBy.PERSON)
    at = models.DateTimeField(default=timezone.now)
    seen_at = models.DateTimeField(null=True, blank=True)

    PLAIN_TEXT_FIELDS = {"instrument_id": "an instrument code such as phq9"}

    class Meta:
        ordering = ["-at", "-pk"]
        indexes = [models.Index(fields=["person", "at"])]

    def __str__(self) -> str:
        return f"{self.instrument_id} {self.action} #{self.pk}"


class DueState(models.TextChoices):
    OPEN = "open", _("Open")
    COMPLETED = "completed", _("Done")
    MISSED = "missed", _("Missed")


class DueMeasure(models.Model):
    """One occurrence of a schedule: due at ``due_at``, open until ``window_ends_at``."""

    schedule = models.ForeignKey(Schedule, on_delete=models.CASCADE, related_name="occurrences")
    person = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    instrument_id = models.CharField(max_length=64)
    due_at = models.DateTimeField()
    window_ends_at = models.DateTimeField()
    state = models.CharField(max_length=12, choices=DueState.choices, default=DueState.OPEN)
    administration = models.ForeignKey(Administration, null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    closed_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["due_at", "pk"]
        constraints = [models.UniqueConstraint(fields=["schedule", "due_at"], name="measures_one_occurrence_per_due")]


    def __str__(self) -> str:
        return f"{self.instrument_id} due {self.due_at:%Y-%m-%d}"


class ClinicInstrument(models.Model):
    """A clinic-supplied definition (FHIR Questionnaire + scoring block), stored as uploaded.

    Not client data: it holds the clinic's licensed questionnaire. ``clinic`` empty means the
    operator added it for every clinic on this server.
    """

    clinic = models.ForeignKey("accounts.Clinic", null=True, blank=True, on_delete=models.CASCADE, related_name="instruments")
    instrument_id = models.CharField(max_length=64, unique=True)
    title = models.CharField(max_length=200)
    version = models.CharField(max_length=40, blank=True, default="")
    definition = models.JSONField()
    added_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    active = models.BooleanField(default=True)
    created_at = models.DateTimeField(default=timezone.now)
    updated_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["instrument_id"]

    def __str__(self) -> str:
        return self.instrument_id
