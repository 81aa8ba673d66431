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


def rotate_all(batch: int = 500, *, ring: KeyRing | None = None, only_kids: set[str] | None = None) -> RotationReport:
    """Re-encrypt under the active key of ``ring`` (today's key ring by default).

    ``only_kids`` limits the rewrite to values written with those key ids (a restore re-encrypts
    only the values whose keys today's ring no longer holds, with the copies the backup carried).
    """
    ring = ring or key_ring()
    report = RotationReport(active_id=ring.active_id)
    for model in apps.get_models():
        for field in encrypted_fields(model):
            report.fields += 1
            _rotate_field(model, field, ring, report, batch, only_kids)
    _rotate_mfa(ring, report, only_kids)
    return report


def _rotate_field(model, field, ring: KeyRing, report: RotationReport, batch: int,  # type: ignore[no-untyped-def]
                  only_kids: set[str] | None = None) -> None:
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
                kid = KeyRing.key_id_of(stored)
                if kid == ring.active_id or (only_kids is not None and kid not in only_kids):
                    report.already_current += 1
                    continue
                try:
                    plain = ring.decrypt(stored, aad)
                except DecryptionError:
                    report.failures += 1
                    continue
                cursor.execute(f"UPDATE {table} SET {column} = %s WHERE {pk} = %s", [ring.encrypt(plain, aad), row_id])  # noqa: S608
                report.rewritten += 1


def _rotate_mfa(ring: KeyRing, report: RotationReport, only_kids: set[str] | None = None) -> None:
    from allauth.mfa.models import Authenticator

    from nearer.accounts.adapter import _MFA_AAD

    for auth in Authenticator.objects.all():
        data = dict(auth.data)
        changed = False
        for key in ("secret", "seed"):
            value = data.get(key)
            kid = KeyRing.key_id_of(value) if isinstance(value, str) else None
            if isinstance(value, str) and kid not in (None, ring.active_id) and (only_kids is None or kid in only_kids):
                try:
                    data[key] = ring.encrypt(ring.decrypt(value, _MFA_AAD), _MFA_AAD)
                except DecryptionError:
                    report.failures += 1
                    continue
                changed = True
                report.rewritten += 1
        if changed:
            Authenticator.objects.filter(pk=auth.pk).update(data=data)
