"""Issue 16 items 4 and 5: unlinking asks first and says what stops; after it the therapist's alert
list no longer shows the person."""

from __future__ import annotations

from typing import Any

import pytest
from django.urls import reverse

from nearer.accounts.models import Link

pytestmark = pytest.mark.django_db


def test_one_tap_no_longer_unlinks_the_question_comes_first(world: Any, client_as: Any) -> None:
    link = world.objects["link_owner_therapist"]
    c = client_as("owner")
    url = reverse("accounts:link-revoke", args=[link.pk])
    sharing = c.get(reverse("accounts:sharing")).content.decode()
    assert f'href="{url}"' in sharing  # the card links to the question, it does not post
    page = c.post(url).content.decode()  # an unconfirmed post (an old form, a stray tap)
    assert Link.objects.get(pk=link.pk).revoked_at is None
    assert "Unlink Dr. Rivera?" in page
    assert "Safety alerts about you will no longer go to Dr. Rivera" in page
    assert "Questionnaire results" in page and "Daily check-in numbers" in page  # what they see now stops
    c.post(url, {"confirm": "yes"})
    assert Link.objects.get(pk=link.pk).revoked_at is not None


def test_unlinking_a_partner_says_both_directions_end(world: Any, client_as: Any) -> None:
    link = world.objects["link_owner_partner"]
    page = client_as("owner").get(reverse("accounts:link-revoke", args=[link.pk])).content.decode()
    assert "ends both directions" in page and "Couple conversations stop" in page


def test_the_question_in_spanish(world: Any, client_as: Any) -> None:
    link = world.objects["link_owner_therapist"]
    c = client_as("owner")
    page = c.get(reverse("accounts:link-revoke", args=[link.pk]), HTTP_ACCEPT_LANGUAGE="es").content.decode()
    assert "Las alertas de seguridad sobre ti dejarán de llegar a Dr. Rivera" in page


def test_after_unlinking_the_alert_list_no_longer_shows_the_person(world: Any, client_as: Any) -> None:
    from nearer.safety.services import raise_risk

    raise_risk(world.owner, "safety.not_safe", "urgent")
    therapist = client_as("therapist")
    api = {"HTTP_AUTHORIZATION": f"Bearer {world.tokens['therapist']}"}
    assert "Sam" in therapist.get(reverse("safety:alert-list")).content.decode()
    assert [a["person_id"] for a in therapist.get("/api/safety/alerts", **api).json()] == [world.owner.pk]
    client_as("owner").post(reverse("accounts:link-revoke", args=[world.objects["link_owner_therapist"].pk]),
                            {"confirm": "yes"})
    page = therapist.get(reverse("safety:alert-list")).content.decode()
    main = page.split("<main", 1)[1]
    assert "Sam" not in main
    assert therapist.get("/api/safety/alerts", **api).json() == []
