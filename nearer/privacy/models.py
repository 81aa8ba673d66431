from __future__ import annotations

from typing import Any

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class ReadOnlyRow(Exception):
    """Access-log rows are written once and never changed through the app."""


class AccessLog(models.Model):
    """One row per read of a person's data by someone else: who, whose, what, when, which link."""

    at = models.DateTimeField(default=timezone.now, db_index=True)
    viewer = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    viewer_role = models.CharField(max_length=20)
    owner = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="access_log")
    link = models.ForeignKey("accounts.Link", null=True, on_delete=models.SET_NULL, related_name="+")
    link_kind = models.CharField(max_length=20)
    scope = models.CharField(max_length=40)
    what = models.CharField(max_length=80, help_text=_("Which page or record was read, never its content."))
    via = models.CharField(max_length=10, default="web")

    class Meta:
        ordering = ["-at", "-id"]
        indexes = [models.Index(fields=["owner", "-at"])]

    def __str__(self) -> str:
        return f"read of {self.scope} at {self.at:%Y-%m-%d %H:%M}"

    def save(self, *args: Any, **kwargs: Any) -> None:
        if self.pk is not None and not kwargs.get("force_insert"):
            raise ReadOnlyRow("Access-log rows cannot be edited.")
        super().save(*args, **kwargs)

    def delete(self, *args: Any, **kwargs: Any) -> tuple[int, dict[str, int]]:
        raise ReadOnlyRow("Access-log rows cannot be deleted one by one; they go with the account.")


class ShareEvent(models.Model):
    """Every share, scope change and revocation a person makes, for their own record."""

    at = models.DateTimeField(default=timezone.now)
    owner = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="share_events")
    link = models.ForeignKey("accounts.Link", null=True, on_delete=models.SET_NULL, related_name="+")
    action = models.CharField(max_length=20)  # linked, scopes_changed, revoked
    scopes_before = models.JSONField(default=list)
    scopes_after = models.JSONField(default=list)

    class Meta:
        ordering = ["-at", "-id"]

    def __str__(self) -> str:
        return f"{self.action} at {self.at:%Y-%m-%d %H:%M}"
