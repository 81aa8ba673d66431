"""On every page a person, a therapist or a visitor can open, at 320 px wide: nothing scrolls sideways,
the crisis control opens in one tap, axe-core finds no serious or critical problem, and nothing is
fetched from another origin.

The pages come from the authorisation matrix rows, so a new page is covered as soon as it has a row.
"""

from __future__ import annotations

import pytest

from nearer.testing import OK
from tests.browser.conftest import axe_violations, signed_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PERSONAS = ["anonymous", "owner", "therapist", "partner"]


def _pages(world, persona):
    from django.urls import reverse

    from tests.test_authorization_matrix import ROWS

    urls: list[str] = []
    for row in ROWS:
        if row.api or row.method != "GET" or row.outcomes.get(persona) != OK:
            continue
        if row.name in {"healthz", "account_logout", "mfa_download_recovery_codes"}:
            continue
        try:
            if row.setup:
                row.setup(world)
            kwargs = row.kwargs(world) if row.kwargs else {}
        except Exception as exc:  # a page the crawl cannot open fails the crawl, never drops out of it
            raise AssertionError(f"{row.name}: could not build the page for {persona} ({type(exc).__name__})") from exc
        urls.append(reverse(row.name, kwargs=kwargs) + (f"?{row.query}" if row.query else ""))
    return sorted(set(urls))


@pytest.mark.parametrize("persona", PERSONAS)
def test_crisis_control_and_accessibility_on_every_page(new_page, live_server, persona):
    from conftest import build_world

    world = build_world()
    page = new_page(phone=True)
    page.set_viewport_size({"width": 320, "height": 640})
    user = world.user(persona)
    if user is not None:
        signed_in(page, user, live_server.url)
    problems = []
    pages = _pages(world, persona)
    assert len(pages) >= 5
    for url in pages:
        try:
            response = page.goto(live_server.url + url)
        except Exception as exc:  # noqa: BLE001
            if "Download is starting" in str(exc):
                continue  # a file download (CSV, PDF, zip), not a page
            raise
        if response is None or response.status >= 400:
            problems.append(f"{url}: status {response.status if response else 'none'}")
            continue
        if "application/json" in (response.headers.get("content-type") or "") or not page.locator("#crisis-control").count():
            if "text/html" in (response.headers.get("content-type") or ""):
                problems.append(f"{url}: no crisis control")
            continue
        overflow = page.evaluate("document.documentElement.scrollWidth - document.documentElement.clientWidth")
        if overflow > 1:
            problems.append(f"{url}: {overflow}px wider than a 320px screen")
        summary = page.locator("#crisis-control summary")
        summary.click()
        panel = page.locator("#crisis-control .crisis-panel")
        try:
            panel.wait_for(state="visible", timeout=5_000)
        except Exception:  # noqa: BLE001 - reported below as a problem with this page
            pass
        if not panel.is_visible() or panel.locator("a[href='tel:988']").count() != 1:
            problems.append(f"{url}: crisis panel did not open with 988 in one tap")
        summary.click()
        for v in axe_violations(page):
            problems.append(f"{url}: axe {v['impact']} {v['id']}: {v['help']}")
    assert not problems, "\n".join(problems)
