"""Operations: reminder preferences, Web Push subscriptions, sent-reminder ledger, scheduler runs."""

from __future__ import annotations

import datetime as dt

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from nearer.privacy.fields import EncryptedTextField


class ReminderKind(models.TextChoices):
    CHECKIN = "checkin", _("Daily check-in")
    MEASURES = "measures", _("Questionnaires that are due")
    EXPERIMENT = "experiment", _("Planned experiments")
    COUPLE_TALK = "couple_talk", _("Couple talks")


DEFAULT_TIMES = {
    ReminderKind.CHECKIN: dt.time(20, 0),
    ReminderKind.MEASURES: dt.time(18, 0),
    ReminderKind.EXPERIMENT: dt.time(9, 0),
    ReminderKind.COUPLE_TALK: dt.time(17, 0),
}


class ReminderPreference(models.Model):
    """When (in the person's own time zone) and how a person wants one kind of reminder."""

    person = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    kind = models.CharField(max_length=16, choices=ReminderKind.choices)
    local_time = models.TimeField()
    by_email = models.BooleanField(default=True)
    by_push = models.BooleanField(default=False)
    enabled = models.BooleanField(default=True)
    updated_at = models.DateTimeField(default=timezone.now)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["person", "kind"], name="ops_one_preference_per_kind")]
        ordering = ["person_id", "kind"]

    def __str__(self) -> str:
        return f"{self.kind} at {self.local_time:%H:%M}"


class ReminderSent(models.Model):
    """The ledger that makes each reminder go out at most once per person, kind and local day."""

    person = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    kind = models.CharField(max_length=16, choices=ReminderKind.choices)
    local_date = models.DateField()
    sent_at = models.DateTimeField(default=timezone.now)
    channels = models.CharField(max_length=32, blank=True, default="")

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["person", "kind", "local_date"], name="ops_one_reminder_per_day")
        ]
        ordering = ["-sent_at"]

    def __str__(self) -> str:
        return f"{self.kind} {self.local_date}"


class PushSubscription(models.Model):
    """One browser's Web Push endpoint and keys (from PushManager.subscribe)."""

    person = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    endpoint = models.URLField(max_length=1000, unique=True)
    p256dh = models.CharField(max_length=200)
    auth = models.CharField(max_length=100)
    created_at = models.DateTimeField(default=timezone.now)
    last_ok_at = models.DateTimeField(null=True, blank=True)
    failures = models.PositiveSmallIntegerField(default=0)

    class Meta:
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return f"push subscription {self.pk}"


class TaskRun(models.Model):
    """One row per periodic task: the next time it is due and a short lease so only one process runs it."""

    name = models.CharField(max_length=64, primary_key=True)
    next_due_at = models.DateTimeField()
    locked_until = models.DateTimeField(null=True, blank=True)
    last_started_at = models.DateTimeField(null=True, blank=True)
    last_finished_at = models.DateTimeField(null=True, blank=True)
    last_ok = models.BooleanField(default=True)
    runs = models.PositiveIntegerField(default=0)

    def __str__(self) -> str:
        return self.name


class Heartbeat(models.Model):
    """When the background worker last finished a scheduled job (``/healthz``, ``check --deploy``).

    One row per kind of runner; ephemeral (left out of backups). Holds no personal data.
    """

    name = models.CharField(max_length=32, primary_key=True)
    at = models.DateTimeField()
    ok = models.BooleanField(default=True)

    def __str__(self) -> str:
        return f"{self.name} at {self.at:%Y-%m-%d %H:%M}"


class VapidKeys(models.Model):
    """The server's Web Push key pair, made on the first ``migrate`` when the environment sets none.

    Environment keys (``NEARER_VAPID_PUBLIC_KEY``/``_PRIVATE_KEY``) always win; this row makes a
    fresh install and ``nearer demo`` send notifications without any manual step. The private key
    is encrypted at rest like free text.
    """

    PLAIN_TEXT_FIELDS = {"public_key": "a public key, sent to every browser that turns on notifications"}

    public_key = models.CharField(max_length=200)
    private_key = EncryptedTextField()
    created_at = models.DateTimeField(default=timezone.now)

    def __str__(self) -> str:
        return f"vapid keys {self.created_at:%Y-%m-%d}"
