"""The sessions page names each browser in plain words ("Chrome on Android"), marks this device, and
never shows the raw user-agent string."""

from __future__ import annotations

import pytest
from django.test import Client
from django.utils import translation

from conftest import make_user
from nearer.accounts.useragent import describe

UAS = {
    "Mozilla/5.0 (Linux; Android 14; Pixel 8) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/124.0.0.0 Mobile Safari/537.36":
        "Chrome on Android",
    "Mozilla/5.0 (Windows NT 10.0; Win64; x64; rv:125.0) Gecko/20100101 Firefox/125.0": "Firefox on Windows",
    "Mozilla/5.0 (iPhone; CPU iPhone OS 17_4 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/17.4 "
    "Mobile/15E148 Safari/604.1": "Safari on iPhone",
    "Mozilla/5.0 (Macintosh; Intel Mac OS X 10_15_7) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/17.4 "
    "Safari/605.1.15": "Safari on Mac",
    "Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/124.0.0.0 Safari/537.36 "
    "Edg/124.0.2478.51": "Edge on Windows",
    "Mozilla/5.0 (iPhone; CPU iPhone OS 17_4 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) CriOS/124.0 "
    "Mobile/15E148 Safari/604.1": "Chrome on iPhone",
    "Mozilla/5.0 (Linux; Android 13; SM-S911B) AppleWebKit/537.36 (KHTML, like Gecko) SamsungBrowser/24.0 "
    "Chrome/117.0.0.0 Mobile Safari/537.36": "Samsung Internet on Android",
    "Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) HeadlessChrome/124.0.0.0 Safari/537.36":
        "Chrome on Linux",
    "Mozilla/5.0 (X11; CrOS x86_64 14541.0.0) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/124.0.0.0 Safari/537.36":
        "Chrome on ChromeOS",
    "Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/124.0.0.0 Safari/537.36 "
    "OPR/109.0.0.0": "Opera on Windows",
    "Mozilla/5.0 (Linux; Android 14) AppleWebKit/537.36 (KHTML, like Gecko) SomeApp/1.0": "A browser on Android",
    "curl/8.5.0": "An unknown browser",
    "": "An unknown browser",
}


@pytest.mark.parametrize(("ua", "expected"), list(UAS.items()))
def test_describe_names_browser_and_system(ua, expected):
    with translation.override("en"):
        assert describe(ua) == expected


def test_describe_in_spanish():
    with translation.override("es"):
        assert describe(next(iter(UAS))) == "Chrome en Android"
        assert describe(None) == "Un navegador desconocido"


@pytest.mark.django_db
@pytest.mark.parametrize(("lang", "heading", "this_device", "other"), [
    ("en", "Where you're signed in", "This device", "Sign out everywhere else"),
    ("es", "Dónde tienes la sesión abierta", "Este dispositivo", "Cerrar las demás sesiones"),
])
def test_sessions_page_shows_devices_not_user_agent_strings(lang, heading, this_device, other):
    user = make_user("sam@x.test")
    phone_ua, laptop_ua = list(UAS)[0], list(UAS)[1]
    phone, laptop = Client(HTTP_USER_AGENT=phone_ua), Client(HTTP_USER_AGENT=laptop_ua)
    for c in (phone, laptop):
        c.force_login(user)
        c.get("/me/")
    html = laptop.get("/accounts/sessions/", HTTP_ACCEPT_LANGUAGE=lang).content.decode()
    main = html.split("<main", 1)[1].split("</main>", 1)[0]
    assert heading in main
    assert "Mozilla/5.0" not in main and "AppleWebKit" not in main
    on = " on " if lang == "en" else " en "
    laptop_entry = main.split(f"Firefox{on}Windows", 1)[1].split("</li>", 1)[0]
    assert this_device in laptop_entry
    phone_entry = main.split(f"Chrome{on}Android", 1)[1].split("</li>", 1)[0]
    assert this_device not in phone_entry
    assert f'<button type="submit">{other}</button>' in main
    assert "<table" not in main  # stacked entries: nothing wider than a 320 px phone
