from __future__ import annotations

import hashlib
import secrets
from datetime import datetime, timedelta

from django.conf import settings
from django.contrib.auth.models import AbstractUser, BaseUserManager
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from nearer.privacy.fields import EncryptedTextField

INVITATION_DAYS = 7


def hash_token(token: str) -> str:
    return hashlib.sha256(token.encode("utf-8")).hexdigest()


class Role(models.TextChoices):
    PERSON = "person", _("Person")
    THERAPIST = "therapist", _("Therapist")
    CLINIC_ADMIN = "clinic_admin", _("Clinic admin")


class UserManager(BaseUserManager["User"]):
    use_in_migrations = True

    def _create(self, email: str, password: str | None, **extra: object) -> User:
        if not email:
            raise ValueError("An email address is required.")
        user = self.model(email=self.normalize_email(email).lower(), **extra)
        user.set_password(password)
        user.save(using=self._db)
        return user

    def create_user(self, email: str, password: str | None = None, **extra: object) -> User:
        extra.setdefault("is_staff", False)
        extra.setdefault("is_superuser", False)
        return self._create(email, password, **extra)

    def create_superuser(self, email: str, password: str | None = None, **extra: object) -> User:
        extra["is_staff"] = True
        extra["is_superuser"] = True
        extra.setdefault("role", Role.CLINIC_ADMIN)
        return self._create(email, password, **extra)


class Clinic(models.Model):
    name = models.CharField(max_length=200)
    city = models.CharField(max_length=100, blank=True)
    state = models.CharField(max_length=2, blank=True)
    on_call_email = models.EmailField(blank=True, help_text=_("Escalated safety alerts go here."))
    created_at = models.DateTimeField(default=timezone.now)

    def __str__(self) -> str:
        return self.name


class User(AbstractUser):
    username = None  # type: ignore[assignment]
    first_name = None  # type: ignore[assignment]
    last_name = None  # type: ignore[assignment]
    email = models.EmailField(_("email address"), unique=True)
    display_name = EncryptedTextField(_("name"), help_text=_("How Nearer greets you. Only people you link with see it."))
    role = models.CharField(max_length=20, choices=Role.choices, default=Role.PERSON)
    clinic = models.ForeignKey(Clinic, null=True, blank=True, on_delete=models.SET_NULL, related_name="staff")
    language = models.CharField(max_length=8, blank=True, default="")
    timezone = models.CharField(max_length=64, default=settings.NEARER_DEFAULT_TIMEZONE)
    # Set when a partner's account was closed while linked; the person sees a notice until they dismiss it.
    # Kept on the user row so showing it costs no query on any page.
    partner_closed_at = models.DateTimeField(null=True, blank=True)

    USERNAME_FIELD = "email"
    EMAIL_FIELD = "email"
    REQUIRED_FIELDS = []  # type: ignore[misc]

    objects = UserManager()  # type: ignore[misc,assignment]

    def __str__(self) -> str:
        return self.display_name or self.email.split("@")[0]

    @property
    def name(self) -> str:
        return self.display_name or _("Someone").__str__()

    @property
    def is_therapist(self) -> bool:
        return self.role == Role.THERAPIST

    @property
    def is_clinic_admin(self) -> bool:
        return self.role == Role.CLINIC_ADMIN

    @property
    def needs_mfa(self) -> bool:
        return self.role in (Role.THERAPIST, Role.CLINIC_ADMIN)

    def has_mfa(self) -> bool:
        """An authenticator exists and, for a user loaded from a browser session, this session passed it.

        ``session_mfa`` is set per request by ``SecondFactorSessionMiddleware``; a session opened by a
        password alone is False even when an authenticator exists (issue 16 item 8).
        """
        from allauth.mfa.models import Authenticator

        if getattr(self, "session_mfa", None) is False:
            return False
        return Authenticator.objects.filter(user=self, type=Authenticator.Type.TOTP).exists()


class LinkKind(models.TextChoices):
    PARTNER = "partner", _("Partner")
    THERAPIST = "therapist", _("Therapist")


class LinkQuerySet(models.QuerySet["Link"]):
    def active(self) -> LinkQuerySet:
        return self.filter(revoked_at__isnull=True, viewer__is_active=True)


class Link(models.Model):
    """One direction of sharing: ``owner`` lets ``viewer`` see the data named in ``scopes``."""

    owner = models.ForeignKey(User, on_delete=models.CASCADE, related_name="links_out")
    viewer = models.ForeignKey(User, on_delete=models.CASCADE, related_name="links_in")
    kind = models.CharField(max_length=20, choices=LinkKind.choices)
    scopes = models.JSONField(default=list)
    created_at = models.DateTimeField(default=timezone.now)
    revoked_at = models.DateTimeField(null=True, blank=True)
    alerts_acknowledged_at = models.DateTimeField(
        null=True, blank=True, help_text=_("When the person was told that risk alerts go to this therapist.")
    )

    objects = LinkQuerySet.as_manager()

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["owner", "viewer"], condition=models.Q(revoked_at__isnull=True), name="one_active_link_per_pair"
            )
        ]

    def __str__(self) -> str:
        return f"{self.kind} link {self.pk}"

    @property
    def is_active(self) -> bool:
        return self.revoked_at is None

    def has_scope(self, scope: str) -> bool:
        return self.is_active and scope in (self.scopes or [])


class InvitationKind(models.TextChoices):
    PARTNER = "partner", _("Partner")
    THERAPIST = "therapist", _("Therapist")
    CLIENT = "client", _("Client")
    CLINIC_THERAPIST = "clinic_therapist", _("Therapist joining a clinic")


class InvitationState(models.TextChoices):
    OPEN = "open", _("Waiting")
    USED = "used", _("Accepted")
    EXPIRED = "expired", _("Expired")
    REVOKED = "revoked", _("Withdrawn")


class Invitation(models.Model):
    kind = models.CharField(max_length=20, choices=InvitationKind.choices)
    inviter = models.ForeignKey(User, on_delete=models.CASCADE, related_name="invitations_sent")
    clinic = models.ForeignKey(Clinic, null=True, blank=True, on_delete=models.CASCADE)
    token_hash = models.CharField(max_length=64, unique=True)
    # The token itself, encrypted like free text, so the inviter can see and copy the link again while it
    # waits. Emptied when the invitation is used or withdrawn; never exported.
    token_sealed = EncryptedTextField()
    scopes = models.JSONField(default=list)
    created_at = models.DateTimeField(default=timezone.now)
    expires_at = models.DateTimeField()
    used_at = models.DateTimeField(null=True, blank=True)
    used_by = models.ForeignKey(User, null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    revoked_at = models.DateTimeField(null=True, blank=True)

    def __str__(self) -> str:
        return f"{self.kind} invitation {self.pk}"

    @staticmethod
    def new_token() -> str:
        return secrets.token_urlsafe(24)

    @classmethod
    def default_expiry(cls) -> datetime:
        return timezone.now() + timedelta(days=INVITATION_DAYS)

    @property
    def state(self) -> str:
        if self.revoked_at:
            return InvitationState.REVOKED
        if self.used_at:
            return InvitationState.USED
        if self.expires_at <= timezone.now():
            return InvitationState.EXPIRED
        return InvitationState.OPEN


TOKEN_DAYS_CHOICES = (30, 90, 365)
TOKEN_DEFAULT_DAYS = 90


def default_token_expiry() -> datetime:
    return timezone.now() + timedelta(days=TOKEN_DEFAULT_DAYS)


class ApiToken(models.Model):
    """A personal access token. Only a SHA-256 hash is stored; the token is shown once."""

    PREFIX = "nrr_"
    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="api_tokens")
    name = models.CharField(max_length=80)
    token_hash = models.CharField(max_length=64, unique=True)
    hint = models.CharField(max_length=12)
    created_at = models.DateTimeField(default=timezone.now)
    last_used_at = models.DateTimeField(null=True, blank=True)
    revoked_at = models.DateTimeField(null=True, blank=True)
    # Every token ends by itself (issue 16 item 11); the person picks how long, 90 days unless chosen.
    expires_at = models.DateTimeField(default=default_token_expiry)

    def __str__(self) -> str:
        return f"token ...{self.hint}"

    @property
    def is_usable(self) -> bool:
        return self.revoked_at is None and self.expires_at > timezone.now()
