"""Closeness practice: the worksheet (with versions), the ladder, experiments, present-or-past
records and therapist suggestions. Every word a person writes is an EncryptedTextField; choices
are stored as ids from ``suggestions/*.yaml`` so they can be shown in the reader's language."""

from __future__ import annotations

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from nearer.practice import suggestion_bank as bank
from nearer.privacy.fields import EncryptedTextField

PERCENT = [MinValueValidator(0), MaxValueValidator(100)]



def step_label(text: str, suggestion_id: str, lang: str | None = None) -> str:
    """A ladder step's words: the person's (or therapist's) own, else the suggestion in the reader's language."""
    if text:
        return text
    if suggestion_id:
        try:
            return bank.ladder_step(suggestion_id).text(lang)
        except KeyError:
            return ""
    return ""

class FormulationVersion(models.Model):
    """One saved revision of "Where closeness came to feel unsafe". The newest is the current one."""

    owner = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="formulation_versions")
    number = models.PositiveIntegerField()
    created_at = models.DateTimeField(default=timezone.now)
    past_closeness = models.JSONField(default=list, blank=True)
    past_closeness_own = EncryptedTextField(_("In your own words"))
    expectation = EncryptedTextField()
    moves = models.JSONField(default=list, blank=True)
    moves_own = EncryptedTextField(_("Your own protective moves"))
    once_job = EncryptedTextField()
    cost = EncryptedTextField()
    switch_on = EncryptedTextField()
    small_step = EncryptedTextField()

    TEXT_FIELDS = ("past_closeness_own", "expectation", "moves_own", "once_job", "cost", "switch_on", "small_step")

    class Meta:
        ordering = ["-number"]
        constraints = [models.UniqueConstraint(fields=["owner", "number"], name="one_formulation_number_per_owner")]

    def __str__(self) -> str:
        # Never the person's words: these strings can reach logs and the admin.
        return f"{type(self).__name__} {self.pk}"

    def text_for_screening(self) -> str:
        return "\n".join(getattr(self, f) for f in self.TEXT_FIELDS if getattr(self, f))


class StepSource(models.TextChoices):
    OWN = "own", _("Your own")
    SUGGESTED = "suggested", _("From the suggestions")
    THERAPIST = "therapist", _("Suggested by your therapist")


class LadderStep(models.Model):
    owner = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="ladder_steps")
    suggestion_id = models.CharField(max_length=60, blank=True, default="")
    PLAIN_TEXT_FIELDS = {"suggestion_id": "an id from suggestions/ladder_steps.yaml, never the person's words"}
    text = EncryptedTextField(_("Step"))
    difficulty = models.PositiveSmallIntegerField(_("Expected difficulty (0–100)"), validators=PERCENT)
    source = models.CharField(max_length=12, choices=StepSource.choices, default=StepSource.OWN)
    created_at = models.DateTimeField(default=timezone.now)
    archived_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["difficulty", "created_at", "pk"]

    def __str__(self) -> str:
        # Never the person's words: these strings can reach logs and the admin.
        return f"{type(self).__name__} {self.pk}"

    def label(self, lang: str | None = None) -> str:
        return step_label(self.text, self.suggestion_id, lang)


class Outcome(models.TextChoices):
    NO = "no", _("No, it didn't happen")
    PARTLY = "partly", _("Partly")
    YES = "yes", _("Yes, it happened")


class Experiment(models.Model):
    owner = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="experiments")
    step = models.ForeignKey(LadderStep, null=True, blank=True, on_delete=models.SET_NULL, related_name="experiments")
    # Before
    planned_for = models.DateTimeField(null=True, blank=True)
    when_text = EncryptedTextField()
    fear = EncryptedTextField()
    belief_before = models.PositiveSmallIntegerField(validators=PERCENT)
    expected_anxiety = models.PositiveSmallIntegerField(validators=PERCENT)
    created_at = models.DateTimeField(default=timezone.now)
    # After
    done_at = models.DateTimeField(null=True, blank=True)
    what_happened = EncryptedTextField()
    outcome = models.CharField(max_length=8, choices=Outcome.choices, blank=True, default="")
    belief_after = models.PositiveSmallIntegerField(null=True, blank=True, validators=PERCENT)
    actual_anxiety = models.PositiveSmallIntegerField(null=True, blank=True, validators=PERCENT)
    learned = EncryptedTextField()

    BEFORE_TEXT = ("when_text", "fear")
    AFTER_TEXT = ("what_happened", "learned")

    class Meta:
        ordering = ["-created_at", "-pk"]

    def __str__(self) -> str:
        # Never the person's words: these strings can reach logs and the admin.
        return f"{type(self).__name__} {self.pk}"

    @property
    def is_done(self) -> bool:
        return self.done_at is not None

    @property
    def comfortable(self) -> bool:
        from nearer.practice.rules import is_comfortable

        return self.is_done and is_comfortable(self.outcome, self.expected_anxiety, self.actual_anxiety)


class MomentRecord(models.Model):
    """A present-or-past record, filled in one step at a time (``current_step`` is the next one)."""

    owner = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="moment_records")
    created_at = models.DateTimeField(default=timezone.now)
    kind = models.CharField(max_length=30, default="other")
    what_happened = EncryptedTextField()
    first_reading_id = models.CharField(max_length=30, blank=True, default="")
    first_reading_own = EncryptedTextField()
    feelings = models.JSONField(default=list, blank=True)  # [{"id": "hurt", "strength": 70}, ...]
    feelings_own = EncryptedTextField()
    intensity_before = models.PositiveSmallIntegerField(null=True, blank=True, validators=PERCENT)
    echo = EncryptedTextField()
    evidence_for = EncryptedTextField()
    evidence_against = EncryptedTextField()
    other_reading = EncryptedTextField()
    intensity_after = models.PositiveSmallIntegerField(null=True, blank=True, validators=PERCENT)
    next_step = EncryptedTextField()
    current_step = models.CharField(max_length=30, default="first_reading")
    completed_at = models.DateTimeField(null=True, blank=True)

    TEXT_FIELDS = ("what_happened", "first_reading_own", "feelings_own", "echo", "evidence_for",
                   "evidence_against", "other_reading", "next_step")

    class Meta:
        ordering = ["-created_at", "-pk"]

    def __str__(self) -> str:
        # Never the person's words: these strings can reach logs and the admin.
        return f"{type(self).__name__} {self.pk}"

    def first_reading(self, lang: str | None = None) -> str:
        if self.first_reading_own:
            return self.first_reading_own
        if self.first_reading_id:
            try:
                return bank.label("first_readings", self.first_reading_id, lang)
            except KeyError:
                return ""
        return ""

    def kind_label(self, lang: str | None = None) -> str:
        try:
            return bank.label("moment_kinds", self.kind, lang)
        except KeyError:
            return self.kind

    @property
    def drop(self) -> int | None:
        if self.intensity_before is None or self.intensity_after is None:
            return None
        return self.intensity_before - self.intensity_after


class SuggestionKind(models.TextChoices):
    LADDER_STEP = "ladder_step", _("A ladder step")
    PRESENT_OR_PAST = "present_or_past", _("A present-or-past exercise")


class SuggestionState(models.TextChoices):
    PENDING = "pending", _("Waiting for an answer")
    ACCEPTED = "accepted", _("Accepted")
    EDITED = "edited", _("Accepted with changes")
    DECLINED = "declined", _("Declined")


class TherapistSuggestion(models.Model):
    """Something a therapist suggests; the client accepts, edits or declines it."""

    client = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="practice_suggestions")
    therapist = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    kind = models.CharField(max_length=20, choices=SuggestionKind.choices)
    suggestion_id = models.CharField(max_length=60, blank=True, default="")
    PLAIN_TEXT_FIELDS = {"suggestion_id": "an id from suggestions/ladder_steps.yaml, never the person's words"}
    text = EncryptedTextField()
    difficulty = models.PositiveSmallIntegerField(null=True, blank=True, validators=PERCENT)
    note = EncryptedTextField()
    state = models.CharField(max_length=10, choices=SuggestionState.choices, default=SuggestionState.PENDING)
    created_at = models.DateTimeField(default=timezone.now)
    responded_at = models.DateTimeField(null=True, blank=True)
    step = models.ForeignKey(LadderStep, null=True, blank=True, on_delete=models.SET_NULL, related_name="+")

    class Meta:
        ordering = ["-created_at", "-pk"]

    def __str__(self) -> str:
        # Never the person's words: these strings can reach logs and the admin.
        return f"{type(self).__name__} {self.pk}"

    def label(self, lang: str | None = None) -> str:
        return step_label(self.text, self.suggestion_id, lang)
