"""Re-encrypt every encrypted value under the active key (``nearer rotate-keys``)."""

from __future__ import annotations

from dataclasses import dataclass

from django.apps import apps
from django.db import connection, transaction

from nearer.privacy.crypto import DecryptionError, KeyRing, key_ring
from nearer.privacy.fields import encrypted_fields

MFA_TABLE_FIELDS = [("mfa_authenticator", "data")]


@dataclass
class RotationReport:
    active_id: str
    fields: int = 0
    rewritten: int = 0
    already_current: int = 0
    failures: int = 0


def rotate_all(batch: int = 500) -> RotationReport:
    ring = key_ring()
    report = RotationReport(active_id=ring.active_id)
    for model in apps.get_models():
        for field in encrypted_fields(model):
            report.fields += 1
            _rotate_field(model, field, ring, report, batch)
    _rotate_mfa(ring, report)
    return report


def _rotate_field(model, field, ring: KeyRing, report: RotationReport, batch: int) -> None:  # type: ignore[no-untyped-def]
    table = connection.ops.quote_name(model._meta.db_table)
    column = connection.ops.quote_name(field.column)
    pk = connection.ops.quote_name(model._meta.pk.column)
    aad = field.aad()
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT {pk}, {column} FROM {table} WHERE {column} <> ''")  # noqa: S608 - identifiers quoted
        rows = cursor.fetchall()
    for start in range(0, len(rows), batch):
        with transaction.atomic(), connection.cursor() as cursor:
            for row_id, stored in rows[start : start + batch]:
                if stored is None:
                    continue
                if KeyRing.key_id_of(stored) == ring.active_id:
                    report.already_current += 1
                    continue
                try:
                    plain = ring.decrypt(stored, aad)
                except DecryptionError:
                    report.failures += 1
                    continue
                cursor.execute(f"UPDATE {table} SET {column} = %s WHERE {pk} = %s", [ring.encrypt(plain, aad), row_id])  # noqa: S608
                report.rewritten += 1


def _rotate_mfa(ring: KeyRing, report: RotationReport) -> None:
    from allauth.mfa.models import Authenticator

    from nearer.accounts.adapter import _MFA_AAD

    for auth in Authenticator.objects.all():
        data = dict(auth.data)
        changed = False
        for key in ("secret", "seed"):
            value = data.get(key)
            if isinstance(value, str) and KeyRing.key_id_of(value) not in (None, ring.active_id):
                try:
                    data[key] = ring.encrypt(ring.decrypt(value, _MFA_AAD), _MFA_AAD)
                except DecryptionError:
                    report.failures += 1
                    continue
                changed = True
                report.rewritten += 1
        if changed:
            Authenticator.objects.filter(pk=auth.pk).update(data=data)
