"""Issue 15 item 10: prompt depths have clear names and the couple's choice is remembered; a partner's
home page leads with Together (the next talk, a talk waiting for them, the prompts)."""

from __future__ import annotations

import html
from typing import Any

import pytest
from django.core.exceptions import ValidationError

from nearer.together import prompt_bank, queries, services
from nearer.together.models import Couple
from nearer.together.tests.conftest import rate

pytestmark = pytest.mark.django_db


def _good_talks(world: Any, n: int = 2) -> None:
    couple = services.couple_for(world.owner)
    for _ in range(n):
        conv = services.start_conversation(world.owner, services.offered_prompts(couple)[0].id)
        services.answer_readiness(world.owner, conv, True)
        services.answer_readiness(world.partner, conv, True)
        rate(world.owner, conv, heard=8, accepted=8)
        rate(world.partner, conv, heard=8, accepted=8)


# ---------------------------------------------------------------- names


def test_depths_have_clear_names_in_english_and_spanish() -> None:
    assert [prompt_bank.depth_name(d, "en") for d in prompt_bank.DEPTHS] == [
        "Light — everyday things", "Closer — hopes, worries and what you miss", "Deep — needs, fears and old hurts"]
    assert [prompt_bank.depth_name(d, "es") for d in prompt_bank.DEPTHS] == [
        "Ligero — lo de cada día", "Más cerca — esperanzas, preocupaciones y lo que extrañas",
        "Profundo — necesidades, miedos y viejas heridas"]
    assert all("Today" not in prompt_bank.depth_name(d, "en") for d in prompt_bank.DEPTHS)


def test_names_fit_the_prompt_bank_themes() -> None:
    """Light holds the day's events; Closer hopes, worries and missing; Deep needs, fears and repair."""
    themes = {d: {p.theme for p in prompt_bank.prompts(d)} for d in prompt_bank.DEPTHS}
    assert "day" in themes[1]
    assert {"hopes", "worries", "missing"} <= themes[2]
    assert {"needs", "fears", "repair"} <= themes[3]


# ---------------------------------------------------------------- choosing, remembered per couple


def test_choice_is_remembered_for_the_couple_and_opened_depths_stay_open(world: Any) -> None:
    couple = services.couple_for(world.owner)
    assert [c["open"] for c in services.depth_choices(couple)] == [True, False, False]
    with pytest.raises(ValidationError):
        services.set_depth(world.owner, 2)
    _good_talks(world)
    couple.refresh_from_db()
    assert [c["open"] for c in services.depth_choices(couple)] == [True, True, False]
    services.set_depth(world.partner, 2)  # either partner chooses, for both
    assert services.couple_for(world.owner).depth == 2
    services.set_depth(world.owner, 1)  # back to light ...
    services.set_depth(world.partner, 2)  # ... and closer again, without earning it twice
    couple = Couple.objects.get(pk=couple.pk)
    assert (couple.depth, couple.opened_depth) == (2, 2)
    assert [c["chosen"] for c in services.depth_choices(couple)] == [False, True, False]
    with pytest.raises(ValidationError):
        services.set_depth(world.owner, 3)  # deep opens after good talks at closer


def test_prompts_offered_follow_the_chosen_depth(world: Any) -> None:
    _good_talks(world)
    services.set_depth(world.owner, 2)
    couple = services.couple_for(world.owner)
    assert {p.depth for p in services.offered_prompts(couple)} == {2}
    services.set_depth(world.owner, 1)
    couple.refresh_from_db()
    assert {p.depth for p in services.offered_prompts(couple)} == {1}
    # A prompt of an opened depth can still be chosen from the prompt page's "another depth" links.
    closer = prompt_bank.prompts(2)[0]
    assert services.start_conversation(world.owner, closer.id).depth == 2


def test_together_page_offers_named_depths_and_saves_the_choice(world: Any, client_as: Any) -> None:
    _good_talks(world)
    alex = client_as("partner")
    page = html.unescape(alex.get("/together/").content.decode())
    assert "How deep the prompts go" in page
    assert "Light</strong> — everyday things" in page and "Closer</strong> — hopes, worries and what you miss" in page
    assert 'name="depth" value="3" disabled' in page and "Today" not in page
    r = alex.post("/together/depth/", {"depth": "2"}, follow=True)
    body = html.unescape(r.content.decode())
    assert "Saved for you both: prompts are now “Closer — hopes, worries and what you miss”." in body
    assert 'name="depth" value="2" checked' in body
    # Sam sees the same choice on the next visit.
    sam_page = html.unescape(client_as("owner").get("/together/").content.decode())
    assert 'name="depth" value="2" checked' in sam_page
    assert "Your prompts are at the “Closer — hopes, worries and what you miss” depth." in sam_page


def test_a_locked_depth_answers_with_the_reason(world: Any, client_as: Any) -> None:
    r = client_as("owner").post("/together/depth/", {"depth": "3"}, follow=True)
    assert "Deeper prompts open once you" in html.unescape(r.content.decode())
    assert services.couple_for(world.owner).depth == 1
    r = client_as("owner").post("/together/depth/", {"depth": "deep"}, follow=True)
    assert "Choose how deep you" in html.unescape(r.content.decode())


def test_spanish_depth_names_on_the_page(world: Any, client_as: Any) -> None:
    c = client_as("owner")
    c.cookies["django_language"] = "es"
    page = html.unescape(c.get("/together/", HTTP_ACCEPT_LANGUAGE="es").content.decode())
    assert "Qué tan profundas son las preguntas" in page and "Ligero</strong> — lo de cada día" in page


# ---------------------------------------------------------------- a partner's home


def test_partner_home_leads_with_together(world: Any, client_as: Any) -> None:
    assert queries.together_leads_home(world.partner) is True
    page = html.unescape(client_as("partner").get("/").content.decode())
    together, plan, diary = (page.find(x) for x in ('id="together-panel"', 'id="safety-plan-heading"', 'id="diary-panel-h"'))
    assert 0 < together < plan and together < diary, (together, plan, diary)
    assert "Together with Sam" in page and 'data-leads' in page
    assert "Your prompts: “Light — everyday things”." in page and "Choose a prompt" in page
    # Above it only the once-only private safety questions offer (relsafety), never another app's card.
    before = page[page.find("<h1>"):page.rfind("<section", 0, together)]
    assert before.count('class="card') == before.count('id="private-questions-offer"')


def test_a_person_keeping_their_own_diary_keeps_their_usual_home(world: Any, client_as: Any) -> None:
    from nearer.diary.models import CheckIn, local_today

    # Sam has a therapist: the usual home, Together further down.
    assert queries.together_leads_home(world.owner) is False
    page = client_as("owner").get("/").content.decode()
    assert "data-leads" not in page and "Together with" not in page
    assert page.find('id="safety-plan-heading"') < page.find('id="together-panel"')
    # A partner who starts checking in gets the usual home too.
    CheckIn.objects.create(person=world.partner, local_date=local_today(world.partner), mood=6, closeness=6)
    assert queries.together_leads_home(world.partner) is False


def test_partner_home_shows_the_talk_waiting_for_them(world: Any, talk: Any, client_as: Any) -> None:
    page = html.unescape(client_as("partner").get("/").content.decode())
    assert "Your last talk is waiting for your ratings" in page and f"/together/talks/{talk.pk}/rate/" in page
    rate(world.partner, talk)
    page = html.unescape(client_as("partner").get("/").content.decode())
    assert "waiting for your ratings" not in page and "You have a talk in progress." in page


def test_partner_home_asks_for_readiness_when_a_talk_was_started(world: Any, client_as: Any) -> None:
    conv = services.start_conversation(world.owner, "day-001")
    services.answer_readiness(world.owner, conv, True)
    page = html.unescape(client_as("partner").get("/").content.decode())
    assert "A talk has been started. Are you both ready?" in page and f"/together/talks/{conv.pk}/" in page


def test_partner_home_in_spanish(world: Any, client_as: Any) -> None:
    c = client_as("partner")
    c.cookies["django_language"] = "es"
    page = html.unescape(c.get("/", HTTP_ACCEPT_LANGUAGE="es").content.decode())
    assert "En pareja con Sam" in page and "Sus preguntas: «Ligero — lo de cada día»." in page
