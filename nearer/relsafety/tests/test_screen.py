"""The relationship-safety screen: scoring, resources, the pause, the therapist's scope, quick exit, notes."""

from __future__ import annotations

import re

import pytest
from django.urls import reverse

from nearer.privacy import access
from nearer.privacy.models import AccessLog
from nearer.relsafety import hark, services
from nearer.relsafety.models import PrivateSettings, Screen

INLINE_SCRIPT = re.compile(r"<script(?![^>]*\bsrc=)[^>]*>", re.IGNORECASE)
ALARM_WORDS = ("warning", "danger!", "alert", "abuse", "urgent", "at risk", "red flag")


def test_hark_scoring():
    assert hark.score({}) == hark.Result(score=0, answered=0, positive=False, unsure=True)
    assert hark.score({k: "no" for k in hark.ITEMS}).positive is False
    assert hark.score({k: "no" for k in hark.ITEMS}).unsure is False
    for key in hark.ITEMS:
        r = hark.score({k: ("yes" if k == key else "no") for k in hark.ITEMS})
        assert (r.score, r.positive) == (1, True)
    assert hark.score({k: "yes" for k in hark.ITEMS}).score == 4
    with pytest.raises(ValueError):
        hark.score({"afraid": "maybe"})
    with pytest.raises(ValueError):
        hark.score({"other": "yes"})


def test_english_questions_are_harks_published_wording():
    en = dict(hark.questions("en"))
    assert en["afraid"] == "Within the last year, have you been afraid of your partner or ex-partner?"
    assert en["hurt"].startswith("Within the last year, have you been kicked, hit, slapped")
    assert hark.OFFICIAL == {"en": True, "es": False}
    assert [k for k, _ in hark.questions("es-US")] == list(hark.ITEMS)


def _hotline_links(html: str) -> None:
    for needle in ('href="tel:+18007997233"', 'href="tel:+18007873224"', 'href="sms:88788?&amp;body=START"',
                   'href="https://www.thehotline.org/"', 'href="tel:911"'):
        assert needle in html, needle


@pytest.mark.django_db
@pytest.mark.parametrize("lang", ["en", "es"])
def test_positive_screen_quiet_resources_pause_and_plan(world, client_as, lang):
    c = client_as("owner")
    page = c.get(reverse("relsafety:questions"), HTTP_ACCEPT_LANGUAGE=lang).content.decode()
    if lang == "es":
        assert "¿has tenido miedo de tu pareja o expareja?" in page and "no tiene una versión oficial en español" in page
    else:
        assert "have you been afraid of your partner or ex-partner?" in page
    r = c.post(reverse("relsafety:questions"), {"afraid": "yes", "hurt": "no"}, HTTP_ACCEPT_LANGUAGE=lang)
    assert r.status_code == 302 and r["Location"] == reverse("relsafety:support")
    screen = Screen.objects.get(person=world.owner)
    assert screen.positive and screen.language == lang and "yes" not in screen.result_json.lower()[:0] + ""
    settings = PrivateSettings.objects.get(person=world.owner)
    assert settings.couple_paused and settings.in_plan
    html = c.get(reverse("relsafety:support"), HTTP_ACCEPT_LANGUAGE=lang).content.decode()
    _hotline_links(html)
    assert 'id="screen-thanks"' in html and 'data-paused="yes"' in html
    main = re.sub(r"<[^>]+>", " ", html.split('<main', 1)[1].split("</main>", 1)[0]).lower()
    for word in ALARM_WORDS:
        assert word not in main, word
    plan = c.get(reverse("safety:plan-detail"), HTTP_ACCEPT_LANGUAGE=lang).content.decode()
    assert 'id="plan-relationship-safety"' in plan
    _hotline_links(plan.split('id="plan-relationship-safety"', 1)[1])
    printed = c.get(reverse("safety:plan-print"), HTTP_ACCEPT_LANGUAGE=lang).content.decode()
    assert 'id="plan-relationship-safety"' in printed


@pytest.mark.django_db
def test_negative_screen_changes_nothing_for_the_couple(world, client_as):
    client_as("owner").post(reverse("relsafety:questions"), {k: "no" for k in hark.ITEMS})
    assert not services.is_paused(world.owner)
    assert Screen.objects.get(person=world.owner).positive is False


@pytest.mark.django_db
def test_the_answers_are_encrypted_at_rest(world):
    from django.db import connection

    services.record_screen(world.owner, {"afraid": "yes"}, "en")
    with connection.cursor() as cur:
        cur.execute("SELECT result_json FROM relsafety_screen")
        raw = cur.fetchone()[0]
    assert "afraid" not in raw and "positive" not in raw


@pytest.mark.django_db
def test_pause_stops_sharing_with_the_partner_until_resumed(world, client_as):
    link = world.objects["link_owner_partner"]
    link.scopes = sorted({*link.scopes, "checkins"})
    link.save()
    assert access.can_read(world.partner, world.owner, "checkins")
    services.set_pause(world.owner, True)
    assert not access.can_read(world.partner, world.owner, "checkins")
    assert world.owner not in access.owners_sharing(world.partner, "checkins")
    with pytest.raises(access.AccessDenied):
        access.read(world.partner, world.owner, "checkins", "test")
    # The therapist's link is not a couple feature.
    assert access.can_read(world.therapist, world.owner, "checkins")
    services.set_pause(world.owner, False)
    assert access.can_read(world.partner, world.owner, "checkins")


@pytest.mark.django_db
def test_pause_closes_together_for_both_with_a_neutral_reason(world, client_as):
    services.set_pause(world.owner, True)
    mine = client_as("owner").get("/together/").content.decode()
    assert "You paused couple features" in mine and reverse("relsafety:resume") in mine
    theirs = client_as("partner").get("/together/").content.decode()
    assert "Sam has paused couple features." in theirs
    body = theirs.split("<main", 1)[1].split("</main>", 1)[0]
    # The offline-merge box every signed-in person's page carries ("...for each question") is not about the screen.
    body = re.sub(r'<div id="offline-conflicts".*?<p id="offline-conflicts-status"[^>]*></p>', "", body, flags=re.S)
    assert "question" not in body.lower() and "support" not in body.lower() and "relsafety" not in body
    assert client_as("partner").get("/together/talks/new/")["Location"] == "/together/"
    api = client_as("partner").get("/api/together/", HTTP_AUTHORIZATION=f"Bearer {world.tokens['partner']}")
    assert api.status_code in (404, 409)
    r = client_as("owner").post(reverse("relsafety:resume"), {"next": "together"})
    assert r["Location"] == reverse("together:index")
    assert "has paused couple features" not in client_as("partner").get("/together/").content.decode()


@pytest.mark.django_db
def test_paused_ladder_sets_partner_steps_aside(world, client_as):
    from nearer.practice import suggestion_bank as bank

    partner_step = next(s for s in bank.ladder_steps() if bank.is_about_partner(s))
    before = client_as("owner").get(reverse("practice:step-create")).content.decode()
    assert f'value="{partner_step.id}"' in before
    services.set_pause(world.owner, True)
    after = client_as("owner").get(reverse("practice:step-create")).content.decode()
    assert f'value="{partner_step.id}"' not in after
    assert "therapist-first" in after
    ladder = client_as("owner").get(reverse("practice:ladder")).content.decode()
    assert "data-couple-paused" in ladder


@pytest.mark.django_db
def test_therapist_sees_the_result_only_with_the_scope(world, client_as):
    services.record_screen(world.owner, {"afraid": "yes"}, "es")
    url = reverse("relsafety:client-result", args=[world.owner.pk])
    assert "relationship_safety" not in world.objects["link_owner_therapist"].scopes  # off by default
    assert client_as("therapist").get(url).status_code == 404
    assert not AccessLog.objects.filter(scope="relationship_safety").exists()
    link = world.objects["link_owner_therapist"]
    link.scopes = sorted({*link.scopes, "relationship_safety"})
    link.save()
    html = client_as("therapist").get(url).content.decode()
    assert "a positive screen" in html and "Nearer's own Spanish wording" in html
    assert "afraid of your partner or ex-partner? — <strong>Yes</strong>" in html
    assert AccessLog.objects.filter(scope="relationship_safety", viewer=world.therapist, owner=world.owner).count() == 1
    # A partner can never hold the scope.
    from nearer.privacy.scopes import PARTNER, scopes_for

    assert "relationship_safety" not in {s.key for s in scopes_for(PARTNER)}
    assert client_as("partner").get(url).status_code == 404


@pytest.mark.django_db
@pytest.mark.parametrize("name", ["help", "relsafety:support", "relsafety:questions"])
def test_quick_exit_on_help_and_support_pages(world, client_as, name):
    html = client_as("owner").get(reverse(name)).content.decode()
    assert 'data-quick-exit' in html and 'href="https://www.weather.gov/"' in html
    assert "relsafety/quick_exit.js" in html
    assert not INLINE_SCRIPT.search(html)


def test_quick_exit_script_replaces_the_history_entry():
    from pathlib import Path

    js = (Path(__file__).resolve().parents[1] / "static" / "relsafety" / "quick_exit.js").read_text()
    assert "location.replace" in js and "Escape" in js and "location.href =" not in js


@pytest.mark.django_db
@pytest.mark.parametrize("url", ["/practice/ladder/", "/practice/experiments/new/", "/practice/present-or-past/new/",
                                 "/together/", "/together/talks/new/"])
def test_content_notes(world, client_as, url):
    html = client_as("owner").get(url).content.decode()
    assert 'data-content-note="relationship-safety"' in html, url
    assert reverse("relsafety:support") in html


@pytest.mark.django_db
def test_offer_is_private_and_goes_away(world, client_as):
    home = client_as("owner").get("/").content.decode()
    assert 'id="private-questions-offer"' in home
    assert 'id="private-questions-offer"' not in client_as("unlinked").get("/").content.decode()  # no partner yet
    assert 'id="private-questions-offer"' in client_as("unlinked").get("/practice/ladder/").content.decode()
    client_as("owner").post(reverse("relsafety:offer-dismiss"), {"next": "/"})
    assert 'id="private-questions-offer"' not in client_as("owner").get("/").content.decode()
    assert 'id="private-questions-offer"' not in client_as("therapist").get("/").content.decode()


@pytest.mark.django_db
def test_person_can_remove_their_answers(world, client_as):
    services.record_screen(world.owner, {"afraid": "yes"}, "en")
    client_as("owner").post(reverse("relsafety:forget"))
    assert not Screen.objects.filter(person=world.owner).exists()
