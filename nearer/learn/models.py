"""Private reflections on Learn pieces, and which pieces a person has read."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from nearer.privacy.fields import EncryptedTextField

REFLECTION_MAX_CHARS = 4000


class Reflection(models.Model):
    """What a person wrote after a piece. Private unless they share it with their therapist."""

    person = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="learn_reflections")
    slug = models.SlugField(max_length=80)
    language = models.CharField(max_length=8, default="en")
    text = EncryptedTextField(_("your reflection"))
    shared = models.BooleanField(
        _("share with my therapist"), default=False,
        help_text=_("Only a therapist you have turned on reflections for can see shared reflections."),
    )
    shared_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(default=timezone.now)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["-created_at", "-pk"]
        indexes = [models.Index(fields=["person", "slug"]), models.Index(fields=["person", "shared"])]

    def __str__(self) -> str:  # never the text
        return f"Reflection {self.pk} on {self.slug}"


class ReadMark(models.Model):
    """A person marked a piece as read (or reflected on it)."""

    person = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="learn_read_marks")
    slug = models.SlugField(max_length=80)
    read_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["-read_at"]
        constraints = [models.UniqueConstraint(fields=["person", "slug"], name="learn_readmark_once")]

    def __str__(self) -> str:
        return f"ReadMark {self.person_id} {self.slug}"
