"""A PHQ-9 retaken minutes later: the person is told before starting, both answers are kept, and the
result says it is too soon to compare (never "recovered", "response" or "remission")."""

from __future__ import annotations

from typing import Any

import pytest
from playwright.sync_api import expect

from tests.browser.conftest import axe_violations, signed_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.mark.parametrize(("phone", "locale", "said", "too_soon"), [
    (True, "en-US", "You answered this recently", "less than two weeks after your first one"),
    (False, "es-ES", "Respondiste esto hace poco", "menos de dos semanas después de la primera"),
], ids=["phone-en", "laptop-es"])
def test_phq9_retaken_minutes_later(new_page: Any, live_server: Any, world: Any, phone: bool, locale: str,
                                    said: str, too_soon: str) -> None:
    from nearer.measures.models import Administration

    page = signed_in(new_page(phone=phone, locale=locale), world.owner, live_server.url)
    for answer, note_shown in ((3, False), (0, True)):
        page.goto("/measures/answer/phq9/")
        expect(page.locator(".retake-note")).to_have_count(1 if note_shown else 0)
        if note_shown:
            expect(page.locator(".retake-note h2")).to_have_text(said)
        for i, fieldset in enumerate(page.locator("main form.card fieldset").all()[:9]):
            fieldset.locator("input[type=radio]").nth(answer if i < 8 else 0).check()
        page.locator("main form.card button[type=submit]").click()
        page.wait_for_url("**/measures/answer/phq9/")
        page.locator("#score-heading").wait_for()
    body = page.locator("main").inner_text()
    assert too_soon in body
    for label in ("recovered", "Reliable improvement", "remission", "response", "recuperación", "remisión"):
        assert label not in body
    assert sorted(Administration.objects.filter(person=world.owner).values_list("total", flat=True)) == [0, 24]
    assert axe_violations(page) == []
