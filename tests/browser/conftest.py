"""Playwright fixtures: Debian's Chromium (never a downloaded browser) against pytest-django's live server.

Every page load is recorded; a request to any origin other than the live server fails the test
(security bar #18). ``signed_in(page, user)`` puts a real session cookie for ``user`` in the browser.
"""

from __future__ import annotations

import os
import shutil
from collections.abc import Iterator
from typing import Any
from urllib.parse import urlparse

import pytest

CHROMIUM = os.environ.get("NEARER_CHROMIUM", "/usr/bin/chromium")
PHONE = {"width": 390, "height": 844}

os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")


def browser_required() -> bool:
    """CI (``CI=true``) and ``NEARER_REQUIRE_BROWSER=1`` must run the journeys, never skip them."""
    return os.environ.get("CI", "").lower() == "true" or os.environ.get("NEARER_REQUIRE_BROWSER") == "1"


def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    if shutil.which(CHROMIUM) or os.path.exists(CHROMIUM):
        return
    journeys = [item for item in items if "tests/browser" in str(item.fspath)]
    if not journeys:
        return
    if browser_required():
        # One clear line and a failing run: a CI run without its browser journeys proves nothing.
        pytest.exit(
            f"Debian's Chromium is not installed at {CHROMIUM}, and the browser journeys are required "
            "here (CI=true or NEARER_REQUIRE_BROWSER=1). Install the 'chromium' package.",
            returncode=1,
        )
    skip = pytest.mark.skip(reason=f"Debian's Chromium is not installed at {CHROMIUM} (make test installs it)")
    for item in journeys:
        item.add_marker(skip)


@pytest.fixture(scope="session")
def _playwright() -> Iterator[Any]:
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        yield p


@pytest.fixture(scope="session")
def browser(_playwright: Any) -> Iterator[Any]:
    b = _playwright.chromium.launch(
        executable_path=CHROMIUM,
        headless=True,
        args=[
            "--no-sandbox",
            "--disable-gpu",
            "--disable-quic",
            "--no-first-run",
            "--disable-background-networking",
            "--disable-component-update",
            "--disable-sync",
            "--disable-dev-shm-usage",
        ],
    )
    yield b
    b.close()


class OriginGuard:
    def __init__(self, allowed: str) -> None:
        self.allowed = urlparse(allowed).netloc
        self.foreign: list[str] = []

    def __call__(self, route: Any) -> None:
        url = route.request.url
        parsed = urlparse(url)
        if parsed.scheme in ("data", "blob", "about") or parsed.netloc == self.allowed:
            route.continue_()
        else:
            self.foreign.append(url)
            route.abort()


@pytest.fixture
def new_page(browser: Any, live_server: Any) -> Iterator[Any]:
    """``new_page(phone=True)`` opens a fresh context; foreign requests are blocked and fail the test."""
    contexts = []
    guards: list[OriginGuard] = []

    def make(phone: bool = True, locale: str = "en-US", service_workers: bool = False, timezone_id: str | None = None) -> Any:
        # The service worker's background fetches share the live server's in-memory SQLite with the
        # page's own requests; only the offline journeys need it, so it is off unless asked for.
        ctx = browser.new_context(viewport=PHONE if phone else {"width": 1280, "height": 900}, locale=locale,
                                  base_url=live_server.url, service_workers="allow" if service_workers else "block",
                                  **({"timezone_id": timezone_id} if timezone_id else {}))
        guard = OriginGuard(live_server.url)
        ctx.route("**/*", guard)
        contexts.append(ctx)
        guards.append(guard)
        page = ctx.new_page()
        # Generous: CI machines are small and busy; a slow page is not a failure of the journey.
        page.set_default_timeout(30_000)
        page.set_default_navigation_timeout(45_000)
        return page

    yield make
    for ctx in contexts:
        ctx.close()
    foreign = [u for g in guards for u in g.foreign]
    assert not foreign, f"Pages tried to contact other origins: {foreign}"


@pytest.fixture
def page(new_page: Any) -> Any:
    return new_page()


def signed_in(page: Any, user: Any, live_server_url: str) -> Any:
    """Give the browser a real session for ``user`` (skips the sign-in form)."""
    from django.conf import settings
    from django.test import Client

    client = Client()
    from nearer.testing import sign_in

    sign_in(client, user)
    cookie = client.cookies[settings.SESSION_COOKIE_NAME]
    host = urlparse(live_server_url).hostname
    page.context.add_cookies([{"name": settings.SESSION_COOKIE_NAME, "value": cookie.value, "domain": host, "path": "/"}])
    return page


AXE_PATH = None


def axe_violations(page: Any) -> list[dict[str, Any]]:
    """Run axe-core in the page; return serious and critical violations."""
    from axe_playwright_python.sync_playwright import Axe

    results = Axe().run(page)
    violations = results.response.get("violations", [])
    return [v for v in violations if v.get("impact") in ("serious", "critical")]
