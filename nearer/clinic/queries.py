"""Reads for the clinic pages. Each returns plain data; numbers come from ``nearer/analysis``,
``nearer/measures`` and ``nearer/diary`` (the same charts and sentences the client sees).

The caseload reads three scopes (``checkins``, ``loop``, ``measures``) for every client with one
query per kind of data, whatever the caseload size, and logs the reads with
``access.read_many``. The client page and the report look the link up once (``access.grant``)
and log one access-log row per scope shown (``access.read_many``).
"""

from __future__ import annotations

import math
from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from statistics import median
from typing import TYPE_CHECKING, Any

from django.db.models import Count, F, Max, Q, Window
from django.db.models.functions import RowNumber
from django.urls import reverse
from django.utils import formats, timezone
from django.utils.html import format_html
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from nearer import home_cache
from nearer.clinic import critical
from nearer.clinic.models import Assignment, Session, TherapistProfile
from nearer.measures.queries import schedule_status_for
from nearer.practice.queries import practice_summary, suggestions_for
from nearer.privacy import access
from nearer.together.models import Conversation
from nearer.together.queries import couple_summary_for
from nearer.together.services import couple_for

if TYPE_CHECKING:
    from nearer.accounts.models import Link, User

CASELOAD_SCOPES = ("checkins", "loop", "measures")
STREAK_WINDOW_DAYS = 60
LOOP_WINDOW_DAYS = 28
CLIENT_PAGE_WEEKS = 12
REPORT_DEFAULT_DAYS = 14
DETERIORATION = "reliable_deterioration"
IMPROVEMENT = "reliable_improvement"


def initials(person: User) -> str:
    name = (person.display_name or "").strip()
    letters = [part[0].upper() for part in name.replace("-", " ").split() if part[:1].isalpha()]
    return ".".join(letters[:3]) + "." if letters else "—"


def local_today(person: User, now: datetime | None = None) -> date:
    from nearer.diary.models import local_today as diary_today

    return diary_today(person, now)


def streak_of(days: set[date], today: date) -> int:
    """Consecutive check-in days ending today (or yesterday, when today is not done yet)."""
    day = today if today in days else today - timedelta(days=1)
    n = 0
    while day in days:
        n += 1
        day -= timedelta(days=1)
    return n


def loop_direction(rows: list[tuple[date, int, int]], today: date) -> str:
    """Where mood and closeness went over the four weeks up to ``today``: ``down``, ``up``, ``mixed``,
    ``steady`` or ``not_enough``.

    ``rows`` are (day, mood, closeness); days outside the four weeks are ignored. The median of the
    last two weeks is compared with the median of the two weeks before (at least 5 answers in
    each; steady within half a point), the rule of ``analysis.trends.summarise_trend``, in plain
    Python: numpy's per-call overhead dominates at 28 points and the caseload does this for
    every client.
    """
    t = today.toordinal()
    early: tuple[list[float], list[float]] = ([], [])
    late: tuple[list[float], list[float]] = ([], [])
    for day, mood, close in rows:
        age = t - day.toordinal()
        if 0 <= age < 14:
            late[0].append(float(mood))
            late[1].append(float(close))
        elif 14 <= age < LOOP_WINDOW_DAYS:
            early[0].append(float(mood))
            early[1].append(float(close))
    if len(early[0]) < 5 or len(late[0]) < 5:
        return "not_enough"

    def direction(col: int) -> str:
        diff = median(late[col]) - median(early[col])
        if abs(diff) <= 0.5:
            return "steady"
        return "up" if diff > 0 else "down"

    mood_way, close_way = direction(0), direction(1)
    if mood_way == close_way:
        return mood_way
    if "steady" in (mood_way, close_way):
        return close_way if mood_way == "steady" else mood_way
    return "mixed"


LOOP_KEYS = ("down", "up", "mixed", "steady", "not_enough")


def loop_labels() -> dict[str, str]:
    """The caseload's loop words, translated once per page."""
    return {
        "down": _("Mood and closeness both lower lately"),
        "up": _("Mood and closeness both higher lately"),
        "mixed": _("Mood and closeness moving apart"),
        "steady": _("Steady"),
        "not_enough": _("Not enough check-ins yet"),
    }


def loop_label(key: str) -> str:
    return loop_labels().get(key, "")


@dataclass
class ClientRow:
    link: Link
    client: User
    allowed: dict[str, bool]
    alerts: list[Any] = field(default_factory=list)
    deteriorating: bool = False
    overdue: int = 0
    streak: int = 0
    last_checkin: date | None = None
    phq9: Any = None
    critical: list[Any] = field(default_factory=list)
    loop: str = "not_enough"
    last_activity: datetime | None = None
    shown: dict[str, Any] = field(default_factory=dict)  # pre-rendered words for the page

    @property
    def open_alert_level(self) -> int:
        return max((2 if a.level == "urgent" else 1 for a in self.alerts), default=0)

    @property
    def name(self) -> str:
        return str(self.client.name)

    @property
    def loop_label(self) -> str:
        return loop_label(self.loop)

    def priority(self) -> tuple[Any, ...]:
        last = self.last_activity.timestamp() if self.last_activity else 0.0
        return (-self.open_alert_level, not self.critical_positive, not self.deteriorating, not self.overdue, last)

    @property
    def critical_positive(self) -> bool:
        return any(c.positive for c in self.critical)


SORTS = {
    "priority": lambda r: r.priority(),
    "name": lambda r: r.name.lower(),
    "phq9": lambda r: -(r.phq9.total if r.phq9 is not None else -1),
    "activity": lambda r: -(r.last_activity.timestamp() if r.last_activity else 0.0),
    "streak": lambda r: -r.streak,
}
FILTERS = {
    "all": lambda r: True,
    "alerts": lambda r: bool(r.alerts),
    "critical": lambda r: r.critical_positive,
    "deteriorating": lambda r: r.deteriorating,
    "overdue": lambda r: r.overdue > 0,
}


def therapist_links(therapist: User) -> list[Link]:
    from nearer.accounts.models import Link, LinkKind

    return list(
        Link.objects.active().filter(viewer=therapist, kind=LinkKind.THERAPIST).select_related("owner")
        .only("id", "owner_id", "viewer_id", "kind", "scopes", "revoked_at",
              "owner__id", "owner__email", "owner__display_name", "owner__timezone", "owner__role")
        .order_by("pk")
    )


def recent_checkins(person_ids: list[int], since: date) -> dict[int, list[tuple[date, int, int]]]:
    """(day, mood, closeness) per person since ``since``, oldest first, in one query.

    The rows go straight through the database cursor: Django's per-value converters cost more
    than the query itself for the ~12,000 rows of a 200-client caseload. SQLite returns the day
    as ISO text, PostgreSQL as a date.
    """
    from django.db import connection

    from nearer.diary.models import CheckIn

    qs = (CheckIn.objects.filter(person_id__in=person_ids, local_date__gte=since)
          .order_by("person_id", "local_date").values_list("person_id", "local_date", "mood", "closeness"))
    sql, params = qs.query.sql_with_params()
    out: dict[int, list[tuple[date, int, int]]] = defaultdict(list)
    parse = date.fromisoformat
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        for pid, day, mood, close in cursor.fetchall():
            out[pid].append((day if isinstance(day, date) else parse(day), mood, close))
    return out


@dataclass(frozen=True)
class CheckinFacts:
    """What the caseload shows of one client's check-ins (only the parts their scopes allow are filled)."""

    streak: int = 0
    last_checkin: date | None = None
    loop: str = "not_enough"
    last_created: datetime | None = None


def checkin_facts(person_ids: list[int], shares: dict[int, tuple[bool, bool]], since: date,
                  todays: dict[int, date]) -> dict[int, CheckinFacts]:
    """Streak, last check-in day and time, and loop direction of each person, from the check-ins
    since ``since``; ``shares`` says per person whether they share check-ins and the loop.

    Three queries at most, whatever the number of people: check-ins of the window, the last
    check-in time, and the all-time last time only for people quiet for the whole window.
    """
    from nearer.diary.models import CheckIn

    per_person = recent_checkins(person_ids, since)
    with_checkins = [pid for pid in person_ids if shares[pid][0]]
    last_created: dict[int, datetime] = {}
    if with_checkins:
        last_created = dict(
            CheckIn.objects.filter(person_id__in=with_checkins, local_date__gte=since).values("person_id")
            .annotate(m=Max("created_at")).values_list("person_id", "m")
        )
        quiet = [pid for pid in with_checkins if pid not in last_created]
        if quiet:  # only people with no check-in in the window need the all-time look-up
            last_created.update(CheckIn.objects.filter(person_id__in=quiet).values("person_id")
                                .annotate(m=Max("created_at")).values_list("person_id", "m"))
    out = {}
    for pid in person_ids:
        entries = per_person.get(pid, [])
        checkins, loop = shares[pid]
        streak, last_day = (streak_of({e[0] for e in entries}, todays[pid]), entries[-1][0]) if checkins and entries \
            else (0, None)
        out[pid] = CheckinFacts(streak=streak, last_checkin=last_day,
                                loop=loop_direction(entries, todays[pid]) if loop else "not_enough",
                                last_created=last_created.get(pid) if checkins else None)
    return out


def caseload(therapist: User, *, sort: str = "priority", filter_key: str = "all", via: str = "web",
             now: datetime | None = None) -> dict[str, Any]:
    """Every client of ``therapist`` with the data their scopes allow; reads logged with ``access.read_many``.

    Queries: links, open alerts, the latest administration per instrument (window function),
    overdue questionnaires, check-in days of the last 60 days, mood and closeness of the last 28
    days, the last check-in time (60 days, plus all time only for clients quiet that long), and the
    access-log insert. None of them runs once per client.

    With a shared cache (:mod:`nearer.home_cache`) the check-in facts (:func:`checkin_facts`) are kept
    per client and local day, and computed afresh after any write that names the client; then the
    three check-in queries run only for the clients whose facts changed. Every read is logged
    either way: a fact from the cache is still a read of the client's data.
    """
    from nearer.measures.models import Administration, DueMeasure
    from nearer.safety.models import Alert, AlertState

    access.check_viewer(therapist)
    now = now or timezone.now()
    links = therapist_links(therapist)
    rows = [ClientRow(link=ln, client=ln.owner, allowed={s: ln.has_scope(s) for s in CASELOAD_SCOPES}) for ln in links]
    by_id = {r.client.pk: r for r in rows}
    ids = {s: [r.client.pk for r in rows if r.allowed[s]] for s in CASELOAD_SCOPES}

    if rows:
        # Alerts are the therapist's own records (safety sends them whatever the scopes).
        for alert in (Alert.objects.filter(therapist=therapist, person_id__in=list(by_id))
                      .exclude(state=AlertState.RESOLVED).only("pk", "person_id", "level", "state", "last_signal_at")):
            by_id[alert.person_id].alerts.append(alert)
    if ids["measures"]:
        latest = list(
            Administration.objects.filter(person_id__in=ids["measures"])
            .annotate(rn=Window(RowNumber(), partition_by=[F("person_id"), F("instrument_id")],
                                order_by=[F("completed_at").desc(), F("pk").desc()]))
            .filter(rn=1)
            .only("person_id", "instrument_id", "total", "band_key", "band_label", "change_label", "completed_at",
                  "flags_json")
        )
        crit_ids = set(critical.critical_instrument_ids())
        # Critical answers (PHQ-9 item 9...) of each latest administration; one more query, for
        # the alerts after positive answers, whatever the caseload size.
        for pid, answers in critical.for_caseload([a for a in latest if a.instrument_id in crit_ids], therapist).items():
            by_id[pid].critical = answers
        for adm in latest:
            row = by_id[adm.person_id]
            if adm.change_label == DETERIORATION:
                row.deteriorating = True
            if adm.instrument_id == "phq9":
                row.phq9 = adm
            if row.last_activity is None or adm.completed_at > row.last_activity:
                row.last_activity = adm.completed_at
        overdue = (
            DueMeasure.objects.filter(person_id__in=ids["measures"])
            .filter(Q(state="open", due_at__lte=now) | Q(state="missed", due_at__gte=now - timedelta(days=28)))
            .values("person_id").annotate(n=Count("pk"))
        )
        for item in overdue:
            by_id[item["person_id"]].overdue = item["n"]
    need_days = sorted(set(ids["checkins"]) | set(ids["loop"]))
    if need_days:
        since = now.date() - timedelta(days=STREAK_WINDOW_DAYS)
        todays = {pid: local_today(by_id[pid].client, now) for pid in need_days}
        shares = {pid: (by_id[pid].allowed["checkins"], by_id[pid].allowed["loop"]) for pid in need_days}
        keys = {pid: f"caseload.v1:{int(shares[pid][0])}{int(shares[pid][1])}:{since}:{todays[pid]}" for pid in need_days}
        facts = home_cache.cached_many(keys, lambda pids: checkin_facts(pids, shares, since, todays))
        for pid in need_days:
            row, f = by_id[pid], facts[pid]
            if row.allowed["checkins"]:
                row.streak, row.last_checkin = f.streak, f.last_checkin
                if f.last_created is not None and (row.last_activity is None or f.last_created > row.last_activity):
                    row.last_activity = f.last_created
            if row.allowed["loop"]:
                row.loop = f.loop
    access.read_many(therapist, [(r.link, s) for r in rows for s in CASELOAD_SCOPES if r.allowed[s]], "clinic:caseload",
                     via=via)

    sort = sort if sort in SORTS else "priority"
    filter_key = filter_key if filter_key in FILTERS else "all"
    shown = sorted((r for r in rows if FILTERS[filter_key](r)), key=SORTS[sort])
    return {"rows": shown, "total": len(rows), "sort": sort, "filter": filter_key}


def caseload_words(rows: list[ClientRow]) -> None:
    """Fill ``row.shown`` with the page's words, translating each fixed phrase once per page.

    The page lists up to a few hundred clients; doing this in the template cost a translation
    lookup, a URL reversal and several filters per row. ``row["html"]`` is the row's ``<tr>``
    (see :func:`row_html`).
    """
    from nearer.measures import texts

    hidden = format_html("<em>{}</em>", _("Hidden by the client's choice"))
    none_yet = _("None yet")
    loops = loop_labels()
    changes: dict[str, str] = {}
    bands: dict[str, str] = {}
    url_base = reverse("clinic:client-detail", args=[0])[: -len("0/")]
    cells = _RowWords()
    last_day = _("last %(day)s")
    streaks: dict[int, str] = {}
    day_words: dict[date, str] = {}

    def month_day(value: date | datetime) -> str:
        """The local month and day of a date or time, formatted once per day shown (the format has no time)."""
        if isinstance(value, datetime):
            value = timezone.localtime(value).date()
        text = day_words.get(value)
        if text is None:
            text = day_words[value] = formats.date_format(value, "MONTH_DAY_FORMAT")
        return text

    for r in rows:
        s = r.shown
        s["url"] = f"{url_base}{r.client.pk}/"
        if r.allowed["measures"]:
            if r.phq9 is not None:
                band = bands.get(r.phq9.band_key)
                if band is None:
                    band = bands[r.phq9.band_key] = texts.band_name("phq9", r.phq9.band_key, r.phq9.band_label)
                parts = [r.phq9.total_display, band]
                if r.phq9.change_label and r.phq9.change_label != DETERIORATION:
                    label = changes.get(r.phq9.change_label)
                    if label is None:
                        label = changes[r.phq9.change_label] = texts.change_name(r.phq9.change_label)
                    parts.append(label)
                s["phq9"] = " · ".join(parts)  # a deterioration is shown once, in bold, by the page
            else:
                s["phq9"] = none_yet
            s["critical"] = [
                {"text": f"{c.label}: {c.value_display} ({month_day(c.completed_at)})",
                 "positive": c.positive, "after": " · ".join(c.after), "alert_id": c.alert_id}
                for c in r.critical]
            if r.overdue:
                s["overdue"] = ngettext("%(n)s questionnaire overdue", "%(n)s questionnaires overdue", r.overdue) % {
                    "n": r.overdue}
        else:
            s["phq9"] = hidden
        if r.allowed["checkins"]:
            text = streaks.get(r.streak)
            if text is None:
                text = streaks[r.streak] = ngettext("%(n)s-day streak", "%(n)s-day streak", r.streak) % {"n": r.streak}
            if r.last_checkin:
                text += " · " + last_day % {"day": month_day(r.last_checkin)}
            s["checkins"] = text
        else:
            s["checkins"] = hidden
        s["loop"] = loops.get(r.loop, "") if r.allowed["loop"] else hidden
        s["activity"] = month_day(r.last_activity) if r.last_activity else "—"
        s["html"] = row_html(r, cells)



class _RowWords:
    """The caseload table's fixed words, translated and escaped once per page."""

    def __init__(self) -> None:
        from django.utils.html import conditional_escape as esc

        self.client, self.safety, self.critical, self.phq9, self.checkins, self.loop, self.activity = (
            esc(_(w)) for w in ("Client", "Safety", "Critical answers", "Latest PHQ-9", "Check-ins",
                                "Loop, last 4 weeks", "Last activity"))
        self.worse = esc(_("Reliable deterioration"))
        self.urgent, self.alert, self.open_alert = esc(_("Urgent alert")), esc(_("Alert")), esc(_("Open alert"))
        self.alert_base = reverse("safety:alert-detail", args=[0])[: -len("0/")]


_DASH = '<span class="muted">—</span>'


def row_html(r: ClientRow, w: _RowWords) -> str:
    """One ``<tr>`` of the caseload table, exactly as the template's row markup would render it.

    Rendering the 200-row table through the template engine (a ``for`` with nested loops, ``if``
    and ``with`` tags per row) was the largest part of the caseload page's CPU; building each row
    from already escaped pieces costs a tenth of that. The markup (``scope``, ``data-label`` for the
    phone's labelled cards, the classes) is the template's; ``tests`` compare the two.
    """
    from django.utils.html import conditional_escape as esc
    from django.utils.safestring import mark_safe

    s = r.shown
    safety: str
    crit: str
    if r.alerts:
        safety = "<br>".join(
            f'<strong>{w.urgent if a.level == "urgent" else w.alert} ({esc(a.get_state_display())})</strong> '
            f'<a href="{esc(w.alert_base + str(a.pk) + "/")}">{w.open_alert}</a>' for a in r.alerts)
    else:
        safety = _DASH
    if not r.allowed["measures"]:
        crit = esc(s["phq9"])
    elif s["critical"]:
        crit = "<br>".join(
            (f'<strong>{esc(c["text"])}</strong>' + (f'<br><span class="muted">{esc(c["after"])}</span>' if c["after"] else ""))
            if c["positive"] else esc(c["text"]) for c in s["critical"])
    else:
        crit = _DASH
    phq9: str = esc(s["phq9"])
    if r.deteriorating:
        phq9 += f" · <strong>{w.worse}</strong>"
    if s.get("overdue"):
        phq9 += f" · {esc(s['overdue'])}"
    has_alert, none = (' class="has-alert"', "") if r.alerts else ("", ' class="none"')
    return mark_safe(  # noqa: S308 - every piece above is escaped
        f"\n  <tr{has_alert}>\n"
        f'    <th scope="row" data-label="{w.client}"><a href="{esc(s["url"])}">{esc(r.client.name)}</a></th>\n'
        f'    <td data-label="{w.safety}"{none}>{safety}</td>\n'
        f'    <td data-label="{w.critical}" class="critical{" none" if r.allowed["measures"] and not s["critical"] else ""}">{crit}</td>\n'
        f'    <td data-label="{w.phq9}">{phq9}</td>\n'
        f'    <td data-label="{w.checkins}">{esc(s["checkins"])}</td>\n'
        f'    <td data-label="{w.loop}">{esc(s["loop"])}</td>\n'
        f'    <td data-label="{w.activity}">{esc(s["activity"])}</td>\n'
        "  </tr>\n")


# ----------------------------------------------------------------------------- client page


def client_link(therapist: User, client_id: int) -> tuple[User, Link]:
    """The client and the active link, or AccessDenied (never says whether the person exists)."""
    from nearer.accounts.models import User as UserModel

    client = UserModel.objects.filter(pk=client_id).first()
    if client is None or client.pk == therapist.pk:
        raise access.AccessDenied("no_link")
    grant = access.grant(therapist, client)
    if grant.link is None or grant.link.kind != "therapist":
        raise access.AccessDenied("no_link")
    return client, grant.link


def _day(dt: datetime) -> str:
    return formats.date_format(timezone.localtime(dt), "DATE_FORMAT")


def measures_section(client: User, start: datetime | None = None, end: datetime | None = None) -> list[dict[str, Any]]:
    """Each questionnaire: the measures app's chart (bands, change markers) and a sentence for the therapist."""
    from nearer.measures import charts, texts
    from nearer.measures.definitions import InstrumentError, get_instrument
    from nearer.measures.models import Administration

    qs = Administration.objects.filter(person=client).order_by("instrument_id", "completed_at", "pk")
    if end is not None:
        qs = qs.filter(completed_at__lte=end)
    series: dict[str, list[Any]] = defaultdict(list)
    for adm in qs.only("instrument_id", "instrument_version", "language", "total", "band_key", "band_label", "change_label",
                       "change_label_previous", "rci", "completed_at", "recovered", "flags_json"):
        series[adm.instrument_id].append(adm)
    out = []
    order = {"phq9": 0, "gad7": 1, "phq2": 2}
    for iid in sorted(series, key=lambda i: (order.get(i, 9), i)):
        adms = series[iid]
        in_period = [a for a in adms if start is None or a.completed_at >= start]
        if start is not None and not in_period:
            continue
        try:
            inst = get_instrument(iid)
        except InstrumentError:
            inst = None
        title = inst.title.split(" (")[0] if inst is not None else iid
        latest, baseline = adms[-1], adms[0]
        before = [a for a in adms if start is not None and a.completed_at < start]
        ref = before[-1] if before else in_period[0]
        shown = in_period if start is not None else adms

        def band(a: Any, iid: str = iid) -> str:
            return texts.band_name(iid, a.band_key, a.band_label)

        specs = critical.critical_flags(iid)
        rows = [{"day": _day(a.completed_at), "total": a.total_display, "band": band(a), "language": a.language,
                 "change": texts.change_name(a.change_label) if a.change_label else "",
                 "change_previous": texts.change_name(a.change_label_previous) if a.change_label_previous else "",
                 "critical": [(c.value_display, c.positive) for c in critical.answers_of(a)] if specs else []}
                for a in shown]
        summary = _("Latest %(title)s total %(total)s (%(band)s), against %(first)s at the start.") % {
            "title": title, "total": latest.total_display, "band": band(latest).lower(), "first": baseline.total_display}
        if latest.change_label:
            summary += " " + _("Compared with the first score: %(label)s.") % {
                "label": texts.change_name(latest.change_label).lower()}
        chart = None
        if inst is not None:
            points = [charts.Point(a.completed_at, a.total, a.change_label,
                                   f"{title} {r['day']}: {r['total']} ({r['band']})" + (f", {r['change']}" if r["change"] else ""))
                      for a, r in zip(shown, rows, strict=True)]
            chart = charts.render(inst, points, title=summary,
                                  band_names={b.key: texts.band_name(iid, b.key, b.label) for b in inst.bands})
        out.append({
            "instrument": iid,
            "title": title,
            "latest": latest,
            "latest_band": band(latest),
            "latest_change": texts.change_name(latest.change_label) if latest.change_label else "",
            "latest_change_previous": texts.change_name(latest.change_label_previous) if latest.change_label_previous else "",
            "recovered": latest.recovered,
            "baseline": baseline,
            "period_start_total": ref.total,
            "period_change": latest.total - ref.total,
            "count": len(shown),
            "critical_headers": [_("Item %(n)s") % {"n": n} for _f, n, _i in specs],
            "rows": list(reversed(rows[-12:])),
            "chart": chart,
            "summary": summary,
        })
    return out


def checkin_section(client: User, start: date, end: date) -> dict[str, Any]:
    """Counts for the period and the diary's own trend charts (the client's view, in the third person)."""
    from nearer.analysis.trends import summarise_trend
    from nearer.diary.models import CheckIn
    from nearer.diary.queries import trends_for

    rows = list(CheckIn.objects.filter(person=client, local_date__gte=start, local_date__lte=end)
                .order_by("local_date").values_list("local_date", "mood", "closeness"))
    days = (end - start).days + 1
    # At least four weeks: each chart's sentence compares the last 4 weeks with the 4 before, so a
    # two-week report chart would sit beside a sentence about a span it does not show.
    weeks = max(4, math.ceil(days / 7))
    trends = trends_for(client, today=end, weeks=weeks, own=False)
    for chart in trends["charts"]:
        # The diary reads extra days before the chart for its medians; keep their dots out of the
        # drawing (they would land left of the axis).
        geom = chart["geometry"]
        geom["points"] = [p for p in geom["points"] if p["x"] >= geom["left"]]
    out: dict[str, Any] = {"count": len(rows), "days": days, "trends": trends}
    if not rows:
        return out
    moods = [float(m) for _d, m, _c in rows]
    closes = [float(c) for _d, _m, c in rows]
    mean_mood = sum(moods) / len(moods)
    mean_close = sum(closes) / len(closes)
    trend = summarise_trend([d.toordinal() for d, _m, _c in rows], moods, span_days=7, min_count=3)
    out.update({
        "mean_mood": round(mean_mood, 1),
        "mean_closeness": round(mean_close, 1),
        "mood_direction": str(trend.direction),
        "summary": ngettext(
            "%(n)s check-in in %(days)s days; average mood %(mood)s and closeness %(close)s out of 10.",
            "%(n)s check-ins in %(days)s days; average mood %(mood)s and closeness %(close)s out of 10.",
            len(rows)) % {"n": len(rows), "days": days, "mood": formats.number_format(mean_mood, 1),
                          "close": formats.number_format(mean_close, 1)},
    })
    return out


def loop_section(client: User, end: date) -> dict[str, Any]:
    """The diary's loop for the client (same fit, prior and sentences they see) and the caseload's 4-week direction."""
    from nearer.diary.models import CheckIn
    from nearer.diary.queries import loop_for, population_prior

    data = loop_for(client, today=end, population=population_prior(), use_stored_population=False)
    recent = list(CheckIn.objects.filter(person=client, local_date__gt=end - timedelta(days=LOOP_WINDOW_DAYS),
                                         local_date__lte=end).values_list("local_date", "mood", "closeness"))
    data["direction"] = loop_direction(recent, end)
    data["direction_label"] = loop_label(data["direction"])
    return data


def together_section(client: User, start: date, end: date, therapist: User | None = None, *, via: str = "web",
                     what: str = "clinic:client-detail") -> dict[str, Any] | None:
    """The couple's talks inside ``start``..``end``: the client's own ratings, and the partner's only
    through the partner's own link with ``therapist`` (read logged in the partner's access log)."""
    data = couple_summary_for(client, therapist, via=via, what=what)
    if not data:
        return {"no_couple": True}
    couple = couple_for(client)
    lo = timezone.make_aware(datetime.combine(start, datetime.min.time()))
    hi = timezone.make_aware(datetime.combine(end, datetime.max.time()))
    talks = Conversation.objects.filter(couple=couple, talked_at__gte=lo, talked_at__lte=hi).count() if couple else 0
    rows = [{"date": r["date"], "depth": r["depth"], "client": r.get("client"), "partner": r.get("partner")}
            for r in data.get("rows", []) if start <= r["date"] <= end]
    return {"depth": data.get("depth"), "rhythm": data.get("rhythm"), "talks": talks, "rows": rows,
            "start": start, "end": end, "partner_shares": data.get("partner_shares", False),
            "partner_name": data.get("partner_name", "")}


def safety_plan_section(client: User) -> dict[str, Any] | None:
    """The client's safety plan with each part's title in the reader's language (None when empty)."""
    from django.utils.translation import get_language

    from nearer.safety.models import SafetyPlan
    from nearer.safety.plan_text import part_text

    plan = SafetyPlan.objects.filter(owner=client).first()
    if plan is None or plan.is_empty():
        return None
    lang = get_language()
    return {"updated_at": plan.updated_at,
            "parts": [(part_text(key, lang).title, items) for key, items in plan.parts().items() if items]}


def alerts_for(therapist: User, client: User, start: datetime | None = None, end: datetime | None = None) -> list[Any]:
    """The therapist's alerts about ``client`` with a signal inside the period (start and end included)."""
    from nearer.safety.models import Alert

    qs = Alert.objects.filter(therapist=therapist, person=client).order_by("-last_signal_at")
    if start is not None:
        qs = qs.filter(last_signal_at__gte=start)
    if end is not None:
        qs = qs.filter(created_at__lte=end)
    return list(qs[:20])


SECTION_SCOPES = [
    ("measures", "measures"),
    ("checkins", "checkins"),
    ("loop", "loop"),
    ("practice", "practice_summaries"),
    ("together", "together_ratings"),
    ("safety_plan", "safety_plan"),
]


def client_page(therapist: User, client_id: int, *, via: str = "web", what: str = "clinic:client-detail",
                start: date | None = None, end: date | None = None) -> dict[str, Any]:
    """Everything ``client`` shares with ``therapist``; one access-log row per scope shown.

    The link is looked up once (``access.grant`` through :func:`client_link`); the scopes it
    carries decide the sections, and ``access.read_many`` logs them in one go.
    """
    client, link = client_link(therapist, client_id)
    today = local_today(client)
    end = end or today
    start_day = start or end - timedelta(days=CLIENT_PAGE_WEEKS * 7 - 1)
    start_dt = timezone.make_aware(datetime.combine(start_day, datetime.min.time())) if start else None
    end_dt = timezone.make_aware(datetime.combine(end, datetime.max.time()))
    shown = [(key, scope) for key, scope in SECTION_SCOPES if link.has_scope(scope)]
    hidden = [key for key, scope in SECTION_SCOPES if not link.has_scope(scope)]
    access.read_many(therapist, [(link, scope) for _key, scope in shown], what, via=via)
    sections: dict[str, Any] = {}
    for key, _scope in shown:
        if key == "measures":
            sections[key] = measures_section(client, start_dt, end_dt)
        elif key == "checkins":
            sections[key] = checkin_section(client, start_day, end)
        elif key == "loop":
            sections[key] = loop_section(client, end)
        elif key == "practice":
            sections[key] = practice_summary(client)
        elif key == "together":
            sections[key] = together_section(client, start or end - timedelta(days=55), end, therapist, via=via, what=what)
        elif key == "safety_plan":
            sections[key] = safety_plan_section(client)
    alerts = alerts_for(therapist, client, start_dt, end_dt if start else None)
    return {
        "client": client,
        "link": link,
        "initials": initials(client),
        "critical": (critical.for_client(therapist, client, start_dt or timezone.make_aware(
            datetime.combine(start_day, datetime.min.time())), end_dt) if link.has_scope("measures") else None),
        "alert_rows": critical.alerts_for_report(alerts, therapist, measures_shared=link.has_scope("measures")),
        "sections": sections,
        "hidden": hidden,
        # The link to the client's shared reflections (the learn app logs that read itself).
        "shares_reflections": link.has_scope("reflections"),
        "alerts": alerts,
        "start": start_day,
        "end": end,
        "sessions": sessions_for(therapist, client),
        "reference": client_reference(therapist, client),
        "assignments": assignments_for(therapist, client),
        # Questionnaire schedules and where each stands (proposed, accepted, declined, stopped): measures
        # data, so only with that scope (the read is the "measures" row logged above).
        "measure_schedules": _measure_schedules(client) if link.has_scope("measures") else None,
    }


def _measure_schedules(client: User) -> list[dict[str, Any]] | None:
    return schedule_status_for(client)


def report_period(therapist: User, client: User, today: date | None = None, since: str = "last_session") -> tuple[date, date]:
    """Since the last recorded session before today (the default); otherwise the last 14 days.

    ``since`` may instead be a number of days ("14", "28", "84") ending today.
    """
    today = today or local_today(client)
    if since in ("14", "28", "84"):
        return today - timedelta(days=int(since) - 1), today
    last = Session.objects.filter(therapist=therapist, client=client, held_on__lt=today).order_by("-held_on").first()
    return (last.held_on if last else today - timedelta(days=REPORT_DEFAULT_DAYS - 1)), today


def client_reference(therapist: User, client: User) -> str:
    """The reference the therapist's clinic files this client under ('' when none is set)."""
    from nearer.clinic.models import ClientReference

    ref = ClientReference.objects.filter(client=client, clinic=therapist.clinic).values_list("reference", flat=True).first()
    return ref or ""


def report_filename(reference: str, client_initials: str, start: date, end: date) -> str:
    """``nearer-<reference>-<period>.pdf``; the initials stand in until a reference is set."""
    ref = reference or ("".join(ch for ch in client_initials if ch.isalnum()) or "client")
    return f"nearer-{ref}-{start.isoformat()}-to-{end.isoformat()}.pdf"


def sessions_for(therapist: User, client: User, limit: int = 5) -> list[dict[str, Any]]:
    """The therapist's recent sessions with this client, with their own private note (never anyone else's)."""
    from nearer.measures.definitions import InstrumentError, get_instrument

    sessions = list(Session.objects.filter(therapist=therapist, client=client).select_related("private_note")[:limit])
    labels = {a.pk: f"{a.get_kind_display()}: {assignment_detail(a)}" for a in
              Assignment.objects.filter(pk__in={i for s in sessions for i in s.assignments_reviewed or []})}
    out = []
    for s in sessions:
        titles = []
        for iid in s.measures_reviewed or []:
            try:
                titles.append(get_instrument(iid).title.split(" (")[0])
            except InstrumentError:
                titles.append(iid)
        note = getattr(s, "private_note", None)
        out.append({"held_on": s.held_on, "duration": s.duration_minutes, "modality": s.get_modality_display() if s.modality else "",
                    "measures": titles, "assignments": [labels[i] for i in s.assignments_reviewed or [] if i in labels],
                    "note": note.text if note is not None and note.therapist_id == therapist.pk else ""})
    return out


def measured_instruments(therapist: User, client: User) -> list[str]:
    """Instrument ids the client answered, when they share measures with this therapist (ids only, no log)."""
    from nearer.measures.models import Administration

    if not access.can_read(therapist, client, "measures"):
        return []
    return list(Administration.objects.filter(person=client).order_by().values_list("instrument_id", flat=True).distinct())


def session_choices(therapist: User, client: User, measured: list[str]) -> dict[str, Any]:
    """Choices for the session form: the questionnaires the client answered and this therapist's assignments."""
    from nearer.measures.definitions import InstrumentError, get_instrument

    measures = []
    for iid in measured:
        try:
            measures.append((iid, get_instrument(iid).title.split(" (")[0]))
        except InstrumentError:
            continue
    assignments = [(a.pk, f"{formats.date_format(timezone.localtime(a.created_at), 'DATE_FORMAT')} · {a.get_kind_display()}: {assignment_detail(a)}")
                   for a in Assignment.objects.filter(therapist=therapist, client=client)[:20]]
    return {"measures": measures, "assignments": assignments}


def assignments_for(therapist: User, client: User) -> list[dict[str, Any]]:
    """The clinic's own assignments plus practice suggestions, newest first, with the client's answer."""
    out: list[dict[str, Any]] = [
        {"kind": a.get_kind_display(), "detail": assignment_detail(a), "state": a.state, "state_label": a.get_state_display(),
         "created_at": a.created_at}
        for a in Assignment.objects.filter(therapist=therapist, client=client)[:20]
    ]
    for s in suggestions_for(client, therapist)[:20]:
        out.append({"kind": s.get_kind_display(), "detail": s.label(), "state": s.state,
                    "state_label": s.get_state_display(), "created_at": s.created_at})
    out.sort(key=lambda a: a["created_at"], reverse=True)
    return out


def assignment_detail(a: Assignment) -> str:
    p = a.params or {}
    if a.kind == "measure_cadence":
        return _("%(inst)s every %(days)s days") % {"inst": str(p.get("instrument_id", "")).upper(), "days": p.get("cadence_days")}
    if a.kind == "conversation_depth":
        return _("Depth %(depth)s") % {"depth": p.get("depth")}
    return str(p.get("label", ""))


# ----------------------------------------------------------------------------- directory


def directory(*, focus: str = "", language: str = "", modality: str = "", city: str = "") -> list[TherapistProfile]:
    qs = TherapistProfile.objects.filter(verified=True, user__is_active=True, user__role="therapist").select_related("user", "user__clinic")
    profiles = list(qs.order_by("pk"))
    if focus:
        profiles = [p for p in profiles if focus in (p.focus_areas or [])]
    if language:
        profiles = [p for p in profiles if language in (p.languages or [])]
    if modality == "in_person":
        profiles = [p for p in profiles if p.meets_in_person]
    elif modality == "online":
        profiles = [p for p in profiles if p.meets_online]
    if city:
        profiles = [p for p in profiles if p.city.strip().lower() == city.strip().lower()]
    return profiles


def cities() -> list[str]:
    return sorted({c for c in TherapistProfile.objects.filter(verified=True).values_list("city", flat=True) if c})


def clinic_therapists(admin: User) -> list[dict[str, Any]]:
    """Therapists at the admin's clinic with a client count only (never who the clients are)."""
    from nearer.accounts.models import Link
    from nearer.accounts.models import User as UserModel

    staff = list(UserModel.objects.filter(clinic=admin.clinic, role="therapist").order_by("email"))
    counts = dict(
        Link.objects.active().filter(viewer__in=staff, kind="therapist").values("viewer_id").annotate(n=Count("pk"))
        .values_list("viewer_id", "n")
    )
    profiles = {p.user_id: p for p in TherapistProfile.objects.filter(user__in=staff)}
    return [{"user": u, "clients": counts.get(u.pk, 0), "profile": profiles.get(u.pk)} for u in staff]
