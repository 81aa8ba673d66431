"""Offline: crisis help opens without a connection, and a check-in kept offline is sent exactly once."""

from __future__ import annotations

from typing import Any

import pytest
from playwright.sync_api import expect

from tests.browser.conftest import signed_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True), pytest.mark.urls("nearer.ops.tests.urls")]


def _ready(page: Any) -> None:
    page.wait_for_function("() => navigator.serviceWorker && navigator.serviceWorker.controller !== null", timeout=10_000)
    # The worker has kept this person's offline page and plan (it says so once it has).
    page.wait_for_function("() => document.documentElement.dataset.offlineReady", timeout=15_000)
    page.reload()  # now through the service worker, which keeps a copy of the page


def test_crisis_page_and_safety_plan_open_offline(new_page: Any, live_server: Any, world: Any) -> None:
    from nearer.safety.services import save_plan

    save_plan(world.owner, world.owner, {"warning_signs": "Plan words for offline"})
    page = signed_in(new_page(service_workers=True), world.owner, live_server.url)
    page.goto("/ops/offline/")
    _ready(page)
    page.goto("/safety/plan/")  # a visit with a connection keeps a copy
    assert "Plan words for offline" in page.content()
    page.context.set_offline(True)
    r = page.goto("/help/")
    assert r is not None and r.from_service_worker
    expect(page.locator("h1").first).to_be_visible()
    assert "988" in page.content()
    page.goto("/safety/plan/")
    assert "Plan words for offline" in page.content()
    page.goto("/diary/trends/")  # not kept: the offline page instead
    expect(page.locator("#offline-help")).to_be_visible()


def test_offline_checkin_is_sent_once_when_back_online(new_page: Any, live_server: Any, world: Any) -> None:
    from nearer.diary.models import CheckIn

    page = signed_in(new_page(service_workers=True), world.owner, live_server.url)
    page.goto("/ops/offline/")
    _ready(page)
    page.context.set_offline(True)
    page.locator("label[for=oc-mood-4]").click()
    page.locator("label[for=oc-closeness-7]").click()
    page.click("text=Keep this check-in")
    page.wait_for_function("() => JSON.parse(localStorage.getItem('nearer.checkinQueue.v1') || '[]').length === 1")
    assert CheckIn.objects.count() == 0
    # The first send reaches the server but its answer is lost: the queue keeps it and sends again,
    # with the same Idempotency-Key, so the server still has one check-in.
    lost = {"n": 0, "posts": 0, "keys": set()}

    def lose_first_answer(route: Any) -> None:
        if route.request.method == "POST":
            lost["posts"] += 1
            lost["keys"].add(route.request.headers.get("idempotency-key"))
        if route.request.method == "POST" and lost["n"] == 0:
            lost["n"] += 1
            route.fetch()
            route.abort()
        else:
            route.fallback()

    page.context.route("**/api/diary/checkins", lose_first_answer)
    page.context.set_offline(False)  # the "online" event starts the send
    for _ in range(50):
        if lost["n"]:
            break
        page.wait_for_timeout(100)
    page.evaluate("() => window.nearerOffline.flush()")  # the send in progress, or the retry
    page.evaluate("() => window.nearerOffline.flush()")
    assert page.evaluate("() => window.nearerOffline.queue()") == []
    # Sent again after the lost answer (how many times depends on timing: the "online" event and
    # the flushes may overlap), always with one key; the server kept one check-in.
    assert lost["n"] == 1 and lost["posts"] >= 2 and len(lost["keys"]) == 1
    page.reload()
    page.evaluate("() => window.nearerOffline.flush()")
    rows = list(CheckIn.objects.values_list("person_id", "mood", "closeness", "source"))
    assert rows == [(world.owner.pk, 4, 7, "api")]
