"""The single risk path every app uses, and every state change of the safety app.

``raise_risk`` records a :class:`RiskEvent` and, for each active therapist link, creates or groups
an :class:`Alert` in the caller's transaction. ``check_text_and_respond`` screens free text first and
never raises: a failure inside screening is recorded (without the text) and crisis help is shown.
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
from nearer.safety.models import (
    LEVEL_RANK,
    Alert,
    AlertState,
    Choice,
    RiskEvent,
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


@dataclass(frozen=True)
class RiskOutcome:
    level: str  # "none" | "concern" | "urgent"
    show_card: bool  # True when level != "none" or screening failed
    screening_failed: bool
    event: RiskEvent | None
    alert: Alert | None

    @property
    def urgent(self) -> bool:
        return self.level == "urgent"


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

    return list(
        Link.objects.active()
        .filter(owner=person, kind=LinkKind.THERAPIST, viewer__role=Role.THERAPIST)
        .select_related("viewer")
        .order_by("pk")
    )


def _alert_for(person: User, therapist: User, source: str, level: str, now: datetime) -> tuple[Alert, bool]:
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
        )
        return alert, True
    open_alert.signal_count += 1
    open_alert.last_signal_at = now
    open_alert.last_source = source
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
    return open_alert, upgraded and level == "urgent"


def _queue_alert_email(alert: Alert) -> None:
    alert_id = alert.pk

    def send() -> None:
        send_alert_email(alert_id)

    transaction.on_commit(send)


def alert_url(alert: Alert | int) -> str:
    pk = alert if isinstance(alert, int) else alert.pk
    return settings.SITE_URL.rstrip("/") + reverse("safety:alert-detail", kwargs={"alert_id": pk})


def alert_email(alert: Alert) -> tuple[str, str]:
    """Subject and body for the therapist: that there is an alert, and a link. Nothing else."""
    lang = alert.therapist.language or settings.LANGUAGE_CODE
    with translation.override(lang):
        subject = _("Nearer: a safety alert is waiting for you")
        body = _(
            "There is a safety alert for one of your clients in Nearer.\n\n"
            "Sign in to see it:\n%(url)s\n\n"
            "This email does not contain any personal details. "
            "Nearer is not watched around the clock; please follow your clinic's usual procedures."
        ) % {"url": alert_url(alert)}
    return subject, body


def send_alert_email(alert_id: int) -> None:
    alert = Alert.objects.select_related("therapist").filter(pk=alert_id).first()
    if alert is None or not alert.therapist.email:
        return
    from nearer.accounts.models import Role

    if alert.therapist.role != Role.THERAPIST:  # defence in depth: alerts go to therapists only
        return
    subject, body = alert_email(alert)
    try:
        send_mail(subject, body, None, [alert.therapist.email])
    except Exception:  # noqa: BLE001 - an email failure must not undo the alert
        log.warning("safety alert email failed", extra={"alert_id": alert.pk})
        return
    Alert.objects.filter(pk=alert.pk).update(emailed_at=timezone.now())


@transaction.atomic
def raise_risk(person: User, source: str, level: str, *, reasons: Iterable[Any] = (), ref: Any = None,
               screening_failed: bool = False) -> RiskOutcome:
    """Record a risk signal and alert linked therapists. Never notifies the partner."""
    if level not in LEVELS:
        raise ValueError(f"Unknown risk level {level!r}")
    if level == "none" and not screening_failed:
        return NO_RISK
    now = timezone.now()
    ref_type, ref_id = _ref_parts(ref)
    first_alert: Alert | None = None
    if level != "none":
        for link in _therapist_links(person):
            alert, needs_email = _alert_for(person, link.viewer, source[:40], level, now)
            if needs_email:
                _queue_alert_email(alert)
            first_alert = first_alert or alert
    event = RiskEvent.objects.create(
        person=person,
        source=source[:40],
        level=level,
        rules=_rule_names(reasons),
        ref_type=ref_type,
        ref_id=ref_id,
        screening_failed=screening_failed,
        created_at=now,
        alert=first_alert,
    )
    log.info("risk signal recorded", extra={"source": source[:40], "level": level, "event_id": event.pk})
    return RiskOutcome(level=level, show_card=True, screening_failed=screening_failed, event=event, alert=first_alert)


def check_text_and_respond(person: User, source: str, text: str, *, ref: Any = None) -> RiskOutcome:
    """Screen ``text`` and respond. Never raises because of screening; never logs the text."""
    try:
        result = screen(text or "")
        level = result.level
        reasons = result.reasons
    except Exception as exc:  # noqa: BLE001 - screening must never lose the entry
        log.error("screening failed", extra={"source": source[:40], "error": type(exc).__name__})
        try:
            return raise_risk(person, source, "none", ref=ref, screening_failed=True)
        except Exception as exc2:  # noqa: BLE001
            log.error("screening failure not recorded", extra={"source": source[:40], "error": type(exc2).__name__})
            return RiskOutcome(level="none", show_card=True, screening_failed=True, event=None, alert=None)
    if level == "none":
        return NO_RISK
    return raise_risk(person, source, level, reasons=reasons, ref=ref)


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
        raise_risk(person, "safety.need_help", "urgent", ref=event)
    return event


def not_safe(person: User) -> RiskOutcome:
    return raise_risk(person, "safety.not_safe", "urgent")


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
            if result.level == "urgent":
                outcome = raise_risk(owner, "safety.plan", "urgent", reasons=result.reasons, ref=plan)
        except Exception as exc:  # noqa: BLE001
            log.error("screening failed", extra={"source": "safety.plan", "error": type(exc).__name__})
            outcome = raise_risk(owner, "safety.plan", "none", ref=plan, screening_failed=True)
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
            "Please follow your clinic's on-call steps. This email does not contain any personal details "
            "of the client."
        ) % {"minutes": escalation_minutes(), "ref": alert.pk, "therapist": alert.therapist.email}
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
