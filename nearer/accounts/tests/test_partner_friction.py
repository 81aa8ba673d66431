"""Issue 15 item 10: an invitation link can be seen again and withdrawn; when a linked account closes,
the partner is told (a notice on their next page and an email that names nobody)."""

from __future__ import annotations

import html

import pytest
from django.core import mail
from django.test import Client

from conftest import make_user
from nearer.accounts import services
from nearer.accounts.models import Invitation, Link, User
from nearer.together.models import ConversationState

pytestmark = pytest.mark.django_db


@pytest.fixture
def sam():
    return make_user("sam@x.test", name="Sam")


def _signed_in(user: User) -> Client:
    c = Client()
    c.force_login(user)
    return c


# ---------------------------------------------------------------- the invitation link, again


def test_waiting_invitation_keeps_its_token_encrypted_until_used(sam):
    from django.db import connection

    new = services.create_invitation(sam, "partner")
    inv = Invitation.objects.get()
    assert inv.token_sealed == new.token and len(new.token) >= 32  # 24 random bytes, url-safe
    with connection.cursor() as cur:
        cur.execute("SELECT token_sealed FROM accounts_invitation WHERE id = %s", [inv.pk])
        stored = cur.fetchone()[0]
    assert new.token not in stored  # ciphertext at rest
    services.accept_invitation(new.token, make_user("alex@x.test"))
    inv.refresh_from_db()
    assert inv.token_sealed == "" and inv.used_at is not None


def test_withdrawing_forgets_the_token_and_the_link_stops_working(sam):
    new = services.create_invitation(sam, "partner")
    assert services.revoke_invitation(sam, new.invitation.pk) is True
    inv = Invitation.objects.get()
    assert inv.token_sealed == "" and inv.revoked_at is not None
    with pytest.raises(services.InvitationError) as exc:
        services.find_invitation(new.token)
    assert exc.value.state == "revoked"
    assert services.revoke_invitation(sam, new.invitation.pk) is False  # already withdrawn: nothing changes


def test_someone_else_cannot_withdraw_an_invitation(sam):
    new = services.create_invitation(sam, "partner")
    other = make_user("eve@x.test")
    assert services.revoke_invitation(other, new.invitation.pk) is False
    assert services.find_invitation(new.token).pk == new.invitation.pk


def test_sharing_page_shows_a_waiting_link_again_with_copy_share_and_withdraw(sam):
    client = _signed_in(sam)
    client.post("/me/sharing/invite/", {"kind": "partner"})
    first = client.get("/me/sharing/")
    new_url = first.context["new_invite_url"]
    assert new_url and first.context["waiting"] == []  # shown once, in the highlighted card
    later = client.get("/me/sharing/")  # another visit, days later: the same link, to copy again
    body = html.unescape(later.content.decode())
    inv = Invitation.objects.get()
    assert [w["url"] for w in later.context["waiting"]] == [new_url]
    assert f'id="invite-url-{inv.pk}"' in body and f'value="{new_url}"' in body
    assert f'data-copy="invite-url-{inv.pk}"' in body and f'data-share="invite-url-{inv.pk}"' in body
    assert "Withdraw this link" in body
    # Only the opaque token is in the link: no name, no email, no id.
    path = new_url.split("/invite/")[1].strip("/")
    assert "sam" not in new_url.lower() and str(inv.pk) != path and len(path) >= 32
    # The link still works for the person it was sent to.
    other = _signed_in(make_user("alex@x.test", name="Alex"))
    assert "would like to link with you" in other.get(new_url).content.decode()

    r = client.post(f"/me/sharing/invitations/{inv.pk}/withdraw/", follow=True)
    assert "Invitation withdrawn. The link no longer works." in html.unescape(r.content.decode())
    assert r.context["waiting"] == [] and new_url not in r.content.decode()
    assert other.get(new_url).status_code == 410


def test_sharing_page_in_spanish_names_the_buttons(sam):
    client = _signed_in(sam)
    client.cookies["django_language"] = "es"
    services.create_invitation(sam, "partner")
    body = html.unescape(client.get("/me/sharing/", HTTP_ACCEPT_LANGUAGE="es").content.decode())
    assert "Copiar enlace" in body and "Retirar este enlace" in body and "Enlaces sin usar todavía" in body


def test_used_and_expired_invitations_are_not_shown_again(sam):
    import time_machine
    from django.utils import timezone

    used = services.create_invitation(sam, "partner")
    services.accept_invitation(used.token, make_user("alex@x.test"))
    expired = services.create_invitation(sam, "therapist")
    Invitation.objects.filter(pk=expired.invitation.pk).update(expires_at=timezone.now())
    with time_machine.travel(timezone.now()):
        body = _signed_in(sam).get("/me/sharing/").content.decode()
    assert used.token not in body and expired.token not in body


def test_home_cards_never_load_invitation_tokens(sam):
    from nearer.accounts.queries import sharing_page

    services.create_invitation(sam, "partner")
    inv = sharing_page(sam)["invitations"][0]  # type: ignore[index]
    assert "token_sealed" in inv.get_deferred_fields()


def test_export_holds_no_invitation_token(sam):
    from nearer.privacy.services import collect

    new = services.create_invitation(sam, "partner")
    rows = collect(sam)["invitations"]
    assert rows and all("token_sealed" not in row and "token_hash" not in row for row in rows)
    assert new.token not in repr(rows)


# ---------------------------------------------------------------- a linked account closes


def _couple(sam: User) -> User:
    alex = make_user("alex@x.test", name="Alex")
    alex.language = "es"
    alex.save(update_fields=["language"])
    services.accept_invitation(services.create_invitation(sam, "partner").token, alex)
    return alex


def test_closing_an_account_ends_the_partner_link_and_tells_the_partner(sam, django_capture_on_commit_callbacks):
    from nearer.privacy.services import erase_account
    from nearer.together import services as together

    alex = _couple(sam)
    couple = together.couple_for(sam)
    assert couple is not None
    talk = together.start_conversation(sam, together.offered_prompts(couple)[0].id)
    sam_pk = sam.pk
    with django_capture_on_commit_callbacks(execute=True):
        erase_account(sam)
    alex.refresh_from_db()
    assert alex.partner_closed_at is not None
    assert not Link.objects.filter(owner=alex).exists() and not Link.objects.filter(viewer=alex).exists()
    couple.refresh_from_db()
    talk.refresh_from_db()
    assert couple.ended_at is not None and couple.members() == [alex.pk] and sam_pk not in couple.members()
    assert talk.state == ConversationState.CLOSED
    assert together.couple_for(alex) is None
    # Alex's old talk still opens, without a name or anything of the closed account.
    client = _signed_in(User.objects.get(pk=alex.pk))
    for path in (f"/together/talks/{talk.pk}/", f"/together/talks/{talk.pk}/reveal/"):
        r = client.get(path)
        assert r.status_code == 200 and "Sam" not in r.content.decode(), path
    # The email: to Alex only, in Alex's language, naming nobody and quoting nothing.
    assert len(mail.outbox) == 1
    msg = mail.outbox[0]
    assert msg.to == ["alex@x.test"]
    assert msg.subject == "Nearer: tu vínculo de pareja ha terminado"
    assert "Sam" not in msg.body and "sam@x.test" not in msg.body and "Alex" not in msg.body
    assert "/me/sharing/" in msg.body


def test_the_partner_sees_the_notice_until_they_dismiss_it(sam, django_capture_on_commit_callbacks):
    from nearer.privacy.services import erase_account

    alex = _couple(sam)
    alex.language = "en"
    alex.save(update_fields=["language"])
    with django_capture_on_commit_callbacks(execute=True):
        erase_account(sam)
    client = _signed_in(User.objects.get(pk=alex.pk))
    for path in ("/", "/together/", "/me/sharing/"):
        page = html.unescape(client.get(path).content.decode())
        assert "Your partner link has ended" in page, path
        assert "The account you were linked with as partners has been closed" in page
        assert "Sam" not in page
    r = client.post("/me/notice/dismiss/", {"next": "/together/"})
    assert r.status_code == 302 and r["Location"] == "/together/"
    assert "Your partner link has ended" not in client.get("/").content.decode()
    assert User.objects.get(pk=alex.pk).partner_closed_at is None


def test_dismiss_never_redirects_off_site(sam):
    client = _signed_in(sam)
    r = client.post("/me/notice/dismiss/", {"next": "https://evil.example/"})
    assert r.status_code == 302 and r["Location"] == "/"


def test_notice_in_spanish(sam, django_capture_on_commit_callbacks):
    from nearer.privacy.services import erase_account

    alex = _couple(sam)
    with django_capture_on_commit_callbacks(execute=True):
        erase_account(sam)
    client = _signed_in(User.objects.get(pk=alex.pk))
    client.cookies["django_language"] = "es"
    page = html.unescape(client.get("/", HTTP_ACCEPT_LANGUAGE="es").content.decode())
    assert "Tu vínculo de pareja ha terminado" in page and "Entendido" in page


def test_closing_an_account_without_a_partner_tells_nobody(sam, django_capture_on_commit_callbacks):
    from nearer.privacy.services import erase_account

    therapist = make_user("t@x.test", role="therapist")
    Link.objects.create(owner=sam, viewer=therapist, kind="therapist", scopes=[])
    with django_capture_on_commit_callbacks(execute=True):
        erase_account(sam)
    therapist.refresh_from_db()
    assert therapist.partner_closed_at is None and mail.outbox == []


def test_the_delete_page_says_the_partner_will_be_told(sam):
    body = html.unescape(_signed_in(sam).get("/me/delete/").content.decode())
    assert "they will be told that the link ended because the other account was closed" in body


@pytest.mark.parametrize("how", ["unsafe_screen", "paused"])
def test_closing_quietly_when_the_relationship_is_not_safe_tells_the_partner_nothing(
    sam, django_capture_on_commit_callbacks, how
):
    """Someone who said their relationship is not safe (or paused couple features) can close their
    account without it becoming news for the partner: no notice, no email; the link just ends."""
    from nearer.privacy.services import erase_account
    from nearer.relsafety.services import record_screen, set_pause

    alex = _couple(sam)
    if how == "unsafe_screen":
        record_screen(sam, {"afraid": "yes"}, "en")
    else:
        set_pause(sam, True)
    page = _signed_in(sam).get("/me/delete/").content.decode()
    assert "will not be told" in html.unescape(page)
    with django_capture_on_commit_callbacks(execute=True):
        erase_account(sam)
    alex.refresh_from_db()
    assert alex.partner_closed_at is None
    assert mail.outbox == []
    assert not Link.objects.filter(owner=alex).exists() and not Link.objects.filter(viewer=alex).exists()
    home = _signed_in(User.objects.get(pk=alex.pk)).get("/").content.decode()
    assert "partner-closed-notice" not in home
