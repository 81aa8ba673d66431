"""Page data for the diary: trends, the loop and what goes with harder days, as plain data.

All numbers come from :mod:`nearer.analysis`; this module fetches the rows (one query per page
section, whatever the number of check-ins), calls the engine and writes the plain sentences.
The clinic pages reuse :func:`trends_for`, :func:`loop_for` and :func:`factors_for` (the caller
must already have authorised the read through ``nearer.privacy.access``).
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from datetime import date, timedelta
from typing import Any

import numpy as np
from django.utils.formats import number_format
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from nearer.analysis.factors import FACTOR_MIN_DAYS_EACH_SIDE, factor_effects
from nearer.analysis.forest import forest_rows, forest_scale
from nearer.analysis.loop import MIN_PAIRS_FOR_LOOP, Estimate, LoopPopulation, PersonLoop, fit_person_loop
from nearer.analysis.loop_geometry import Circle, curved_arrow
from nearer.analysis.trends import rolling_median, summarise_trend
from nearer.diary.models import STRESSORS, CheckIn, local_today

TREND_WEEKS = 12
SUMMARY_DAYS = 28

# Chart geometry (SVG user units); the SVG scales to the screen width.
W, H = 320.0, 170.0
LEFT, RIGHT, TOP, BOTTOM = 26.0, 8.0, 8.0, 24.0


@dataclass(frozen=True)
class Rows:
    day: np.ndarray  # ordinal day numbers
    mood: np.ndarray
    closeness: np.ndarray
    hours_slept: np.ndarray
    exercise: np.ndarray
    stressors: list[list[str]]

    @property
    def n(self) -> int:
        return int(self.day.size)


def diary_rows(person: Any, since: date | None = None) -> Rows:
    """One query: the person's check-in numbers as arrays, oldest first."""
    qs = CheckIn.objects.filter(person=person)
    if since is not None:
        qs = qs.filter(local_date__gte=since)
    data = list(qs.order_by("local_date").values_list(
        "local_date", "mood", "closeness", "hours_slept", "exercise_minutes", "stressors"))
    return Rows(
        day=np.array([r[0].toordinal() for r in data], dtype=np.int64),
        mood=np.array([r[1] for r in data], dtype=float),
        closeness=np.array([r[2] for r in data], dtype=float),
        hours_slept=np.array([np.nan if r[3] is None else float(r[3]) for r in data], dtype=float),
        exercise=np.array([np.nan if r[4] is None else float(r[4]) for r in data], dtype=float),
        stressors=[list(r[5] or []) for r in data],
    )


def num(x: float, places: int = 1) -> str:
    """A number for a sentence, in the reader's language, without a minus zero."""
    value = round(float(x), places)
    if value == 0:
        value = 0.0
    return number_format(value, places)


# --- Trends -----------------------------------------------------------------------------------------


def _segments(xs: list[float], ys: list[float]) -> list[list[tuple[float, float]]]:
    out: list[list[tuple[float, float]]] = []
    cur: list[tuple[float, float]] = []
    for x, y in zip(xs, ys, strict=True):
        if math.isfinite(y):
            cur.append((round(x, 1), round(y, 1)))
        elif cur:
            out.append(cur)
            cur = []
    if cur:
        out.append(cur)
    return out


def chart_geometry(day: np.ndarray, values: np.ndarray, start: date, end: date, *, window: int = 7) -> dict[str, Any]:
    """SVG coordinates for raw points, the rolling median line and its band over ``start..end``."""
    span = max((end - start).days, 1)
    plot_w, plot_h = W - LEFT - RIGHT, H - TOP - BOTTOM

    def x(d: int) -> float:
        return LEFT + (d - start.toordinal()) / span * plot_w

    def y(v: float) -> float:
        return TOP + (10.0 - v) / 10.0 * plot_h

    # Rows before ``start`` only warm up the rolling median; they are not drawn (they would sit left of the axis).
    first, last = start.toordinal(), end.toordinal()
    points = [{"x": round(x(int(d)), 1), "y": round(y(float(v)), 1)} for d, v in zip(day, values, strict=True)
              if math.isfinite(v) and first <= int(d) <= last]
    lines: list[str] = []
    bands: list[str] = []
    if day.size:
        trend = rolling_median(day, values, window=window, min_count=4)
        keep = trend.day >= start.toordinal()
        xs = [x(int(d)) for d in trend.day[keep]]
        for seg in _segments(xs, [y(v) if math.isfinite(v) else math.nan for v in trend.median[keep]]):
            lines.append("M" + " L".join(f"{a} {b}" for a, b in seg))
        hi = _segments(xs, [y(v) if math.isfinite(v) else math.nan for v in trend.high[keep]])
        lo = _segments(xs, [y(v) if math.isfinite(v) else math.nan for v in trend.low[keep]])
        for top, bottom in zip(hi, lo, strict=False):
            ring = top + list(reversed(bottom))
            bands.append("M" + " L".join(f"{a} {b}" for a, b in ring) + " Z")
    ticks = []
    first_monday = start + timedelta(days=(7 - start.weekday()) % 7)
    d = first_monday
    while d <= end:
        ticks.append({"x": round(x(d.toordinal()), 1), "date": d, "label": (d - first_monday).days % 28 == 0})
        d += timedelta(days=7)
    grid = [{"y": round(y(v), 1), "value": v} for v in (0, 5, 10)]
    return {"width": W, "height": H, "points": points, "lines": lines, "bands": bands, "ticks": ticks, "grid": grid,
            "left": LEFT, "right": W - RIGHT, "bottom": H - BOTTOM, "label_y": H - 6}


def _trend_sentence(kind: str, day: np.ndarray, values: np.ndarray, today: date, own: bool) -> str:
    what = {
        ("mood", True): _("your mood"),
        ("mood", False): _("their mood"),
        ("closeness", True): _("how close you felt"),
        ("closeness", False): _("how close they felt"),
    }[(kind, own)]
    t0 = today.toordinal()
    recent = day > t0 - SUMMARY_DAYS
    n_recent = int(np.isfinite(values[recent]).sum())
    if n_recent < 7:
        return ngettext("There is %(n)s check-in in the last 4 weeks; a summary of %(what)s appears after 7.",
                        "There are %(n)s check-ins in the last 4 weeks; a summary of %(what)s appears after 7.",
                        n_recent) % {"n": n_recent, "what": what}
    band = rolling_median(day[recent], values[recent], window=SUMMARY_DAYS, min_count=7)
    low, high = int(round(band.low[-1])), int(round(band.high[-1]))
    if low == high:
        first = _("Over the last 4 weeks, %(what)s has mostly been around %(value)s") % {"what": what, "value": low}
    else:
        first = _("Over the last 4 weeks, %(what)s has mostly been between %(low)s and %(high)s") % {
            "what": what, "low": low, "high": high}
    # Compared with the 4 weeks before, relative to today: medians, at least 7 answers each,
    # steady within half a point (the engine's rule).
    summary = summarise_trend(day, values, span_days=SUMMARY_DAYS, min_count=7, steady_within=0.5,
                              start_day=t0 - 2 * SUMMARY_DAYS + 1, end_day=t0)
    if summary.n_first < 7 or not np.isfinite(summary.change):
        return first + "."
    change = summary.change
    if change > 0.5:
        tail = _("a little higher than the 4 weeks before") if change <= 1.5 else _("higher than the 4 weeks before")
    elif change < -0.5:
        tail = _("a little lower than the 4 weeks before") if change >= -1.5 else _("lower than the 4 weeks before")
    else:
        tail = _("about the same as the 4 weeks before")
    return _("%(first)s, %(tail)s.") % {"first": first, "tail": tail}


def trends_for(person: Any, *, today: date | None = None, weeks: int = TREND_WEEKS, own: bool = True) -> dict[str, Any]:
    """Mood and closeness over the last ``weeks`` weeks: chart geometry and one sentence each."""
    today = today or local_today(person)
    start = today - timedelta(days=weeks * 7 - 1)
    # The 4-weeks-before comparison and the first medians need days before the chart starts.
    since = min(start, today - timedelta(days=2 * SUMMARY_DAYS)) - timedelta(days=6)
    rows = diary_rows(person, since)
    charts = []
    titles = {"mood": _("Mood"), "closeness": _("Closeness to your partner") if own else _("Closeness to their partner")}
    for kind in ("mood", "closeness"):
        values = rows.mood if kind == "mood" else rows.closeness
        geom = chart_geometry(rows.day, values, start, today)
        in_view = rows.day >= start.toordinal()
        charts.append({
            "key": kind,
            "title": titles[kind],
            "summary": _trend_sentence(kind, rows.day, values, today, own),
            "geometry": geom,
            "n_points": int(in_view.sum()),
        })
    return {"start": start, "end": today, "weeks": weeks, "n_checkins": int((rows.day >= start.toordinal()).sum()),
            "charts": charts}


def sparkline(person: Any, *, today: date | None = None, days: int = 14) -> dict[str, Any]:
    """A tiny mood line over the last ``days`` days for the home panel (gaps stay gaps)."""
    today = today or local_today(person)
    start = today - timedelta(days=days - 1)
    data = dict(CheckIn.objects.filter(person=person, local_date__gte=start, local_date__lte=today)
                .values_list("local_date", "mood"))
    w, h, pad = 140.0, 36.0, 3.0
    xs, ys = [], []
    for i in range(days):
        d = start + timedelta(days=i)
        xs.append(pad + i * (w - 2 * pad) / (days - 1))
        v = data.get(d)
        ys.append(math.nan if v is None else pad + (10 - v) / 10 * (h - 2 * pad))
    segs = _segments(xs, ys)
    return {"width": w, "height": h, "paths": ["M" + " L".join(f"{a} {b}" for a, b in s) for s in segs if len(s) > 1],
            "dots": [{"x": s[0][0], "y": s[0][1]} for s in segs if len(s) == 1], "n": len(data),
            "today_done": today in data, "today": today}


# --- The loop ---------------------------------------------------------------------------------------


def population_prior() -> LoopPopulation | None:
    """The stored population prior, however old; None means the engine's built-in default.

    Never refits: a page read must not load everyone's check-ins.  The nightly job and
    ``nearer loop refit`` refit it (:func:`nearer.diary.tasks.refit_loops`).  One query,
    reading only the latest row.
    """
    from nearer.diary.models import LoopPopulation as StoredPopulation

    row = StoredPopulation.objects.order_by("-fitted_at").only("data").first()
    if row is None or not row.data:
        return None
    try:
        return LoopPopulation.from_dict(row.data)
    except (KeyError, ValueError, TypeError):
        return None


def _effect(est: Estimate) -> dict[str, Any]:
    return {"value": est.value, "low": est.low, "high": est.high, "clear": est.excludes_zero,
            "up": est.value > 0, "text": num(est.value), "low_text": num(est.low), "high_text": num(est.high)}


def _places(est: Estimate) -> int:
    # Small intervals that exclude zero would round to "0.0"; show one more decimal then.
    return 2 if est.excludes_zero and min(abs(est.low), abs(est.high)) < 0.05 else 1


def loop_sentences(fit: PersonLoop) -> dict[str, str]:
    """Plain sentences for the four numbers; never causal, honest when the interval crosses zero."""
    out: dict[str, str] = {}
    c2m, m2c = fit.closeness_to_mood, fit.mood_to_closeness

    def fmt(e: Estimate) -> dict[str, str]:
        p = _places(e)
        if e.value < 0 and e.excludes_zero:
            return {"v": num(-e.value, p), "lo": num(-e.high, p), "hi": num(-e.low, p)}
        return {"v": num(e.value, p), "lo": num(e.low, p), "hi": num(e.high, p)}

    if c2m.excludes_zero and c2m.value > 0:
        out["closeness_to_mood"] = _("On days after feeling closer than usual (by 1 point), mood tended to be %(v)s points higher (likely between %(lo)s and %(hi)s).") % fmt(c2m)
    elif c2m.excludes_zero:
        out["closeness_to_mood"] = _("On days after feeling closer than usual (by 1 point), mood tended to be %(v)s points lower (likely between %(lo)s and %(hi)s lower).") % fmt(c2m)
    else:
        out["closeness_to_mood"] = _("No clear pattern yet from closeness to the next day's mood: the estimate is %(v)s points per point of closeness, likely between %(lo)s and %(hi)s, a range that includes no link at all.") % fmt(c2m)
    if m2c.excludes_zero and m2c.value > 0:
        out["mood_to_closeness"] = _("On days after a better mood than usual (by 1 point), closeness tended to be %(v)s points higher (likely between %(lo)s and %(hi)s).") % fmt(m2c)
    elif m2c.excludes_zero:
        out["mood_to_closeness"] = _("On days after a better mood than usual (by 1 point), closeness tended to be %(v)s points lower (likely between %(lo)s and %(hi)s lower).") % fmt(m2c)
    else:
        out["mood_to_closeness"] = _("No clear pattern yet from mood to the next day's closeness: the estimate is %(v)s points per point of mood, likely between %(lo)s and %(hi)s, a range that includes no link at all.") % fmt(m2c)
    for key, est, label in (("mood_inertia", fit.mood_inertia, _("Mood")), ("closeness_inertia", fit.closeness_inertia, _("Closeness"))):
        if est.excludes_zero and est.value > 0:
            out[key] = _("%(what)s carries over: after a day 1 point above usual, the next day tended to be %(v)s points above usual too (likely between %(lo)s and %(hi)s).") % {"what": label, **fmt(est)}
        elif est.excludes_zero:
            out[key] = _("%(what)s tends to swing back: after a day 1 point above usual, the next day tended to be %(v)s points below usual (likely between %(lo)s and %(hi)s below).") % {"what": label, **fmt(est)}
        else:
            out[key] = _("%(what)s does not clearly carry over from one day to the next yet (estimate %(v)s, likely between %(lo)s and %(hi)s).") % {"what": label, **fmt(est)}
    return out


def _stroke(est: Estimate) -> float:
    return round(1.5 + 7.0 * min(abs(est.value), 1.0), 1)


# The loop diagram (viewBox 0 0 320 250): two circles, an arc each way, a self-loop on each.
LOOP_CLOSENESS = Circle(85.0, 125.0, 40.0)
LOOP_MOOD = Circle(235.0, 125.0, 40.0)
#: Circle outline width in the diagram (the arrows keep clear of its outer half too).
LOOP_CIRCLE_STROKE = 2.0
LOOP_ARROW_GAP = 4.0
LOOP_HEAD_LENGTH = 10.0


def loop_arrows(strokes: dict[str, float]) -> dict[str, dict[str, Any]]:
    """Path data for the four arrows, each with its line width; arrowheads stop outside the circles.

    ``strokes`` maps ``closeness_to_mood``, ``mood_to_closeness``, ``closeness_inertia`` and
    ``mood_inertia`` to line widths; the arrowhead is wider than its line so it always reads as one.
    """
    c, m = LOOP_CLOSENESS, LOOP_MOOD
    layout = {
        "closeness_to_mood": (c, -50.0, m, -130.0, [(160.0, 40.0)]),
        "mood_to_closeness": (m, 130.0, c, 50.0, [(160.0, 210.0)]),
        "closeness_inertia": (c, -120.0, c, 168.0, [(30.0, 50.0), (0.0, 120.0)]),
        "mood_inertia": (m, -60.0, m, 12.0, [(290.0, 50.0), (320.0, 120.0)]),
    }
    out = {}
    for key, (src, a0, dst, a1, controls) in layout.items():
        width = float(strokes[key])
        gap = LOOP_ARROW_GAP + LOOP_CIRCLE_STROKE / 2
        arrow = curved_arrow(src, a0, dst, a1, controls, gap=gap, start_gap=gap + width / 2,
                             head_length=LOOP_HEAD_LENGTH, head_width=width + 7.0)
        out[key] = {"path": arrow.path, "head": arrow.head_path, "stroke": width, "arrow": arrow}
    return out


def loop_for(person: Any, *, today: date | None = None, population: LoopPopulation | None = None,
             use_stored_population: bool = True) -> dict[str, Any]:
    """The person's loop: pair counts, the four estimates with 90% intervals, sentences and diagram data."""
    today = today or local_today(person)
    rows = diary_rows(person)
    if population is None and use_stored_population:
        population = population_prior()
    fit = fit_person_loop(rows.day, rows.mood, rows.closeness, population)
    chain_open = rows.n > 0 and int(rows.day[-1]) >= today.toordinal() - 1
    days_needed = fit.pairs_needed + (0 if chain_open or fit.pairs_needed == 0 else 1)
    data: dict[str, Any] = {
        "n_pairs": fit.n_pairs,
        "n_days": fit.n_days,
        "n_checkins": rows.n,
        "min_pairs": MIN_PAIRS_FOR_LOOP,
        "enough": fit.enough_data,
        "pairs_needed": fit.pairs_needed,
        "days_needed": days_needed,
        "level_percent": int(round(fit.level * 100)),
        "singular": fit.singular,
        "prior": str(fit.prior),
        "fit": fit,
    }
    if fit.enough_data:
        data["effects"] = {
            "closeness_to_mood": _effect(fit.closeness_to_mood),
            "mood_to_closeness": _effect(fit.mood_to_closeness),
            "mood_inertia": _effect(fit.mood_inertia),
            "closeness_inertia": _effect(fit.closeness_inertia),
        }
        for key, est in (("closeness_to_mood", fit.closeness_to_mood), ("mood_to_closeness", fit.mood_to_closeness),
                         ("mood_inertia", fit.mood_inertia), ("closeness_inertia", fit.closeness_inertia)):
            data["effects"][key]["stroke"] = _stroke(est)
        arrows = loop_arrows({k: v["stroke"] for k, v in data["effects"].items()})
        for key, arrow in arrows.items():
            data["effects"][key]["path"] = arrow["path"]
            data["effects"][key]["head"] = arrow["head"]
        data["sentences"] = loop_sentences(fit)
    return data


# --- What goes with harder days ----------------------------------------------------------------------


def _difference_sentence(when: str, diff: Any) -> str:
    """``when`` is a phrase like "On days you marked “work”"; the rest says how mood compared."""
    p = {"when": when, "v": num(abs(diff.difference)), "lo": num(diff.low), "hi": num(diff.high)}
    if diff.low > 0:
        return _("%(when)s, mood tended to be %(v)s points higher than on other days (likely between %(lo)s and %(hi)s).") % p
    if diff.high < 0:
        p["lo"], p["hi"] = num(-diff.high), num(-diff.low)
        return _("%(when)s, mood tended to be %(v)s points lower than on other days (likely between %(lo)s and %(hi)s lower).") % p
    p["v"] = num(diff.difference)
    return _("%(when)s, mood was not clearly different from other days (estimate %(v)s, likely between %(lo)s and %(hi)s).") % p


def _short(x: float) -> str:
    return num(x, 0) if float(x).is_integer() else num(x, 1)


#: Drawing units of one forest row (the SVG scales with the width of the page).
FOREST_WIDTH, FOREST_ROW_HEIGHT, FOREST_PAD = 300.0, 24.0, 10.0


def _signed(x: float) -> str:
    """A signed number for the chart rows, with a true minus sign (as on the axis)."""
    text = num(x)
    return "+" + text if x > 0 else text.replace("-", "\u2212")


def factors_for(person: Any) -> dict[str, Any]:
    """Sleep, exercise and each stressor against same-day and next-day mood, with a forest chart.

    A factor is shown only with at least :data:`FACTOR_MIN_DAYS_EACH_SIDE` days with it and as
    many without; the others are listed in ``held_back`` with their counts so the page can say why.
    """
    rows = diary_rows(person)
    binary = {key: np.array([1.0 if key in s else 0.0 for s in rows.stressors]) for key, _label in STRESSORS}
    continuous = {"hours_slept": rows.hours_slept, "exercise_minutes": rows.exercise}
    items: list[dict[str, Any]] = []
    held_back: list[dict[str, Any]] = []
    if rows.n:
        results = factor_effects(rows.day, rows.mood, binary, continuous, min_each_side=FACTOR_MIN_DAYS_EACH_SIDE)
        for key in [*continuous, *binary]:
            res = results[key]
            if key in continuous:
                vals = continuous[key]
                known = vals[np.isfinite(vals)]
                if known.size == 0:
                    continue
                median = float(np.median(known))
                if key == "hours_slept":
                    name = _("Sleep")
                    row_label = _("More than %(n)s hours of sleep") % {"n": _short(median)}
                    on = _("On days after more than %(n)s hours of sleep") % {"n": _short(median)}
                    after = _("On the day after that")
                else:
                    name = _("Exercise")
                    row_label = _("More than %(n)s minutes of exercise") % {"n": _short(median)}
                    on = _("On days with more than %(n)s minutes of exercise") % {"n": _short(median)}
                    after = _("On the day after that")
            else:
                name = str(dict(STRESSORS)[key])
                row_label = name
                on = _("On days marked “%(stressor)s”") % {"stressor": name.lower()}
                after = _("On days after a day marked “%(stressor)s”") % {"stressor": name.lower()}
            if not res.sufficient:
                # A stressor never marked is not waiting for anything; one marked on a few days is.
                if res.same_day.n_with > 0:
                    held_back.append({"key": key, "name": name, "n_with": res.same_day.n_with,
                                      "n_without": res.same_day.n_without})
                continue
            d = res.same_day
            item = {"key": key, "name": name, "label": row_label, "same_day": d, "next_day": res.next_day,
                    "same_sentence": _difference_sentence(on, d),
                    "value_text": _signed(d.difference), "low_text": _signed(d.low), "high_text": _signed(d.high),
                    "clear": bool(d.low > 0 or d.high < 0)}
            if res.next_day.sufficient:
                item["next_sentence"] = _difference_sentence(after, res.next_day)
            items.append(item)
    chart = None
    if items:
        scale = forest_scale([i["same_day"].low for i in items], [i["same_day"].high for i in items],
                             left=FOREST_PAD, right=FOREST_WIDTH - FOREST_PAD)
        positions = forest_rows([(i["same_day"].difference, i["same_day"].low, i["same_day"].high) for i in items], scale)
        for item, pos in zip(items, positions, strict=True):
            item["row"] = pos
        n_lower = sum(1 for i in items if i["same_day"].high < 0)
        n_higher = sum(1 for i in items if i["same_day"].low > 0)
        chart = {"width": FOREST_WIDTH, "height": FOREST_ROW_HEIGHT, "mid": FOREST_ROW_HEIGHT / 2,
                 "zero": scale.zero, "limit_text": num(scale.limit, 0), "left": FOREST_PAD,
                 "right": FOREST_WIDTH - FOREST_PAD,
                 "summary": _factors_summary(len(items), n_lower, n_higher)}
    return {"items": items, "held_back": held_back, "min_each_side": FACTOR_MIN_DAYS_EACH_SIDE, "chart": chart}


def _factors_summary(n: int, n_lower: int, n_higher: int) -> str:
    """One plain sentence or two beside the chart (DESIGN: every chart has a summary)."""
    out = [ngettext("%(n)s thing compared.", "%(n)s things compared.", n) % {"n": n}]
    if n_lower == 0 and n_higher == 0:
        out.append(_("None of them went clearly with a lower or a higher mood so far."))
    if n_lower:
        out.append(ngettext("%(n)s of them went with a clearly lower mood.", "%(n)s of them went with a clearly lower mood.",
                            n_lower) % {"n": n_lower})
    if n_higher:
        out.append(ngettext("%(n)s of them went with a clearly higher mood.", "%(n)s of them went with a clearly higher mood.",
                            n_higher) % {"n": n_higher})
    return " ".join(out)
