"""State changes for the clinic: sessions, assignments, profiles, directory requests, caseload moves."""

from __future__ import annotations

import re
from datetime import date, timedelta
from typing import TYPE_CHECKING, Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from nearer.clinic.models import (
    FOCUS_AREAS,
    LANGUAGES,
    Assignment,
    AssignmentKind,
    AssignmentState,
    CaseloadMove,
    ClientNotice,
    ClientReference,
    Modality,
    RequestState,
    Session,
    SessionModality,
    SessionNote,
    TherapistProfile,
    TherapistRequest,
)
from nearer.clinic.queries import client_link
from nearer.measures.services import accept_suggested_schedule
from nearer.practice.services import suggest
from nearer.privacy import access
from nearer.privacy.scopes import default_scopes, validate_scopes
from nearer.safety.services import check_text_and_respond
from nearer.together.services import couple_for, set_depth

if TYPE_CHECKING:
    from nearer.accounts.models import Link, User
    from nearer.practice.models import TherapistSuggestion

MAX_MESSAGE = 2000
MAX_BIO = 3000


def _therapist_of(therapist: User, client: User) -> None:
    """A therapist may act for a client only through an active therapist link (and with MFA)."""
    client_link(therapist, client.pk)


MAX_SESSION_NOTE = 1000
REFERENCE_RE = re.compile(r"^[A-Za-z0-9][A-Za-z0-9._-]{0,31}$")


@transaction.atomic
def record_session(therapist: User, client: User, held_on: Any, *, duration_minutes: Any = None, modality: str = "",
                   note: str = "", measures_reviewed: Any = (), assignments_reviewed: Any = ()) -> Session:
    """Record a session: date, duration, how you met, what was reviewed, and a private note.

    The note is the therapist's alone (a separate, encrypted record the client's export leaves out).
    """
    _therapist_of(therapist, client)
    if not isinstance(held_on, date):
        raise ValidationError({"held_on": _("Enter a date.")})
    if held_on > timezone.localdate() + timedelta(days=1):
        raise ValidationError({"held_on": _("A session date can't be in the future.")})
    minutes = None
    if duration_minutes not in (None, ""):
        minutes = _int("duration_minutes", duration_minutes, 5, 600, _("Enter a duration from 5 to 600 minutes."))
    if modality and modality not in SessionModality.values:
        raise ValidationError({"modality": _("Choose how you met.")})
    note = (note or "").strip()
    if len(note) > MAX_SESSION_NOTE:
        raise ValidationError({"note": _("Keep the note under 1,000 characters.")})
    from nearer.measures.definitions import list_instruments

    known = {i.id for i in list_instruments()}
    measures = sorted({str(m) for m in measures_reviewed or ()})
    if any(m not in known for m in measures):
        raise ValidationError({"measures_reviewed": _("Choose questionnaires from the list.")})
    wanted = {int(a) for a in assignments_reviewed or ()}
    own = set(Assignment.objects.filter(therapist=therapist, client=client, pk__in=wanted).values_list("pk", flat=True))
    if wanted - own:
        raise ValidationError({"assignments_reviewed": _("Choose assignments from the list.")})
    session = Session.objects.create(therapist=therapist, client=client, held_on=held_on, duration_minutes=minutes,
                                     modality=modality or "", measures_reviewed=measures,
                                     assignments_reviewed=sorted(own))
    if note:
        SessionNote.objects.create(session=session, therapist=therapist, text=note)
    return session


@transaction.atomic
def set_client_reference(therapist: User, client: User, reference: str) -> ClientReference:
    """The clinic's own reference for a client (e.g. a record number), for the report's header and file name."""
    _therapist_of(therapist, client)
    ref = (reference or "").strip()
    if not REFERENCE_RE.match(ref):
        raise ValidationError({"reference": _("Use 1 to 32 letters, digits, dots, hyphens or underscores, starting with a letter or digit.")})
    obj, _created = ClientReference.objects.update_or_create(
        client=client, clinic=therapist.clinic, defaults={"reference": ref, "therapist": therapist,
                                                          "updated_at": timezone.now()})
    return obj


# ----------------------------------------------------------------------------- assignments


def _int(field: str, value: Any, low: int, high: int, message: str) -> int:
    try:
        number = int(value)
    except (TypeError, ValueError):
        raise ValidationError({field: message}) from None
    if not low <= number <= high:
        raise ValidationError({field: message})
    return number


@transaction.atomic
def assign(therapist: User, client: User, kind: str, params: dict[str, Any]) -> Assignment | TherapistSuggestion:
    """Suggest something to a client. Practice items go to the practice app's suggestion service."""
    _therapist_of(therapist, client)
    if kind not in AssignmentKind.values:
        raise ValidationError({"kind": _("Choose what you are assigning.")})
    if kind in (AssignmentKind.LADDER_STEP, AssignmentKind.PRESENT_PAST):
        if not access.can_read(therapist, client, "practice_summaries"):
            raise ValidationError({"kind": _("This client doesn't share practice with you, so practice can't be assigned.")})
        text = str(params.get("text", "")).strip()[:300]
        if kind == AssignmentKind.LADDER_STEP and not text and not params.get("suggestion_id"):
            raise ValidationError({"text": _("Describe the step, or choose one from the list.")})
        practice_kind = "ladder_step" if kind == AssignmentKind.LADDER_STEP else "present_or_past"
        return suggest(therapist, client, kind=practice_kind, suggestion_id=params.get("suggestion_id", ""),
                       text=text, difficulty=params.get("difficulty"), note=params.get("note", ""))
    if kind == AssignmentKind.MEASURE_CADENCE:
        iid = str(params.get("instrument_id", "")).strip().lower()
        if iid not in ("phq9", "gad7", "phq2", "auditc"):
            raise ValidationError({"instrument_id": _("Choose a questionnaire.")})
        days = _int("cadence_days", params.get("cadence_days"), 1, 90, _("Choose every 1 to 90 days."))
        return Assignment.objects.create(therapist=therapist, client=client, kind=kind,
                                         params={"instrument_id": iid, "cadence_days": days})
    depth = _int("depth", params.get("depth"), 1, 3, _("Choose a depth from 1 to 3."))
    return Assignment.objects.create(therapist=therapist, client=client, kind=kind, params={"depth": depth})


def _apply(assignment: Assignment) -> str:
    """Hand an accepted assignment to the app that owns it. Returns what was created (no personal data)."""
    client, p = assignment.client, assignment.params or {}
    if assignment.kind == AssignmentKind.MEASURE_CADENCE:
        # The client has just accepted it: in force now, and their schedule history shows both steps.
        sched = accept_suggested_schedule(
            client, p["instrument_id"], p["cadence_days"], suggested_by=assignment.therapist
        )
        return f"measures.schedule:{sched.pk}"
    if assignment.kind == AssignmentKind.CONVERSATION_DEPTH and couple_for(client) is not None:
        couple = set_depth(client, int(p["depth"]))
        return f"together.couple:{couple.pk}"
    return ""


@transaction.atomic
def respond_assignment(client: User, assignment: Assignment, accept: bool) -> Assignment:
    if assignment.client_id != client.pk:
        raise ValidationError({"assignment": _("This is not yours to answer.")})
    if assignment.state != AssignmentState.PENDING:
        raise ValidationError({"action": _("You have already answered this.")})
    assignment.state = AssignmentState.ACCEPTED if accept else AssignmentState.DECLINED
    assignment.responded_at = timezone.now()
    if accept:
        assignment.applied = _apply(assignment)
    assignment.save(update_fields=["state", "responded_at", "applied"])
    return assignment


# ----------------------------------------------------------------------------- profiles (clinic admin, therapist)


def _same_clinic(admin: User, therapist: User) -> None:
    if not admin.is_clinic_admin or admin.clinic_id is None or therapist.clinic_id != admin.clinic_id or not therapist.is_therapist:
        raise access.AccessDenied("not_your_clinic")


def profile_of(therapist: User) -> TherapistProfile:
    profile, _created = TherapistProfile.objects.get_or_create(user=therapist)
    return profile


@transaction.atomic
def set_licence(admin: User, therapist: User, *, licence_number: str, licence_state: str, verified: bool) -> TherapistProfile:
    _same_clinic(admin, therapist)
    state = (licence_state or "").strip().upper()
    if state and (len(state) != 2 or not state.isalpha()):
        raise ValidationError({"licence_state": _("Use the two-letter state code, like GA.")})
    number = (licence_number or "").strip()[:40]
    if verified and not (number and state):
        raise ValidationError({"verified": _("Record the licence number and state before marking a therapist verified.")})
    profile = profile_of(therapist)
    profile.licence_number, profile.licence_state = number, state
    if verified and not profile.verified:
        profile.verified_at, profile.verified_by = timezone.now(), admin
    if not verified:
        profile.verified_at, profile.verified_by = None, None
    profile.verified = verified
    profile.updated_at = timezone.now()
    profile.save()
    return profile


@transaction.atomic
def update_own_profile(therapist: User, *, focus_areas: list[str], languages: list[str], modality: str, city: str,
                       bio: str, accepting: bool) -> TherapistProfile:
    if not therapist.is_therapist:
        raise access.AccessDenied("not_a_therapist")
    if any(f not in dict(FOCUS_AREAS) for f in focus_areas):
        raise ValidationError({"focus_areas": _("Choose focus areas from the list.")})
    if any(lang not in dict(LANGUAGES) for lang in languages):
        raise ValidationError({"languages": _("Choose languages from the list.")})
    if modality not in Modality.values:
        raise ValidationError({"modality": _("Choose how you meet clients.")})
    if len(bio or "") > MAX_BIO:
        raise ValidationError({"bio": _("Keep this under 3000 characters.")})
    profile = profile_of(therapist)
    profile.focus_areas, profile.languages, profile.modality = sorted(set(focus_areas)), sorted(set(languages)), modality
    profile.city, profile.bio, profile.accepting = (city or "").strip()[:100], (bio or "").strip(), accepting
    profile.updated_at = timezone.now()
    profile.save()
    return profile


@transaction.atomic
def move_caseload(admin: User, from_therapist: User, to_therapist: User) -> CaseloadMove:
    """Move every client link to another therapist at the same clinic, keeping each client's scopes.

    The old link is ended and a new one made with the same scopes (both recorded in the client's
    sharing history); open alerts go to the new therapist; each client gets a notice.
    """
    from nearer.accounts.models import Link
    from nearer.privacy.models import ShareEvent
    from nearer.safety.services import move_open_alerts

    _same_clinic(admin, from_therapist)
    _same_clinic(admin, to_therapist)
    if from_therapist.pk == to_therapist.pk:
        raise ValidationError({"to_therapist": _("Choose a different therapist.")})
    if not to_therapist.is_active:
        raise ValidationError({"to_therapist": _("This therapist's account is deactivated.")})
    now = timezone.now()
    moved = 0
    moved_clients: list[int] = []
    links = list(Link.objects.select_for_update().filter(viewer=from_therapist, kind="therapist", revoked_at__isnull=True)
                 .select_related("owner"))
    for old in links:
        client = old.owner_id
        old.revoked_at = now
        old.save(update_fields=["revoked_at"])
        ShareEvent.objects.create(owner_id=client, link=old, action="revoked", scopes_before=list(old.scopes), scopes_after=[])
        if not Link.objects.active().filter(owner_id=client, viewer=to_therapist).exists():
            _link_client(old.owner, to_therapist, list(old.scopes))
        moved_clients.append(client)
        ClientNotice.objects.create(person_id=client, kind="moved", new_therapist=to_therapist)
        moved += 1
    # Open alerts follow the clients; the receiving therapist is emailed (or, when their account cannot
    # open alerts, the clinic's on-call contact and admins are told).
    move_open_alerts(from_therapist, to_therapist, moved_clients)
    assert admin.clinic is not None
    return CaseloadMove.objects.create(clinic=admin.clinic, from_therapist=from_therapist, to_therapist=to_therapist,
                                       moved_by=admin, client_count=moved)


@transaction.atomic
def dismiss_notice(person: User, notice_id: int) -> None:
    ClientNotice.objects.filter(pk=notice_id, person=person, seen_at__isnull=True).update(seen_at=timezone.now())


# ----------------------------------------------------------------------------- directory requests


@transaction.atomic
def create_request(person: User, therapist: User, message: str, scopes: list[str] | None) -> tuple[TherapistRequest, Any]:
    """A person asks a verified therapist to work with them. The message is screened for risk."""
    from nearer.accounts.models import Link

    if person.role != "person":
        raise ValidationError({"therapist": _("Only personal accounts can ask a therapist to work with them.")})
    profile = TherapistProfile.objects.filter(user=therapist, verified=True, user__is_active=True, user__role="therapist").first()
    if profile is None:
        raise ValidationError({"therapist": _("This therapist isn't taking requests through Nearer.")})
    if Link.objects.active().filter(owner=person, viewer=therapist).exists():
        raise ValidationError({"therapist": _("You already share with this therapist.")})
    if TherapistRequest.objects.filter(person=person, therapist=therapist, state=RequestState.PENDING).exists():
        raise ValidationError({"therapist": _("You already have a request waiting with this therapist.")})
    message = (message or "").strip()
    if len(message) > MAX_MESSAGE:
        raise ValidationError({"message": _("Keep the message under 2000 characters.")})
    try:
        chosen = validate_scopes("therapist", default_scopes("therapist") if scopes is None else list(scopes))
    except ValueError:
        raise ValidationError({"scopes": _("Choose what to share from the list.")}) from None
    req = TherapistRequest.objects.create(person=person, therapist=therapist, message=message, scopes=chosen)
    outcome = None
    if message:
        outcome = check_text_and_respond(person, "clinic.request", message, ref=req)
    return req, outcome


def _link_client(client: User, therapist: User, scopes: list[str]) -> Link:
    from nearer.accounts.services import InvitationError, link_client_to_therapist

    try:
        return link_client_to_therapist(client, therapist, scopes)
    except InvitationError as exc:
        raise ValidationError({"request": exc.message}) from None


@transaction.atomic
def respond_request(therapist: User, req: TherapistRequest, accept: bool) -> TherapistRequest:
    if req.therapist_id != therapist.pk:
        raise access.AccessDenied("no_link")
    if req.state != RequestState.PENDING:
        raise ValidationError({"action": _("This request has already been answered.")})
    req.state = RequestState.ACCEPTED if accept else RequestState.DECLINED
    req.responded_at = timezone.now()
    req.save(update_fields=["state", "responded_at"])
    if accept:
        _link_client(req.person, therapist, req.scopes)
    return req


@transaction.atomic
def withdraw_request(person: User, req: TherapistRequest) -> TherapistRequest:
    if req.person_id != person.pk:
        raise access.AccessDenied("no_link")
    if req.state == RequestState.PENDING:
        req.state = RequestState.WITHDRAWN
        req.responded_at = timezone.now()
        req.save(update_fields=["state", "responded_at"])
    return req
