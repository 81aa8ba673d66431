"""Security bar 11 and 13: free text is stored only as ciphertext; canaries never reach logs.

Every model with an ``EncryptedTextField`` gets a unique canary in every such field (through the ORM,
the same path every form and API uses), then the raw database (the SQLite file, or a pg_dump on
PostgreSQL) is searched byte by byte. Text-like columns that are not encrypted must be listed below
with a reason, so a new plain-text field for people's words fails this test.
"""

from __future__ import annotations

import io
import os
import shutil
import subprocess
import tempfile
import uuid

import pytest
from django.apps import apps
from django.core.management import call_command
from django.db import connection, models

from nearer.privacy.fields import EncryptedTextField, encrypted_fields

# Plain text columns in our apps that are allowed, and why. Anything a person writes must be encrypted.
PLAIN_TEXT_ALLOWED = {
    "accounts.user.email": "login identifier; needed for sign-in lookups",
    "accounts.user.password": "an Argon2id hash",
    "accounts.user.timezone": "an IANA zone name",
    "accounts.user.language": "a language code",
    "accounts.clinic.name": "a business name, not personal",
    "accounts.clinic.city": "a business address",
    "accounts.clinic.on_call_email": "a clinic's on-call address",
    "accounts.apitoken.name": "a label the person gives a token (shown only to them)",
    "accounts.apitoken.token_hash": "SHA-256 of the token",
    "accounts.apitoken.hint": "last four characters of the token",
    "accounts.invitation.token_hash": "SHA-256 of the invitation token",
    "privacy.accesslog.what": "a route name, never content",
    "safety.riskevent.ref_type": "a model label (e.g. diary.checkin), never content",
    "diary.checkin.idempotency_key": "a client-generated random key",
    "measures.administration.instrument_id": "an instrument code such as phq9",
    "measures.administration.band_label": "a band name from the instrument definition",
    "measures.administration.idempotency_key": "a client-generated random key",
    "measures.administration.external_id": "an identifier from an imported FHIR resource",
    "measures.schedule.instrument_id": "an instrument code",
    "measures.duemeasure.instrument_id": "an instrument code",
    "measures.clinicinstrument.instrument_id": "an instrument code chosen by the clinic",
    "measures.clinicinstrument.title": "the instrument's title, set by the clinic",
    "clinic.therapistprofile.city": "a therapist's public practice city for the directory",
    "clinic.assignment.applied": "a machine-readable summary of what was applied",
    "ops.pushsubscription.p256dh": "the browser's public push key (not written by a person)",
    "ops.pushsubscription.auth": "the browser's push secret (not written by a person)",
    "ops.taskrun.name": "a background task name",
}


def _is_free_text(field: models.Field) -> bool:
    if isinstance(field, EncryptedTextField) or getattr(field, "choices", None):
        return False
    if isinstance(field, models.EmailField | models.SlugField | models.URLField | models.UUIDField | models.GenericIPAddressField):
        return False
    if isinstance(field, models.TextField):
        return True
    return isinstance(field, models.CharField) and (field.max_length or 0) > 40


def _our_models() -> list[type[models.Model]]:
    return [m for m in apps.get_models() if m.__module__.startswith("nearer.")]


def test_no_plain_text_field_for_free_text():
    offenders = []
    for model in _our_models():
        for field in model._meta.concrete_fields:
            key = f"{model._meta.label_lower}.{field.name}"
            if _is_free_text(field) and key not in PLAIN_TEXT_ALLOWED and not _allowed_by_app(model, field):
                offenders.append(key)
    assert not offenders, f"Plain text fields (encrypt them or list them with a reason): {offenders}"


def _allowed_by_app(model: type[models.Model], field: models.Field) -> bool:
    """Apps may list their own plain columns with reasons as ``PLAIN_TEXT_FIELDS = {"field": "reason"}`` on the model."""
    return field.name in getattr(model, "PLAIN_TEXT_FIELDS", {})


def _dump_bytes() -> bytes:
    if connection.vendor == "sqlite":
        path = os.path.join(tempfile.mkdtemp(), "dump.sqlite3")
        with connection.cursor() as cursor:
            cursor.execute("VACUUM INTO %s", [path])
        with open(path, "rb") as fh:
            data = fh.read()
        shutil.rmtree(os.path.dirname(path))
        return data
    settings_dict = connection.settings_dict
    pg_dump = shutil.which("pg_dump")
    if not pg_dump:
        pytest.skip("pg_dump is not installed")
    env = dict(os.environ, PGPASSWORD=settings_dict.get("PASSWORD") or "")
    result = subprocess.run(
        [pg_dump, "-h", settings_dict.get("HOST") or "127.0.0.1", "-p", str(settings_dict.get("PORT") or 5432),
         "-U", settings_dict.get("USER") or "postgres", settings_dict["NAME"]],
        capture_output=True, env=env, timeout=120, check=True,
    )
    return result.stdout


@pytest.mark.django_db(transaction=True)
def test_canaries_never_appear_in_the_raw_database_or_logs(captured_logs):
    call_command("demo", stdout=io.StringIO())
    canaries: dict[str, str] = {}
    uncovered = []
    for model in _our_models():
        fields = encrypted_fields(model)
        if not fields:
            continue
        rows = list(model._default_manager.all()[:50])
        if not rows:
            uncovered.append(model._meta.label)
            continue
        for obj in rows:
            for field in fields:
                canary = f"CANARY-{model._meta.model_name}-{field.name}-{uuid.uuid4().hex[:10]}"
                canaries[canary] = f"{model._meta.label}.{field.name}"
                setattr(obj, field.attname, canary)
            obj.save(update_fields=[f.name for f in fields])
    assert canaries, "no encrypted rows were written"
    raw = _dump_bytes()
    leaked = sorted({where for canary, where in canaries.items() if canary.encode() in raw})
    assert not leaked, f"Plain text found in the database for: {leaked}"
    # Values read back through the ORM are intact.
    for model in _our_models():
        for field in encrypted_fields(model):
            for value in model._default_manager.values_list(field.attname, flat=True)[:5]:
                assert value == "" or value.startswith("CANARY-") or value is None
    logged = "\n".join(captured_logs)
    assert not [c for c in canaries if c in logged]
    assert not uncovered, f"Models with encrypted fields but no demo rows (the canary could not reach them): {uncovered}"


@pytest.mark.django_db(transaction=True)
def test_canaries_posted_through_forms_stay_out_of_logs_and_the_database(world, client_as, captured_logs):
    canary = "CANARY-form-" + uuid.uuid4().hex
    client = client_as("owner")
    client.post("/me/", {"display_name": canary, "language": "en", "timezone": "America/New_York"})
    client.post("/me/tokens/", {"name": "x"})
    client.get("/does-not-exist/?q=" + canary[:5])
    world.owner.refresh_from_db()
    assert world.owner.display_name == canary
    assert canary.encode() not in _dump_bytes()
    assert canary not in "\n".join(captured_logs)
