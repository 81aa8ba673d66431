"""Page data for measures: series with charts and labels, a result, what is due, FHIR export.

``include_items`` decides whether item answers and flags (PHQ-9 item 9) are part of the data.
Only the person and a linked therapist ever get them; a partner never does.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import Any

from django.db import transaction
from django.utils import formats, timezone
from django.utils.safestring import SafeString
from django.utils.translation import gettext as _
from django.utils.translation import ngettext, pgettext

from nearer.measures import InstrumentError, charts, get_instrument, services, texts
from nearer.measures.models import (
    Administration,
    DueMeasure,
    DueState,
    Schedule,
    ScheduleAction,
    ScheduleEvent,
    ScheduleStatus,
    SetBy,
)

# Each language named in its own words, so anyone reading the table recognises it.
LANGUAGE_NAMES = {"en": "English", "es": "Español"}


def _day(dt: datetime) -> str:
    return formats.date_format(timezone.localtime(dt), "DATE_FORMAT")


@dataclass
class Series:
    instrument_id: str
    title: str
    version: str
    rows: list[dict[str, Any]]
    chart: SafeString | None
    summary: str
    latest: dict[str, Any] | None
    extra: dict[str, Any] = field(default_factory=dict)


def result_row(adm: Administration, *, include_items: bool = False) -> dict[str, Any]:
    row: dict[str, Any] = {
        "id": adm.pk,
        "instrument_id": adm.instrument_id,
        "instrument_version": adm.instrument_version,
        "language": adm.language,
        "language_name": LANGUAGE_NAMES.get(adm.language, adm.language),
        "completed_at": adm.completed_at,
        "day": _day(adm.completed_at),
        "total": adm.total,
        "total_display": adm.total_display,
        "band_key": adm.band_key,
        "band": texts.band_name(adm.instrument_id, adm.band_key, adm.band_label),
        "change_label": adm.change_label,
        "change": texts.change_name(adm.change_label) if adm.change_label else "",
        "rci": adm.rci,
        "change_label_previous": adm.change_label_previous,
        "recovered": adm.recovered,
        "response": adm.response,
        "remission": adm.remission,
        "source": adm.source,
    }
    if include_items:
        row["answers"] = adm.answers
        row["flags"] = adm.flags
    return row


def _point_title(row: dict[str, Any], title: str) -> str:
    parts = [f"{title} {row['day']}: {row['total_display']} ({row['band']})"]
    parts.append(row["change"] or _("first score (the baseline)"))
    if row["recovered"]:
        parts.append(_("recovered"))
    return ", ".join(parts)


def summary_sentence(title: str, rows: list[dict[str, Any]]) -> str:
    """One plain sentence about a series, without claiming any cause."""
    if not rows:
        return _("No %(title)s scores yet.") % {"title": title}
    first, last = rows[0], rows[-1]
    if len(rows) == 1:
        return _("You have one %(title)s score so far: %(total)s on %(day)s, in the %(band)s range.") % {
            "title": title, "total": first["total_display"], "day": first["day"], "band": first["band"].lower()}
    base = _("Your %(title)s scores went from %(first)s on %(first_day)s to %(last)s on %(last_day)s") % {
        "title": title, "first": first["total_display"], "first_day": first["day"],
        "last": last["total_display"], "last_day": last["day"]}
    if last["change_label"]:
        label = last["change"].lower()
        if last["recovered"]:
            return base + _("; compared with the first score, the latest is a %(label)s and out of the clinical range.") % {"label": label}
        return base + _("; compared with the first score, the latest shows %(label)s.") % {"label": label}
    return base + "."


def series_for(person: Any, *, include_items: bool = False, instrument_id: str | None = None) -> list[Series]:
    """Each instrument (and version) the person has answered, oldest score first, with its chart."""
    qs = Administration.objects.filter(person=person).order_by("instrument_id", "instrument_version", "completed_at", "pk")
    if instrument_id:
        qs = qs.filter(instrument_id=instrument_id)
    groups: dict[tuple[str, str], list[Administration]] = {}
    for adm in qs:
        groups.setdefault((adm.instrument_id, adm.instrument_version), []).append(adm)
    services.ensure_clinic_instruments()
    out = []
    for (iid, version), adms in groups.items():
        try:
            inst = get_instrument(iid)
        except InstrumentError:
            inst = None
        title = inst.title.split(" (")[0] if inst else iid
        if inst is not None and (inst.version or "") != version and version:
            title = f"{title} (v{version})"
        rows = [result_row(a, include_items=include_items) for a in adms]
        summary = summary_sentence(title, rows)
        chart = None
        if inst is not None and (inst.version or "") == version:
            points = [charts.Point(r["completed_at"], r["total"], r["change_label"], _point_title(r, title)) for r in rows]
            names = {b.key: texts.band_name(iid, b.key, b.label) for b in inst.bands}
            chart = charts.render(inst, points, title=summary, band_names=names)
        out.append(Series(iid, title, version, rows, chart, summary, rows[-1] if rows else None,
                          extra={"has_change": bool(inst and inst.change), "phq9": iid == "phq9"}))
    # Built-in instruments first, in a fixed order, then clinic ones.
    order = {"phq9": 0, "gad7": 1, "phq2": 2}
    out.sort(key=lambda s: (order.get(s.instrument_id, 9), s.instrument_id, s.version))
    return out


def result_page(adm: Administration, *, has_therapist: bool) -> dict[str, Any]:
    row = result_row(adm)
    try:
        inst = get_instrument(adm.instrument_id)
        title, copyright_line = inst.title, str(inst.questionnaire.get("copyright", ""))
    except InstrumentError:
        title, copyright_line = adm.instrument_id, ""
    baseline = (Administration.objects.filter(person_id=adm.person_id, instrument_id=adm.instrument_id,
                                              instrument_version=adm.instrument_version)
                .order_by("completed_at", "pk").first())
    return {
        "adm": adm,
        "row": row,
        "title": title,
        "copyright": copyright_line,
        "meaning": texts.meaning(adm.instrument_id, adm.band_key, adm.band_label),
        "next_step": texts.next_step(adm.instrument_id, adm.band_key, has_therapist),
        "offer_phq9": adm.instrument_id == "phq2" and bool(adm.flags.get("suggest_phq9")),
        "baseline": result_row(baseline) if baseline and baseline.pk != adm.pk else None,
        "too_soon": bool(baseline and baseline.pk != adm.pk
                         and services.too_soon(adm.instrument_id, baseline.completed_at, adm.completed_at)),
        "change_plain": texts.change_plain(row["change_label"]) if row["change_label"] else "",
        "change_explained": texts.CHANGE_EXPLAINED,
        "too_soon_plain": texts.TOO_SOON_PLAIN,
        "recovered_plain": texts.RECOVERED_PLAIN,
        "response_plain": texts.RESPONSE_PLAIN,
        "remission_plain": texts.REMISSION_PLAIN,
        "item9_positive": adm.item9_positive,
    }


def retake_note(person: Any, instrument_id: str) -> dict[str, Any]:
    """When the last answer to a two-week questionnaire is recent: its day and the day two weeks on."""
    recent = services.recent_answer(person, instrument_id)
    if recent is None:
        return {"recent": None}
    again = recent.completed_at + timedelta(days=services.min_days_apart(instrument_id))
    return {"recent": recent, "recent_day": _day(recent.completed_at), "again_day": _day(again)}


def has_therapist(person: Any) -> bool:
    from nearer.accounts.models import Link

    return Link.objects.active().filter(owner=person, kind="therapist").exists()


def due_for(person: Any, now: datetime | None = None) -> list[dict[str, Any]]:
    """Occurrences open right now (due, window not yet closed), soonest first."""
    now = now or timezone.now()
    # As services.refresh_person, in two queries: the schedules with their latest occurrence, then the
    # open occurrences; those whose window has closed are recorded as missed (written only when any).
    with transaction.atomic():
        services.ensure_person_occurrences(person, now)
        # Only from schedules the person accepted (a therapist's proposal makes nothing due until then).
        open_now = list(DueMeasure.objects.filter(person=person, state=DueState.OPEN, due_at__lte=now,
                                                  schedule__active=True, schedule__status=ScheduleStatus.ACCEPTED))
        closed = [occ.pk for occ in open_now if occ.window_ends_at <= now]
        if closed:
            DueMeasure.objects.filter(pk__in=closed, state=DueState.OPEN).update(state=DueState.MISSED, closed_at=now)
    out = []
    for occ in (o for o in open_now if o.window_ends_at > now):  # in due order (the model's ordering)
        try:
            title = get_instrument(occ.instrument_id).title.split(" (")[0]
        except InstrumentError:
            continue
        out.append({"id": occ.pk, "instrument_id": occ.instrument_id, "title": title,
                    "due_at": occ.due_at, "window_ends_at": occ.window_ends_at, "until": _day(occ.window_ends_at)})
    return out


def schedule_title(instrument_id: str) -> str:
    try:
        return get_instrument(instrument_id).title.split(" (")[0]
    except InstrumentError:
        return instrument_id


def how_often(cadence_days: int) -> str:
    """'every week', 'every 2 weeks', 'every 10 days' (in the active language)."""
    if cadence_days % 7 == 0:
        weeks = cadence_days // 7
        return ngettext("every week", "every %(n)d weeks", weeks) % {"n": weeks}
    return ngettext("every day", "every %(n)d days", cadence_days) % {"n": cadence_days}


def _who(actor: Any, role: str, *, for_person: bool) -> str:
    """The person reads "you" for themselves and their therapist's name; a therapist reads names."""
    if role == SetBy.PERSON:
        return _("You") if for_person else (actor.name if actor is not None else _("The client"))
    return actor.name if actor is not None else _("A former therapist")


def _action_label(action: str, *, by_you: bool) -> str:
    """The verb of a history line. Spanish conjugates it for "you" (Tú aceptaste) or a name (aceptó)."""
    if by_you:
        labels = {
            ScheduleAction.SET: pgettext("schedule history, by you", "set"),
            ScheduleAction.CHANGED: pgettext("schedule history, by you", "changed"),
            ScheduleAction.ACCEPTED: pgettext("schedule history, by you", "accepted"),
            ScheduleAction.DECLINED: pgettext("schedule history, by you", "declined"),
            ScheduleAction.STOPPED: pgettext("schedule history, by you", "stopped"),
        }
    else:
        labels = {
            ScheduleAction.SET: pgettext("schedule history, by someone", "set"),
            ScheduleAction.CHANGED: pgettext("schedule history, by someone", "changed"),
            ScheduleAction.PROPOSED: pgettext("schedule history, by someone", "proposed"),
            ScheduleAction.ACCEPTED: pgettext("schedule history, by someone", "accepted"),
            ScheduleAction.DECLINED: pgettext("schedule history, by someone", "declined"),
            ScheduleAction.STOPPED: pgettext("schedule history, by someone", "stopped"),
            ScheduleAction.WITHDRAWN: pgettext("schedule history, by someone", "withdrew"),
        }
    return labels.get(ScheduleAction(action), action)


def status_label(status: str) -> str:
    """Where a schedule stands, as a therapist reads it."""
    return {
        ScheduleStatus.PROPOSED: _("Proposed, waiting for the client"),
        ScheduleStatus.ACCEPTED: _("Accepted"),
        ScheduleStatus.DECLINED: _("Declined by the client"),
        ScheduleStatus.STOPPED: _("Stopped"),
        ScheduleStatus.WITHDRAWN: _("Withdrawn"),
        ScheduleStatus.REPLACED: _("Replaced"),
    }.get(ScheduleStatus(status), status)


def proposals_for(person: Any, *, linked_therapists: set[int] | None = None) -> list[dict[str, Any]]:
    """Schedules a therapist proposed that wait for the person's answer, oldest first.

    One query for the proposals and the schedules in force together, plus one for the person's
    therapists unless ``linked_therapists`` (their ids, when the page has read the links) is given.
    """
    from django.db.models import Q

    from nearer.accounts.models import Link

    rows = list(Schedule.objects.filter(person=person).filter(Q(status=ScheduleStatus.PROPOSED) | Q(active=True))
                .select_related("set_by").order_by("created_at", "pk"))
    proposals = [s for s in rows if s.status == ScheduleStatus.PROPOSED]
    if not proposals:
        return []
    if linked_therapists is None:
        linked_therapists = set(
            Link.objects.active().filter(owner=person, kind="therapist").values_list("viewer_id", flat=True)
        )
    current: dict[str, Schedule] = {}
    for c in rows:
        if c.active and c.status != ScheduleStatus.PROPOSED:
            current.setdefault(c.instrument_id, c)
    out = []
    for s in proposals:
        if s.set_by_id is None or s.set_by_id not in linked_therapists:
            continue  # its therapist has unlinked: nothing to answer any more (services.proposer_still_linked)
        now_in_force = current.get(s.instrument_id)
        out.append({"id": s.pk, "title": schedule_title(s.instrument_id), "how_often": how_often(s.cadence_days),
                    "cadence_days": s.cadence_days, "window_days": s.window_days,
                    "who": _who(s.set_by, s.set_by_role, for_person=True), "day": _day(s.created_at),
                    "current": how_often(now_in_force.cadence_days) if now_in_force is not None else ""})
    return out


def schedule_history(person: Any, *, for_person: bool = True, limit: int = 50) -> list[dict[str, Any]]:
    """Who changed which questionnaire schedule and when, newest first."""
    out = []
    for e in ScheduleEvent.objects.filter(person=person).select_related("actor").order_by("-at", "-pk")[:limit]:
        out.append({"id": e.pk, "at": e.at, "day": _day(e.at), "who": _who(e.actor, e.actor_role, for_person=for_person),
                    "by_you": for_person and e.actor_role == SetBy.PERSON, "action": e.action,
                    "action_label": _action_label(e.action, by_you=for_person and e.actor_role == SetBy.PERSON), "instrument_id": e.instrument_id,
                    "title": schedule_title(e.instrument_id), "how_often": how_often(e.cadence_days),
                    "cadence_days": e.cadence_days, "window_days": e.window_days, "actor_role": e.actor_role})
    return out


def stop_notices(person: Any) -> list[dict[str, Any]]:
    """Schedules a therapist stopped that the person has not yet acknowledged."""
    return [{"id": e.pk, "who": _who(e.actor, e.actor_role, for_person=True), "title": schedule_title(e.instrument_id),
             "how_often": how_often(e.cadence_days), "day": _day(e.at)}
            for e in ScheduleEvent.objects.filter(person=person, action=ScheduleAction.STOPPED, seen_at__isnull=True)
            .exclude(actor_role=SetBy.PERSON).select_related("actor").order_by("-at", "-pk")[:20]]


def schedule_rows(person: Any) -> list[Schedule]:
    """The schedules worth showing for each questionnaire: the one in force, the proposal waiting,
    and the latest declined, withdrawn or stopped one when it is newer than what is in force."""
    rows: list[Schedule] = []
    by_instrument: dict[str, list[Schedule]] = {}
    for s in (Schedule.objects.filter(person=person).exclude(status=ScheduleStatus.REPLACED)
              .select_related("set_by").order_by("instrument_id", "-updated_at", "-pk")):
        by_instrument.setdefault(s.instrument_id, []).append(s)
    for group in by_instrument.values():
        # The one in force first, then the proposal waiting.
        live = sorted((s for s in group if s.active or s.status == ScheduleStatus.PROPOSED), key=lambda s: not s.active)
        ended = [s for s in group if not s.active and s.status != ScheduleStatus.PROPOSED]
        rows.extend(live)
        if ended and (not live or ended[0].updated_at > max(s.updated_at for s in live)):
            rows.append(ended[0])
    return rows


def schedule_status_for(person: Any) -> list[dict[str, Any]]:
    """Each questionnaire's schedules with their status, for the person's therapist."""
    return [{"id": s.pk, "instrument_id": s.instrument_id, "title": schedule_title(s.instrument_id), "status": s.status,
             "status_label": status_label(s.status), "how_often": how_often(s.cadence_days),
             "cadence_days": s.cadence_days, "window_days": s.window_days, "day": _day(s.updated_at),
             "who": _who(s.set_by, s.set_by_role, for_person=False), "active": s.active,
             "can_stop": s.active, "can_withdraw": s.status == ScheduleStatus.PROPOSED}
            for s in schedule_rows(person)]


def schedules_for(person: Any) -> list[dict[str, Any]]:
    """The person's schedules in force (accepted)."""
    out = []
    for s in Schedule.objects.filter(person=person, active=True, status=ScheduleStatus.ACCEPTED).select_related("set_by"):
        title = schedule_title(s.instrument_id)
        recent = list(DueMeasure.objects.filter(schedule=s).exclude(state=DueState.OPEN).order_by("-due_at")[:6])
        out.append({"schedule": s, "title": title, "how_often": how_often(s.cadence_days),
                    "who": _who(s.set_by, s.set_by_role, for_person=True),
                    "missed": sum(1 for o in recent if o.state == DueState.MISSED),
                    "done": sum(1 for o in recent if o.state == DueState.COMPLETED)})
    return out


def fhir_bundle(person: Any) -> dict[str, Any]:
    """A FHIR R4 Bundle of all the person's results (QuestionnaireResponse + Observations each)."""
    from nearer.measures.fhir import Administration as FhirAdministration
    from nearer.measures.fhir import build_bundle

    services.ensure_clinic_instruments()
    adms = []
    for a in Administration.objects.filter(person=person).order_by("completed_at", "pk"):
        try:
            inst = get_instrument(a.instrument_id)
        except InstrumentError:
            continue
        if (inst.version or "") != a.instrument_version:
            continue  # an older version's answers cannot be coded against today's questionnaire
        adms.append(FhirAdministration(a.instrument_id, a.completed_at, a.answers, str(a.pk), a.language or "en"))
    return build_bundle(f"Patient/nearer-{person.pk}", adms)
