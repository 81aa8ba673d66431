from __future__ import annotations

from typing import Any

from django.http import HttpRequest

from nearer.safety.crisis import CRISIS


def nearer(request: HttpRequest) -> dict[str, Any]:
    from django.utils.translation import get_language

    lang = (get_language() or "en")[:2]
    return {"crisis": CRISIS.get(lang, CRISIS["en"]), "nav_lang": lang}
