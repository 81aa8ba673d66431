"""Offline, in the same browser that signed in: the check-in form and the person's own plan are there,
a check-in kept offline merges into the day's saved one (nothing the person wrote online is lost; a
changed answer is a choice), it is sent once, and a shared device never keeps the last person's plan."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

import pytest
from playwright.sync_api import expect

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True), pytest.mark.urls("nearer.ops.tests.urls")]

PASSWORD = "correct horse battery staple"


def _sign_in(page: Any, email: str) -> None:
    page.goto("/accounts/login/")
    page.locator("input[name=login]").fill(email)
    page.locator("input[name=password]").fill(PASSWORD)
    page.locator("main button[type=submit]").click()
    page.wait_for_url(lambda url: "/accounts/login/" not in url)


def _offline_kept_for(page: Any, user: Any) -> None:
    """Wait until the service worker has kept this person's offline page and plan."""
    page.wait_for_function(f"() => document.documentElement.dataset.offlineReady === '{user.pk}'", timeout=15_000)


@pytest.mark.parametrize("phone", [True, False], ids=["phone", "laptop"])
def test_offline_checkin_merges_with_the_days_saved_checkin(new_page: Any, live_server: Any, world: Any, phone: bool) -> None:
    from nearer.diary.models import CheckIn
    from nearer.safety.services import save_plan

    save_plan(world.owner, world.owner, {"warning_signs": "Sam's own warning signs"})
    page = new_page(phone=phone, service_workers=True)
    page.goto("/")  # the service worker installs while signed out
    page.wait_for_function("() => document.documentElement.dataset.offlineReady === '-'", timeout=15_000)
    _sign_in(page, world.owner.email)
    _offline_kept_for(page, world.owner)  # signing in refreshed what this device keeps for offline use
    # Online: a full check-in with a note, sleep and a stressor.
    page.goto("/diary/")
    page.locator("label.chip", has_text="6").first.click()
    page.locator("fieldset", has_text="How close").locator("label.chip", has_text="5").first.click()
    page.locator("details.more summary").click()
    page.get_by_label("Hours slept last night").fill("7.5")
    page.locator("label.chip", has_text="Work").click()
    page.get_by_label("Note (only you see it").fill("A long walk helped")
    page.get_by_role("button", name="Save check-in").click()
    page.wait_for_url("**/diary/trends/")

    page.context.set_offline(True)
    page.goto("/diary/")  # no connection: the offline page, with this person's check-in form
    expect(page.locator("#offline-checkin-form")).to_be_visible()
    page.goto("/safety/plan/")
    assert "Sam's own warning signs" in page.content()
    page.goto("/diary/")
    page.locator("label[for=oc-mood-3]").click()
    page.locator("label[for=oc-closeness-5]").click()
    page.get_by_role("button", name="Keep this check-in").click()
    # One script, one submit: the kept message, never "Enter whole numbers" after a good save.
    expect(page.locator("#offline-queue")).to_have_text("Kept on this device. It will be sent when you are back online.")
    assert page.evaluate("() => window.nearerOffline.queue().length") == 1

    page.context.set_offline(False)  # the "online" event sends the queue; mood differs from what was saved
    page.wait_for_function("() => window.nearerOffline.queue().every((x) => x.conflict)", timeout=15_000)
    page.goto("/")  # the question waits on whichever page the person opens next
    box = page.locator("#offline-conflicts")
    expect(box.get_by_role("heading", name="Which answers should we keep?")).to_be_visible()
    expect(box.locator("legend")).to_have_text(["Mood"])  # closeness agrees: not asked
    box.get_by_label("From this device: 3").check()
    box.get_by_role("button", name="Keep these answers").click()
    expect(page.locator("#offline-conflicts-status")).to_have_text("Saved. Your check-in now has the answers you chose.")
    assert page.evaluate("() => window.nearerOffline.queue()") == []
    page.evaluate("() => window.nearerOffline.flush()")  # a retry finds nothing left to send
    c = CheckIn.objects.get(person=world.owner)
    assert (c.mood, c.closeness, c.note, c.hours_slept, c.stressors) == (3, 5, "A long walk helped", Decimal("7.5"), ["work"])


def test_shared_device_keeps_only_the_signed_in_persons_plan(new_page: Any, live_server: Any, world: Any) -> None:
    from nearer.safety.services import save_plan

    save_plan(world.owner, world.owner, {"warning_signs": "Sam's own warning signs"})
    save_plan(world.partner, world.partner, {"warning_signs": "Alex's own warning signs"})
    page = new_page(service_workers=True)
    page.goto("/")
    page.wait_for_function("() => document.documentElement.dataset.offlineReady === '-'", timeout=15_000)
    _sign_in(page, world.owner.email)
    _offline_kept_for(page, world.owner)
    page.locator(".menu-toggle").click()  # on a phone, Sign out is in the menu
    page.locator("form[action='/accounts/logout/'] button").first.click()
    page.wait_for_load_state()
    page.wait_for_function("() => document.documentElement.dataset.offlineReady === '-'", timeout=15_000)
    _sign_in(page, world.partner.email)
    _offline_kept_for(page, world.partner)
    page.context.set_offline(True)
    page.goto("/safety/plan/")
    content = page.content()
    assert "Alex's own warning signs" in content and "Sam's own warning signs" not in content
    page.goto("/ops/offline/")
    assert page.locator("#offline-checkin-form").get_attribute("data-user") == str(world.partner.pk)
