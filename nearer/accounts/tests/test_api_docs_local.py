"""Issue 16 item 15: /api/docs loads its Swagger UI from our own static files, never a CDN."""

from __future__ import annotations

import re

import pytest
from django.test import Client


@pytest.mark.django_db
def test_api_docs_page_names_only_local_assets() -> None:
    client = Client()
    response = client.get("/api/docs")
    assert response.status_code == 200
    html = response.content.decode()
    sources = re.findall(r'(?:src|href)="([^"]+)"', html)
    assert sources and all(s.startswith("/static/") for s in sources), sources
    assert "cdn" not in html.lower()
    assert "script-src 'self'" in response.headers["Content-Security-Policy"]
    for src in sources:
        asset = client.get(src)
        assert asset.status_code == 200, src
        assert (b"".join(asset.streaming_content) if asset.streaming else asset.content)
