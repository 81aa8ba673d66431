"""A person answers the PHQ-9 on a phone: item 9 above 0 brings their own plan and alerts their therapist."""

from datetime import timedelta

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from tests.browser.conftest import signed_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

ITEMS = ["44250-9", "44255-8", "44259-0", "44254-1", "44251-7", "44258-2", "44252-5", "44253-3", "44260-8"]


def test_phq9_item9_shows_the_card_with_the_plan_and_alerts_the_therapist(page, live_server):
    from conftest import build_world
    from nearer.measures.services import submit_administration
    from nearer.safety.models import Alert
    from nearer.safety.services import save_plan

    world = build_world()
    save_plan(world.owner, world.owner, {"reasons_for_living": "My sister's wedding in June",
                                         "cope_alone": "Walk round the park"})
    # A first PHQ-9 two weeks ago (17) so today's score has something to be compared with.
    first = dict.fromkeys(ITEMS, 2)
    first.update({"44253-3": 1, "44260-8": 0})
    submit_administration(world.owner, "phq9", first, completed_at=timezone.now() - timedelta(days=14))

    signed_in(page, world.owner, live_server.url)
    page.goto(live_server.url + "/measures/answer/phq9/")
    # Today: items 1-8 "Several days" (8), item 9 "Several days" (1): total 9.
    for fieldset in page.locator("fieldset").all()[:9]:
        fieldset.get_by_label("Several days").check()
    page.get_by_role("button", name="See my result").click()

    card = page.locator("#crisis-card")
    expect(card).to_be_visible()  # waits for the result page, which a busy machine may serve slowly
    assert "My sister's wedding in June" in card.inner_text()
    assert card.get_by_role("link", name="Call 988").count() >= 1
    body = page.locator("main").inner_text()
    assert "Score 9: Mild" in body
    assert "Reliable improvement" in body  # 17 -> 9
    assert Alert.objects.filter(person=world.owner, therapist=world.therapist).count() == 1
    assert not Alert.objects.filter(therapist=world.partner).exists()
