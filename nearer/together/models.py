"""Couple conversations: the couple, their rhythm, each talk, and each partner's private rating.

A couple exists while two people hold active partner links both ways. When either unlinks, the
couple ends (``ended_at``), any talk still open closes, and nothing more is revealed.
"""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from nearer.privacy.fields import EncryptedTextField

User = settings.AUTH_USER_MODEL
RATING_VALIDATORS = [MinValueValidator(0), MaxValueValidator(10)]


class Couple(models.Model):
    """Two partners. ``a`` has the smaller id. Members are kept (set null) if one erases their account."""

    a = models.ForeignKey(User, null=True, on_delete=models.SET_NULL, related_name="+")
    b = models.ForeignKey(User, null=True, on_delete=models.SET_NULL, related_name="+")
    # The depth the couple chose (remembered for every talk), and the deepest one they have opened so far:
    # going back to lighter prompts never takes away a depth already opened.
    depth = models.PositiveSmallIntegerField(default=1, validators=[MinValueValidator(1), MaxValueValidator(3)])
    opened_depth = models.PositiveSmallIntegerField(default=1, validators=[MinValueValidator(1), MaxValueValidator(3)])
    started_at = models.DateTimeField(default=timezone.now)
    ended_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["a", "b"], condition=models.Q(ended_at__isnull=True), name="one_active_couple_per_pair")
        ]

    def __str__(self) -> str:
        return f"couple {self.pk}"

    def members(self) -> list[int]:
        return [pk for pk in (self.a_id, self.b_id) if pk is not None]

    def other(self, person: Any) -> Any:
        return self.b if getattr(person, "pk", None) == self.a_id else self.a

    def other_id(self, person_id: int) -> int | None:
        return self.b_id if person_id == self.a_id else self.a_id

    @property
    def is_active(self) -> bool:
        return self.ended_at is None


class Membership(models.Model):
    """One partner's own choices within the couple."""

    couple = models.ForeignKey(Couple, on_delete=models.CASCADE, related_name="memberships")
    person = models.ForeignKey(User, on_delete=models.CASCADE, related_name="together_memberships")
    mood_compare = models.BooleanField(
        default=False, help_text=_("Show how my mood went on days after a talk on our couple trend page.")
    )
    share_by_default = models.BooleanField(default=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["couple", "person"], name="one_membership_per_person")]

    def __str__(self) -> str:
        return f"membership {self.pk}"


WEEKDAYS = [
    (0, _("Monday")),
    (1, _("Tuesday")),
    (2, _("Wednesday")),
    (3, _("Thursday")),
    (4, _("Friday")),
    (5, _("Saturday")),
    (6, _("Sunday")),
]


class Rhythm(models.Model):
    """A proposed or agreed rhythm: which evenings and at what time. Either partner proposes; the other confirms."""

    couple = models.ForeignKey(Couple, on_delete=models.CASCADE, related_name="rhythms")
    proposed_by = models.ForeignKey(User, null=True, on_delete=models.SET_NULL, related_name="together_rhythms")
    weekdays = models.JSONField(default=list)
    at = models.TimeField()
    created_at = models.DateTimeField(default=timezone.now)
    confirmed_at = models.DateTimeField(null=True, blank=True)
    withdrawn_at = models.DateTimeField(null=True, blank=True)

    def __str__(self) -> str:
        return f"rhythm {self.pk}"

    def clean(self) -> None:
        days = self.weekdays
        if not isinstance(days, list) or not days or any(not isinstance(d, int) or not 0 <= d <= 6 for d in days):
            raise ValidationError({"weekdays": _("Choose at least one day of the week.")})
        self.weekdays = sorted(set(days))


class ConversationState(models.TextChoices):
    READINESS = "readiness", _("Checking you're both ready")
    TALKING = "talking", _("Talking")
    NOT_TONIGHT = "not_tonight", _("Not tonight")
    CLOSED = "closed", _("Closed when the link ended")


class Conversation(models.Model):
    couple = models.ForeignKey(Couple, on_delete=models.CASCADE, related_name="conversations")
    started_by = models.ForeignKey(User, null=True, on_delete=models.SET_NULL, related_name="+")
    prompt_id = models.CharField(max_length=40)
    depth = models.PositiveSmallIntegerField()
    state = models.CharField(max_length=20, choices=ConversationState.choices, default=ConversationState.READINESS)
    ready_a = models.BooleanField(null=True)
    ready_b = models.BooleanField(null=True)
    created_at = models.DateTimeField(default=timezone.now)
    talked_at = models.DateTimeField(null=True, blank=True)
    closed_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-pk"]

    def __str__(self) -> str:
        return f"conversation {self.pk}"

    def ready_of(self, person_id: int) -> bool | None:
        return self.ready_a if person_id == self.couple.a_id else self.ready_b


class Rating(models.Model):
    """How one partner felt about one talk. Private until both have rated and this partner shares."""

    conversation = models.ForeignKey(Conversation, on_delete=models.CASCADE, related_name="ratings")
    person = models.ForeignKey(User, on_delete=models.CASCADE, related_name="together_ratings")
    heard = models.PositiveSmallIntegerField(validators=RATING_VALIDATORS)
    accepted = models.PositiveSmallIntegerField(validators=RATING_VALIDATORS)
    close = models.PositiveSmallIntegerField(validators=RATING_VALIDATORS)
    defensive = models.PositiveSmallIntegerField(validators=RATING_VALIDATORS)
    note = EncryptedTextField(blank=True)
    share = models.BooleanField(default=True)
    note_shared = models.BooleanField(default=False)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["conversation", "person"], name="one_rating_per_person")]

    def __str__(self) -> str:
        return f"rating {self.pk}"

    def values(self) -> dict[str, int]:
        return {"heard": self.heard, "accepted": self.accepted, "close": self.close, "defensive": self.defensive}


class PromptMarkKind(models.TextChoices):
    SKIPPED = "skipped", _("Skipped")
    SAVED = "saved", _("Saved for later")


class PromptMark(models.Model):
    couple = models.ForeignKey(Couple, on_delete=models.CASCADE, related_name="marks")
    person = models.ForeignKey(User, on_delete=models.CASCADE, related_name="together_prompt_marks")
    prompt_id = models.CharField(max_length=40)
    kind = models.CharField(max_length=10, choices=PromptMarkKind.choices)
    created_at = models.DateTimeField(default=timezone.now)

    def __str__(self) -> str:
        return f"prompt mark {self.pk}"
