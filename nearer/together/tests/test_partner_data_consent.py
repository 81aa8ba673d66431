"""Issue 16 items 1 and 2: a partner's data reaches a therapist, or the other partner, only
through that partner's own link and scope, and every such read is in that partner's access log."""

from __future__ import annotations

import json
from typing import Any

import pytest
from django.urls import reverse

from nearer.accounts import services as accounts
from nearer.accounts.models import Link
from nearer.privacy.models import AccessLog
from nearer.together.tests.conftest import rate

pytestmark = pytest.mark.django_db

ALEX_HEARD = 3  # Alex's (the partner's) "heard" rating, distinct from Sam's


def _both_rated(world: Any, talk: Any) -> None:
    rate(world.owner, talk, heard=9, accepted=9, close=9, defensive=1)
    rate(world.partner, talk, heard=ALEX_HEARD, accepted=4, close=5, defensive=6)


def _alex_rows(world: Any) -> list[tuple[str, str]]:
    return list(AccessLog.objects.filter(owner=world.partner).values_list("viewer__email", "scope"))


def _three_views(world: Any, client_as: Any) -> dict[str, Any]:
    from nearer.clinic import queries as clinic_queries

    c = client_as("therapist")
    page = c.get(reverse("together:client-detail", args=[world.owner.pk])).content.decode()
    api = c.get(f"/api/together/clients/{world.owner.pk}", HTTP_AUTHORIZATION=f"Bearer {world.tokens['therapist']}").json()
    clinic_page = clinic_queries.client_page(world.therapist, world.owner.pk)
    report = clinic_queries.client_page(world.therapist, world.owner.pk, what="clinic:client-report")
    return {"page": page, "api": api, "clinic": clinic_page["sections"]["together"],
            "report": report["sections"]["together"]}


def test_alex_ratings_never_reach_sams_therapist_without_alexs_link(world: Any, talk: Any, client_as: Any) -> None:
    _both_rated(world, talk)
    seen = _three_views(world, client_as)
    assert "3 / 4 / 5 / 6" not in seen["page"] and "9 / 9 / 9 / 1" in seen["page"]
    assert seen["api"]["rows"][0]["partner"] is None and seen["api"]["rows"][0]["client"]["heard"] == 9
    assert seen["clinic"]["rows"][0]["partner"] is None
    assert seen["report"]["rows"][0]["partner"] is None
    assert _alex_rows(world) == []


def test_alex_ratings_reach_the_therapist_alex_linked_and_each_read_is_in_alexs_log(world: Any, talk: Any,
                                                                                   client_as: Any) -> None:
    _both_rated(world, talk)
    accounts.link_client_to_therapist(world.partner, world.therapist, ["together_ratings"])
    seen = _three_views(world, client_as)
    assert "3 / 4 / 5 / 6" in seen["page"]
    assert seen["api"]["rows"][0]["partner"]["heard"] == ALEX_HEARD
    assert seen["clinic"]["rows"][0]["partner"]["heard"] == ALEX_HEARD
    assert seen["report"]["rows"][0]["partner"]["heard"] == ALEX_HEARD
    rows = _alex_rows(world)
    assert rows == [(world.therapist.email, "together_ratings")] * 4
    whats = set(AccessLog.objects.filter(owner=world.partner).values_list("what", "via"))
    assert whats == {("together:client-detail", "web"), ("together:client-detail", "api"),
                     ("clinic:client-detail", "web"), ("clinic:client-report", "web")}


def test_withdrawing_the_scope_stops_it_on_the_next_request(world: Any, talk: Any, client_as: Any) -> None:
    _both_rated(world, talk)
    link = accounts.link_client_to_therapist(world.partner, world.therapist, ["together_ratings", "checkins"])
    assert _three_views(world, client_as)["api"]["rows"][0]["partner"] is not None
    accounts.set_link_scopes(world.partner, link.pk, ["checkins"])
    before = len(_alex_rows(world))
    seen = _three_views(world, client_as)
    assert seen["api"]["rows"][0]["partner"] is None and seen["clinic"]["rows"][0]["partner"] is None
    assert "3 / 4 / 5 / 6" not in seen["page"]
    assert len(_alex_rows(world)) == before


def test_another_therapist_alex_linked_does_not_open_it_for_sams_therapist(world: Any, talk: Any,
                                                                            client_as: Any) -> None:
    _both_rated(world, talk)
    accounts.link_client_to_therapist(world.partner, world.other_therapist, ["together_ratings"])
    assert _three_views(world, client_as)["api"]["rows"][0]["partner"] is None


# ------------------------------------------------------------------ item 2: mood on talk days


def _sam_checkins(world: Any) -> None:
    import datetime as dt

    from nearer.diary.services import save_checkin

    today = dt.date.today()
    for i in range(1, 15):
        day = today - dt.timedelta(days=i)
        save_checkin(world.owner, day, {"mood": 2 + i % 5, "closeness": 5}, today=day)


def _trend_moods(client: Any, world: Any) -> list[str]:
    data = client.get("/api/together/trend", HTTP_AUTHORIZATION=f"Bearer {world.tokens['partner']}").json()
    return [m["who"] for m in data["mood"]]


def test_partner_sees_no_mood_without_the_mood_scope(world: Any, talk: Any, client_as: Any) -> None:
    from nearer.together import services

    _both_rated(world, talk)
    _sam_checkins(world)
    services.set_preferences(world.partner, mood_compare=True)
    # Sam turned on "mood on talk days" in the couple preferences, then withdrew the scope on the link.
    services.set_preferences(world.owner, mood_compare=True)
    link = Link.objects.active().get(owner=world.owner, kind="partner")
    assert "mood_talk_days" in link.scopes
    accounts.set_link_scopes(world.owner, link.pk, ["together_ratings"])
    alex = client_as("partner")
    assert "Sam" not in _trend_moods(alex, world)
    page = alex.get(reverse("together:trend")).content.decode()
    assert "Sam&#x27;s mood" not in page and "Sam's mood" not in page
    assert not AccessLog.objects.filter(owner=world.owner, scope="mood_talk_days").exists()


def test_partner_sees_mood_on_talk_days_only_with_the_scope_and_it_is_logged_under_it(world: Any, talk: Any,
                                                                                        client_as: Any) -> None:
    from nearer.together import services

    _both_rated(world, talk)
    _sam_checkins(world)
    services.set_preferences(world.owner, mood_compare=True)
    alex = client_as("partner")
    assert "Sam" in _trend_moods(alex, world)
    scopes = list(AccessLog.objects.filter(owner=world.owner, viewer=world.partner).values_list("scope", flat=True))
    assert sorted(scopes) == ["mood_talk_days", "together_ratings"]
    # Turning it off in the preferences withdraws the scope from the link (a share event), next request.
    services.set_preferences(world.owner, mood_compare=False)
    assert "Sam" not in _trend_moods(alex, world)
    assert "mood_talk_days" not in Link.objects.active().get(owner=world.owner, kind="partner").scopes


def test_mood_scope_is_a_partner_scope_nobody_has_by_default() -> None:
    from nearer.privacy.scopes import SCOPES, default_scopes

    assert "mood_talk_days" in SCOPES and SCOPES["mood_talk_days"].kinds == {"partner"}
    assert "mood_talk_days" not in default_scopes("partner") + default_scopes("therapist")
    json.dumps(str(SCOPES["mood_talk_days"].label))
