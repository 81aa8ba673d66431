"""Export of everything a person owns, and erasure of their account."""

from __future__ import annotations

import csv
import io
import json
import zipfile
from datetime import date, datetime, time, timedelta
from decimal import Decimal
from typing import Any
from uuid import UUID

from django.db import models, transaction
from django.utils import timezone

from nearer.privacy.registry import OWNED


def _plain(value: Any) -> Any:
    if isinstance(value, datetime | date | time):
        return value.isoformat()
    if isinstance(value, timedelta):
        return value.total_seconds()
    if isinstance(value, Decimal | UUID):
        return str(value)
    if isinstance(value, bytes | memoryview):
        return bytes(value).hex()
    if isinstance(value, models.Model):
        return value.pk
    return value


def _row(obj: models.Model) -> dict[str, Any]:
    row: dict[str, Any] = {}
    for field in obj._meta.concrete_fields:
        if field.name in {"password", "token_hash", "token_sealed"}:
            continue
        row[field.attname] = _plain(getattr(obj, field.attname))
    return row


def collect(user: models.Model) -> dict[str, list[dict[str, Any]]]:
    """Every record the person owns, by dataset name, with free text decrypted."""
    data: dict[str, list[dict[str, Any]]] = {}
    for owned in sorted(OWNED.values(), key=lambda o: o.name):
        qs = owned.model._default_manager.filter(**{owned.owner_path: user.pk}).order_by("pk")
        data[owned.name] = [_row(obj) for obj in qs]
    return data


def export_zip(user: models.Model) -> bytes:
    """A zip with ``nearer-export.json`` (everything) and one CSV per dataset."""
    data = collect(user)
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        meta = {"exported_at": timezone.now().isoformat(), "format": 1, "datasets": sorted(data)}
        archive.writestr("nearer-export.json", json.dumps({"meta": meta, "data": data}, indent=2, ensure_ascii=False))
        for name, rows in data.items():
            out = io.StringIO()
            fields = sorted({key for row in rows for key in row}) or ["id"]
            writer = csv.DictWriter(out, fieldnames=fields)
            writer.writeheader()
            for row in rows:
                writer.writerow({k: json.dumps(v, ensure_ascii=False) if isinstance(v, dict | list) else v for k, v in row.items()})
            archive.writestr(f"csv/{name}.csv", out.getvalue())
    return buffer.getvalue()


@transaction.atomic
def erase_account(user: models.Model) -> None:
    """Delete the person and everything they own. Others' records keep no trace of their content."""
    from allauth.usersessions.models import UserSession

    from nearer.accounts.services import end_partner_links_of_closing_account

    for session in UserSession.objects.filter(user=user):
        session.end()
    # A partner is told the link ended (and the couple ends) before anything is erased.
    end_partner_links_of_closing_account(user)  # type: ignore[arg-type]
    for owned in OWNED.values():
        owned.model._default_manager.filter(**{owned.owner_path: user.pk}).delete()
    user.delete()
