"""Phone first, part two: "What goes with harder days" as a compact chart a person can read and open
row by row at 390 px, and native date/time pickers that look like the app's other fields."""

from __future__ import annotations

import os
from datetime import timedelta
from typing import Any

import pytest
from playwright.sync_api import expect

from tests.browser.conftest import axe_violations, signed_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

SHOTS = os.environ.get("NEARER_SCREENSHOTS", "")


def _shot(page: Any, name: str) -> None:
    if SHOTS:
        os.makedirs(SHOTS, exist_ok=True)
        page.screenshot(path=os.path.join(SHOTS, name), full_page=True)


def _diary_with_factors(person: Any) -> None:
    """28 days: work on 10 (mood lower), sleep 6 or 8 hours, money on 3 days only (held back)."""
    from nearer.diary.models import CheckIn, local_today

    today = local_today(person)
    rows = []
    for k in range(28):
        work = k % 3 == 0
        stressors = (["work"] if work else []) + (["money"] if k in (2, 9, 15) else [])
        sleep = 8.0 if k % 2 else 6.0
        mood = 4 + (0 if work else 2) + (1 if sleep > 7 else 0) + (k % 4 == 1)
        rows.append(CheckIn(person=person, local_date=today - timedelta(days=k), mood=mood, closeness=5 + (k % 3),
                            stressors=stressors, hours_slept=sleep, exercise_minutes=(30 if k % 5 == 0 else 0)))
    CheckIn.objects.bulk_create(rows)


def _small_text(page: Any, selector: str) -> list[str]:
    """Visible text (HTML and SVG) under ``selector`` whose computed size is below 12 px."""
    return page.evaluate("""(sel) => {
      const out = [];
      for (const el of document.querySelectorAll(sel + ' *')) {
        const own = [...el.childNodes].some(n => n.nodeType === 3 && n.textContent.trim());
        if (!own || !el.getClientRects().length) continue;
        const r = el.getBoundingClientRect();
        if (r.width === 0 || r.height === 0) continue;
        let size = parseFloat(getComputedStyle(el).fontSize);
        const svg = el.closest('svg');
        if (svg && svg.viewBox && svg.viewBox.baseVal && svg.viewBox.baseVal.width) {
          size = size * svg.getBoundingClientRect().width / svg.viewBox.baseVal.width;
        }
        if (size < 12) out.push(el.textContent.trim() + ' ' + size);
      }
      return out;
    }""", selector)


@pytest.mark.parametrize(("locale", "title", "chance", "hidden"), [
    ("en-US", "What goes with harder days", "some can look linked just by chance", "Money: 3 days with, 25 without"),
    ("es-ES", "Qué acompaña a los días más difíciles", "solo por casualidad", "Dinero: 3 días con, 25 sin"),
], ids=["en", "es"])
def test_harder_days_chart_on_a_phone(new_page: Any, live_server: Any, world: Any, locale: str, title: str,
                                      chance: str, hidden: str) -> None:
    _diary_with_factors(world.owner)
    page = signed_in(new_page(phone=True, locale=locale), world.owner, live_server.url)
    page.goto("/diary/loop/")
    section = page.locator("section.factors-card")
    expect(section.get_by_role("heading", name=title)).to_be_visible()
    rows = section.locator("details.forest-row")
    # Work (10 with, 18 without) and sleep (14 above the median, 14 not) qualify; money (3 days) does not.
    expect(rows).to_have_count(2)
    expect(section.locator('[data-factor="work"]')).to_have_count(1)
    expect(section.locator('[data-factor="money"]')).to_have_count(0)
    expect(section.get_by_text(chance)).to_be_visible()
    expect(section.get_by_text(hidden)).to_be_visible()
    # Compact: each row is one tap target at least 44 px tall, nothing wider than the phone.
    for i in range(rows.count()):
        box = rows.nth(i).locator("summary").bounding_box()
        assert box is not None and box["height"] >= 44 and box["x"] + box["width"] <= 390
        svg = rows.nth(i).locator("svg.forest-svg").bounding_box()
        assert svg is not None and svg["width"] >= 250  # the interval has room at 390 px
    assert page.evaluate("document.documentElement.scrollWidth") <= 390
    assert _small_text(page, "section.factors-card") == []
    # The work row: a filled dot left of the zero line (mood lower on work days).
    work = section.locator('[data-factor="work"]')
    point = work.locator("circle.forest-point")
    zero = work.locator("line.forest-zero")
    assert float(point.get_attribute("cx") or 0) < float(zero.get_attribute("x1") or 0)
    assert point.get_attribute("fill") == "#2f5d8a"
    # Details a tap away.
    detail = work.locator(".forest-detail")
    expect(detail).to_be_hidden()
    if SHOTS:
        section.screenshot(path=os.path.join(SHOTS, f"harder-days-390-{locale}.png"))
    work.locator("summary").click()
    expect(detail).to_be_visible()
    expect(detail.locator("p").first).to_contain_text("points lower" if locale == "en-US" else "puntos más bajo")
    if SHOTS:
        section.screenshot(path=os.path.join(SHOTS, f"harder-days-390-{locale}-open.png"))
    assert axe_violations(page) == []


def test_harder_days_chart_on_a_laptop(browser: Any, live_server: Any, world: Any) -> None:
    _diary_with_factors(world.owner)
    ctx = browser.new_context(viewport={"width": 1280, "height": 800}, base_url=live_server.url, service_workers="block")
    try:
        page = signed_in(ctx.new_page(), world.owner, live_server.url)
        page.goto("/diary/loop/")
        rows = page.locator("details.forest-row")
        expect(rows).to_have_count(2)
        # Side by side on a wide screen: the label on the left, the interval on the right, one line each.
        label = rows.first.locator(".forest-label").bounding_box()
        svg = rows.first.locator("svg.forest-svg").bounding_box()
        assert label is not None and svg is not None and svg["x"] > label["x"] + label["width"]
        assert _small_text(page, "section.factors-card") == []
        _shot(page, "harder-days-1280.png")
        assert axe_violations(page) == []
    finally:
        ctx.close()


def test_loop_diagram_arrowheads_sit_outside_the_circles_in_the_browser(new_page: Any, live_server: Any, world: Any) -> None:
    from nearer.diary.demo import seed_checkins

    seed_checkins(world.owner, 20261121)
    page = signed_in(new_page(phone=True), world.owner, live_server.url)
    page.goto("/diary/loop/")
    expect(page.locator("svg.loop-diagram")).to_be_visible()
    # Every arrowhead's rendered box keeps clear of both circles' rendered discs (rounded bounding boxes).
    overlaps = page.evaluate("""() => {
      const svg = document.querySelector('svg.loop-diagram');
      const circles = [...svg.querySelectorAll('circle')].map(c => ({x: c.cx.baseVal.value, y: c.cy.baseVal.value, r: c.r.baseVal.value}));
      const bad = [];
      for (const head of svg.querySelectorAll('path.arrowhead')) {
        const len = head.getTotalLength();
        for (let i = 0; i <= 60; i++) {
          const p = head.getPointAtLength(len * i / 60);
          for (const c of circles) if (Math.hypot(p.x - c.x, p.y - c.y) < c.r + 1) bad.push([p.x, p.y]);
        }
      }
      return bad;
    }""")
    assert overlaps == []
    assert page.locator("svg.loop-diagram path.arrowhead").count() == 4
    # Its numbers are readable on the phone, and no label runs off the diagram's edge.
    assert _small_text(page, "figure.loop-figure") == []
    clipped = page.evaluate("""() => { const svg = document.querySelector('svg.loop-diagram');
      return [...svg.querySelectorAll('text')].filter(t => { const b = t.getBBox(); return b.x < 0 || b.x + b.width > 320; })
        .map(t => t.textContent); }""")
    assert clipped == []
    if SHOTS:
        page.locator("figure.loop-figure").screenshot(path=os.path.join(SHOTS, "loop-diagram-390.png"))


def _picker_pages(world: Any) -> list[tuple[Any, str]]:
    return [
        (world.owner, "/ops/reminders/"),
        (world.owner, "/welcome/?step=2"),
        (world.owner, "/together/rhythm/"),
        (world.owner, "/practice/experiments/new/"),
        (world.therapist, f"/clinic/clients/{world.owner.pk}/"),
    ]


@pytest.mark.parametrize("phone", [True, False], ids=["phone", "laptop"])
def test_date_and_time_pickers_look_like_the_apps_fields(new_page: Any, live_server: Any, world: Any, phone: bool) -> None:
    seen = 0
    for user, path in _picker_pages(world):
        page = signed_in(new_page(phone=phone), user, live_server.url)
        page.goto(path)
        pickers = page.locator("input[type=date], input[type=time], input[type=datetime-local]")
        assert pickers.count() >= 1, path
        reference = page.evaluate("""() => {
          const probe = document.createElement('input'); probe.type = 'text'; document.querySelector('main').appendChild(probe);
          const s = getComputedStyle(probe);
          const out = {radius: s.borderTopLeftRadius, border: s.borderTopColor, width: s.borderTopWidth};
          probe.remove(); return out; }""")
        for i in range(pickers.count()):
            el = pickers.nth(i)
            if not el.is_visible():
                continue
            seen += 1
            style = el.evaluate("""e => { const s = getComputedStyle(e); return {radius: s.borderTopLeftRadius,
              border: s.borderTopColor, width: s.borderTopWidth, scheme: s.colorScheme, font: parseFloat(s.fontSize),
              bg: s.backgroundColor}; }""")
            box = el.bounding_box()
            assert box is not None and box["height"] >= 44, (path, box)
            assert box["x"] >= 0 and box["x"] + box["width"] <= (390 if phone else 1280), (path, box)
            assert (style["radius"], style["border"], style["width"]) == (reference["radius"], reference["border"], reference["width"]), path
            assert style["scheme"] == "light" and style["font"] >= 16 and style["bg"] == "rgb(255, 255, 255)", (path, style)
        if phone and path.startswith("/practice"):
            _shot(page, "pickers-experiment-390.png")
        if phone and path.startswith("/clinic"):
            _shot(page, "pickers-clinic-390.png")
        assert axe_violations(page) == [], path
        page.context.close()
    assert seen >= 5


@pytest.mark.parametrize(("locale", "more", "legend", "no", "skip"), [
    ("en-US", "More (optional)", "I felt heard", "No", "Didn't come up"),
    ("es-ES", "Más (opcional)", "Me sentí escuchado", "No", "No surgió"),
], ids=["en", "es"])
def test_no_and_didnt_come_up_look_different(new_page: Any, live_server: Any, world: Any, locale: str, more: str,
                                             legend: str, no: str, skip: str) -> None:
    page = signed_in(new_page(phone=True, locale=locale), world.owner, live_server.url)
    page.goto("/diary/")
    page.get_by_text(more).click()
    group = page.locator("fieldset.chips-field", has_text=legend)
    no_chip = group.locator("label.chip", has_text=no).filter(has_not_text=skip)
    skip_chip = group.locator("label.chip-skip")
    expect(skip_chip).to_have_text(skip)
    expect(skip_chip.locator("input")).to_be_checked()  # the default

    def look(chip: Any) -> dict[str, str]:
        return chip.locator("span").evaluate("e => { const s = getComputedStyle(e); return {border: s.borderTopStyle, bg: s.backgroundColor, style: s.fontStyle}; }")

    chosen_skip = look(skip_chip)
    no_chip.click()
    expect(no_chip.locator("input")).to_be_checked()
    chosen_no = look(no_chip)
    assert chosen_skip["border"] != chosen_no["border"] or chosen_skip["bg"] != chosen_no["bg"]
    assert chosen_no["bg"] != chosen_skip["bg"] and chosen_skip["style"] == "italic"
    if SHOTS:
        group.screenshot(path=os.path.join(SHOTS, f"no-vs-skip-390-{locale}.png"))
    assert axe_violations(page) == []
