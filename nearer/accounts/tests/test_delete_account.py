"""Deleting an account needs the person's password and DELETE typed as shown."""

from __future__ import annotations

import pytest

from nearer.accounts.models import User

pytestmark = pytest.mark.django_db

PASSWORD = "correct horse battery staple"


@pytest.mark.parametrize(("data", "field"), [
    ({"confirm": "DELETE", "password": "wrong"}, "password"),
    ({"confirm": "DELETE"}, "password"),
    ({"confirm": "delete", "password": PASSWORD}, "confirm"),
])
def test_wrong_password_or_confirmation_erases_nothing(world, client_as, data, field):
    r = client_as("owner").post("/me/delete/", data)
    assert r.status_code == 200 and field in r.context["form"].errors
    assert User.objects.filter(pk=world.owner.pk).exists()


def test_password_and_delete_erase_the_account(world, client_as):
    r = client_as("owner").post("/me/delete/", {"confirm": "DELETE", "password": PASSWORD})
    assert r.status_code == 302
    assert not User.objects.filter(pk=world.owner.pk).exists()


def test_help_page_does_not_link_to_itself(client):
    page = client.get("/help/").content.decode()
    footer = page[page.index('<footer class="site-footer">'):]
    assert 'href="/help/"' not in footer
    assert 'href="/help/"' in client.get("/accounts/login/").content.decode()
