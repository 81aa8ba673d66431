"""Issue 14: an invitation from a therapist no clinic has verified says so, and accepting needs a plain
acknowledgement of what the account will see."""

from __future__ import annotations

import pytest
from django.test import Client

from nearer.accounts import services
from nearer.accounts.models import Link
from nearer.testing import World


def _invite(world: World) -> str:
    return services.create_invitation(world.therapist, "client").token


@pytest.mark.django_db
@pytest.mark.parametrize("lang,needle", [("en", "No clinic has verified this account."),
                                         ("es", "Ninguna clínica ha verificado esta cuenta.")])
def test_unverified_therapist_invitation_says_so(world, lang, needle):
    c = Client()
    c.force_login(world.unlinked)
    html = c.get(f"/invite/{_invite(world)}/", HTTP_ACCEPT_LANGUAGE=lang).content.decode()
    assert 'id="unverified-therapist"' in html and needle in html
    assert 'name="understand_unverified"' in html
    # Anonymous visitors see it too, before they sign up.
    assert 'id="unverified-therapist"' in Client().get(f"/invite/{_invite(world)}/").content.decode()


@pytest.mark.django_db
def test_accepting_an_unverified_invitation_needs_the_acknowledgement(world):
    token = _invite(world)
    c = Client()
    c.force_login(world.unlinked)
    r = c.post(f"/invite/{token}/", {"scopes": ["measures"]})
    assert r.status_code == 400 and "Tick this box" in r.content.decode()
    assert not Link.objects.filter(owner=world.unlinked, viewer=world.therapist).exists()
    r = c.post(f"/invite/{token}/", {"scopes": ["measures"], "understand_unverified": "on"})
    assert r.status_code == 302
    assert Link.objects.get(owner=world.unlinked, viewer=world.therapist).scopes == ["measures"]


@pytest.mark.django_db
def test_verified_therapist_invitation_names_the_clinic(world):
    from nearer.clinic.services import set_licence

    set_licence(world.clinic_admin, world.therapist, licence_number="GA-1", licence_state="ga", verified=True)
    token = _invite(world)
    c = Client()
    c.force_login(world.unlinked)
    html = c.get(f"/invite/{token}/").content.decode()
    assert 'id="verified-therapist"' in html and "Test Clinic" in html and "unverified-therapist" not in html
    assert c.post(f"/invite/{token}/", {"scopes": ["measures"]}).status_code == 302
