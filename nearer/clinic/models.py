"""Clinic data: therapist profiles for the directory, sessions, assignments, requests, caseload moves.

A therapist's bio is professional, public-facing text the therapist writes for the directory. It is
still stored encrypted (like every free text in Nearer): nothing needs to search inside it, and a
copied database then holds no readable prose. A request message from a person is encrypted and
screened by the safety service.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from nearer.privacy.fields import EncryptedTextField

FOCUS_AREAS = [
    ("depression", _("Low mood and depression")),
    ("couples", _("Couples")),
    ("intimacy", _("Intimacy and closeness")),
]
LANGUAGES = [("en", _("English")), ("es", _("Spanish"))]


class Modality(models.TextChoices):
    IN_PERSON = "in_person", _("In person")
    ONLINE = "online", _("Online")
    BOTH = "both", _("In person and online")


class TherapistProfile(models.Model):

    user = models.OneToOneField(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="therapist_profile")
    licence_number = models.CharField(_("licence number"), max_length=40, blank=True, default="")
    licence_state = models.CharField(_("licence state"), max_length=2, blank=True, default="")
    verified = models.BooleanField(_("verified by the clinic"), default=False)
    verified_at = models.DateTimeField(null=True, blank=True)
    verified_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    focus_areas = models.JSONField(_("focus areas"), default=list, blank=True)
    languages = models.JSONField(_("languages"), default=list, blank=True)
    modality = models.CharField(_("how you meet clients"), max_length=12, choices=Modality.choices, default=Modality.BOTH)
    city = models.CharField(_("city"), max_length=100, blank=True, default="")
    bio = EncryptedTextField(_("about you"))
    accepting = models.BooleanField(_("accepting new clients"), default=True)
    updated_at = models.DateTimeField(default=timezone.now)

    def __str__(self) -> str:
        return f"therapistprofile {self.pk}"

    def focus_labels(self) -> list[object]:
        labels = dict(FOCUS_AREAS)
        return [labels[k] for k in self.focus_areas or [] if k in labels]

    def language_labels(self) -> list[object]:
        labels = dict(LANGUAGES)
        return [labels[k] for k in self.languages or [] if k in labels]

    @property
    def meets_in_person(self) -> bool:
        return self.modality in (Modality.IN_PERSON, Modality.BOTH)

    @property
    def meets_online(self) -> bool:
        return self.modality in (Modality.ONLINE, Modality.BOTH)


class SessionModality(models.TextChoices):
    IN_PERSON = "in_person", _("In person")
    VIDEO = "video", _("Video")
    PHONE = "phone", _("Phone")


class Session(models.Model):
    """A session the therapist recorded; the report can cover the time since the last one.

    What the therapist reviewed is kept as plain ids (instrument ids, assignment ids). The
    therapist's private note is a separate :class:`SessionNote`, so that the client's own data
    export (which includes this record) never carries it.
    """


    therapist = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    client = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="clinic_sessions")
    held_on = models.DateField(_("session date"))
    duration_minutes = models.PositiveSmallIntegerField(_("duration (minutes)"), null=True, blank=True)
    modality = models.CharField(_("how you met"), max_length=12, choices=SessionModality.choices, blank=True, default="")
    measures_reviewed = models.JSONField(default=list, blank=True)  # instrument ids, e.g. ["phq9", "auditc"]
    assignments_reviewed = models.JSONField(default=list, blank=True)  # clinic Assignment ids
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["-held_on", "-pk"]
        indexes = [models.Index(fields=["client", "therapist", "-held_on"])]

    def __str__(self) -> str:
        return f"session {self.pk}"


class SessionNote(models.Model):
    """The therapist's short private note on a session: encrypted, shown only to that therapist.

    Registered in the privacy registry under the therapist (it is their clinical note), so the
    client's and the partner's exports never include it; it is deleted with the session (and so
    with the client's account).
    """


    session = models.OneToOneField(Session, on_delete=models.CASCADE, related_name="private_note")
    therapist = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    text = EncryptedTextField(_("private note"))
    updated_at = models.DateTimeField(default=timezone.now)

    def __str__(self) -> str:
        return f"sessionnote {self.pk}"


class ClientReference(models.Model):
    """The reference a clinic files a client under (its own record number), set by the therapist.

    One per client and clinic (a therapist without a clinic keeps their own). It goes into the
    session report's header and file name, never into a URL.
    """


    client = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="clinic_references")
    clinic = models.ForeignKey("accounts.Clinic", null=True, blank=True, on_delete=models.CASCADE, related_name="+")
    therapist = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    reference = models.CharField(_("client reference"), max_length=32)
    updated_at = models.DateTimeField(default=timezone.now)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["client", "clinic"], name="clinic_one_reference_per_clinic")]

    def __str__(self) -> str:
        return f"clientreference {self.pk}"


class AssignmentKind(models.TextChoices):
    MEASURE_CADENCE = "measure_cadence", _("Questionnaire schedule")
    LADDER_STEP = "ladder_step", _("Ladder step")
    PRESENT_PAST = "present_past", _("Present-or-past exercise")
    CONVERSATION_DEPTH = "conversation_depth", _("Couple conversation depth")


class AssignmentState(models.TextChoices):
    PENDING = "pending", _("Waiting for the client")
    ACCEPTED = "accepted", _("Accepted")
    DECLINED = "declined", _("Declined")


class Assignment(models.Model):
    """Something a therapist suggested; the client accepts or declines it.

    On acceptance the clinic hands it to the owning app's service when that service exists
    (``applied`` records what it created); otherwise it stays here as the record.
    """


    therapist = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    client = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="clinic_assignments")
    kind = models.CharField(max_length=24, choices=AssignmentKind.choices)
    params = models.JSONField(default=dict, blank=True)
    state = models.CharField(max_length=10, choices=AssignmentState.choices, default=AssignmentState.PENDING)
    created_at = models.DateTimeField(default=timezone.now)
    responded_at = models.DateTimeField(null=True, blank=True)
    applied = models.CharField(max_length=80, blank=True, default="")

    class Meta:
        ordering = ["-created_at", "-pk"]

    def __str__(self) -> str:
        return f"assignment {self.pk}"


class RequestState(models.TextChoices):
    PENDING = "pending", _("Waiting for the therapist")
    ACCEPTED = "accepted", _("Accepted")
    DECLINED = "declined", _("Declined")
    WITHDRAWN = "withdrawn", _("Withdrawn")


class TherapistRequest(models.Model):
    """A person's request to work with a therapist from the directory."""


    person = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="therapist_requests")
    therapist = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="client_requests")
    message = EncryptedTextField(_("message (optional)"))
    scopes = models.JSONField(default=list)
    state = models.CharField(max_length=10, choices=RequestState.choices, default=RequestState.PENDING)
    created_at = models.DateTimeField(default=timezone.now)
    responded_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-pk"]

    def __str__(self) -> str:
        return f"therapistrequest {self.pk}"


class CaseloadMove(models.Model):
    """A clinic admin moved every client of one therapist to another (counts only)."""


    clinic = models.ForeignKey("accounts.Clinic", on_delete=models.CASCADE, related_name="+")
    from_therapist = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    to_therapist = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    moved_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    client_count = models.PositiveIntegerField(default=0)
    at = models.DateTimeField(default=timezone.now)

    def __str__(self) -> str:
        return f"caseloadmove {self.pk}"


class ClientNotice(models.Model):
    """A notice on a client's home page (e.g. "your therapist changed"), until they dismiss it."""


    person = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="clinic_notices")
    kind = models.CharField(max_length=20, default="moved")
    new_therapist = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    created_at = models.DateTimeField(default=timezone.now)
    seen_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return f"clientnotice {self.pk}"
