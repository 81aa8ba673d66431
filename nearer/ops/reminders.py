"""Reminders at each person's chosen local time: once per person, kind and local day.

``send_due_reminders(now)`` is run every minute (Celery beat in production, the embedded scheduler
otherwise). A reminder fires when the person's local clock has passed their chosen time (up to
``GRACE`` later, so a server that was down for a while still sends it) and the reason for it holds
(no check-in yet today; a questionnaire open; an experiment planned for today; a couple talk agreed
for today). The ``ReminderSent`` ledger's unique constraint makes a second run, or a second worker,
send nothing more that day.

Reminders say only that it is time and link to the page: never a score, a note or a name.
"""

from __future__ import annotations

import datetime as dt
import logging
import zoneinfo
from collections.abc import Callable
from typing import Any

from django.conf import settings
from django.core.mail import send_mail
from django.db import IntegrityError, transaction
from django.db.models import Q
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from nearer.diary.models import CheckIn
from nearer.measures.models import DueMeasure, DueState
from nearer.ops.models import ReminderKind, ReminderPreference, ReminderSent
from nearer.ops.push import send_push
from nearer.practice.models import Experiment
from nearer.safety.crisis import plain_lines
from nearer.together.models import Couple

log = logging.getLogger(__name__)
GRACE = dt.timedelta(hours=3)

PATHS = {
    ReminderKind.CHECKIN: "/diary/",
    ReminderKind.MEASURES: "/measures/",
    ReminderKind.EXPERIMENT: "/practice/",
    ReminderKind.COUPLE_TALK: "/together/",
}


def _zone(person: Any) -> dt.tzinfo:
    try:
        return zoneinfo.ZoneInfo(person.timezone or settings.NEARER_DEFAULT_TIMEZONE)
    except (zoneinfo.ZoneInfoNotFoundError, ValueError):
        return zoneinfo.ZoneInfo("UTC")


def local_now(person: Any, now: dt.datetime) -> dt.datetime:
    return now.astimezone(_zone(person))


def _local_day_bounds(person: Any, day: dt.date) -> tuple[dt.datetime, dt.datetime]:
    tz = _zone(person)
    start = dt.datetime.combine(day, dt.time(0, 0), tzinfo=tz)
    return start, start + dt.timedelta(days=1)


# --- Why a reminder is (still) worth sending today. ---


def _checkin_missing(person: Any, day: dt.date, now: dt.datetime) -> bool:
    return not CheckIn.objects.filter(person=person, local_date=day).exists()


def _measure_open(person: Any, day: dt.date, now: dt.datetime) -> bool:
    # Only from schedules the person accepted (a therapist's proposal makes nothing due until then).
    return DueMeasure.objects.filter(person=person, state=DueState.OPEN, due_at__lte=now, window_ends_at__gt=now,
                                     schedule__active=True, schedule__status="accepted").exists()


def _experiment_today(person: Any, day: dt.date, now: dt.datetime) -> bool:
    start, end = _local_day_bounds(person, day)
    return Experiment.objects.filter(owner=person, planned_for__gte=start, planned_for__lt=end, done_at__isnull=True).exists()


def _talk_today(person: Any, day: dt.date, now: dt.datetime) -> bool:
    couple = Couple.objects.filter(Q(a=person) | Q(b=person), ended_at__isnull=True).first()
    if couple is None:
        return False
    rhythm = couple.rhythms.filter(confirmed_at__isnull=False, withdrawn_at__isnull=True).order_by("-confirmed_at", "-pk").first()
    return rhythm is not None and day.weekday() in (rhythm.weekdays or [])


REASONS: dict[str, Callable[[Any, dt.date, dt.datetime], bool]] = {
    ReminderKind.CHECKIN: _checkin_missing,
    ReminderKind.MEASURES: _measure_open,
    ReminderKind.EXPERIMENT: _experiment_today,
    ReminderKind.COUPLE_TALK: _talk_today,
}


def message(kind: str) -> tuple[str, str]:
    """(subject, one line) for a reminder kind, in the active language. Nothing personal."""
    texts = {
        ReminderKind.CHECKIN: (_("Time for your check-in"), _("A minute to note how today went, whenever suits you.")),
        ReminderKind.MEASURES: (_("A questionnaire is ready"), _("One of your questionnaires is open to fill in.")),
        ReminderKind.EXPERIMENT: (_("Your experiment is today"), _("You planned an experiment for today. Good luck.")),
        ReminderKind.COUPLE_TALK: (_("Your talk together is today"), _("Today is one of the evenings you two chose to talk.")),
    }
    return texts[ReminderKind(kind)]


def deliver(pref: ReminderPreference) -> list[str]:
    person = pref.person
    path = PATHS[ReminderKind(pref.kind)]
    with translation.override(person.language or settings.LANGUAGE_CODE):
        subject, line = message(pref.kind)
        footer = _("You chose this reminder in Nearer. Change or stop it at %(url)s") % {
            "url": settings.SITE_URL.rstrip("/") + "/ops/reminders/"
        }
        footer += "\n\n" + plain_lines(person.language or settings.LANGUAGE_CODE)["one_line"]
    channels = []
    if pref.by_email and person.email:
        body = f"{line}\n\n{settings.SITE_URL.rstrip('/')}{path}\n\n{footer}\n"
        try:
            send_mail(subject, body, None, [person.email])
            channels.append("email")
        except Exception:  # noqa: BLE001 - a failing mail server must not stop other people's reminders
            log.warning("reminder email failed", extra={"kind": pref.kind})
    if pref.by_push and send_push(person, {"title": subject, "body": line, "url": path}):
        channels.append("push")
    return channels


def is_due(pref: ReminderPreference, now: dt.datetime) -> dt.date | None:
    """The person's local date when ``pref`` should fire at ``now``, else None."""
    here = local_now(pref.person, now)
    fire_at = dt.datetime.combine(here.date(), pref.local_time, tzinfo=here.tzinfo)
    if not (fire_at <= here < fire_at + GRACE):
        return None
    return here.date()


def send_due_reminders(now: dt.datetime | None = None) -> dict[str, int]:
    """Send every reminder due at ``now``. Safe to call as often as wanted, from several processes."""
    now = now or timezone.now()
    sent = skipped = 0
    prefs = ReminderPreference.objects.filter(enabled=True, person__is_active=True).select_related("person")
    for pref in prefs.iterator(chunk_size=500):
        day = is_due(pref, now)
        if day is None:
            continue
        if ReminderSent.objects.filter(person_id=pref.person_id, kind=pref.kind, local_date=day).exists():
            continue
        if not REASONS[pref.kind](pref.person, day, now):
            skipped += 1
            continue
        try:
            with transaction.atomic():
                mark = ReminderSent.objects.create(person_id=pref.person_id, kind=pref.kind, local_date=day, sent_at=now)
        except IntegrityError:
            continue  # another worker claimed it first
        mark.channels = ",".join(deliver(pref))
        ReminderSent.objects.filter(pk=mark.pk).update(channels=mark.channels)
        sent += 1
    return {"sent": sent, "skipped": skipped}
