"""Web Push through a loopback push service (real VAPID signing and payload encryption), the
subscription endpoints, the reminder settings page, the service worker and the offline page."""

from __future__ import annotations

import base64
import datetime as dt
import json
import os
import threading
from http.server import BaseHTTPRequestHandler, HTTPServer
from typing import Any

import pytest
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import ec
from django.test import override_settings

from nearer.ops import reminders, services
from nearer.ops.models import PushSubscription, ReminderPreference
from nearer.ops.push import generate_vapid_keys

pytestmark = pytest.mark.urls("nearer.ops.tests.urls")


def b64(raw: bytes) -> str:
    return base64.urlsafe_b64encode(raw).decode().rstrip("=")


class PushService:
    """A push service on 127.0.0.1 that records what it is sent and answers with ``status``."""

    def __init__(self, status: int = 201) -> None:
        self.received: list[tuple[str, dict[str, str], bytes]] = []
        outer = self

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self) -> None:  # noqa: N802
                body = self.rfile.read(int(self.headers.get("Content-Length", 0)))
                outer.received.append((self.path, dict(self.headers), body))
                self.send_response(status)
                self.end_headers()

            def log_message(self, *args: Any) -> None:
                pass

        self.server = HTTPServer(("127.0.0.1", 0), Handler)
        self.url = f"http://127.0.0.1:{self.server.server_port}"
        threading.Thread(target=self.server.serve_forever, daemon=True).start()

    def close(self) -> None:
        self.server.shutdown()


def _browser_keys() -> tuple[Any, str, bytes]:
    key = ec.generate_private_key(ec.SECP256R1())
    public = key.public_key().public_bytes(serialization.Encoding.X962, serialization.PublicFormat.UncompressedPoint)
    return key, b64(public), os.urandom(16)


@pytest.mark.django_db
def test_reminder_goes_out_as_an_encrypted_web_push(world: Any, monkeypatch: pytest.MonkeyPatch) -> None:
    import http_ece

    monkeypatch.setenv("NO_PROXY", "127.0.0.1")
    public, private = generate_vapid_keys()
    service = PushService()
    key, p256dh, auth = _browser_keys()
    try:
        with override_settings(NEARER_VAPID_PUBLIC_KEY=public, NEARER_VAPID_PRIVATE_KEY=private):
            owner = world.owner
            owner.timezone = "UTC"
            owner.save(update_fields=["timezone"])
            services.subscribe_push(owner, {"endpoint": service.url + "/sub/1", "keys": {"p256dh": p256dh, "auth": b64(auth)}})
            services.set_preference(owner, "checkin", local_time=dt.time(7, 0), enabled=True, by_email=False, by_push=True)
            assert reminders.send_due_reminders(dt.datetime(2025, 5, 1, 7, 0, tzinfo=dt.UTC))["sent"] == 1
    finally:
        service.close()
    assert len(service.received) == 1
    path, headers, body = service.received[0]
    assert path == "/sub/1"
    headers = {k.lower(): v for k, v in headers.items()}
    assert headers["content-encoding"] == "aes128gcm"
    assert headers["authorization"].startswith("vapid t=") and f"k={public}" in headers["authorization"]
    message = json.loads(http_ece.decrypt(body, private_key=key, auth_secret=auth, version="aes128gcm"))
    assert message == {"title": "Time for your check-in", "body": "A minute to note how today went, whenever suits you.",
                       "url": "/diary/"}
    assert PushSubscription.objects.get().last_ok_at is not None


@pytest.mark.django_db
def test_gone_subscription_is_forgotten(world: Any, monkeypatch: pytest.MonkeyPatch) -> None:
    from nearer.ops.push import send_push

    monkeypatch.setenv("NO_PROXY", "127.0.0.1")
    public, private = generate_vapid_keys()
    service = PushService(status=410)
    _key, p256dh, auth = _browser_keys()
    try:
        with override_settings(NEARER_VAPID_PUBLIC_KEY=public, NEARER_VAPID_PRIVATE_KEY=private):
            services.subscribe_push(world.owner, {"endpoint": service.url + "/gone", "keys": {"p256dh": p256dh, "auth": b64(auth)}})
            assert send_push(world.owner, {"title": "t", "body": "b", "url": "/"}) == 0
    finally:
        service.close()
    assert PushSubscription.objects.count() == 0


@pytest.mark.django_db
def test_subscribe_endpoints_validate_and_belong_to_the_signer(client_as: Any, world: Any) -> None:
    c = client_as("owner")
    _k, p256dh, auth = _browser_keys()
    sub = {"endpoint": "https://push.example.invalid/abc", "keys": {"p256dh": p256dh, "auth": b64(auth)}}
    r = c.post("/ops/push/subscribe", json.dumps(sub), content_type="application/json")
    assert r.status_code == 201
    r = c.post("/ops/push/subscribe", json.dumps({"endpoint": "javascript:alert(1)"}), content_type="application/json")
    assert r.status_code == 422 and r.json()["errors"][0]["field"] == "endpoint"
    r = c.post("/ops/push/subscribe", b"{not json", content_type="application/json")
    assert r.status_code == 422
    # Someone else cannot remove the owner's subscription.
    other = client_as("partner")
    assert other.post("/ops/push/unsubscribe", json.dumps({"endpoint": sub["endpoint"]}), content_type="application/json").json() == {"removed": 0}
    assert c.post("/ops/push/unsubscribe", json.dumps({"endpoint": sub["endpoint"]}), content_type="application/json").json() == {"removed": 1}


@pytest.mark.django_db
def test_reminder_settings_page_saves_choices(client_as: Any, world: Any) -> None:
    c = client_as("owner")
    page = c.get("/ops/reminders/")
    assert page.status_code == 200 and b"Daily check-in" in page.content
    data = {}
    for kind in ("checkin", "measures", "experiment", "couple_talk"):
        data[f"{kind}-local_time"] = "19:45"
    data["checkin-enabled"] = "on"
    data["checkin-by_email"] = "on"
    r = c.post("/ops/reminders/", data)
    assert r.status_code == 302
    pref = ReminderPreference.objects.get(person=world.owner, kind="checkin")
    assert (pref.enabled, pref.local_time, pref.by_email, pref.by_push) == (True, dt.time(19, 45), True, False)
    assert ReminderPreference.objects.get(person=world.owner, kind="measures").enabled is False
    bad = c.post("/ops/reminders/", {**data, "checkin-local_time": "25:99"})
    assert bad.status_code == 422 and b"Enter a valid time" in bad.content


@pytest.mark.django_db
def test_service_worker_may_control_the_site_and_offline_page_renders(client_as: Any, client: Any) -> None:
    sw = client.get("/ops/sw.js")
    assert sw.status_code == 200 and sw["Service-Worker-Allowed"] == "/"
    assert sw["Content-Type"].startswith("text/javascript") and b"/safety/plan/" in sw.content
    anon = client.get("/ops/offline/")
    assert anon.status_code == 200 and b"offline-checkin-form" not in anon.content and b"988" in anon.content
    signed = client_as("owner").get("/ops/offline/")
    assert b"offline-checkin-form" in signed.content
    token = client_as("owner").get("/ops/offline/token").json()
    assert set(token) == {"csrf", "user"}
    assert client.get("/ops/offline/token").status_code == 302


def test_vapid_keys_have_the_browser_shapes() -> None:
    public, private = generate_vapid_keys()
    assert len(base64.urlsafe_b64decode(public + "==")) == 65
    assert len(base64.urlsafe_b64decode(private + "=")) == 32


def test_a_fresh_database_has_vapid_keys_and_the_reminders_page_offers_push(client_as, settings):
    from django.apps import apps as django_apps
    from django.db.models.signals import post_migrate

    from nearer.ops.models import VapidKeys
    from nearer.ops.push import push_enabled, vapid_keys

    settings.NEARER_VAPID_PUBLIC_KEY = settings.NEARER_VAPID_PRIVATE_KEY = ""
    VapidKeys.objects.all().delete()
    assert not push_enabled()
    page = client_as("owner").get("/ops/reminders/").content.decode()
    assert "As a notification on my devices" not in page  # never offered when the server cannot send
    post_migrate.send(sender=django_apps.get_app_config("ops"), app_config=django_apps.get_app_config("ops"),
                      verbosity=0, interactive=False, using="default", plan=[], apps=django_apps)
    public, private = vapid_keys()
    assert push_enabled() and len(public) == 87 and len(private) == 43
    assert VapidKeys.objects.count() == 1
    post_migrate.send(sender=django_apps.get_app_config("ops"), app_config=django_apps.get_app_config("ops"),
                      verbosity=0, interactive=False, using="default", plan=[], apps=django_apps)
    assert VapidKeys.objects.count() == 1 and vapid_keys() == (public, private)  # made once
    page = client_as("owner").get("/ops/reminders/").content.decode()
    assert f'data-key="{public}"' in page and "As a notification on my devices" in page
    assert 'class="check-row"' in page
