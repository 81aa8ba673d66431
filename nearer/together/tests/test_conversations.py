"""Reveal after both, consent to share, notes stay private, unlinking mid-conversation, rhythm, depth."""

from __future__ import annotations

import json
from datetime import time
from typing import Any

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from nearer.privacy.models import AccessLog
from nearer.together import queries, services
from nearer.together.models import ConversationState, Couple
from nearer.together.tests.conftest import rate

pytestmark = pytest.mark.django_db


def _bearer(world: Any, persona: str) -> dict[str, str]:
    return {"HTTP_AUTHORIZATION": f"Bearer {world.tokens[persona]}"}


def test_couple_needs_links_both_ways(world: Any) -> None:
    assert services.couple_for(world.owner) is not None
    assert services.couple_for(world.unlinked) is None
    assert services.couple_for(world.therapist) is None
    couple = services.couple_for(world.partner)
    assert couple is not None and set(couple.members()) == {world.owner.pk, world.partner.pk}


def test_nothing_revealed_until_both_rated(world: Any, talk: Any, client_as: Any) -> None:
    rate(world.owner, talk, heard=9, accepted=8)
    r = queries.reveal_for(world.owner, talk)
    assert r.rated_by_me and not r.both_rated and r.theirs is None and r.phrases == []
    # Alex has not rated: Alex's reveal page shows nothing of Sam's numbers.
    r_alex = queries.reveal_for(world.partner, talk)
    assert not r_alex.rated_by_me and r_alex.theirs is None
    api = client_as("partner").get(f"/api/together/conversations/{talk.pk}/reveal")
    body = api.json()
    assert api.status_code == 200 and body["theirs"] is None and body["mine"] is None
    assert AccessLog.objects.count() == 0

    rate(world.partner, talk, heard=4, accepted=8)
    r = queries.reveal_for(world.owner, talk)
    assert r.both_rated and r.partner_shared
    assert r.theirs == {"heard": 4, "accepted": 8, "close": 7, "defensive": 2}
    assert "Alex felt less heard than you did — a good thing to ask about, gently." in r.phrases
    assert "You both felt accepted as you are. That's something to hold on to." in r.phrases
    r_alex = queries.reveal_for(world.partner, talk)
    assert r_alex.theirs == {"heard": 9, "accepted": 8, "close": 7, "defensive": 2}
    assert any(p.startswith("You felt less heard than Sam did.") for p in r_alex.phrases)
    # Each revealing read of the other's ratings is logged once, through the partner link.
    logs = list(AccessLog.objects.order_by("pk").values_list("viewer_id", "owner_id", "scope"))
    assert logs == [(world.owner.pk, world.partner.pk, "together_ratings"), (world.partner.pk, world.owner.pk, "together_ratings")]


def test_similar_ratings_say_so_once(world: Any, talk: Any) -> None:
    rate(world.owner, talk, heard=6, accepted=6, close=6, defensive=5)
    rate(world.partner, talk, heard=5, accepted=6, close=5, defensive=5)
    assert queries.reveal_for(world.owner, talk).phrases == ["You and Alex rated this about the same."]


def test_partner_who_does_not_share_stays_private(world: Any, talk: Any, client_as: Any) -> None:
    rate(world.owner, talk, heard=9)
    rate(world.partner, talk, heard=3, share=False)
    r = queries.reveal_for(world.owner, talk)
    assert r.both_rated and not r.partner_shared and r.theirs is None and r.phrases == []
    page = client_as("owner").get(reverse("together:reveal", args=[talk.pk])).content.decode()
    assert "chose to keep their ratings private" in page
    # Sam shared, so Alex sees Sam's numbers (that is Sam's choice, not Alex's).
    assert queries.reveal_for(world.partner, talk).theirs is not None
    # Alex changes their mind later: now Sam sees them.
    services.set_rating_sharing(world.partner, talk, share=True)
    assert queries.reveal_for(world.owner, talk).theirs["heard"] == 3


def test_partner_link_without_the_scope_reveals_nothing(world: Any, talk: Any) -> None:
    from nearer.accounts.services import set_link_scopes

    rate(world.owner, talk)
    rate(world.partner, talk)
    set_link_scopes(world.partner, world.objects["link_partner_owner"].pk, [])
    assert queries.reveal_for(world.owner, talk).theirs is None
    assert queries.reveal_for(world.partner, talk).theirs is not None


def test_notes_are_private_unless_shared_item_by_item(world: Any, talk: Any, client_as: Any) -> None:
    rate(world.owner, talk, note="I wanted to say more about my sister")
    rate(world.partner, talk, note="Felt rushed at the end", note_shared=True)
    alex_page = client_as("partner").get(reverse("together:reveal", args=[talk.pk])).content.decode()
    assert "my sister" not in alex_page
    assert "Felt rushed at the end" in alex_page  # Alex's own note, shown to Alex
    sam_page = client_as("owner").get(reverse("together:reveal", args=[talk.pk])).content.decode()
    assert "Felt rushed at the end" in sam_page  # shared by Alex, item by item
    services.set_rating_sharing(world.owner, talk, note_shared=True)
    assert queries.reveal_for(world.partner, talk).their_note == "I wanted to say more about my sister"
    # Notes are stored encrypted.
    from django.db import connection

    with connection.cursor() as cur:
        cur.execute("SELECT note FROM together_rating")
        raw = " ".join(row[0] for row in cur.fetchall())
    assert "sister" not in raw and "rushed" not in raw


def test_unlinking_mid_conversation_closes_it(world: Any, talk: Any, client_as: Any) -> None:
    from nearer.accounts.services import revoke_link

    rate(world.owner, talk, heard=2)
    revoke_link(world.partner, world.objects["link_partner_owner"].pk)
    talk.refresh_from_db()
    assert talk.state == ConversationState.CLOSED and talk.closed_at is not None
    assert Couple.objects.get(pk=talk.couple_id).ended_at is not None
    assert services.couple_for(world.owner) is None and services.couple_for(world.partner) is None
    with pytest.raises(ValidationError):
        rate(world.partner, talk)
    api = client_as("partner").post(f"/api/together/conversations/{talk.pk}/rating", data=json.dumps(
        {"heard": 5, "accepted": 5, "close": 5, "defensive": 5}), content_type="application/json")
    assert api.status_code == 422
    r = queries.reveal_for(world.partner, talk)
    assert r.theirs is None
    page = client_as("partner").get(reverse("together:reveal", args=[talk.pk])).content.decode()
    assert "closed when the link between you ended" in page
    # Couple pages are gone for both.
    assert client_as("owner").get(reverse("together:trend")).status_code == 404


def test_unlinking_after_reveal_ends_sight_of_past_ratings(world: Any, talk: Any) -> None:
    from nearer.accounts.services import revoke_link

    rate(world.owner, talk)
    rate(world.partner, talk)
    assert queries.reveal_for(world.partner, talk).theirs is not None
    revoke_link(world.owner, world.objects["link_owner_partner"].pk)
    talk.refresh_from_db()
    assert talk.state == ConversationState.TALKING  # finished talks stay as they were
    assert queries.reveal_for(world.partner, talk).theirs is None
    assert queries.reveal_for(world.owner, talk).mine is not None  # one's own ratings stay one's own


def test_readiness_not_tonight(world: Any) -> None:
    conv = services.start_conversation(world.owner, "day-002")
    services.answer_readiness(world.owner, conv, True)
    conv = services.answer_readiness(world.partner, conv, False)
    assert conv.state == ConversationState.NOT_TONIGHT
    with pytest.raises(ValidationError):
        rate(world.owner, conv)
    # A new talk can start; the unused prompt can be saved and comes first next time.
    services.mark_prompt(world.owner, "day-002", "saved")
    couple = services.couple_for(world.owner)
    assert services.offered_prompts(couple)[0].id == "day-002"


def test_rating_validation_and_single_rating(world: Any, talk: Any, client_as: Any) -> None:
    with pytest.raises(ValidationError) as exc:
        rate(world.owner, talk, heard=11)
    assert "heard" in exc.value.message_dict
    resp = client_as("owner").post(reverse("together:rate", args=[talk.pk]), {"heard": "12", "accepted": "5", "close": "5", "defensive": "5"})
    assert resp.status_code == 422 and 'id="id_heard_error"' in resp.content.decode()
    api = client_as("owner").post(f"/api/together/conversations/{talk.pk}/rating", data=json.dumps(
        {"heard": -1, "accepted": 5, "close": 5, "defensive": 5}), content_type="application/json")
    assert api.status_code == 422 and api.json()["errors"][0]["field"] == "heard"
    rate(world.owner, talk)
    with pytest.raises(ValidationError):
        rate(world.owner, talk)


def test_prompt_must_be_offered_depth(world: Any, client_as: Any) -> None:
    deep = next(p for p in __import__("nearer.together.prompt_bank", fromlist=["prompts"]).prompts(3))
    with pytest.raises(ValidationError):
        services.start_conversation(world.owner, deep.id)
    resp = client_as("owner").post("/api/together/conversations", data=json.dumps({"prompt_id": "nope-001"}),
                                   content_type="application/json")
    assert resp.status_code == 422 and resp.json()["errors"][0]["field"] == "prompt_id"


def test_skip_excludes_prompt(world: Any) -> None:
    couple = services.couple_for(world.owner)
    first = services.offered_prompts(couple)
    services.mark_prompt(world.partner, first[0].id, "skipped")
    assert first[0].id not in {p.id for p in services.offered_prompts(couple)}


def test_rhythm_proposed_by_one_confirmed_by_other(world: Any, client_as: Any) -> None:
    r = services.propose_rhythm(world.owner, [0, 2, 4], time(20, 30))
    with pytest.raises(ValidationError):
        services.confirm_rhythm(world.owner, r.pk)
    assert services.current_rhythm(services.couple_for(world.owner)) is None
    services.confirm_rhythm(world.partner, r.pk)
    couple = services.couple_for(world.owner)
    assert services.current_rhythm(couple).weekdays == [0, 2, 4]
    for persona in ("owner", "partner"):
        home = client_as(persona).get("/").content.decode()
        assert 'id="together-panel"' in home and "Next talk with" in home
    assert 'id="together-panel"' not in client_as("unlinked").get("/").content.decode()
    with pytest.raises(ValidationError) as exc:
        services.propose_rhythm(world.owner, [], time(20, 0))
    assert "weekdays" in exc.value.message_dict
    bad = client_as("owner").post(reverse("together:rhythm"), {"action": "propose", "at": "20:00"})
    assert bad.status_code == 200 and "Choose at least one day" in bad.content.decode()


def test_next_talk_is_next_agreed_evening(world: Any) -> None:
    from datetime import UTC, datetime

    r = services.propose_rhythm(world.owner, [1, 3], time(20, 0))  # Tue, Thu
    world.owner.timezone = "UTC"
    monday_noon = datetime(2026, 3, 2, 12, 0, tzinfo=UTC)
    nxt = queries.next_talk(r, world.owner, now=monday_noon)
    assert nxt is not None and (nxt.date().isoformat(), nxt.hour) == ("2026-03-03", 20)


def test_deeper_offered_only_after_shared_good_talks(world: Any) -> None:
    couple = services.couple_for(world.owner)
    with pytest.raises(ValidationError):
        services.set_depth(world.owner, 2)
    for i, share in enumerate([True, False, True, True]):
        conv = services.start_conversation(world.owner, services.offered_prompts(couple)[0].id)
        services.answer_readiness(world.owner, conv, True)
        services.answer_readiness(world.partner, conv, True)
        rate(world.owner, conv, heard=8, accepted=8)
        rate(world.partner, conv, heard=9, accepted=7, share=share)
        couple.refresh_from_db()
        expected = {0: False, 1: False, 2: False, 3: True}[i]
        assert services.deeper_offered(couple) is expected, i
    services.set_depth(world.partner, 2)
    couple.refresh_from_db()
    assert couple.depth == 2 and not services.deeper_offered(couple)
    services.set_depth(world.owner, 1)  # going lighter is always allowed


def test_risky_note_shows_card_to_writer_only(world: Any, talk: Any, client_as: Any) -> None:
    from nearer.safety.models import RiskEvent

    resp = client_as("partner").post(reverse("together:rate", args=[talk.pk]), {
        "heard": "3", "accepted": "3", "close": "2", "defensive": "6", "share": "on",
        "note": "I want to kill myself, I can't do this anymore"})
    page = resp.content.decode()
    assert resp.status_code == 200 and 'id="crisis-card"' in page
    assert RiskEvent.objects.filter(person=world.partner).count() == 1
    assert not RiskEvent.objects.filter(person=world.owner).exists()
    rate(world.owner, talk)
    sam = client_as("owner").get(reverse("together:reveal", args=[talk.pk])).content.decode()
    assert "kill myself" not in sam and "crisis-card" not in sam
    sam_home = client_as("owner").get("/").content.decode()
    assert "kill myself" not in sam_home


def test_therapist_sees_rhythm_and_paired_shared_ratings(world: Any, talk: Any, client_as: Any) -> None:
    services.confirm_rhythm(world.partner, services.propose_rhythm(world.owner, [1, 4], time(21, 0)).pk)
    rate(world.owner, talk, heard=6, note="private words here")
    rate(world.partner, talk, heard=8, share=False)
    before = AccessLog.objects.count()
    page = client_as("therapist").get(reverse("together:client-detail", args=[world.owner.pk])).content.decode()
    assert AccessLog.objects.count() == before + 1
    assert "Tuesday, Friday at 21:00" in page and "6 / 8 / 7 / 2" in page and "not shared" in page
    assert "private words here" not in page
    summary = queries.couple_summary_for(world.owner)
    assert summary["rows"][0]["client"]["heard"] == 6 and summary["rows"][0]["partner"] is None
    # The partner is not a therapist: the clinic view is not theirs, even with the couple scope.
    assert client_as("partner").get(reverse("together:client-detail", args=[world.owner.pk])).status_code == 404


def test_export_and_erase(world: Any, talk: Any) -> None:
    from nearer.privacy.services import collect, erase_account

    rate(world.owner, talk, note="mine")
    rate(world.partner, talk)
    data = collect(world.owner)
    assert [r["note"] for r in data["together_ratings"]] == ["mine"]
    erase_account(world.owner)
    from nearer.together.models import Rating

    assert list(Rating.objects.values_list("person_id", flat=True)) == [world.partner.pk]


def test_pages_in_spanish(world: Any, talk: Any, client_as: Any) -> None:
    c = client_as("owner")
    c.cookies["django_language"] = "es"
    page = c.get(reverse("together:conversation-detail", args=[talk.pk]), HTTP_ACCEPT_LANGUAGE="es").content.decode()
    assert "La pregunta de esta noche" in page and "Cuando escuchas" in page
    from nearer.together import prompt_bank

    assert prompt_bank.get_prompt("day-001").es in page
    rate(world.owner, talk, heard=9)
    rate(world.partner, talk, heard=3)
    reveal = c.get(reverse("together:reveal", args=[talk.pk]), HTTP_ACCEPT_LANGUAGE="es").content.decode()
    assert "En qué coinciden y en qué no" in reveal
    assert "A Alex le costó más que a ti sentir que le escuchaban." in reveal
