"""The single risk path every app uses, and every state change of the safety app.

``raise_risk`` (= ``signal_risk``) records a :class:`RiskEvent` and, for each therapist link, creates
or groups an :class:`Alert` in a savepoint of the caller's transaction; if that fails the caller's
entry stays, crisis help is still shown and a background retry is queued. ``check_text_and_respond``
screens free text first and never raises: a failure inside screening is recorded (without the text)
and crisis help is shown.
Nothing here ever addresses the partner.
"""

from __future__ import annotations

import json
import logging
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import TYPE_CHECKING, Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.mail import send_mail
from django.db import models, transaction
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from nearer.safety import screen
from nearer.safety.kinds import KIND_LABELS, kind_labels, order, signal_kinds
from nearer.safety.models import (
    LEVEL_RANK,
    Alert,
    AlertState,
    AsqScreen,
    Choice,
    PendingRiskCheck,
    RiskEvent,
    Route,
    SafetyPlan,
    SafetyPlanVersion,
)
from nearer.safety.plan_text import PLAN_PARTS

if TYPE_CHECKING:
    from nearer.accounts.models import User

log = logging.getLogger("nearer.safety")

GROUP_WINDOW = timedelta(hours=24)
LEVELS = ("none", "concern", "urgent")


def escalation_minutes() -> int:
    return int(getattr(settings, "NEARER_ALERT_ESCALATION_MINUTES", 60))


#: What the person is told about who was alerted (RiskOutcome.delivery, RiskEvent.delivery).
DELIVERY = (
    "therapist",       # at least one linked therapist who can open alerts was alerted
    "on_call",         # the linked therapist cannot open alerts; the clinic's on-call contact was told
    "nobody",          # a therapist is linked but neither they nor an on-call contact can receive it
    "no_therapist",    # no therapist is linked: nobody was alerted
    "pending",         # recording the signal failed; a background job keeps trying
    "",                # no signal (level none)
)


@dataclass(frozen=True)
class RiskOutcome:
    level: str  # "none" | "concern" | "urgent"
    show_card: bool  # True when level != "none" or screening failed
    screening_failed: bool
    event: RiskEvent | None
    alert: Alert | None
    delivery: str = ""
    failed: bool = False  # the risk event / alert could not be recorded; a retry is queued
    source: str = ""

    @property
    def urgent(self) -> bool:
        return self.level == "urgent"

    @property
    def therapist_alerted(self) -> bool:
        return self.delivery == "therapist"


NO_RISK = RiskOutcome(level="none", show_card=False, screening_failed=False, event=None, alert=None)


def _ref_parts(ref: Any) -> tuple[str, str]:
    if ref is None:
        return "", ""
    if isinstance(ref, models.Model):
        return ref._meta.label_lower, str(ref.pk or "")
    if isinstance(ref, tuple) and len(ref) == 2:
        return str(ref[0])[:80], str(ref[1])[:40]
    return "", ""


def _rule_names(reasons: Iterable[Any]) -> list[str]:
    """Keep only rule names (never the matched phrase)."""
    names: list[str] = []
    for r in reasons:
        name = getattr(r, "rule", r)
        if isinstance(name, str) and name not in names:
            names.append(name[:60])
    return names[:20]


def _therapist_links(person: User) -> list[Any]:
    from nearer.accounts.models import Link, LinkKind, Role

    # Not ``active()``: a deactivated therapist's clients still need their alerts routed to on-call.
    return list(
        Link.objects.filter(revoked_at__isnull=True)
        .filter(owner=person, kind=LinkKind.THERAPIST, viewer__role=Role.THERAPIST)
        .select_related("viewer", "viewer__clinic")
        .order_by("pk")
    )


def cannot_open_reason(therapist: User) -> str:
    """Why a therapist's account cannot open alerts ("" when it can)."""
    if not therapist.is_active:
        return "inactive"
    if not therapist.has_mfa():
        return "no_second_factor"
    return ""


def _alert_for(person: User, therapist: User, source: str, level: str, now: datetime, kinds: list[str],
               route: str, reason: str) -> tuple[Alert, bool]:
    """Create an alert or join the open one from the last 24 hours. Returns (alert, needs_email)."""
    open_alert = (
        Alert.objects.select_for_update()
        .filter(person=person, therapist=therapist, last_signal_at__gte=now - GROUP_WINDOW)
        .exclude(state=AlertState.RESOLVED)
        .order_by("-last_signal_at")
        .first()
    )
    if open_alert is None:
        alert = Alert.objects.create(
            person=person,
            therapist=therapist,
            level=level,
            first_source=source,
            last_source=source,
            created_at=now,
            last_signal_at=now,
            urgent_since=now if level == "urgent" else None,
            kinds=kinds,
            route=route,
            route_reason=reason,
        )
        return alert, True
    open_alert.signal_count += 1
    open_alert.last_signal_at = now
    open_alert.last_source = source
    open_alert.kinds = order([*open_alert.kinds, *kinds])
    rerouted = open_alert.route != route
    open_alert.route, open_alert.route_reason = route, reason
    upgraded = LEVEL_RANK[level] > LEVEL_RANK[open_alert.level]
    if upgraded:
        open_alert.level = level
        if level == "urgent":
            open_alert.urgent_since = now
            # An urgent signal reopens an acknowledged alert so that it is looked at again.
            if open_alert.state == AlertState.ACKNOWLEDGED:
                open_alert.state = AlertState.OPEN
                open_alert.acknowledged_at = None
                open_alert.acknowledged_by = None
    open_alert.save()
    return open_alert, (upgraded and level == "urgent") or rerouted


def _queue(fn: Any, *args: Any) -> None:
    transaction.on_commit(lambda: fn(*args))


def alert_url(alert: Alert | int) -> str:
    pk = alert if isinstance(alert, int) else alert.pk
    return settings.SITE_URL.rstrip("/") + reverse("safety:alert-detail", kwargs={"alert_id": pk})


def _kind_text(alert: Alert) -> str:
    from nearer.safety.queries import source_label

    kinds = ", ".join(str(k) for k in kind_labels(alert.kinds)) or str(KIND_LABELS["writing_concern"])
    return _("Kind of signal: %(kinds)s\nWhere it came from: %(source)s") % {
        "kinds": kinds, "source": source_label(alert.last_source)}


def alert_email(alert: Alert) -> tuple[str, str]:
    """Subject and body for the therapist: the kind of signal, where it came from, and a link. No words."""
    lang = alert.therapist.language or settings.LANGUAGE_CODE
    with translation.override(lang):
        subject = _("Nearer: a safety alert is waiting for you")
        body = _(
            "There is a safety alert for one of your clients in Nearer.\n\n"
            "%(kind)s\n\n"
            "Sign in to see it:\n%(url)s\n\n"
            "This email does not contain the client's name or anything they wrote. "
            "Nearer is not watched around the clock; please follow your clinic's usual procedures."
        ) % {"url": alert_url(alert), "kind": _kind_text(alert)}
    return subject, body


def send_alert_email(alert_id: int) -> None:
    alert = Alert.objects.select_related("therapist").filter(pk=alert_id).first()
    if alert is None or not alert.therapist.email:
        return
    from nearer.accounts.models import Role

    if alert.therapist.role != Role.THERAPIST:  # defence in depth: alerts go to therapists only
        return
    if alert.route != Route.THERAPIST:  # an account that cannot open alerts gets no alert email
        return
    subject, body = alert_email(alert)
    try:
        send_mail(subject, body, None, [alert.therapist.email])
    except Exception:  # noqa: BLE001 - an email failure must not undo the alert
        log.warning("safety alert email failed", extra={"alert_id": alert.pk})
        return
    Alert.objects.filter(pk=alert.pk).update(emailed_at=timezone.now())


REASON_TEXT = {
    "no_second_factor": _("the therapist has not set up a second sign-in step, so Nearer will not let them open alerts"),
    "inactive": _("the therapist's account is deactivated"),
}


def on_call_email(alert: Alert) -> tuple[str, str]:
    with translation.override(settings.LANGUAGE_CODE):
        subject = _("Nearer: a safety alert could not reach the therapist")
        body = _(
            "A safety alert in Nearer (reference %(ref)s, level: %(level)s) was meant for %(therapist)s, "
            "but it could not reach them: %(reason)s.\n\n"
            "%(kind)s\n\n"
            "Please follow your clinic's on-call steps: contact the therapist so they can sign in and open it. "
            "This email does not contain the client's name or anything they wrote."
        ) % {"ref": alert.pk, "level": alert.get_level_display(), "therapist": alert.therapist.email,
             "reason": REASON_TEXT.get(alert.route_reason, alert.route_reason), "kind": _kind_text(alert)}
    return subject, body


def admin_notice_email(therapist: User, reason: str) -> tuple[str, str]:
    with translation.override(settings.LANGUAGE_CODE):
        subject = _("Nearer: a therapist at your clinic cannot receive safety alerts")
        body = _(
            "%(therapist)s has clients linked in Nearer but cannot receive their safety alerts: %(reason)s.\n\n"
            "Until this is fixed, their alerts go to your clinic's on-call contact. "
            "You can see this on your clinic's therapists page:\n%(url)s\n\n"
            "This email does not contain any client's details."
        ) % {"therapist": therapist.email, "reason": REASON_TEXT.get(reason, reason),
             "url": settings.SITE_URL.rstrip("/") + reverse("clinic:admin-therapists")}
    return subject, body


def send_on_call_email(alert_id: int) -> None:
    alert = Alert.objects.select_related("therapist__clinic").filter(pk=alert_id).first()
    if alert is None or not alert.escalated_to:
        return
    subject, body = on_call_email(alert)
    try:
        send_mail(subject, body, None, [alert.escalated_to])
    except Exception:  # noqa: BLE001
        log.warning("on-call alert email failed", extra={"alert_id": alert.pk})


def notify_clinic_admins(therapist_id: int, reason: str) -> None:
    """Tell the therapist's clinic admins (at most once a day per therapist) that alerts cannot reach them."""
    from nearer.accounts.models import Role, User

    therapist = User.objects.select_related("clinic").filter(pk=therapist_id).first()
    if therapist is None or therapist.clinic_id is None:
        return
    since = timezone.now() - GROUP_WINDOW
    routed = Alert.objects.filter(therapist=therapist, route__in=[Route.ON_CALL, Route.NOBODY])
    if routed.filter(last_signal_at__gte=since).count() > 1:  # told already today
        return
    admins = list(User.objects.filter(clinic_id=therapist.clinic_id, role=Role.CLINIC_ADMIN, is_active=True)
                  .values_list("email", flat=True))
    if not admins:
        return
    subject, body = admin_notice_email(therapist, reason)
    try:
        send_mail(subject, body, None, admins)
    except Exception:  # noqa: BLE001
        log.warning("clinic admin notice email failed", extra={"therapist_id": therapist.pk})


def _deliver(person: User, source: str, level: str, now: datetime, kinds: list[str]) -> tuple[Alert | None, str]:
    """Create the alerts for a signal and say who was reached."""
    links = _therapist_links(person)
    if not links:
        return None, "no_therapist"
    first: Alert | None = None
    reached: set[str] = set()
    for link in links:
        therapist = link.viewer
        reason = cannot_open_reason(therapist)
        if not reason:
            alert, needs_email = _alert_for(person, therapist, source, level, now, kinds, Route.THERAPIST, "")
            if needs_email:
                _queue(send_alert_email, alert.pk)
            reached.add("therapist")
            first = alert if first is None or first.route != Route.THERAPIST else first
            continue
        clinic = therapist.clinic
        to = clinic.on_call_email if clinic else ""
        route = Route.ON_CALL if to else Route.NOBODY
        alert, needs_email = _alert_for(person, therapist, source, level, now, kinds, route, reason)
        if needs_email and to:
            Alert.objects.filter(pk=alert.pk).update(escalated_at=now, escalated_to=to)
            alert.escalated_at, alert.escalated_to = now, to
            _queue(send_on_call_email, alert.pk)
        if needs_email:
            _queue(notify_clinic_admins, therapist.pk, reason)
        if route == Route.NOBODY:
            log.warning("safety alert cannot reach anyone", extra={"alert_id": alert.pk, "reason": reason})
        reached.add(route)
        first = first or alert
    for delivery in ("therapist", "on_call", "nobody"):
        if delivery in reached:
            return first, delivery
    return first, "nobody"


@transaction.atomic
def record_risk(person: User, source: str, level: str, *, reasons: Iterable[Any] = (), ref: Any = None,
                screening_failed: bool = False) -> RiskOutcome:
    """Record a risk signal and alert linked therapists (or their clinic's on-call contact).

    The inner step: raises on database errors. Callers use :func:`raise_risk` / :func:`signal_risk`
    or :func:`check_text_and_respond`, which never do. Never notifies the partner.
    """
    if level not in LEVELS:
        raise ValueError(f"Unknown risk level {level!r}")
    if level == "none" and not screening_failed:
        return NO_RISK
    now = timezone.now()
    ref_type, ref_id = _ref_parts(ref)
    rules = _rule_names(reasons)
    first_alert: Alert | None = None
    delivery = ""
    if level != "none":
        kinds = signal_kinds(source, rules, screening_failed=screening_failed)
        first_alert, delivery = _deliver(person, source[:40], level, now, kinds)
    event = RiskEvent.objects.create(
        person=person,
        source=source[:40],
        level=level,
        rules=rules,
        ref_type=ref_type,
        ref_id=ref_id,
        screening_failed=screening_failed,
        created_at=now,
        alert=first_alert,
        delivery=delivery,
    )
    log.info("risk signal recorded", extra={"source": source[:40], "level": level, "event_id": event.pk})
    return RiskOutcome(level=level, show_card=True, screening_failed=screening_failed, event=event,
                       alert=first_alert, delivery=delivery, source=source[:40])


def _queue_retry(person: User, source: str, ref: Any, level: str, rules: list[str]) -> bool:
    ref_type, ref_id = _ref_parts(ref)
    try:
        with transaction.atomic():
            PendingRiskCheck.objects.create(person=person, source=source[:40], ref_type=ref_type, ref_id=ref_id,
                                            level=level, rules=rules)
        return True
    except Exception as exc:  # noqa: BLE001 - nothing here may lose the entry or hide help
        log.error("risk retry could not be queued", extra={"source": source[:40], "error": type(exc).__name__})
        return False


def signal_risk(person: User, source: str, level: str, *, reasons: Iterable[Any] = (), ref: Any = None,
                screening_failed: bool = False) -> RiskOutcome:
    """The safety-wrapped risk path: never raises, never loses the caller's entry, always shows help.

    The risk event and alerts are written in a savepoint. When that fails (a database refusing the
    insert, a bug), the savepoint is rolled back, the caller's entry stays, a retry is queued with no
    text (the reference and the source), and the outcome still says to show crisis help.
    """
    if level not in LEVELS:
        raise ValueError(f"Unknown risk level {level!r}")
    try:
        with transaction.atomic():
            outcome = record_risk(person, source, level, reasons=reasons, ref=ref, screening_failed=screening_failed)
    except Exception as exc:  # noqa: BLE001
        log.error("risk signal not recorded; retry queued",
                  extra={"source": source[:40], "level": level, "error": type(exc).__name__})
        _queue_retry(person, source, ref, "" if screening_failed else level, _rule_names(reasons))
        return RiskOutcome(level=level, show_card=True, screening_failed=screening_failed, event=None, alert=None,
                           delivery="pending", failed=True, source=source[:40])
    if screening_failed:
        _queue_retry(person, source, ref, "", [])  # screen the stored entry again later
    return outcome


#: The public name every app calls for non-text signals: the safety-wrapped path (never raises on a
#: database or screening failure; see :func:`signal_risk`).
raise_risk = signal_risk


def check_text_and_respond(person: User, source: str, text: str, *, ref: Any = None) -> RiskOutcome:
    """Screen ``text`` and respond. Never raises; never logs the text; never loses the caller's entry."""
    try:
        result = screen(text or "")
        level = result.level
        reasons = result.reasons
    except Exception as exc:  # noqa: BLE001 - screening must never lose the entry
        log.error("screening failed", extra={"source": source[:40], "error": type(exc).__name__})
        return signal_risk(person, source, "none", ref=ref, screening_failed=True)
    if level == "none":
        return NO_RISK
    return signal_risk(person, source, level, reasons=reasons, ref=ref)


# --- Background retry -----------------------------------------------------------------------------

RETRY_BACKOFF = (1, 2, 5, 10, 30, 60)  # minutes


def stored_text(ref_type: str, ref_id: str) -> str | None:
    """The encrypted text of a saved entry, read back for re-screening (None when it no longer exists)."""
    from django.apps import apps

    from nearer.privacy.fields import EncryptedTextField

    if not ref_type or not ref_id:
        return ""
    try:
        model = apps.get_model(ref_type)
    except (LookupError, ValueError):
        return ""
    obj = model._default_manager.filter(pk=ref_id).first()
    if obj is None:
        return None
    parts = [getattr(obj, f.attname) or "" for f in model._meta.concrete_fields if isinstance(f, EncryptedTextField)]
    return "\n".join(p for p in parts if isinstance(p, str) and p.strip())


def retry_pending_risk_checks(now: datetime | None = None, limit: int = 200) -> dict[str, int]:
    """Re-run risk signals that failed to record. Idempotent; returns counts only."""
    now = now or timezone.now()
    done = failed = 0
    due = list(PendingRiskCheck.objects.filter(done_at__isnull=True, next_attempt_at__lte=now)
               .select_related("person").order_by("created_at")[:limit])
    for p in due:
        try:
            level, rules = p.level, list(p.rules)
            if not level:
                text = stored_text(p.ref_type, p.ref_id)
                if text is None:  # the person deleted the entry: nothing left to check
                    level = "none"
                else:
                    result = screen(text)
                    level, rules = result.level, _rule_names(result.reasons)
                    if p.source == "safety.plan" and level != "urgent":
                        level = "none"  # the plan names warning signs by design (see save_plan)
            with transaction.atomic():
                if level != "none":
                    record_risk(p.person, p.source, level, reasons=rules,
                                ref=(p.ref_type, p.ref_id) if p.ref_type else None)
                PendingRiskCheck.objects.filter(pk=p.pk).update(done_at=now, attempts=p.attempts + 1, last_error="")
            done += 1
        except Exception as exc:  # noqa: BLE001 - keep trying the rest; this one is retried later
            wait = RETRY_BACKOFF[min(p.attempts, len(RETRY_BACKOFF) - 1)]
            PendingRiskCheck.objects.filter(pk=p.pk).update(
                attempts=p.attempts + 1, last_error=type(exc).__name__[:80],
                next_attempt_at=now + timedelta(minutes=wait))
            log.error("risk retry failed", extra={"pending_id": p.pk, "error": type(exc).__name__})
            failed += 1
    return {"retried": done, "still_failing": failed}


# --- Asking directly (ASQ) ------------------------------------------------------------------------

ASQ_SOURCE = "safety.asq"


@transaction.atomic
def submit_asq(person: User, answers: dict[str, Any], *, trigger: str = "self",
               language: str = "en") -> tuple[AsqScreen, RiskOutcome]:
    """Store one set of ASQ answers and, when positive, send it through the risk path.

    Raises ValidationError naming the question on a missing or unknown answer. The answers are saved
    first; the risk event and alerts go through :func:`signal_risk` (savepoint, never raises).
    """
    from nearer.safety import asq

    if person.is_therapist or person.is_clinic_admin:
        raise ValidationError({"q1": _("These questions are for the person themself.")})
    cleaned: dict[str, str] = {}
    for q in asq.QUESTION_IDS:
        value = str(answers.get(q) or "").strip().lower()
        if q == "q5" and not value:
            cleaned[q] = ""
            continue
        if value not in asq.ANSWERS:
            raise ValidationError({q: _("Choose yes, no, or prefer not to answer.")})
        cleaned[q] = value
    if "yes" in [cleaned[q] for q in asq.QUESTION_IDS[:4]] and not cleaned["q5"]:
        raise ValidationError({"q5": _("Please answer this one too, or choose “Prefer not to answer”.")})
    scored = asq.score(cleaned)
    screen_row = AsqScreen.objects.create(
        person=person, trigger=trigger if trigger in asq.TRIGGERS else "self", language=(language or "en")[:8],
        result=scored.result, declined_any=scored.declined_any, **cleaned)
    if scored.level == "none":
        return screen_row, NO_RISK
    outcome = signal_risk(person, ASQ_SOURCE, scored.level, reasons=(scored.reason,), ref=screen_row)
    if outcome.event is not None:
        AsqScreen.objects.filter(pk=screen_row.pk).update(risk_event=outcome.event)
    return screen_row, outcome


# --- Choices on the card -------------------------------------------------------------------------


@transaction.atomic
def record_choice(person: User, event: RiskEvent, choice: str) -> RiskEvent:
    if event.person_id != person.pk:
        raise ValidationError({"choice": _("This is not your card.")})
    if choice not in (Choice.SAFE, Choice.NEED_HELP):
        raise ValidationError({"choice": _("Choose one of the two answers.")})
    event.choice = choice
    event.choice_at = timezone.now()
    event.save(update_fields=["choice", "choice_at"])
    if choice == Choice.NEED_HELP:
        # Escalate every open alert of this person to urgent (therapists only).
        signal_risk(person, "safety.need_help", "urgent", ref=event)
    return event


def not_safe(person: User) -> RiskOutcome:
    return signal_risk(person, "safety.not_safe", "urgent")


# --- Safety plan ----------------------------------------------------------------------------------


def plan_snapshot(plan: SafetyPlan) -> str:
    return json.dumps({key: getattr(plan, key) for key in PLAN_PARTS}, ensure_ascii=False)


def _clean_part(value: Any, field: str) -> str:
    if isinstance(value, (list, tuple)):
        value = "\n".join(str(v) for v in value)
    if value is None:
        value = ""
    if not isinstance(value, str):
        raise ValidationError({field: _("Write text here.")})
    lines = [line.strip() for line in value.replace("\r\n", "\n").split("\n")]
    text = "\n".join(line for line in lines if line)
    if len(text) > 4000:
        raise ValidationError({field: _("This part is too long; keep it under 4000 characters.")})
    return text


@transaction.atomic
def save_plan(owner: User, editor: User, parts: dict[str, Any]) -> tuple[SafetyPlan, RiskOutcome]:
    """Save the plan and a new version. ``editor`` is the owner or a therapist with the scope.

    The plan names warning signs by design, so only *urgent* screening results in it raise a risk
    signal; concern-level words are expected there and are not treated as a new signal.
    """
    unknown = set(parts) - set(PLAN_PARTS)
    if unknown:
        raise ValidationError({sorted(unknown)[0]: _("Unknown part of the plan.")})
    cleaned = {key: _clean_part(parts.get(key, ""), key) for key in PLAN_PARTS if key in parts}
    now = timezone.now()
    plan, _created = SafetyPlan.objects.select_for_update().get_or_create(owner=owner)
    for key, value in cleaned.items():
        setattr(plan, key, value)
    plan.updated_at = now
    plan.updated_by = editor
    plan.save()
    last = plan.versions.order_by("-number").values_list("number", flat=True).first() or 0
    SafetyPlanVersion.objects.create(
        plan=plan,
        owner=owner,
        number=last + 1,
        content=plan_snapshot(plan),
        edited_by=editor,
        edited_by_role="person" if editor.pk == owner.pk else editor.role,
        created_at=now,
    )
    outcome = NO_RISK
    if editor.pk == owner.pk:
        try:
            result = screen(plan.all_text())
        except Exception as exc:  # noqa: BLE001
            log.error("screening failed", extra={"source": "safety.plan", "error": type(exc).__name__})
            outcome = signal_risk(owner, "safety.plan", "none", ref=plan, screening_failed=True)
        else:
            if result.level == "urgent":
                outcome = signal_risk(owner, "safety.plan", "urgent", reasons=result.reasons, ref=plan)
    return plan, outcome


def partner_of(person: User) -> User | None:
    from nearer.accounts.models import Link, LinkKind

    link = Link.objects.active().filter(owner=person, kind=LinkKind.PARTNER).select_related("viewer").first()
    return link.viewer if link else None


@transaction.atomic
def add_partner_to_plan(owner: User) -> SafetyPlan:
    """Add the linked partner's name to "people I can ask for help" (only on the person's tap)."""
    partner = partner_of(owner)
    if partner is None:
        raise ValidationError({"partner": _("There is no partner linked to your account.")})
    plan = SafetyPlan.objects.filter(owner=owner).first()
    current = plan.people_to_ask if plan else ""
    name = str(partner.name)
    if name in [line.strip() for line in current.splitlines()]:
        return plan  # type: ignore[return-value]
    new = (current + "\n" + name).strip()
    saved, _outcome = save_plan(owner, owner, {"people_to_ask": new})
    return saved


# --- Alerts ---------------------------------------------------------------------------------------


def _own_alert(therapist: User, alert: Alert) -> None:
    if alert.therapist_id != therapist.pk:
        raise ValidationError({"alert": _("This alert is not yours.")})


@transaction.atomic
def acknowledge_alert(therapist: User, alert: Alert) -> Alert:
    _own_alert(therapist, alert)
    if alert.state == AlertState.OPEN:
        alert.state = AlertState.ACKNOWLEDGED
        alert.acknowledged_at = timezone.now()
        alert.acknowledged_by = therapist
        alert.save(update_fields=["state", "acknowledged_at", "acknowledged_by"])
    return alert


@transaction.atomic
def resolve_alert(therapist: User, alert: Alert, note: str) -> Alert:
    _own_alert(therapist, alert)
    note = (note or "").strip()
    if not note:
        raise ValidationError({"note": _("Write a short note on what was done.")})
    if len(note) > 4000:
        raise ValidationError({"note": _("Keep the note under 4000 characters.")})
    now = timezone.now()
    if alert.acknowledged_at is None:
        alert.acknowledged_at = now
        alert.acknowledged_by = therapist
    alert.state = AlertState.RESOLVED
    alert.resolved_at = now
    alert.resolved_by = therapist
    alert.resolution_note = note
    alert.save()
    return alert


def escalation_email(alert: Alert) -> tuple[str, str]:
    with translation.override(settings.LANGUAGE_CODE):
        subject = _("Nearer: an urgent safety alert has not been acknowledged")
        body = _(
            "An urgent safety alert in Nearer has not been acknowledged by the therapist it went to "
            "for %(minutes)s minutes.\n\n"
            "Alert reference: %(ref)s\nTherapist: %(therapist)s\n\n"
            "%(kind)s\n\n"
            "Please follow your clinic's on-call steps. This email does not contain any personal details "
            "of the client."
        ) % {"minutes": escalation_minutes(), "ref": alert.pk, "therapist": alert.therapist.email,
             "kind": _kind_text(alert)}
    return subject, body


def escalate_overdue_alerts(now: datetime | None = None) -> list[Alert]:
    """Send urgent alerts not acknowledged in time to the clinic's on-call contact. Idempotent."""
    now = now or timezone.now()
    cutoff = now - timedelta(minutes=escalation_minutes())
    escalated: list[Alert] = []
    overdue = (
        Alert.objects.select_related("therapist__clinic")
        .filter(level="urgent", state=AlertState.OPEN, escalated_at__isnull=True, urgent_since__lte=cutoff)
        .order_by("urgent_since")
    )
    for alert in overdue:
        clinic = alert.therapist.clinic
        to = clinic.on_call_email if clinic else ""
        with transaction.atomic():
            updated = Alert.objects.filter(pk=alert.pk, escalated_at__isnull=True, state=AlertState.OPEN).update(
                escalated_at=now, escalated_to=to
            )
            if not updated:
                continue
        alert.escalated_at, alert.escalated_to = now, to
        if to:
            subject, body = escalation_email(alert)
            try:
                send_mail(subject, body, None, [to])
            except Exception:  # noqa: BLE001
                log.warning("escalation email failed", extra={"alert_id": alert.pk})
        else:
            log.warning("urgent alert overdue and no on-call contact", extra={"alert_id": alert.pk})
        escalated.append(alert)
    return escalated


# --- Caseload moves -------------------------------------------------------------------------------


def moved_alerts_email(therapist: User, count: int) -> tuple[str, str]:
    lang = therapist.language or settings.LANGUAGE_CODE
    with translation.override(lang):
        subject = _("Nearer: open safety alerts were moved to you")
        body = _(
            "A clinic admin moved a caseload to you in Nearer. It came with %(count)s open safety alert(s), "
            "which are now yours to look at.\n\n"
            "Sign in to see them:\n%(url)s\n\n"
            "This email does not contain any client's name or anything they wrote."
        ) % {"count": count, "url": settings.SITE_URL.rstrip("/") + reverse("safety:alert-list")}
    return subject, body


def send_moved_alerts_email(therapist_id: int, count: int) -> None:
    from nearer.accounts.models import User

    therapist = User.objects.filter(pk=therapist_id).first()
    if therapist is None or not therapist.email:
        return
    subject, body = moved_alerts_email(therapist, count)
    try:
        send_mail(subject, body, None, [therapist.email])
    except Exception:  # noqa: BLE001
        log.warning("moved alerts email failed", extra={"therapist_id": therapist.pk})


@transaction.atomic
def move_open_alerts(from_therapist: User, to_therapist: User, person_ids: Iterable[int]) -> int:
    """Give a moved caseload's open alerts to the receiving therapist and tell them (or the on-call contact).

    Called inside the caseload move's transaction; emails go after it commits.
    """
    alerts = list(Alert.objects.select_for_update().filter(therapist=from_therapist, person_id__in=list(person_ids))
                  .exclude(state=AlertState.RESOLVED))
    if not alerts:
        return 0
    reason = cannot_open_reason(to_therapist)
    clinic = to_therapist.clinic
    to = clinic.on_call_email if clinic and reason else ""
    route = Route.THERAPIST if not reason else (Route.ON_CALL if to else Route.NOBODY)
    now = timezone.now()
    for alert in alerts:
        alert.therapist = to_therapist
        alert.route, alert.route_reason = route, reason
        fields = ["therapist", "route", "route_reason"]
        if route == Route.ON_CALL:
            alert.escalated_at, alert.escalated_to = now, to
            fields += ["escalated_at", "escalated_to"]
        alert.save(update_fields=fields)
        if route == Route.ON_CALL:
            _queue(send_on_call_email, alert.pk)
    if route == Route.THERAPIST:
        _queue(send_moved_alerts_email, to_therapist.pk, len(alerts))
    else:
        _queue(notify_clinic_admins, to_therapist.pk, reason)
    log.info("open alerts moved", extra={"count": len(alerts), "route": route})
    return len(alerts)


# --- Who cannot receive alerts (for the clinic admin's pages) ------------------------------------


def therapists_who_cannot_receive_alerts(clinic: Any) -> list[dict[str, Any]]:
    """Therapists at ``clinic`` with linked clients whose accounts cannot open alerts (staff data only)."""
    from nearer.accounts.models import Link, Role, User

    if clinic is None:
        return []
    linked = set(Link.objects.filter(revoked_at__isnull=True, kind="therapist", viewer__clinic=clinic)
                 .values_list("viewer_id", flat=True))
    out = []
    for t in User.objects.filter(pk__in=linked, role=Role.THERAPIST).order_by("email"):
        reason = cannot_open_reason(t)
        if reason:
            out.append({"therapist": t, "email": t.email, "reason": reason, "reason_text": REASON_TEXT[reason]})
    return out
