"""The daily check-in and the stored population prior for the loop.

A person's day is their local day (``user.timezone``). Validation lives here once
(:func:`validate_entry_date`, :func:`validate_edit_allowed` and ``CheckIn.clean``) and serves the
form, the API and the CSV import.
"""

from __future__ import annotations

from datetime import date, datetime, timedelta
from decimal import Decimal
from typing import Any
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from nearer.privacy.fields import EncryptedTextField

#: How many days back a check-in may be added (marked late).
BACKFILL_DAYS = 3
#: A check-in can be changed on its own day and this many days after.
EDIT_DAYS = 1


class Answer(models.TextChoices):
    YES = "yes", _("Yes")
    NO = "no", _("No")
    NOT_TODAY = "not_today", _("Not today")


class Source(models.TextChoices):
    WEB = "web", _("Web")
    API = "api", _("App or API")
    IMPORT = "import", _("Imported")


# Keys are stored; labels are shown. The list is fixed on purpose (see docs/diary.md).
STRESSORS: list[tuple[str, Any]] = [
    ("work", _("Work")),
    ("money", _("Money")),
    ("routine", _("Routine disrupted")),
    ("pressure", _("Pressure from others")),
    ("conflict", _("Conflict with partner")),
    ("health", _("Health")),
]
STRESSOR_KEYS = [k for k, _label in STRESSORS]
YES_NO_FIELDS = ["shared_personal", "held_back", "felt_heard", "felt_accepted"]


def person_zone(person: Any) -> ZoneInfo:
    try:
        return ZoneInfo(getattr(person, "timezone", "") or settings.NEARER_DEFAULT_TIMEZONE)
    except (ZoneInfoNotFoundError, ValueError):
        return ZoneInfo(settings.NEARER_DEFAULT_TIMEZONE)


def local_today(person: Any, now: datetime | None = None) -> date:
    """The person's calendar date right now, in their own time zone."""
    return (now or timezone.now()).astimezone(person_zone(person)).date()


def validate_entry_date(local_date: date, today: date, *, allow_history: bool = False) -> None:
    """A new check-in may be for today or up to :data:`BACKFILL_DAYS` days back (imports: any past day)."""
    if local_date > today:
        raise ValidationError({"local_date": _("That day hasn't happened yet. Check in for today or an earlier day.")})
    if not allow_history and local_date < today - timedelta(days=BACKFILL_DAYS):
        raise ValidationError(
            {"local_date": _("Check-ins can be added up to 3 days back. This day is further back than that.")}
        )


def validate_edit_allowed(checkin: CheckIn, today: date) -> None:
    """A check-in can be changed on its day and the next (and on the day it was back-filled)."""
    if checkin.local_date >= today - timedelta(days=EDIT_DAYS):
        return
    if checkin.created_at and local_today(checkin.person, checkin.created_at) == today:
        return
    raise ValidationError({"local_date": _("Check-ins can be changed on their day and the day after. This one is closed now.")})


class CheckIn(models.Model):
    person = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="checkins")
    local_date = models.DateField(_("day"))
    mood = models.PositiveSmallIntegerField(
        _("mood"), validators=[MinValueValidator(0), MaxValueValidator(10)],
        error_messages={"null": _("Choose a number from 0 to 10."), "blank": _("Choose a number from 0 to 10.")},
    )
    closeness = models.PositiveSmallIntegerField(
        _("how close you felt to your partner"), validators=[MinValueValidator(0), MaxValueValidator(10)],
        error_messages={"null": _("Choose a number from 0 to 10."), "blank": _("Choose a number from 0 to 10.")},
    )
    shared_personal = models.CharField(_("I shared something personal"), max_length=10, choices=Answer.choices, default=Answer.NOT_TODAY)
    held_back = models.CharField(_("I held back"), max_length=10, choices=Answer.choices, default=Answer.NOT_TODAY)
    felt_heard = models.CharField(_("I felt heard"), max_length=10, choices=Answer.choices, default=Answer.NOT_TODAY)
    felt_accepted = models.CharField(_("I felt accepted"), max_length=10, choices=Answer.choices, default=Answer.NOT_TODAY)
    hours_slept = models.DecimalField(
        _("hours slept"), max_digits=3, decimal_places=1, null=True, blank=True,
        validators=[MinValueValidator(Decimal("0")), MaxValueValidator(Decimal("24"))],
    )
    stressors = models.JSONField(_("stressors"), default=list, blank=True)
    own_stressors = EncryptedTextField(_("other stressors, in your words"))
    exercise_minutes = models.PositiveSmallIntegerField(
        _("minutes of exercise"), null=True, blank=True, validators=[MinValueValidator(0), MaxValueValidator(1440)]
    )
    note = EncryptedTextField(_("note"))
    is_late = models.BooleanField(default=False)
    source = models.CharField(max_length=10, choices=Source.choices, default=Source.WEB)
    # NULL (not "") when absent, so the per-person uniqueness applies only to real keys.
    idempotency_key = models.CharField(max_length=80, null=True, blank=True)  # noqa: DJ001
    created_at = models.DateTimeField(default=timezone.now)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["-local_date"]
        constraints = [
            models.UniqueConstraint(fields=["person", "local_date"], name="one_checkin_per_local_day"),
            models.UniqueConstraint(
                fields=["person", "idempotency_key"], condition=models.Q(idempotency_key__isnull=False),
                name="checkin_idempotency_key_per_person",
            ),
        ]

    def __str__(self) -> str:
        return f"check-in {self.local_date.isoformat()}"

    def clean(self) -> None:
        errors: dict[str, list[Any]] = {}
        for name in ("mood", "closeness"):
            value = getattr(self, name)
            if value is not None and not 0 <= int(value) <= 10:
                errors.setdefault(name, []).append(_("Choose a number from 0 to 10."))
        if self.hours_slept is not None and not Decimal("0") <= Decimal(self.hours_slept) <= Decimal("24"):
            errors.setdefault("hours_slept", []).append(_("Hours slept must be between 0 and 24."))
        if self.exercise_minutes is not None and not 0 <= int(self.exercise_minutes) <= 1440:
            errors.setdefault("exercise_minutes", []).append(_("Minutes of exercise must be between 0 and 1440."))
        unknown = [s for s in (self.stressors or []) if s not in STRESSOR_KEYS]
        if unknown or not isinstance(self.stressors, list):
            errors.setdefault("stressors", []).append(_("Choose stressors from the list."))
        for name in YES_NO_FIELDS:
            if getattr(self, name) not in Answer.values:
                errors.setdefault(name, []).append(_("Choose yes, no or not today."))
        if errors:
            raise ValidationError(errors)

    def stressor_labels(self) -> list[Any]:
        labels = dict(STRESSORS)
        return [labels[k] for k in self.stressors or [] if k in labels]


class LoopPopulation(models.Model):
    """The population prior for partial pooling, refitted at most daily (:func:`nearer.diary.tasks.refit_loops`).

    ``data`` is :meth:`nearer.analysis.loop.LoopPopulation.to_dict`, or null when too few people
    have check-ins to learn from (the engine's built-in prior is used then). Holds no personal data.
    """

    fitted_at = models.DateTimeField(default=timezone.now)
    n_people = models.PositiveIntegerField(default=0)
    data = models.JSONField(null=True, blank=True)

    class Meta:
        ordering = ["-fitted_at"]

    def __str__(self) -> str:
        return f"loop population {self.fitted_at:%Y-%m-%d %H:%M}"
