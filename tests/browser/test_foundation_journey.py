"""Sign up → verify → invite partner → partner accepts → person narrows the partner's scope →
partner is denied. On a phone-sized screen, through the real forms."""

from __future__ import annotations

import re

import pytest
from django.core import mail

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def _sign_up(page, base, email, name):
    page.goto(base + "/accounts/signup/")
    page.get_by_label("Email").first.fill(email)
    page.get_by_label("What should we call you?").fill(name)
    page.locator("input[name=password1]").fill("a long enough phrase 42")
    page.locator("input[name=password2]").fill("a long enough phrase 42")
    page.get_by_label("someone using Nearer for myself").check()
    page.get_by_role("button", name="Create my account").click()
    message = [m for m in mail.outbox if email in m.to][-1]
    link = re.search(r"https?://\S+", message.body).group(0)
    page.goto(link)
    page.get_by_role("button", name=re.compile("Confirm", re.I)).click()
    # A new account starts with the short welcome; skipping it lands on today's check-in.
    page.wait_for_url(re.compile(r"/welcome/$"))
    page.get_by_role("button", name="Skip, go to today's check-in").click()
    page.wait_for_url(re.compile(r"/diary/$"))
    page.goto(base + "/")


def test_signup_invite_accept_narrow_and_deny(new_page, live_server):
    from nearer.accounts.models import Link

    base = live_server.url
    sam = new_page(phone=True)
    _sign_up(sam, base, "sam@journey.test", "Sam")
    assert "Hello, Sam" in sam.content()

    sam.goto(base + "/me/sharing/")
    sam.get_by_label("My partner").check()
    sam.get_by_role("button", name="Create invitation link").click()
    invite_url = sam.locator("#invite-url").input_value()
    assert "/invite/" in invite_url

    alex = new_page(phone=True)
    _sign_up(alex, base, "alex@journey.test", "Alex")
    alex.goto(invite_url)
    assert "Sam would like to link with you" in alex.content()
    alex.get_by_role("button", name="Accept").click()
    alex.wait_for_url(re.compile(r"/$"))
    alex.goto(base + "/me/sharing/")
    shared = alex.locator("section", has_text="Shared with you")
    assert "Couple conversation ratings" in shared.inner_text()

    # Sam chooses to share check-in numbers too; Alex can now open Sam's trends.
    sam.goto(base + "/me/sharing/")
    card = sam.locator(".link-card", has_text="Alex")
    card.get_by_label("Daily check-in numbers").check()
    card.get_by_role("button", name="Save what they can see").click()
    link = Link.objects.get(owner__email="sam@journey.test", viewer__email="alex@journey.test")
    assert sorted(link.scopes) == ["checkins", "together_ratings"]
    trends_url = f"{base}/diary/clients/{link.owner_id}/trends/"
    response = alex.goto(trends_url)
    assert response.status == 200

    # Sam narrows what Alex sees: untick everything and save.
    sam.goto(base + "/me/sharing/")
    card = sam.locator(".link-card", has_text="Alex")
    for box in card.locator("input[type=checkbox]").all():
        box.uncheck()
    card.get_by_role("button", name="Save what they can see").click()
    assert "Saved. The change applies from now on." in sam.content()
    link.refresh_from_db()
    assert link.scopes == []

    # Alex's very next request is denied, and nothing of Sam's is listed as shared any more.
    response = alex.goto(trends_url)
    assert response.status in (403, 404)
    assert "have access" in alex.content() or "find that page" in alex.content()
    alex.goto(base + "/me/sharing/")
    assert "nothing at the moment" in alex.locator("section", has_text="Shared with you").inner_text()
    # Every read Alex made is in Sam's access log.
    sam.goto(base + "/me/access-log/")
    row = sam.locator("tbody tr", has_text="Daily check-in numbers").first
    assert "Alex" in row.inner_text() and "Partner, on the web" in row.inner_text()
