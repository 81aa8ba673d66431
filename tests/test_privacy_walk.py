"""Export holds every record a person owns; deletion leaves none of it in any table.

The demo (every app's history) provides the data, so a new app's models are covered as soon as its
demo writes them. A model pointing at a user that is neither registered nor exempted fails.
"""

from __future__ import annotations

import io
import json
import zipfile

import pytest
from django.apps import apps
from django.conf import settings
from django.core.management import call_command
from django.db import models

from nearer import demo
from nearer.accounts.models import User
from nearer.privacy.fields import encrypted_fields
from nearer.privacy.registry import EXEMPT, OWNED
from nearer.privacy.services import erase_account, export_zip

# Framework models that reference users but hold nothing a person wrote.
FRAMEWORK_EXEMPT = {
    "admin.logentry": "operator actions on the admin site",
}


def _user_fks(model: type[models.Model]) -> list[models.Field]:
    return [
        f for f in model._meta.concrete_fields
        if isinstance(f, models.ForeignKey) and f.related_model is not None
        and f.related_model._meta.label == settings.AUTH_USER_MODEL
    ]


@pytest.fixture
def demo_world(db):
    call_command("demo", stdout=io.StringIO())
    return User.objects.get(email=demo.SAM)


def test_every_model_is_accounted_for(db):
    missing = []
    for model in apps.get_models():
        label = model._meta.label_lower
        if _user_fks(model) and label not in OWNED and label not in EXEMPT and label not in FRAMEWORK_EXEMPT:
            missing.append(label)
    assert not missing, f"Models that point at a user but are neither registered nor exempted: {missing}"


def test_export_contains_every_record(demo_world):
    sam = demo_world
    with zipfile.ZipFile(io.BytesIO(export_zip(sam))) as archive:
        data = json.loads(archive.read("nearer-export.json"))["data"]
        csv_names = set(archive.namelist())
    for owned in OWNED.values():
        expected = owned.model._default_manager.filter(**{owned.owner_path: sam.pk}).count()
        assert len(data[owned.name]) == expected, owned.name
        assert f"csv/{owned.name}.csv" in csv_names
    assert data["profile"][0]["email"] == demo.SAM
    assert "password" not in data["profile"][0]


def test_export_after_revocation_reflects_the_change(demo_world):
    from nearer.accounts.models import Link
    from nearer.accounts.services import revoke_link

    sam = demo_world
    link = Link.objects.active().get(owner=sam, kind="therapist")
    revoke_link(sam, link.pk)
    with zipfile.ZipFile(io.BytesIO(export_zip(sam))) as archive:
        data = json.loads(archive.read("nearer-export.json"))["data"]
    exported = {row["id"]: row for row in data["links"]}
    assert exported[link.pk]["revoked_at"] is not None
    assert any(e["action"] == "revoked" for e in data["share_events"])


def _decrypted_texts(user: User) -> set[str]:
    texts = set()
    for owned in OWNED.values():
        for obj in owned.model._default_manager.filter(**{owned.owner_path: user.pk}):
            for field in encrypted_fields(owned.model):
                value = getattr(obj, field.attname)
                if value and len(value) >= 12:
                    texts.add(value)
    return texts


def test_deletion_leaves_none_of_their_data_in_any_table(demo_world):
    sam = demo_world
    pk = sam.pk
    # Demo text can repeat between people (Alex may write the same sentence); only text that
    # nobody else wrote can show a leak.
    others = set().union(*(_decrypted_texts(u) for u in User.objects.exclude(pk=pk)))
    texts = _decrypted_texts(sam) - others
    assert texts, "the demo gives the person no text of their own"
    erase_account(sam)
    for model in apps.get_models():
        for fk in _user_fks(model):
            if fk.null and model._meta.label_lower == "privacy.accesslog" and fk.name == "viewer":
                continue
            count = model._default_manager.filter(**{fk.attname: pk}).count()
            assert count == 0, f"{model._meta.label}.{fk.name} still points at the deleted person ({count})"
    # None of the text they wrote survives anywhere (decrypting every encrypted value that remains).
    remaining = set()
    for model in apps.get_models():
        fields = encrypted_fields(model)
        if fields:
            for obj in model._default_manager.all():
                for field in fields:
                    remaining.add(getattr(obj, field.attname))
    leaked = [t for t in texts if any(t in r for r in remaining if r)]
    assert not leaked, f"{len(leaked)} texts written by the deleted person remain"


def test_delete_account_page_erases_and_signs_out(world, client_as):
    client = client_as("unlinked")
    assert client.post("/me/delete/", {"confirm": "nope"}).status_code == 200
    assert User.objects.filter(pk=world.unlinked.pk).exists()
    response = client.post("/me/delete/", {"confirm": "DELETE", "password": "correct horse battery staple"})
    assert response.status_code == 302
    assert not User.objects.filter(pk=world.unlinked.pk).exists()
    assert client.get("/me/").status_code == 302
