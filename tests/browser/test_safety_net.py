"""The crisis net in the browser: the five direct questions (ASQ) from each trigger in English and Spanish,
a mood-1 check-in that gets an answer, the truth about who was alerted, and the therapist and clinic-admin
alert journeys (a therapist without a second factor, a moved caseload). axe-core stays clean."""

from __future__ import annotations

import os
from typing import Any

import pytest
from playwright.sync_api import expect

from tests.browser.conftest import axe_violations, signed_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

SHOTS = os.environ.get("NEARER_SHOTS", "")
Q1_EN = "In the past few weeks, have you wished you were dead?"
PHQ9 = ["44250-9", "44255-8", "44259-0", "44254-1", "44251-7", "44258-2", "44252-5", "44253-3", "44260-8"]


def _shot(page: Any, name: str) -> None:
    if SHOTS:
        page.screenshot(path=os.path.join(SHOTS, f"{name}.png"), full_page=True)


def _clean(page: Any) -> None:
    assert axe_violations(page) == [], page.url


def _answer(page: Any, answers: dict[str, int]) -> None:
    """answers: question -> 0 yes, 1 no, 2 prefer not to answer."""
    for q, i in answers.items():
        page.locator(f"label[for=id_{q}_{i}]").click()


@pytest.fixture
def sam(world: Any) -> Any:
    from nearer.practice.models import LadderStep
    from nearer.safety.services import save_plan

    save_plan(world.owner, world.owner, {"people_to_ask": "My sister Ana 404-555-0142", "cope_alone": "Walk"})
    LadderStep.objects.create(owner=world.owner, text="Ask Alex how the day went", difficulty=20)
    return world


def test_asq_after_not_safe_positive_acute_shows_card_and_truth(new_page: Any, live_server: Any, sam: Any) -> None:
    page = new_page()
    signed_in(page, sam.owner, live_server.url)
    page.goto(live_server.url + "/")
    page.locator("#crisis-control summary").click()
    page.locator("#crisis-control .crisis-panel").get_by_role("button", name="I'm not safe").click()
    card = page.locator("#crisis-card")
    card.wait_for()
    expect(card.locator(".crisis-told")).to_contain_text("We have sent an alert to your therapist")
    expect(card.locator(".crisis-told")).to_contain_text("working hours")
    assert card.locator("[data-crisis=card-call-person]").get_attribute("href") == "tel:4045550142"
    card.locator("[data-asq=start]").click()
    page.get_by_role("heading", name="Five direct questions about your safety").wait_for()
    expect(page.get_by_text(Q1_EN)).to_be_visible()
    _shot(page, "asq-en-phone")
    _clean(page)
    _answer(page, {"q1": 0, "q2": 1, "q3": 0, "q4": 1, "q5": 0})
    page.locator("[data-asq=submit]").click()
    result = page.locator("[data-asq-result]")
    result.wait_for()
    assert result.get_attribute("data-asq-result") == "acute"
    expect(page.locator("#crisis-card")).to_be_visible()
    assert page.locator("#crisis-card [data-crisis=card-call-911]").first.get_attribute("href") == "tel:911"
    _shot(page, "asq-acute-en-phone")
    _clean(page)
    from nearer.safety.models import Alert, AsqScreen

    assert AsqScreen.objects.get().trigger == "not_safe"
    assert "asq_acute" in Alert.objects.get(therapist=sam.therapist).kinds


def test_asq_after_phq9_item9(new_page: Any, live_server: Any, sam: Any) -> None:
    page = new_page(phone=False)
    signed_in(page, sam.owner, live_server.url)
    page.goto(live_server.url + "/measures/answer/phq9/")
    for code in PHQ9:
        page.locator(f"input[name='q_{code}']").first.check()
    page.locator("input[name='q_44260-8']").nth(1).check()  # item 9: several days
    page.get_by_role("button", name="See my result").click()
    page.locator("#crisis-card").wait_for()
    page.locator("#crisis-card [data-asq=start]").click()
    page.locator("[data-asq-form]").wait_for()
    _answer(page, {"q1": 1, "q2": 1, "q3": 1, "q4": 1})
    page.locator("[data-asq=submit]").click()
    assert page.locator("[data-asq-result]").get_attribute("data-asq-result") == "negative"
    from nearer.safety.models import AsqScreen

    assert AsqScreen.objects.get().trigger == "phq9_item9"
    _clean(page)


def test_asq_after_a_concern_screen_in_spanish_declined_is_kept(new_page: Any, live_server: Any, sam: Any) -> None:
    sam.owner.language = "es"
    sam.owner.save()
    page = new_page(locale="es-ES")
    signed_in(page, sam.owner, live_server.url)
    page.goto(live_server.url + "/learn/loop/")
    page.locator("textarea[name=text]").fill("A veces desearía estar muerto.")
    page.locator("form[action$='/reflect/'] button[type=submit]").click()
    card = page.locator("#crisis-card")
    card.wait_for()
    card.locator("[data-asq=start]").click()
    page.get_by_role("heading", name="Cinco preguntas directas sobre tu seguridad").wait_for()
    expect(page.locator("#asq-lang-note")).to_be_visible()
    expect(page.locator("legend [lang=en]").first).to_have_text(Q1_EN)
    _shot(page, "asq-es-phone")
    _clean(page)
    _answer(page, {"q1": 2, "q2": 1, "q3": 1, "q4": 1})
    page.get_by_role("button", name="Enviar mis respuestas").click()
    assert page.locator("[data-asq-result]").get_attribute("data-asq-result") == "non_acute"
    expect(page.locator("#crisis-card .crisis-told")).to_contain_text("Enviamos una alerta a tu terapeuta")
    _clean(page)
    from nearer.safety.models import AsqScreen

    row = AsqScreen.objects.get()
    assert (row.q1, row.trigger) == ("declined", "screen")


@pytest.mark.parametrize("lang", ["en", "es"])
def test_mood_one_checkin_gets_an_answer_and_leads_somewhere(new_page: Any, live_server: Any, sam: Any,
                                                            lang: str) -> None:
    sam.owner.language = lang
    sam.owner.save()
    page = new_page(locale="es-ES" if lang == "es" else "en-US")
    signed_in(page, sam.owner, live_server.url)
    page.goto(live_server.url + "/diary/")
    page.locator("label[for=id_mood_1]").click()
    page.locator("label[for=id_closeness_3]").click()
    page.locator("form.checkin-form button[type=submit]").last.click()
    page.locator("[data-bad-day]").wait_for()
    steps = page.locator("[data-next-steps]")
    assert steps.locator("[data-next=call-person]").get_attribute("href") == "tel:4045550142"
    expect(steps.locator("[data-next=step]")).to_have_text("Ask Alex how the day went")
    expect(steps.locator("[data-next=plan]")).to_be_visible()
    _shot(page, f"bad-day-{lang}-phone")
    _clean(page)
    page.set_viewport_size({"width": 1280, "height": 800})
    _shot(page, f"bad-day-{lang}-laptop")
    steps.locator("[data-asq=start]").click()
    page.locator("[data-asq-form]").wait_for()
    assert "trigger=low_mood" in page.url
    _answer(page, {"q1": 1, "q2": 1, "q3": 1, "q4": 1})
    page.locator("[data-asq=submit]").click()
    page.locator("[data-asq-result=negative]").wait_for()
    from nearer.safety.models import AsqScreen

    assert AsqScreen.objects.get().trigger == "low_mood"


def test_safe_for_now_leads_to_plan_and_a_small_step(new_page: Any, live_server: Any, sam: Any) -> None:
    page = new_page()
    signed_in(page, sam.owner, live_server.url)
    page.goto(live_server.url + "/")
    page.locator("#crisis-control summary").click()
    page.locator("#crisis-control .crisis-panel").get_by_role("button", name="I'm not safe").click()
    page.locator("#crisis-card").get_by_role("button", name="I'm safe for now").click()
    steps = page.locator("[data-next-steps]")
    steps.wait_for()
    expect(steps.locator("[data-next=plan]")).to_be_visible()
    expect(steps.locator("[data-next=step]")).to_be_visible()
    _clean(page)


def test_therapist_sees_kind_and_no_second_factor_therapist_is_told(new_page: Any, live_server: Any,
                                                                   world: Any) -> None:
    from nearer.safety.services import check_text_and_respond

    check_text_and_respond(world.owner, "diary.checkin", "I want to kill myself tonight, I have the pills ready")
    page = new_page(phone=False)
    signed_in(page, world.therapist, live_server.url)
    page.goto(live_server.url + "/safety/alerts/")
    page.get_by_role("link", name="Sam").first.click()
    kinds = page.locator("[data-alert-kinds]")
    expect(kinds).not_to_have_text("—")
    expect(page.get_by_text("pills")).to_have_count(0)
    _clean(page)
    other = new_page()
    signed_in(other, world.therapist_no_mfa, live_server.url)
    other.goto(live_server.url + "/")
    blocked = other.locator("[data-alerts-blocked]")
    expect(blocked).to_contain_text("1 open alert is waiting for you")
    expect(blocked.get_by_role("link", name="Set up two-step sign-in now")).to_be_visible()
    _shot(other, "therapist-no-mfa-phone")
    _clean(other)


def test_clinic_admin_is_told_and_moved_caseload_reaches_the_new_therapist(new_page: Any, live_server: Any,
                                                                         world: Any) -> None:
    from conftest import link, make_user
    from nearer.safety.services import signal_risk

    new = make_user("new.therapist@example.test", "therapist", "Dr. New", world.clinic, mfa=True)
    link(world.unlinked, world.therapist, "therapist")
    signal_risk(world.unlinked, "safety.not_safe", "urgent")
    page = new_page(phone=False)
    signed_in(page, world.clinic_admin, live_server.url)
    page.goto(live_server.url + "/clinic/admin/therapists/")
    notice = page.locator("[data-alert-reach]")
    expect(notice).to_contain_text("nomfa@example.test")
    _shot(page, "admin-notice-laptop")
    _clean(page)
    page.goto(live_server.url + "/clinic/admin/move-caseload/")
    page.locator("select[name=from_therapist]").select_option(str(world.therapist.pk))
    page.locator("select[name=to_therapist]").select_option(str(new.pk))
    page.locator("input[name=confirm]").check()
    page.get_by_role("button", name="Move the caseload").click()
    page.get_by_text("Each of them has been told").wait_for()
    from nearer.safety.models import Alert

    assert Alert.objects.get(person=world.unlinked).therapist_id == new.pk
    t = new_page()
    signed_in(t, new, live_server.url)
    t.goto(live_server.url + "/safety/alerts/")
    expect(t.get_by_role("link", name="Uma")).to_be_visible()
    _clean(t)
