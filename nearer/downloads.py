"""File downloads of someone's data (reports, exports): one way to answer them."""

from __future__ import annotations

from django.http import HttpResponse


def attachment(body: bytes | str, content_type: str, filename: str) -> HttpResponse:
    """``body`` as a file the browser saves as ``filename``; never kept by a browser or proxy cache."""
    response = HttpResponse(body, content_type=content_type)
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    response["Cache-Control"] = "no-store"
    return response
