"""Critical answers first: PHQ-9 item 9 (and any item a questionnaire definition marks critical)
with its value, date and what happened after (the alert, its acknowledgement and resolution,
the client's own answer on the crisis card, and the ASQ follow-up when the safety app records one).

Also the plain words for an alert's trigger kind (from the risk events' sources), kept here in
the clinic app: the safety app stores only sources and rule names.

These are reads for pages that have already authorised the ``measures`` scope (the caller logs
the read); alerts are the therapist's own records.
"""

from __future__ import annotations

import zoneinfo
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import datetime
from typing import TYPE_CHECKING, Any

from django.utils import formats
from django.utils.translation import gettext as _

if TYPE_CHECKING:
    from nearer.accounts.models import User

ADMIN_REF = "measures.administration"


@dataclass
class CriticalAnswer:
    instrument_id: str
    instrument_title: str
    item_number: int
    value: float | None
    answer: str
    positive: bool
    completed_at: datetime
    administration_id: int
    after: list[str] = field(default_factory=list)
    alert_id: int | None = None

    @property
    def label(self) -> str:
        return _("%(title)s item %(n)s") % {"title": self.instrument_title, "n": self.item_number}

    @property
    def value_display(self) -> str:
        if self.value is None:
            return "—"
        return str(int(self.value)) if float(self.value).is_integer() else f"{self.value:g}"


def critical_flags(instrument_id: str) -> list[tuple[Any, int, Any]]:
    """(flag, item number, item) for each critical item flag of an instrument (empty when unknown)."""
    from nearer.measures.definitions import InstrumentError, get_instrument

    try:
        inst = get_instrument(instrument_id)
    except InstrumentError:
        return []
    order = list(inst.scored_items) + [lid for lid in inst.items if lid not in inst.scored_items]
    out = []
    for flag in inst.flags:
        lid = flag.link_id
        if flag.kind == "item" and flag.critical and lid is not None and lid in inst.items:
            out.append((flag, order.index(lid) + 1, inst.items[lid]))
    return out


def critical_instrument_ids() -> list[str]:
    from nearer.measures.definitions import list_instruments

    return [i.id for i in list_instruments() if critical_flags(i.id)]


def short_title(instrument_id: str) -> str:
    from nearer.measures.definitions import InstrumentError, get_instrument

    try:
        return get_instrument(instrument_id).title.split(" (")[0]
    except InstrumentError:
        return instrument_id


def answers_of(adm: Any) -> list[CriticalAnswer]:
    """The critical answers of one administration (positive or not), from its encrypted flags."""
    specs = critical_flags(adm.instrument_id)
    if not specs:
        return []
    flags = adm.flags
    out = []
    for flag, number, item in specs:
        value = flags.get(f"{flag.name}_value")
        if value is None:  # not answered (or imported without items): nothing to show
            continue
        answer = ""
        if value is not None:
            for opt in item.options:
                if opt.weight is not None and abs(opt.weight - float(value)) < 1e-9:
                    answer = str(opt.display or "")
        out.append(CriticalAnswer(
            instrument_id=adm.instrument_id, instrument_title=short_title(adm.instrument_id), item_number=number,
            value=None if value is None else float(value), answer=answer,
            positive=bool(flags.get(f"{flag.name}_positive")), completed_at=adm.completed_at,
            administration_id=adm.pk))
    return out


def _when(dt: datetime, tz: str) -> str:
    """A moment in the reader's time zone, with the zone's abbreviation (e.g. "3 Dec 2026 14:05 EST")."""
    try:
        zone = zoneinfo.ZoneInfo(tz)
    except (zoneinfo.ZoneInfoNotFoundError, ValueError):
        zone = zoneinfo.ZoneInfo("UTC")
    local = dt.astimezone(zone)
    return f"{formats.date_format(local, 'DATETIME_FORMAT')} {local.tzname()}"


def choice_label(choice: str) -> str:
    return {"safe": _("the client chose “I'm safe for now”"),
            "need_help": _("the client chose “I need help now”")}.get(choice, "")


def asq_summary(event: Any) -> str:
    """The ASQ follow-up after a signal, when the safety app records one (issue 13); else ''."""
    asq = getattr(event, "asq", None) or getattr(event, "asq_result", None)
    if asq is None:
        return ""
    positive = getattr(asq, "positive", None)
    if positive is True:
        return _("ASQ follow-up: positive screen")
    if positive is False:
        return _("ASQ follow-up: negative screen")
    return _("ASQ follow-up answered")


def alert_after(alert: Any, tz: str) -> list[str]:
    out = [_("alert raised (%(level)s)") % {"level": _("urgent") if alert.level == "urgent" else _("concern")}]
    if alert.acknowledged_at:
        out.append(_("acknowledged %(when)s") % {"when": _when(alert.acknowledged_at, tz)})
    if alert.resolved_at:
        out.append(_("resolved %(when)s") % {"when": _when(alert.resolved_at, tz)})
    elif not alert.acknowledged_at:
        out.append(_("not yet acknowledged"))
    return out


def attach_followups(answers: Iterable[CriticalAnswer], therapist: User) -> None:
    """Fill ``after`` for positive answers: one query for their risk events (with alerts)."""
    from nearer.safety.models import Alert, RiskEvent

    positive = [a for a in answers if a.positive]
    if not positive:
        return
    ids = sorted({str(a.administration_id) for a in positive})
    events = list(RiskEvent.objects.filter(ref_type=ADMIN_REF, ref_id__in=ids).select_related("alert").order_by("pk"))
    by_ref: dict[str, Any] = {}
    for event in events:
        by_ref.setdefault(event.ref_id, event)
    # The event points at the first linked therapist's alert; with two therapists, this
    # therapist's own alert is the one open at the event's moment (one more query, only then).
    foreign = [ev for ev in by_ref.values() if ev.alert is not None and ev.alert.therapist_id != therapist.pk]
    own: list[Any] = []
    if foreign:
        own = list(Alert.objects.filter(therapist=therapist, person_id__in={ev.person_id for ev in foreign}))
    tz = therapist.timezone or "UTC"
    for a in positive:
        ev: Any = by_ref.get(str(a.administration_id))
        if ev is None:
            a.after = [_("no alert on record")]
            continue
        alert: Any = ev.alert
        if alert is not None and alert.therapist_id != therapist.pk:
            alert = next((x for x in own if x.person_id == ev.person_id
                          and x.created_at <= ev.created_at <= x.last_signal_at), None)
        if alert is not None:
            a.after = alert_after(alert, tz)
            a.alert_id = alert.pk
        else:
            a.after = [_("no alert on record")]
        if ev.choice:
            a.after.append(choice_label(ev.choice))
        asq = asq_summary(ev)
        if asq:
            a.after.append(asq)


def for_caseload(latest_adms: Iterable[Any], therapist: User) -> dict[int, list[CriticalAnswer]]:
    """Critical answers on each client's latest administration of each instrument (flags already loaded)."""
    out: dict[int, list[CriticalAnswer]] = defaultdict(list)
    for adm in latest_adms:
        out[adm.person_id].extend(answers_of(adm))
    attach_followups([a for answers in out.values() for a in answers], therapist)
    for answers in out.values():
        answers.sort(key=lambda a: (not a.positive, a.instrument_id))
    return out


def for_client(therapist: User, client: User, start: datetime | None, end: datetime | None) -> dict[str, Any]:
    """The client page's and report's first section: every positive critical answer in the period
    (newest first) with what happened after, and the latest answer to each critical item."""
    from nearer.measures.models import Administration

    ids = critical_instrument_ids()
    qs = Administration.objects.filter(person=client, instrument_id__in=ids).order_by("-completed_at", "-pk")
    if end is not None:
        qs = qs.filter(completed_at__lte=end)
    latest: dict[tuple[str, int], CriticalAnswer] = {}
    positives: list[CriticalAnswer] = []
    for adm in qs.only("pk", "person_id", "instrument_id", "flags_json", "completed_at"):
        in_period = start is None or adm.completed_at >= start
        for ans in answers_of(adm):
            key = (ans.instrument_id, ans.item_number)
            if key not in latest and in_period:
                latest[key] = ans
            if ans.positive and in_period:
                positives.append(ans)
    attach_followups(positives, therapist)
    return {"positives": positives[:20], "latest": sorted(latest.values(), key=lambda a: a.instrument_id),
            "instruments": [short_title(i) for i in ids]}


# ----------------------------------------------------------------------------- alert trigger kinds


def trigger_labels() -> dict[str, str]:
    return {
        "measures.phq9_item9": _("PHQ-9 item 9 answer"),
        "measures": _("A questionnaire answer"),
        "diary": _("Words in a daily check-in"),
        "practice": _("Words in a practice entry"),
        "together": _("Words in a couple conversation note"),
        "learn": _("Words in a reflection"),
        "clinic": _("Words in a request to a therapist"),
        "safety.not_safe": _("Tapped “I'm not safe”"),
        "safety.need_help": _("Chose “I need help now”"),
        "safety.plan": _("Words in the safety plan"),
        "safety": _("A safety answer"),
    }


def trigger_label(source: str, labels: dict[str, str] | None = None) -> str:
    labels = labels or trigger_labels()
    return labels.get(source) or labels.get(source.split(".", 1)[0]) or _("Other signal")


def alerts_for_report(alerts: list[Any], therapist: User, *, measures_shared: bool = True) -> list[dict[str, Any]]:
    """Each alert with its trigger kinds, times in the therapist's zone and the resolution note.

    Without the ``measures`` scope a questionnaire trigger is named only as "a questionnaire
    answer" (which item it was is measures data).
    """
    from nearer.safety.models import RiskEvent

    sources: dict[int, list[str]] = defaultdict(list)
    for alert_id, source in (RiskEvent.objects.filter(alert__in=[a.pk for a in alerts]).order_by("created_at")
                             .values_list("alert_id", "source")):
        if source not in sources[alert_id]:
            sources[alert_id].append(source)
    labels = trigger_labels()
    if not measures_shared:
        labels.pop("measures.phq9_item9")
    tz = therapist.timezone or "UTC"
    out = []
    for a in alerts:
        kinds = sources.get(a.pk) or [a.first_source]
        out.append({
            "alert": a,
            "level": _("Urgent") if a.level == "urgent" else _("Concern"),
            "triggers": ", ".join(dict.fromkeys(trigger_label(s, labels) for s in kinds)),
            "raised": _when(a.created_at, tz),
            "last_signal": _when(a.last_signal_at, tz),
            "state": a.get_state_display(),
            "acknowledged": _when(a.acknowledged_at, tz) if a.acknowledged_at else "",
            "resolved": _when(a.resolved_at, tz) if a.resolved_at else "",
            "note": a.resolution_note or "",
        })
    return out
