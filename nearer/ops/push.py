"""Web Push with VAPID (pywebpush). The payload carries no personal content: a title, a line, a link."""

from __future__ import annotations

import base64
import json
import logging
from typing import Any

from django.conf import settings
from django.utils import timezone
from pywebpush import WebPushException, webpush

from nearer.ops.models import PushSubscription, VapidKeys

log = logging.getLogger(__name__)


def vapid_keys() -> tuple[str, str]:
    """(public, private): the environment's pair when set, else the pair stored on first migrate."""
    if settings.NEARER_VAPID_PUBLIC_KEY and settings.NEARER_VAPID_PRIVATE_KEY:
        return settings.NEARER_VAPID_PUBLIC_KEY, settings.NEARER_VAPID_PRIVATE_KEY
    row = VapidKeys.objects.order_by("pk").first()
    return (row.public_key, row.private_key) if row else ("", "")


def ensure_vapid_keys() -> bool:
    """Store a new key pair unless the environment sets one or one is stored; True when one was made."""
    if settings.NEARER_VAPID_PUBLIC_KEY and settings.NEARER_VAPID_PRIVATE_KEY:
        return False
    if VapidKeys.objects.exists():
        return False
    public, private = generate_vapid_keys()
    VapidKeys.objects.create(public_key=public, private_key=private)
    return True


def push_enabled() -> bool:
    """Whether this server can send notifications (it has a VAPID key pair)."""
    public, private = vapid_keys()
    return bool(public and private)


def generate_vapid_keys() -> tuple[str, str]:
    """A new VAPID key pair as (public, private), both URL-safe base64 without padding.

    The public key is the uncompressed P-256 point the browser wants (``applicationServerKey``);
    the private key is the raw 32-byte scalar pywebpush accepts.
    """
    from cryptography.hazmat.primitives import serialization
    from cryptography.hazmat.primitives.asymmetric import ec

    key = ec.generate_private_key(ec.SECP256R1())
    public = key.public_key().public_bytes(serialization.Encoding.X962, serialization.PublicFormat.UncompressedPoint)
    private = key.private_numbers().private_value.to_bytes(32, "big")

    def b64(raw: bytes) -> str:
        return base64.urlsafe_b64encode(raw).decode().rstrip("=")

    return b64(public), b64(private)


def send_to_subscription(sub: PushSubscription, payload: dict[str, Any]) -> bool:
    """Send one notification; forget the subscription when the push service says it is gone."""
    try:
        webpush(
            subscription_info={"endpoint": sub.endpoint, "keys": {"p256dh": sub.p256dh, "auth": sub.auth}},
            data=json.dumps(payload),
            vapid_private_key=vapid_keys()[1],
            vapid_claims={"sub": settings.NEARER_VAPID_SUBJECT},
            ttl=6 * 3600,
            timeout=10,
        )
    except WebPushException as exc:
        status = getattr(getattr(exc, "response", None), "status_code", None)
        if status in (404, 410):
            sub.delete()
        else:
            PushSubscription.objects.filter(pk=sub.pk).update(failures=sub.failures + 1)
        log.warning("push failed", extra={"status": status})
        return False
    except Exception:  # noqa: BLE001 - a push service that cannot be reached must not stop other reminders
        PushSubscription.objects.filter(pk=sub.pk).update(failures=sub.failures + 1)
        log.warning("push failed (no answer)")
        return False
    PushSubscription.objects.filter(pk=sub.pk).update(last_ok_at=timezone.now(), failures=0)
    return True


def send_push(person: Any, payload: dict[str, Any]) -> int:
    """Send to every subscription the person has; returns how many were accepted."""
    if not push_enabled():
        return 0
    return sum(send_to_subscription(s, payload) for s in PushSubscription.objects.filter(person=person))
