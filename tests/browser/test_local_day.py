"""A person signs up in a browser set to Pacific/Honolulu, goes through the short welcome (their zone
already set, language, a reminder time, the safety plan offered), lands on today's check-in at 22:30
their time, and finds that day's date everywhere (the check-in page, the day's page, settings, the API
and the export)."""

from __future__ import annotations

import re
from datetime import UTC, datetime
from typing import Any

import pytest
import time_machine
from playwright.sync_api import expect

from tests.browser.conftest import axe_violations

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

# 22:30 on Monday 9 March 2026 in Honolulu (UTC-10) is already Tuesday in New York and in UTC.
NIGHT_IN_HONOLULU = datetime(2026, 3, 10, 8, 30, tzinfo=UTC)
PASSWORD = "a long enough phrase"


def sign_up_and_confirm(page: Any, email: str, *, spanish: bool = False) -> None:
    from django.core import mail

    page.goto("/accounts/signup/")
    page.locator("input[name=email]").fill(email)
    page.locator("input[name=password1]").fill(PASSWORD)
    page.locator("input[name=password2]").fill(PASSWORD)
    page.locator("main form button[type=submit]").click()
    page.wait_for_url(lambda url: "/accounts/signup/" not in url)
    body = next(m.body for m in reversed(mail.outbox) if email in m.to)
    link = re.search(r"https?://\S+", body).group(0)
    page.goto(re.sub(r"^https?://[^/]+", "", link))
    page.locator("main form button[type=submit]").click()
    page.wait_for_url(lambda url: "/accounts/confirm-email/" not in url)


def through_the_welcome(page: Any, texts: dict[str, str]) -> None:
    """Three screens: what Nearer is for; zone, language and reminder; the safety plan offered."""
    page.wait_for_url("**/welcome/")
    expect(page.locator("h1")).to_have_text(texts["welcome"])
    expect(page.get_by_role("button", name=texts["skip"])).to_be_visible()
    page.get_by_role("link", name=texts["next"]).click()
    expect(page.locator("#id_timezone")).to_have_value("Pacific/Honolulu")  # from the browser at sign-up
    expect(page.locator("[data-tz-offer]")).to_be_hidden()
    assert axe_violations(page) == []
    page.locator("#id_remind_at").fill("21:00")
    page.locator("main form.card button[type=submit]").click()
    page.wait_for_url("**/welcome/?step=3")
    expect(page.get_by_role("link", name=texts["plan"])).to_have_attribute("href", "/safety/plan/edit/")
    page.get_by_role("link", name=texts["checkin"]).click()
    page.wait_for_url("**/diary/")


WELCOME = {
    "en-US": {"welcome": "Welcome to Nearer", "skip": "Skip, go to today's check-in", "next": "Next",
              "plan": "Write my safety plan now", "checkin": "Go to today's check-in"},
    "es-ES": {"welcome": "Te damos la bienvenida a Nearer", "skip": "Saltar e ir al registro de hoy", "next": "Siguiente",
              "plan": "Escribir mi plan de seguridad ahora", "checkin": "Ir al registro de hoy"},
}


@pytest.mark.parametrize(("phone", "locale", "day_text", "heading"), [
    (True, "en-US", "Monday 9 Mar 2026", "Today's check-in"),
    (False, "es-ES", "lunes 9 mar 2026", "Registro de hoy"),
], ids=["phone-en", "laptop-es"])
def test_sign_up_in_honolulu_and_check_in_at_night(new_page: Any, live_server: Any, phone: bool, locale: str,
                                                     day_text: str, heading: str) -> None:
    from nearer.accounts.models import User
    from nearer.diary.models import CheckIn
    from nearer.ops.models import ReminderPreference

    with time_machine.travel(NIGHT_IN_HONOLULU, tick=True):
        page = new_page(phone=phone, locale=locale, timezone_id="Pacific/Honolulu")
        page.clock.set_system_time(NIGHT_IN_HONOLULU)
        email = f"kai.{'phone' if phone else 'laptop'}@example.org"
        sign_up_and_confirm(page, email)
        user = User.objects.get(email=email)
        assert user.timezone == "Pacific/Honolulu"
        through_the_welcome(page, WELCOME[locale])
        assert str(ReminderPreference.objects.get(person=user, kind="checkin").local_time) == "21:00:00"

        expect(page.locator("h1")).to_contain_text(heading)
        expect(page.locator("h1 .h1-date")).to_have_text(day_text)
        page.locator("fieldset").nth(0).locator("label.chip", has_text="4").first.click()
        page.locator("fieldset").nth(1).locator("label.chip", has_text="6").first.click()
        page.locator("form.checkin-form button.save").click()
        page.wait_for_url("**/diary/trends/")
        assert list(CheckIn.objects.filter(person=user).values_list("local_date", flat=True)) == [NIGHT_IN_HONOLULU.date().replace(day=9)]

        page.goto("/diary/")  # the same day: the check-in is there to change
        expect(page.locator("h1 .h1-date")).to_have_text(day_text)
        expect(page.locator("input[name=mood][value='4']")).to_be_checked()
        page.goto("/diary/day/2026-03-09/")
        expect(page.locator("input[name=closeness][value='6']")).to_be_checked()
        api = page.evaluate("() => fetch('/api/diary/checkins').then((r) => r.json())")
        assert [c["local_date"] for c in api] == ["2026-03-09"]
        csv = page.evaluate("() => fetch('/diary/export.csv').then((r) => r.text())")
        assert "2026-03-09" in csv and "2026-03-10" not in csv
        page.goto("/me/")
        expect(page.locator("#id_timezone")).to_have_value("Pacific/Honolulu")
        expect(page.locator("[data-tz-offer]")).to_be_hidden()  # the browser and the account agree
