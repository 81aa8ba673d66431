"""Issue 16 item 15: /api/docs draws the API reference from local files under the site's own CSP."""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_api_docs_render_with_local_assets_and_no_csp_violation(page, live_server):  # type: ignore[no-untyped-def]
    problems: list[str] = []
    page.on("console", lambda msg: problems.append(msg.text) if msg.type == "error" else None)
    requested: list[str] = []
    page.on("request", lambda req: requested.append(req.url))
    response = page.goto(live_server.url + "/api/docs")
    assert response is not None and response.status == 200
    csp = response.headers["content-security-policy"]
    assert "script-src 'self'" in csp and "unsafe" not in csp.split("script-src")[1].split(";")[0]
    expect(page.locator("#swagger-ui .info .title")).to_contain_text("Nearer API")
    expect(page.locator("#swagger-ui .opblock").first).to_be_visible()
    assert not [p for p in problems if "Content Security Policy" in p], problems
    scripts = [u for u in requested if u.endswith(".js")]
    assert scripts and all(u.startswith(live_server.url + "/static/") for u in scripts), scripts
