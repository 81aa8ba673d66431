"""What the relationship-safety screen keeps, for the person alone.

``Screen`` holds one set of answers (encrypted). ``PrivateSettings`` holds the couple-features
pause and whether the relationship-safety part shows in the person's safety plan. Nothing here is
ever read for, shown to, or logged against the partner; the pause is shown to the partner only as
"<name> has paused couple features", which any person can choose for any reason.
"""

from __future__ import annotations

import json
from typing import Any

from django.conf import settings
from django.db import models
from django.utils import timezone

from nearer.privacy.fields import EncryptedTextField


class Screen(models.Model):
    person = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    created_at = models.DateTimeField(default=timezone.now)
    # The language the questions were shown in; "es" is Nearer's own rendering (see hark.py).
    language = models.CharField(max_length=8, default="en")
    # {"answers": {"afraid": "yes", ...}, "score": 1, "positive": true}: all of it encrypted.
    result_json = EncryptedTextField()

    class Meta:
        ordering = ["created_at", "pk"]

    def __str__(self) -> str:
        return f"{type(self).__name__} {self.pk}"

    @property
    def result(self) -> dict[str, Any]:
        data: dict[str, Any] = json.loads(self.result_json or "{}")
        return data

    @property
    def positive(self) -> bool:
        return bool(self.result.get("positive"))


class OfferState(models.TextChoices):
    PENDING = "pending"
    ANSWERED = "answered"
    DISMISSED = "dismissed"


class PrivateSettings(models.Model):
    person = models.OneToOneField(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    couple_paused = models.BooleanField(default=False)
    paused_at = models.DateTimeField(null=True, blank=True)
    in_plan = models.BooleanField(default=False)
    offer_state = models.CharField(max_length=12, choices=OfferState.choices, default=OfferState.PENDING)
    updated_at = models.DateTimeField(default=timezone.now)

    def __str__(self) -> str:
        return f"{type(self).__name__} {self.pk}"
