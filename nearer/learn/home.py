"""The home-page panel: one piece a week, matched to what the person has been working on.

The choice is deterministic for a person's local ISO week: activity is counted over the 28 days
before the week began, and pieces read during the week stay in the running (shown as read), so the
suggestion does not jump around once it has been read.
"""

from __future__ import annotations

import zoneinfo
from collections import Counter
from datetime import date, datetime, time, timedelta
from typing import Any

from django.db import models
from django.http import HttpRequest
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from nearer.learn import content
from nearer.learn.models import ReadMark
from nearer.privacy import registry

ACTIVITY_DAYS = 28

# What each tool is about, in the content's topic vocabulary.
TOOL_TOPICS: dict[str, frozenset[str]] = {
    "loop": frozenset({"distance", "mood", "closeness"}),
    "checkin": frozenset({"mood", "sleep", "routine"}),
    "measures": frozenset({"progress", "mood"}),
    "safety_plan": frozenset({"safety", "crisis"}),
    "formulation": frozenset({"closeness", "fear", "past"}),
    "ladder": frozenset({"steps", "fear"}),
    "experiments": frozenset({"experiments", "fear"}),
    "present_or_past": frozenset({"rejection", "past"}),
    "together": frozenset({"conversation", "partner"}),
    "clinic_directory": frozenset({"therapy", "care"}),
}

TOOL_LABELS: dict[str, Any] = {
    "loop": _("your loop"),
    "checkin": _("daily check-ins"),
    "measures": _("questionnaires"),
    "safety_plan": _("your safety plan"),
    "formulation": _("your worksheet"),
    "ladder": _("your ladder of small steps"),
    "experiments": _("experiments"),
    "present_or_past": _("present or past"),
    "together": _("couple conversations"),
    "clinic_directory": _("finding care"),
}

# Which tools an app's data stands for. Practice models are told apart by their names.
_APP_TOOLS: dict[str, tuple[str, ...]] = {
    "diary": ("checkin", "loop"),
    "measures": ("measures",),
    "safety": ("safety_plan",),
    "together": ("together",),
}
_PRACTICE_HINTS: tuple[tuple[str, str], ...] = (
    ("ladder", "ladder"),
    ("step", "ladder"),
    ("experiment", "experiments"),
    ("present", "present_or_past"),
    ("moment", "present_or_past"),
    ("formulation", "formulation"),
    ("worksheet", "formulation"),
)
_DATE_FIELDS = ("created_at", "created", "started_at", "submitted_at", "completed_at", "at", "date", "day",
                "updated_at")


def _tools_for_model(app_label: str, model_name: str) -> tuple[str, ...]:
    if app_label == "practice":
        found = tuple(dict.fromkeys(tool for hint, tool in _PRACTICE_HINTS if hint in model_name))
        return found or ("ladder", "experiments", "present_or_past", "formulation")
    return _APP_TOOLS.get(app_label, ())


def _date_field(model: type[models.Model]) -> str | None:
    names = {f.name: f for f in model._meta.concrete_fields}
    for name in _DATE_FIELDS:
        field = names.get(name)
        if isinstance(field, (models.DateTimeField, models.DateField)):
            return name
    return None


def _owned_models() -> list[tuple[str, tuple[str, ...], Any, str, str]]:
    """(column name, tools, model, owner path, date field) of every model holding a person's own records."""
    out: list[tuple[str, tuple[str, ...], Any, str, str]] = []
    for owned in list(registry.OWNED.values()):
        model = owned.model
        tools = _tools_for_model(model._meta.app_label, model._meta.model_name or "")
        if not tools or owned.owner_path == "pk":
            continue
        field = _date_field(model)
        if field is None:
            continue  # settings-like rows say nothing about what someone has been doing lately
        out.append(("learn_act_" + model._meta.label_lower.replace(".", "_"), tools, model, owned.owner_path, field))
    return out


def _activity_columns(person: Any, since: datetime, until: datetime, since_day: date | None = None,
                      until_day: date | None = None) -> dict[str, tuple[tuple[str, ...], Any]]:
    """One count column per model holding the person's own records: name -> (tools, expression).

    ``since_day`` and ``until_day`` (the same window's dates, for date fields) default to
    ``since.date()`` and ``until.date()``.
    """
    since_day = since.date() if since_day is None else since_day
    until_day = until.date() if until_day is None else until_day
    from django.db.models import OuterRef

    from nearer.home_facts import SubqueryCount

    cols: dict[str, tuple[tuple[str, ...], Any]] = {}
    for name, tools, model, owner_path, field in _owned_models():
        qs = model._default_manager.filter(**{owner_path: OuterRef("pk")})
        if isinstance(model._meta.get_field(field), models.DateTimeField):
            qs = qs.filter(**{f"{field}__gte": since, f"{field}__lt": until})
        else:
            qs = qs.filter(**{f"{field}__gte": since_day, f"{field}__lt": until_day})
        cols[name] = (tools, SubqueryCount(qs.order_by().values("pk")))
    return cols


def _activity_from(tools_of: dict[str, tuple[str, ...]], values: dict[str, Any]) -> Counter[str]:
    counts: Counter[str] = Counter()
    for name, tools in tools_of.items():
        n = int(values.get(name) or 0)
        for tool in tools:
            counts[tool] += n
    return +counts


def recent_activity(person: Any, since: datetime, until: datetime) -> Counter[str]:
    """How many of the person's own records each tool gained in ``[since, until)``.

    Apps are found through the privacy registry (every app registers the models holding a
    person's data), so a missing or not-yet-built app simply contributes nothing. One query: a
    count per model, as columns of the person's own row.
    """
    from django.contrib.auth import get_user_model

    cols = _activity_columns(person, since, until)
    if not cols:
        return Counter()
    values = (get_user_model().objects.filter(pk=person.pk).annotate(**{k: e for k, (_t, e) in cols.items()})
              .values(*cols).first()) or {}
    return _activity_from({k: t for k, (t, _e) in cols.items()}, values)


def _activity_window(person: Any, now: datetime | None = None) -> tuple[datetime, datetime]:
    start = week_start(person, now)
    return start - timedelta(days=ACTIVITY_DAYS), start


def fact_params(user: Any) -> dict[str, Any]:
    if getattr(user, "role", "person") != "person":
        return {}
    since, until = _activity_window(user)
    return {"learn_since": since, "learn_until": until, "learn_since_day": since.date(), "learn_until_day": until.date()}


def facts(user: Any, params: dict[str, Any]) -> dict[str, Any]:
    """For :mod:`nearer.home_facts`: this week's activity counts (one column per model) and when
    each piece was read (one column per piece)."""
    from django.db.models import OuterRef, Subquery

    if getattr(user, "role", "person") != "person":
        return {}
    cols = _activity_columns(user, params["learn_since"], params["learn_until"], params["learn_since_day"],
                             params["learn_until_day"])
    out = {k: e for k, (_t, e) in cols.items()}
    read_at = ReadMark._meta.get_field("read_at")
    for i, slug in enumerate(content.slugs()):
        out[f"learn_read_{i}"] = Subquery(ReadMark.objects.filter(person=OuterRef("pk"), slug=slug).values("read_at")[:1],
                                          output_field=read_at)
    return out


def _tz(person: Any) -> zoneinfo.ZoneInfo:
    try:
        return zoneinfo.ZoneInfo(getattr(person, "timezone", "") or "UTC")
    except (zoneinfo.ZoneInfoNotFoundError, ValueError):
        return zoneinfo.ZoneInfo("UTC")


def week_start(person: Any, now: datetime | None = None) -> datetime:
    """Monday 00:00 of the person's current local ISO week, as an aware datetime."""
    tz = _tz(person)
    local = (now or timezone.now()).astimezone(tz)
    monday: date = local.date() - timedelta(days=local.isoweekday() - 1)
    return datetime.combine(monday, time.min, tzinfo=tz)


def _has_partner(person: Any) -> bool:
    from nearer.accounts.models import Link

    return Link.objects.active().filter(viewer=person, kind="partner").exists()


def suggestion(person: Any, now: datetime | None = None, language: str | None = None, *,
               marks: dict[str, datetime] | None = None, partner: bool | None = None,
               activity: Counter[str] | None = None) -> dict[str, Any] | None:
    """This week's piece for ``person``: ``{"piece", "read", "tools", "tool_labels"}``, or ``None``.

    Candidates are pieces not read before this week began (partner pieces only for someone who is
    a partner on an active link, and only in the last tier). Among them, pieces whose
    ``related_tool`` the person used in the 28 days before the week began are preferred, then
    pieces sharing a topic with such a tool, then any candidate. The pick within a tier is
    ``sorted_by_slug[(iso_year * 53 + iso_week) % n]``.

    ``marks`` (slug -> read_at), ``partner`` and ``activity`` may be given when already read (the
    home page reads them once for all its cards).
    """
    start = week_start(person, now)
    iso_year, iso_week, _day = start.isocalendar()
    if marks is None:
        marks = dict(ReadMark.objects.filter(person=person).values_list("slug", "read_at"))
    open_slugs = {s for s in content.slugs() if s not in marks or marks[s] >= start}
    if partner is None:
        partner = _has_partner(person)
    pieces = [p for p in content.all_pieces(language) if p.slug in open_slugs
              and (p.audience != "partner" or partner)]
    if not pieces:
        return None
    if activity is None:
        activity = recent_activity(person, start - timedelta(days=ACTIVITY_DAYS), start)
    # A person's own activity is about their own work, so partner pieces (about supporting
    # someone else) are offered only when nothing else matches.
    own = [p for p in pieces if p.audience != "partner"]
    # Pieces that explain a tool in use come first; pieces sharing a topic with one come next.
    matched = [(p, [p.related_tool]) for p in own if p.related_tool in activity]
    if not matched:
        for piece in own:
            tools = [t for t in activity if set(piece.topics) & TOOL_TOPICS.get(t, frozenset())]
            if tools:
                matched.append((piece, tools))
    if matched:
        matched.sort(key=lambda pair: pair[0].slug)
        piece, tools = matched[(iso_year * 53 + iso_week) % len(matched)]
        tools = sorted(tools, key=lambda t: (-activity[t], t))
    else:
        pieces.sort(key=lambda p: p.slug)
        piece, tools = pieces[(iso_year * 53 + iso_week) % len(pieces)], []
    return {"piece": piece, "read": piece.slug in marks, "tools": tools,
            "tool_labels": [TOOL_LABELS[t] for t in tools[:2] if t in TOOL_LABELS]}


def panel(request: HttpRequest) -> dict[str, Any] | None:
    from nearer import home_facts

    user = request.user
    if not user.is_authenticated or getattr(user, "role", "person") != "person":
        return None
    now = timezone.now()
    f = home_facts.facts(request)
    # Only the pieces that exist matter here (a mark of a retired piece counts for nothing).
    marks = {slug: f[f"learn_read_{i}"] for i, slug in enumerate(content.slugs()) if f.get(f"learn_read_{i}")}
    partner = bool(home_facts.active_links(request, kind="partner", owner=False))
    # The facts counted this week's window (the week of the request).
    activity = _activity_from({name: tools for name, tools, *_rest in _owned_models()}, f)
    pick = suggestion(user, now, marks=marks, partner=partner, activity=activity)
    return {"suggestion": pick, "read_count": len(marks), "total": len(content.slugs())}
