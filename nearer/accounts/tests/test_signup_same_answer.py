"""Issue 16 item 10: sign-up does the same work and gives the same answer whether or not the email
already has an account (no timing thresholds here; benchmarks/signup_timing.py prints the times)."""

from __future__ import annotations

import re
from typing import Any

import pytest
from django.core import mail
from django.test import Client

from conftest import make_user

pytestmark = pytest.mark.django_db


def _sign_up(email: str, hashes: list[str]) -> dict[str, Any]:
    c = Client()
    response = c.post("/accounts/signup/", {"email": email, "password1": "a long enough phrase here",
                                            "password2": "a long enough phrase here", "role": "person"})
    follow = c.get(response["Location"]) if response.status_code == 302 else response
    page = re.sub(r'name="csrfmiddlewaretoken" value="[^"]+"', "", follow.content.decode())
    page = re.sub(r'nonce="[^"]+"', "", page).replace(email, "EMAIL")  # each page names the address typed
    return {"status": response.status_code, "location": response.get("Location"), "page_status": follow.status_code,
            "page": page, "hashes": len(hashes)}


def _count_hashes(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """Count password hashings by the configured hasher (Argon2id in production, a fast one in tests)."""
    from django.contrib.auth.hashers import get_hasher

    calls: list[str] = []
    cls = type(get_hasher())
    real = cls.encode

    def counting(self: Any, password: str, salt: str, *args: Any, **kwargs: Any) -> str:
        calls.append("x")
        return real(self, password, salt, *args, **kwargs)

    monkeypatch.setattr(cls, "encode", counting)
    return calls


def test_existing_and_new_emails_get_the_same_answer_and_the_same_work(monkeypatch: pytest.MonkeyPatch) -> None:
    make_user("taken@example.test")
    hashes = _count_hashes(monkeypatch)
    existing = _sign_up("taken@example.test", hashes)
    existing_mail = list(mail.outbox)
    hashes_existing = len(hashes)
    mail.outbox.clear()
    new = _sign_up("fresh@example.test", hashes)
    new_mail = list(mail.outbox)
    hashes_new = len(hashes) - hashes_existing
    assert (existing["status"], existing["location"], existing["page_status"]) == (new["status"], new["location"], new["page_status"])
    assert existing["page"] == new["page"]
    assert hashes_existing == hashes_new >= 1
    assert len(existing_mail) == len(new_mail) == 1
    assert existing_mail[0].to == ["taken@example.test"] and new_mail[0].to == ["fresh@example.test"]
    assert "already has an account" in existing_mail[0].body and "/accounts/password/reset/" in existing_mail[0].body
    assert "Someone tried to sign up" in existing_mail[0].subject
