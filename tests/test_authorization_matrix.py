"""Every route × method × persona has an expected outcome; a route without a row fails.

Web routes come from the URL resolver, API operations from the OpenAPI document. Rows live in
``nearer/<app>/tests/authz.py``. A successful read by someone other than the owner must write
exactly one access-log row.
"""

from __future__ import annotations

import importlib
import json
from typing import Any

import pytest
from django.test import Client
from django.urls import URLPattern, URLResolver, get_resolver, reverse

from nearer.testing import DENY, LOGIN, OK, PERSONAS, Row, World, sign_in

# Every app with routes; each has rows in ``nearer/<app>/tests/authz.py`` (the site's in tests/authz_site.py).
APPS = ["accounts", "safety", "diary", "measures", "practice", "together", "clinic", "learn", "ops", "relsafety", "site"]


def _rows() -> list[Row]:
    rows: list[Row] = []
    for app in APPS:
        module = importlib.import_module("tests.authz_site" if app == "site" else f"nearer.{app}.tests.authz")
        rows.extend(module.ROWS)
    return rows


ROWS = _rows()


def _walk(patterns: list[Any], prefix: str = "", namespace: str = "") -> list[tuple[str, str]]:
    found = []
    for p in patterns:
        if isinstance(p, URLResolver):
            ns = p.namespace or ""
            full_ns = f"{namespace}:{ns}" if namespace and ns else (ns or namespace)
            found += _walk(p.url_patterns, prefix + str(p.pattern), full_ns)
        elif isinstance(p, URLPattern):
            route = prefix + str(p.pattern)
            if route.startswith("api/") or route.startswith("ops/admin/") or route.startswith("static/"):
                continue
            name = f"{namespace}:{p.name}" if namespace and p.name else (p.name or "")
            found.append((name, route))
    return found


def test_every_web_route_has_a_row() -> None:
    names = {r.name for r in ROWS if not r.api}
    missing = sorted({f"{name} ({route})" for name, route in _walk(get_resolver().url_patterns) if name not in names})
    assert not missing, "Routes without an authorisation row:\n" + "\n".join(missing)


def test_every_api_operation_has_a_row(client: Client, db: None) -> None:
    schema = json.loads(client.get("/api/openapi.json").content)
    have = {(r.name, r.method.upper()) for r in ROWS if r.api}
    missing = []
    for path, ops in schema["paths"].items():
        for method in ops:
            if (path, method.upper()) not in have:
                missing.append(f"{method.upper()} {path}")
    assert not missing, "API operations without an authorisation row:\n" + "\n".join(sorted(missing))


def test_rows_name_every_persona() -> None:
    for row in ROWS:
        assert set(row.outcomes) == set(PERSONAS), f"{row.name} {row.method} lacks personas"
        assert set(row.outcomes.values()) <= {OK, LOGIN, DENY}


def _url(row: Row, world: World) -> str:
    kwargs = row.kwargs(world) if row.kwargs else {}
    if row.api:
        path = row.name
        for key, value in kwargs.items():
            path = path.replace("{" + key + "}", str(value))
        return path + (f"?{row.query}" if row.query else "")
    return reverse(row.name, kwargs=kwargs) + (f"?{row.query}" if row.query else "")


def _outcome(row: Row, response: Any) -> str:
    status = response.status_code
    if status >= 500:
        return f"server error {status}"
    if row.api:
        if status in (401,):
            return LOGIN
        if status in (403, 404):
            return DENY
        return OK if status < 400 or status in (400, 409, 422) else f"unexpected {status}"
    if status in (301, 302, 303):
        location = response.headers.get("Location", "")
        if "/accounts/login/" in location:
            return LOGIN
        if "/accounts/2fa/" in location:
            return DENY
        return OK
    if status in (403, 404, 410):
        return DENY
    if status == 405:
        return f"method not allowed {status}"
    return OK if status < 500 else f"unexpected {status}"


def _request(row: Row, world: World, persona: str) -> Any:
    client = Client()
    user = world.user(persona)
    headers = {}
    if row.api:
        if user is not None:
            headers["HTTP_AUTHORIZATION"] = f"Bearer {world.tokens[persona]}"
    elif user is not None:
        sign_in(client, user)
    url = _url(row, world)
    data = row.data(world) if row.data else {}
    method = row.method.upper()
    if row.api:
        body = json.dumps(data) if method in ("POST", "PUT", "PATCH") else None
        return client.generic(method, url, data=body or "", content_type="application/json", **headers)
    if method == "GET":
        return client.get(url, **headers)
    return client.generic(method, url, data=_encode(data), content_type="application/x-www-form-urlencoded", **headers)


def _second_factor_prompt(response: Any) -> bool:
    if response.status_code in (301, 302, 303):
        return "/accounts/2fa/" in response.headers.get("Location", "")
    if response.status_code != 403:
        return False
    body = response.content.decode(errors="replace")
    return "second factor" in body or "second sign-in step" in body


def _encode(data: dict[str, Any]) -> str:
    from urllib.parse import urlencode

    return urlencode(data, doseq=True)


CASES = [(row, persona) for row in ROWS for persona in PERSONAS]


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("row", "persona"), CASES, ids=[f"{r.method}-{r.name}-{p}" for r, p in CASES]
)
def test_authorisation(row: Row, persona: str, world: World) -> None:
    from nearer.privacy.models import AccessLog

    if row.setup:
        row.setup(world)
    before = AccessLog.objects.count()
    response = _request(row, world, persona)
    got = _outcome(row, response)
    assert got == row.outcomes[persona], f"{row.method} {row.name} as {persona}: expected {row.outcomes[persona]}, got {got}"
    if got == OK and row.reads and persona not in ("owner", "anonymous"):
        owner = getattr(world, row.reads)
        if owner.pk != world.user(persona).pk:
            assert AccessLog.objects.count() - before == row.log_rows, f"{row.name} must log exactly {row.log_rows} read(s)"
    if got == DENY and not _second_factor_prompt(response):
        # One answer for "not yours" (issue 16 item 6): a 404, never a 403 that tells a signed-in user
        # the object exists. Only the second-factor prompt is a 403 of its own.
        assert response.status_code == 404, f"{row.method} {row.name} as {persona}: {response.status_code}, not 404"
    if got != OK:
        # A denied request never leaves a trace of a read.
        assert AccessLog.objects.count() == before
