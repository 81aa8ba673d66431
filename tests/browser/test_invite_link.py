"""The invitation link has Copy and Share buttons (Web Share where the device has it; EN/ES, phone/laptop)."""

from __future__ import annotations

from typing import Any

import pytest
from playwright.sync_api import expect

from tests.browser.conftest import axe_violations, signed_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

SHARE_STUB = "window.__shared = []; navigator.share = (data) => { window.__shared.push(data); return Promise.resolve(); };"


@pytest.mark.parametrize(("phone", "locale", "copy", "copied", "share"), [
    (True, "en-US", "Copy link", "Copied.", "Share…"),
    (False, "es-ES", "Copiar enlace", "Copiado.", "Compartir…"),
], ids=["phone-en", "laptop-es"])
def test_invite_link_copy_and_share(new_page: Any, live_server: Any, world: Any, phone: bool, locale: str,
                                    copy: str, copied: str, share: str) -> None:
    page = signed_in(new_page(phone=phone, locale=locale), world.unlinked, live_server.url)
    page.context.grant_permissions(["clipboard-read", "clipboard-write"])
    page.add_init_script(SHARE_STUB)
    page.goto("/me/sharing/")
    page.locator("input[name=kind][value=partner]").check()
    page.locator("form[action='/me/sharing/invite/'] button[type=submit]").click()
    link = page.locator("#invite-url")
    expect(link).to_be_visible()
    url = link.input_value()
    assert "/invite/" in url
    page.get_by_role("button", name=copy).click()
    expect(page.locator(".copy-status")).to_have_text(copied)
    assert page.evaluate("() => navigator.clipboard.readText()") == url
    page.get_by_role("button", name=share).click()
    assert page.evaluate("() => window.__shared.map((d) => d.url)") == [url]
    assert axe_violations(page) == []
