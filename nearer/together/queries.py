"""Page data for couple conversations, returned as plain values.

Reads of the partner's revealed ratings go through ``privacy.access.read(viewer, partner,
"together_ratings", ...)``: at most one access-log row per page. A partner's note appears only when
that note was shared item by item; nothing else of the partner's (check-in notes, measures,
records, safety plan) is ever read here.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from typing import Any
from zoneinfo import ZoneInfo

from django.utils import formats, timezone, translation
from django.utils.translation import gettext as _

from nearer.diary.models import CheckIn
from nearer.privacy import access
from nearer.together import charts, prompt_bank, services
from nearer.together.models import WEEKDAYS, Conversation, ConversationState, Couple, Rating, Rhythm


def lang() -> str:
    return prompt_bank.normalise_lang(translation.get_language())


def _tz(person: Any) -> ZoneInfo:
    try:
        return ZoneInfo(getattr(person, "timezone", "") or "UTC")
    except Exception:  # noqa: BLE001 - an odd stored zone falls back to UTC rather than failing the page
        return ZoneInfo("UTC")


def next_talk(rhythm: Rhythm | None, person: Any, now: datetime | None = None) -> datetime | None:
    """The next agreed evening at or after now, in the viewer's time zone."""
    if rhythm is None or not rhythm.weekdays:
        return None
    tz = _tz(person)
    local_now = (now or timezone.now()).astimezone(tz)
    for offset in range(0, 8):
        day = local_now.date() + timedelta(days=offset)
        if day.weekday() in rhythm.weekdays:
            at = datetime.combine(day, rhythm.at, tzinfo=tz)
            if at >= local_now - timedelta(hours=1):
                return at
    return None


def rhythm_text(rhythm: Rhythm | None) -> str:
    if rhythm is None:
        return ""
    names = dict(WEEKDAYS)
    days = ", ".join(str(names[d]) for d in rhythm.weekdays)
    return _("%(days)s at %(time)s") % {"days": days, "time": formats.time_format(rhythm.at, "TIME_FORMAT")}


def prompt_view(prompt_id: str, language: str | None = None) -> dict[str, Any]:
    p = prompt_bank.get_prompt(prompt_id)
    lg = language or lang()
    return {
        "id": p.id,
        "depth": p.depth,
        "depth_label": prompt_bank.depth_label(p.depth, lg),
        "text": p.text(lg),
        "follow_up": p.follow_up(lg),
    }


def guidance_view(depth: int, language: str | None = None) -> dict[str, str]:
    lg = language or lang()
    return {
        "speaker": prompt_bank.guidance(depth, "speaker", lg),
        "listener": prompt_bank.guidance(depth, "listener", lg),
        "always": prompt_bank.guidance_always(lg),
    }


# ---------------------------------------------------------------- reveal


@dataclass
class Reveal:
    both_rated: bool
    rated_by_me: bool
    mine: dict[str, int] | None = None
    my_note: str = ""
    my_share: bool = False
    my_note_shared: bool = False
    theirs: dict[str, int] | None = None
    their_note: str | None = None
    partner_shared: bool = False
    phrases: list[str] = field(default_factory=list)
    rows: list[dict[str, Any]] = field(default_factory=list)


def _partner_can_share(viewer: Any, partner: Any, couple: Couple) -> bool:
    return couple.is_active and partner is not None and access.can_read(viewer, partner, "together_ratings")


def reveal_for(viewer: Any, conv: Conversation, *, via: str = "web", language: str | None = None) -> Reveal:
    """What ``viewer`` may see of a talk's ratings now. Logs one read when a partner's ratings show."""
    couple = conv.couple
    ratings = {r.person_id: r for r in conv.ratings.all()}
    mine = ratings.get(viewer.pk)
    partner_id = couple.other_id(viewer.pk)
    theirs = ratings.get(partner_id) if partner_id else None
    out = Reveal(both_rated=mine is not None and theirs is not None, rated_by_me=mine is not None)
    if mine is not None:
        out.mine, out.my_note, out.my_share, out.my_note_shared = mine.values(), mine.note, mine.share, mine.note_shared
    if not out.both_rated or theirs is None:
        return out
    partner = theirs.person
    if theirs.share and _partner_can_share(viewer, partner, couple):
        access.read(viewer, partner, "together_ratings", "together: talk ratings", via=via)
        out.partner_shared = True
        out.theirs = theirs.values()
        if theirs.note_shared and theirs.note:
            out.their_note = theirs.note
    assert mine is not None
    lg = language or lang()
    labels = scale_labels()
    for scale in prompt_bank.SCALES:
        out.rows.append({"scale": scale, "label": labels[scale], "mine": mine.values()[scale],
                         "theirs": out.theirs[scale] if out.theirs else None})
    if out.theirs is not None:
        name = partner.name
        keys = [prompt_bank.reveal_key(s, mine.values()[s], out.theirs[s]) for s in prompt_bank.SCALES]
        phrases = [prompt_bank.reveal_phrase(k, lg, name=name) for k in keys if k != "similar"]
        out.phrases = phrases or [prompt_bank.reveal_phrase("similar", lg, name=name)]
    return out


def scale_labels() -> dict[str, str]:
    return {
        "heard": _("I felt heard"),
        "accepted": _("I felt accepted"),
        "close": _("I felt close"),
        "defensive": _("I was defensive"),
    }


# ---------------------------------------------------------------- pages


def conversation_status(viewer: Any, conv: Conversation) -> str:
    rated = {r.person_id for r in conv.ratings.all()}
    if conv.state == ConversationState.CLOSED:
        return _("Closed when the link ended")
    if conv.state == ConversationState.NOT_TONIGHT:
        return _("Not tonight")
    if conv.state == ConversationState.READINESS:
        mine = conv.ready_a if viewer.pk == conv.couple.a_id else conv.ready_b
        theirs = conv.ready_b if viewer.pk == conv.couple.a_id else conv.ready_a
        if mine is not None and theirs is None:
            return _("You're ready; waiting for your partner")
        if mine is None and theirs is not None:
            return _("Your partner is ready; waiting for you")
        return _("Waiting for you both to say you're ready")
    if len(rated) == 2:
        return _("Both rated — see how it went")
    if viewer.pk in rated:
        return _("You've rated; waiting for your partner")
    return _("Waiting for your rating")


def waiting_for(viewer: Any, conv: Conversation | None) -> str:
    """What the open talk waits for from ``viewer``: "ready" (answer the readiness check), "rate", or ""."""
    if conv is None:
        return ""
    if conv.state == ConversationState.READINESS and conv.ready_of(viewer.pk) is None:
        return "ready"
    if conv.state == ConversationState.TALKING and not conv.ratings.filter(person_id=viewer.pk).exists():
        return "rate"
    return ""


#: Days without a check-in after which a partner's home leads with Together.
OWN_USE_DAYS = 14


def together_leads_home(person: Any) -> bool:
    """True for someone here as a partner: linked as a couple, with no therapist link of their own and no
    check-in in the last :data:`OWN_USE_DAYS` days. Their home page then starts with Together instead of
    the cards for a person keeping their own diary (which follow below, one tap away as ever)."""
    from nearer.accounts.models import Link, LinkKind
    from nearer.diary.models import CheckIn, local_today

    since = local_today(person) - timedelta(days=OWN_USE_DAYS)
    return leads_home(
        has_own_therapist=Link.objects.active().filter(owner=person, kind=LinkKind.THERAPIST).exists(),
        checked_in_lately=CheckIn.objects.filter(person=person, local_date__gt=since).exists(),
    )


def leads_home(*, has_own_therapist: bool, checked_in_lately: bool) -> bool:
    """The one rule for a partner's home (the home page applies it to what it has already read)."""
    return not has_own_therapist and not checked_in_lately


def index_page(viewer: Any) -> dict[str, Any]:
    couple = services.couple_for(viewer)
    if couple is None:
        return {"couple": None}
    partner = couple.other(viewer)
    rhythm = services.current_rhythm(couple)
    pending = services.pending_rhythm(couple)
    open_conv = services.open_conversation(couple)
    history = []
    for conv in couple.conversations.prefetch_related("ratings").all()[:20]:
        history.append({"conv": conv, "prompt": prompt_view(conv.prompt_id), "status": conversation_status(viewer, conv)})
    member = services.membership(couple, viewer.pk)
    return {
        "couple": couple,
        "partner": partner,
        "rhythm": rhythm,
        "rhythm_text": rhythm_text(rhythm),
        "pending": pending,
        "pending_text": rhythm_text(pending),
        "pending_mine": pending is not None and pending.proposed_by_id == viewer.pk,
        "next_talk": next_talk(rhythm, viewer),
        "open_conv": open_conv,
        "history": history,
        "depth_label": prompt_bank.depth_name(couple.depth, lang()),
        "deeper_offered": services.deeper_offered(couple) and couple.depth == services.opened_depth(couple),
        "depth_choices": services.depth_choices(couple, lang()),
        "member": member,
    }


# ---------------------------------------------------------------- trend


def _week_start(d: date) -> date:
    return d - timedelta(days=d.weekday())


def talk_days(couple: Couple, person: Any) -> list[date]:
    tz = _tz(person)
    times = couple.conversations.filter(talked_at__isnull=False).values_list("talked_at", flat=True)
    return [t.astimezone(tz).date() for t in times if t is not None]


def talks_per_week(couple: Couple, person: Any, weeks: int = 8, today: date | None = None) -> list[tuple[date, int]]:
    today = today or timezone.now().astimezone(_tz(person)).date()
    start = _week_start(today) - timedelta(weeks=weeks - 1)
    counts = {start + timedelta(weeks=i): 0 for i in range(weeks)}
    for d in talk_days(couple, person):
        w = _week_start(d)
        if w in counts:
            counts[w] += 1
    return sorted(counts.items())


def _mood_rows(person: Any) -> list[tuple[date, float]]:
    """The person's daily mood from the diary."""
    rows = CheckIn.objects.filter(person=person).values_list("local_date", "mood")
    return [(d, float(m)) for d, m in rows if m is not None]


def mood_after_talks(person: Any, event_days: list[date]) -> dict[str, Any] | None:
    """Mood on days after a personal talk vs other days (90% interval), worded without causes."""
    rows = _mood_rows(person)
    if not rows:
        return None
    from nearer.analysis.compare import days_after_event

    result = days_after_event(
        [d.toordinal() for d, _m in rows], [m for _d, m in rows], [d.toordinal() for d in event_days], within_days=1, level=0.90
    )
    out: dict[str, Any] = {
        "n_after": result.n_with,
        "n_other": result.n_without,
        "sufficient": bool(result.sufficient),
        "difference": None if math.isnan(result.difference) else round(result.difference, 1),
        "low": None if math.isnan(result.low) else round(result.low, 1),
        "high": None if math.isnan(result.high) else round(result.high, 1),
        "mean_after": None if math.isnan(result.mean_with) else round(result.mean_with, 1),
        "mean_other": None if math.isnan(result.mean_without) else round(result.mean_without, 1),
    }
    out["sentence"] = mood_sentence(person.name, out)
    return out


def mood_sentence(name: str, r: dict[str, Any]) -> str:
    if not r["sufficient"]:
        return _("Not enough check-ins yet to compare days after a talk with other days for %(name)s.") % {"name": name}
    d, lo, hi = r["difference"], r["low"], r["high"]
    vals = {"name": name, "after": r["mean_after"], "other": r["mean_other"], "low": lo, "high": hi}
    if lo is not None and hi is not None and lo <= 0 <= hi:
        return _(
            "On days after a personal talk, %(name)s's mood averaged %(after)s, and %(other)s on other days; "
            "the difference could be anywhere from %(low)s to %(high)s points, so no clear difference yet."
        ) % vals
    if d is not None and d > 0:
        return _(
            "On days after a personal talk, %(name)s's mood tended to be higher (%(after)s against %(other)s on other days; "
            "90%% range of the difference %(low)s to %(high)s points)."
        ) % vals
    return _(
        "On days after a personal talk, %(name)s's mood tended to be lower (%(after)s against %(other)s on other days; "
        "90%% range of the difference %(low)s to %(high)s points)."
    ) % vals


def rating_series(couple: Couple, person_id: int, shared_only: bool) -> list[tuple[date, dict[str, int]]]:
    qs = Rating.objects.filter(conversation__couple=couple, person_id=person_id).select_related("conversation")
    out = []
    for r in qs.order_by("conversation__created_at"):
        if shared_only:
            if not r.share or r.conversation.ratings.count() < 2:
                continue
        out.append((r.conversation.created_at.date(), r.values()))
    return out


def _series_sentence(name: str | None, series: list[tuple[date, dict[str, int]]], scale: str) -> str | None:
    """One plain sentence: early talks against recent ones. ``name`` None means the reader."""
    if len(series) < 2:
        return None
    half = max(len(series) // 2, 1)
    early = sum(v[scale] for _d, v in series[:half]) / half
    late = sum(v[scale] for _d, v in series[-half:]) / half
    vals = {"name": name, "early": f"{early:.1f}", "late": f"{late:.1f}"}
    if name is None:
        if scale == "heard":
            return _("Your \"heard\" ratings went from about %(early)s in the earlier talks to about %(late)s in the recent ones.") % vals
        return _("Your \"accepted\" ratings went from about %(early)s in the earlier talks to about %(late)s in the recent ones.") % vals
    if scale == "heard":
        return _("%(name)s's \"heard\" ratings went from about %(early)s in the earlier talks to about %(late)s in the recent ones.") % vals
    return _("%(name)s's \"accepted\" ratings went from about %(early)s in the earlier talks to about %(late)s in the recent ones.") % vals


def trend_page(viewer: Any, *, via: str = "web") -> dict[str, Any]:
    couple = services.couple_for(viewer)
    if couple is None:
        return {"couple": None}
    partner = couple.other(viewer)
    weeks = talks_per_week(couple, viewer)
    total = sum(n for _w, n in weeks)
    per_week = total / len(weeks) if weeks else 0.0
    week_title = _("Personal talks per week, last %(n)s weeks") % {"n": len(weeks)}
    week_sentence = _("You've had %(total)s personal talks in the last %(n)s weeks, about %(rate)s a week.") % {
        "total": total, "n": len(weeks), "rate": f"{per_week:.1f}"}
    mine = rating_series(couple, viewer.pk, shared_only=False)
    theirs: list[tuple[date, dict[str, int]]] = []
    partner_visible = partner is not None and access.can_read(viewer, partner, "together_ratings")
    if partner_visible:
        access.read(viewer, partner, "together_ratings", "together:trend", via=via)
        theirs = rating_series(couple, partner.pk, shared_only=True)
    me_label = _("You")
    charts_out = []
    for scale, title in (("heard", _("Felt heard, 0 to 10, after each talk")), ("accepted", _("Felt accepted, 0 to 10, after each talk"))):
        series = [(me_label, [(d, float(v[scale])) for d, v in mine])]
        if theirs:
            series.append((partner.name, [(d, float(v[scale])) for d, v in theirs]))
        sentences = [s for s in (_series_sentence(None, mine, scale),
                                 _series_sentence(partner.name, theirs, scale) if theirs else None) if s]
        charts_out.append({
            "scale": scale,
            "title": title,
            "svg": charts.line_chart(title, series),
            "sentence": " ".join(sentences) or _("Rate a few talks to see this over time."),
        })
    moods = []
    days_me = talk_days(couple, viewer)
    member_me = services.membership(couple, viewer.pk)
    cmp_me = mood_after_talks(viewer, days_me)
    if cmp_me is not None:
        shared = bool(member_me and member_me.mood_compare) and partner is not None and access.can_read(
            partner, viewer, "mood_talk_days")
        moods.append({"who": viewer.name, "result": cmp_me, "own": True, "consented": shared})
    member_partner = services.membership(couple, partner.pk if partner is not None else None)
    # The partner's mood is its own scope ("mood on talk days"), granted on the partner's own link and
    # logged under that scope; the couple-ratings scope does not open it.
    if (partner is not None and member_partner is not None and member_partner.mood_compare
            and access.can_read(viewer, partner, "mood_talk_days")):
        access.read(viewer, partner, "mood_talk_days", "together:trend", via=via)
        cmp_p = mood_after_talks(partner, talk_days(couple, partner))
        if cmp_p is not None:
            moods.append({"who": partner.name, "result": cmp_p, "own": False, "consented": True})
    return {
        "couple": couple,
        "partner": partner,
        "weeks": weeks,
        "per_week": round(per_week, 1),
        "week_svg": charts.bar_chart(week_title, [(formats.date_format(w, "MONTH_DAY_FORMAT"), n) for w, n in weeks]),
        "week_title": week_title,
        "week_sentence": week_sentence,
        "charts": charts_out,
        "moods": moods,
        "member": member_me,
    }


# ---------------------------------------------------------------- for therapists


def couple_summary_for(person: Any, viewer: Any = None, *, via: str = "web",
                       what: str = "together:client-detail") -> dict[str, Any] | None:
    """The rhythm and the paired ratings of ``person``'s couple, for a therapist page.

    The caller must already have authorised the read of ``person``'s ratings with
    ``access.read(viewer, person, "together_ratings", ...)``. The partner's ratings are the
    partner's own data: they appear only when the partner linked ``viewer`` with the
    "together_ratings" scope, and that read is logged in the partner's access log (one row).
    Without a ``viewer`` nobody's partner ratings appear. Notes never appear here.
    """
    couple = services.couple_for(person)
    if couple is None:
        return None
    partner = couple.other(person)
    partner_visible = False
    if viewer is not None and partner is not None and access.can_read(viewer, partner, "together_ratings"):
        access.read(viewer, partner, "together_ratings", what, via=via)
        partner_visible = True
    rhythm = services.current_rhythm(couple)
    weeks = talks_per_week(couple, person)
    rows = []
    for conv in couple.conversations.prefetch_related("ratings").filter(talked_at__isnull=False)[:30]:
        ratings = {r.person_id: r for r in conv.ratings.all()}
        if len(ratings) < 2:
            continue
        own, other = ratings.get(person.pk), ratings.get(couple.other_id(person.pk) or 0)
        rows.append({
            "date": conv.talked_at.date() if conv.talked_at else conv.created_at.date(),
            "depth": conv.depth,
            "prompt_theme": prompt_bank.get_prompt(conv.prompt_id).theme,
            "client": own.values() if own is not None and own.share else None,
            "partner": other.values() if partner_visible and other is not None and other.share else None,
        })
    total = sum(n for _w, n in weeks)
    return {
        "partner_name": partner.name if partner is not None else "",
        "partner_shares": partner_visible,
        "rhythm": rhythm_text(rhythm),
        "depth": couple.depth,
        "talks_last_8_weeks": total,
        "per_week": round(total / len(weeks), 1) if weeks else 0.0,
        "rows": rows,
    }
