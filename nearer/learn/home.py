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


def recent_activity(person: Any, since: datetime, until: datetime) -> Counter[str]:
    """How many of the person's own records each tool gained in ``[since, until)``.

    Apps are found through the privacy registry (every app registers the models holding a
    person's data); a model with no tool or no date column contributes nothing.
    """
    counts: Counter[str] = Counter()
    for owned in list(registry.OWNED.values()):
        model = owned.model
        tools = _tools_for_model(model._meta.app_label, model._meta.model_name or "")
        if not tools or owned.owner_path == "pk":
            continue
        field = _date_field(model)
        if field is None:
            continue  # settings-like rows say nothing about what someone has been doing lately
        qs = model._default_manager.filter(**{owned.owner_path: person})
        if isinstance(model._meta.get_field(field), models.DateTimeField):
            qs = qs.filter(**{f"{field}__gte": since, f"{field}__lt": until})
        else:
            qs = qs.filter(**{f"{field}__gte": since.date(), f"{field}__lt": until.date()})
        n = qs.count()
        for tool in tools:
            counts[tool] += n
    return +counts


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


def suggestion(person: Any, now: datetime | None = None, language: str | None = None) -> dict[str, Any] | None:
    """This week's piece for ``person``: ``{"piece", "read", "tools", "tool_labels"}``, or ``None``.

    Candidates are pieces not read before this week began (partner pieces only for someone who is
    a partner on an active link, and only in the last tier). Among them, pieces whose
    ``related_tool`` the person used in the 28 days before the week began are preferred, then
    pieces sharing a topic with such a tool, then any candidate. The pick within a tier is
    ``sorted_by_slug[(iso_year * 53 + iso_week) % n]``.
    """
    start = week_start(person, now)
    iso_year, iso_week, _day = start.isocalendar()
    marks = dict(ReadMark.objects.filter(person=person).values_list("slug", "read_at"))
    open_slugs = {s for s in content.slugs() if s not in marks or marks[s] >= start}
    partner = _has_partner(person)
    pieces = [p for p in content.all_pieces(language) if p.slug in open_slugs
              and (p.audience != "partner" or partner)]
    if not pieces:
        return None
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
    user = request.user
    if not user.is_authenticated or getattr(user, "role", "person") != "person":
        return None
    pick = suggestion(user)
    read = ReadMark.objects.filter(person=user, slug__in=content.slugs()).count()
    return {"suggestion": pick, "read_count": read, "total": len(content.slugs())}
