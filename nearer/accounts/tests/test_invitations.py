import html
from datetime import timedelta

import pytest
import time_machine
from django.utils import timezone

from conftest import make_user
from nearer.accounts import services
from nearer.accounts.models import Invitation, Link

pytestmark = pytest.mark.django_db


@pytest.fixture
def sam():
    return make_user("sam@x.test", name="Sam")


def test_partner_invitation_links_both_ways_with_partner_defaults(sam):
    alex = make_user("alex@x.test", name="Alex")
    new = services.create_invitation(sam, "partner")
    services.accept_invitation(new.token, alex)
    out = Link.objects.get(owner=sam, viewer=alex)
    back = Link.objects.get(owner=alex, viewer=sam)
    assert out.kind == back.kind == "partner"
    assert out.scopes == back.scopes == ["together_ratings"]


def test_token_is_stored_only_as_a_hash(sam):
    new = services.create_invitation(sam, "partner")
    inv = Invitation.objects.get()
    assert new.token not in inv.token_hash and len(inv.token_hash) == 64


def test_invitation_is_single_use(sam):
    new = services.create_invitation(sam, "partner")
    services.accept_invitation(new.token, make_user("a@x.test"))
    with pytest.raises(services.InvitationError) as exc:
        services.accept_invitation(new.token, make_user("b@x.test"))
    assert exc.value.state == "used"


def test_invitation_expires_after_seven_days(sam):
    new = services.create_invitation(sam, "partner")
    with time_machine.travel(timezone.now() + timedelta(days=7, seconds=1)):
        with pytest.raises(services.InvitationError) as exc:
            services.accept_invitation(new.token, make_user("a@x.test"))
    assert exc.value.state == "expired"
    with time_machine.travel(timezone.now() + timedelta(days=6, hours=23)):
        services.accept_invitation(new.token, make_user("b@x.test"))


def test_withdrawn_invitation_says_so(sam, client):
    new = services.create_invitation(sam, "partner")
    services.revoke_invitation(sam, new.invitation.pk)
    response = client.get(f"/invite/{new.token}/")
    assert response.status_code == 410
    assert "withdrawn" in response.content.decode()


@pytest.mark.parametrize("state,text", [("used", "already been used"), ("expired", "expired"), ("invalid", "isn't valid")])
def test_invalid_links_say_plainly_what_happened(sam, client, state, text):
    new = services.create_invitation(sam, "partner")
    token = new.token
    if state == "used":
        services.accept_invitation(token, make_user("a@x.test"))
    elif state == "expired":
        Invitation.objects.update(expires_at=timezone.now() - timedelta(seconds=1))
    else:
        token = "nonsense"
    response = client.get(f"/invite/{token}/")
    assert response.status_code == 410
    assert text in html.unescape(response.content.decode())


def test_therapist_invitation_requires_a_therapist_account(sam):
    new = services.create_invitation(sam, "therapist")
    with pytest.raises(services.InvitationError):
        services.accept_invitation(new.token, make_user("p@x.test"))
    therapist = make_user("t@x.test", role="therapist")
    [link] = services.accept_invitation(new.token, therapist)
    assert link.owner == sam and link.kind == "therapist"
    assert set(link.scopes) == {"checkins", "loop", "measures", "practice_summaries", "together_ratings"}
    assert link.alerts_acknowledged_at is not None


def test_client_chooses_scopes_when_accepting_a_therapists_invitation():
    therapist = make_user("t@x.test", role="therapist")
    client_user = make_user("c@x.test")
    new = services.create_invitation(therapist, "client")
    [link] = services.accept_invitation(new.token, client_user, scopes=["measures"])
    assert link.owner == client_user and link.viewer == therapist and link.scopes == ["measures"]


def test_person_cannot_invite_clients_and_cannot_accept_own_invitation(sam):
    with pytest.raises(services.InvitationError):
        services.create_invitation(sam, "client")
    new = services.create_invitation(sam, "partner")
    with pytest.raises(services.InvitationError):
        services.accept_invitation(new.token, sam)


def test_second_partner_is_refused_until_unlinked(sam):
    alex = make_user("alex@x.test")
    services.accept_invitation(services.create_invitation(sam, "partner").token, alex)
    with pytest.raises(services.InvitationError):
        services.accept_invitation(services.create_invitation(sam, "partner").token, make_user("z@x.test"))


def test_unlinking_a_partner_ends_both_directions(sam):
    alex = make_user("alex@x.test")
    services.accept_invitation(services.create_invitation(sam, "partner").token, alex)
    link = Link.objects.get(owner=alex, viewer=sam)
    services.revoke_link(alex, link.pk)
    assert not Link.objects.active().exists()


def test_web_journey_accept_and_narrow_scopes(sam, client):
    alex = make_user("alex@x.test", name="Alex")
    client.force_login(sam)
    client.post("/me/sharing/invite/", {"kind": "partner"})
    url = client.get("/me/sharing/").context["new_invite_url"]
    assert url and "/invite/" in url
    from django.test import Client

    other = Client()
    other.force_login(alex)
    page = other.get(url)
    assert "would like to link with you" in page.content.decode()
    assert other.post(url).status_code == 302
    link = Link.objects.get(owner=sam, viewer=alex)
    response = client.post(f"/me/sharing/links/{link.pk}/scopes/", {})
    assert response.status_code == 302
    link.refresh_from_db()
    assert link.scopes == []


def test_bad_scope_post_does_not_change_anything(sam, client):
    alex = make_user("alex@x.test")
    services.accept_invitation(services.create_invitation(sam, "partner").token, alex)
    link = Link.objects.get(owner=sam, viewer=alex)
    client.force_login(sam)
    client.post(f"/me/sharing/links/{link.pk}/scopes/", {"scopes": ["measures", "not-a-scope"]})
    link.refresh_from_db()
    assert link.scopes == ["together_ratings"]
