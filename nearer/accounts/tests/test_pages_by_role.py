"""The sharing page and the navigation speak to each role: a therapist sees clients and invitations,
a clinic admin sees the therapists page and no sharing page in the menu."""

from __future__ import annotations

from typing import Any

from django.urls import reverse


def _nav(body: str) -> str:
    return body[body.index('<nav class="nav"'):body.index("</nav>")]


def test_therapist_sharing_page_lists_clients_in_their_words(world: Any, client_as: Any) -> None:
    body = client_as("therapist").get(reverse("accounts:sharing")).content.decode()
    assert "<h1>Clients and invitations</h1>" in body
    # The client is a link to their page, and what they share is named from the therapist's side.
    assert f'href="{reverse("clinic:client-detail", args=[world.owner.pk])}">{world.owner.name}</a>' in body
    assert "Their loop and trends" in body and "Your loop and trends" not in body
    # Ending the link asks first and says what it means; the button names the client.
    assert "their safety alerts will no longer reach you" in body
    assert f"Unlink {world.owner.name}</button>" in body
    # Nothing addressed to a person sharing their own data.
    assert "You&#x27;re not sharing with anyone yet." not in body and "See who has looked at your data" not in body
    assert "Invite a client" in body


def test_partner_still_sees_the_person_view(world: Any, client_as: Any) -> None:
    body = client_as("partner").get(reverse("accounts:sharing")).content.decode()
    assert "<h1>Who can see what</h1>" in body and "Shared with you" in body
    assert "See who has looked at your data" in body


def test_navigation_by_role(world: Any, client_as: Any) -> None:
    therapist_nav = _nav(client_as("therapist").get(reverse("home")).content.decode())
    assert f'href="{reverse("safety:alert-list")}">Alerts</a>' in therapist_nav
    assert f'href="{reverse("accounts:sharing")}">Clients and invitations</a>' in therapist_nav

    admin_nav = _nav(client_as("clinic_admin").get(reverse("home")).content.decode())
    assert f'href="{reverse("clinic:admin-therapists")}">Therapists</a>' in admin_nav
    assert reverse("accounts:sharing") not in admin_nav and "Alerts" not in admin_nav

    person_nav = _nav(client_as("owner").get(reverse("home")).content.decode())
    assert f'href="{reverse("accounts:sharing")}">Who can see what</a>' in person_nav
    assert "Alerts" not in person_nav and "Therapists" not in person_nav
