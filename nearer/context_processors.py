from __future__ import annotations

from typing import Any

from django.http import HttpRequest

from nearer.safety.crisis import routes


def nearer(request: HttpRequest) -> dict[str, Any]:
    from django.utils.translation import get_language

    lang = (get_language() or "en")[:2]
    # Crisis routes follow the language of the page: Spanish pages offer the Spanish routes.
    return {"crisis": routes(lang), "nav_lang": lang}
