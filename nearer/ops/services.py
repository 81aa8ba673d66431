"""State changes for reminders and push subscriptions."""

from __future__ import annotations

import datetime as dt
from typing import Any
from urllib.parse import urlparse

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from nearer.ops.models import DEFAULT_TIMES, PushSubscription, ReminderKind, ReminderPreference


def preferences_for(person: Any) -> list[ReminderPreference]:
    """One preference per kind (unsaved defaults, switched off, for kinds never chosen)."""
    have = {p.kind: p for p in ReminderPreference.objects.filter(person=person)}
    return [
        have.get(kind) or ReminderPreference(person=person, kind=kind, local_time=DEFAULT_TIMES[kind], enabled=False)
        for kind in ReminderKind
    ]


@transaction.atomic
def set_preference(person: Any, kind: str, *, local_time: dt.time, enabled: bool, by_email: bool,
                   by_push: bool) -> ReminderPreference:
    if kind not in ReminderKind.values:
        raise ValidationError({"kind": _("Choose one of the reminder kinds.")})
    pref, _created = ReminderPreference.objects.update_or_create(
        person=person, kind=kind,
        defaults={"local_time": local_time, "enabled": enabled, "by_email": by_email, "by_push": by_push,
                  "updated_at": timezone.now()},
    )
    return pref


def _clean_subscription(data: Any) -> tuple[str, str, str]:
    if not isinstance(data, dict):
        raise ValidationError({"endpoint": _("Send the subscription as JSON.")})
    raw = data.get("endpoint")
    endpoint = raw if isinstance(raw, str) else ""
    raw_keys = data.get("keys")
    keys: dict[str, Any] = raw_keys if isinstance(raw_keys, dict) else {}
    parsed = urlparse(endpoint)
    if parsed.scheme not in ("https", "http") or not parsed.netloc or len(endpoint) > 1000:
        raise ValidationError({"endpoint": _("This is not a push address.")})
    p256dh, auth = keys.get("p256dh"), keys.get("auth")
    if not isinstance(p256dh, str) or not 40 <= len(p256dh) <= 200:
        raise ValidationError({"keys.p256dh": _("The browser's key is missing.")})
    if not isinstance(auth, str) or not 10 <= len(auth) <= 100:
        raise ValidationError({"keys.auth": _("The browser's key is missing.")})
    return endpoint, p256dh, auth


@transaction.atomic
def subscribe_push(person: Any, data: Any) -> PushSubscription:
    """Save (or move to this person) a browser's push subscription."""
    endpoint, p256dh, auth = _clean_subscription(data)
    sub, _created = PushSubscription.objects.update_or_create(
        endpoint=endpoint, defaults={"person": person, "p256dh": p256dh, "auth": auth, "failures": 0}
    )
    return sub


@transaction.atomic
def unsubscribe_push(person: Any, endpoint: Any) -> int:
    if not isinstance(endpoint, str):
        raise ValidationError({"endpoint": _("This is not a push address.")})
    deleted, _detail = PushSubscription.objects.filter(person=person, endpoint=endpoint).delete()
    return int(deleted)
