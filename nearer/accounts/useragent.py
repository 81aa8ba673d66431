"""Name a browser and a system from a user-agent string in words people use: "Chrome on Android".

Used by the sessions page instead of the raw string. Deliberately small: the common browsers and
systems, checked in an order that copes with browsers that claim to be others ("Edg/" and "OPR/"
also say "Chrome/"; Chrome also says "Safari/"). Anything else is "a browser" / "an unknown device".
"""

from __future__ import annotations

from django.utils.translation import gettext as _

# (marker in the string, name); the first match wins.
_BROWSERS: tuple[tuple[str, str], ...] = (
    ("Edg/", "Edge"), ("EdgA/", "Edge"), ("EdgiOS/", "Edge"),
    ("OPR/", "Opera"), ("OPiOS/", "Opera"),
    ("SamsungBrowser/", "Samsung Internet"),
    ("Firefox/", "Firefox"), ("FxiOS/", "Firefox"),
    ("CriOS/", "Chrome"), ("Chrome/", "Chrome"), ("Chromium/", "Chromium"),
    ("Safari/", "Safari"),
)
_SYSTEMS: tuple[tuple[str, str], ...] = (
    ("iPhone", "iPhone"), ("iPad", "iPad"), ("iPod", "iPhone"),
    ("Android", "Android"),
    ("Windows", "Windows"),
    ("CrOS", "ChromeOS"),
    ("Macintosh", "Mac"), ("Mac OS X", "Mac"),
    ("Linux", "Linux"),
)


def browser_name(user_agent: str) -> str | None:
    for marker, name in _BROWSERS:
        if marker in user_agent:
            if name == "Safari" and "Version/" not in user_agent:
                return None  # an app's web view or a bot that only borrows Safari's token
            return name
    return None


def system_name(user_agent: str) -> str | None:
    for marker, name in _SYSTEMS:
        if marker in user_agent:
            return name
    return None


def describe(user_agent: str | None) -> str:
    """"Chrome on Android", "Firefox on Windows", "Safari on iPhone"; never the raw string."""
    ua = user_agent or ""
    browser, system = browser_name(ua), system_name(ua)
    if browser and system:
        return _("%(browser)s on %(system)s") % {"browser": browser, "system": system}
    if browser:
        return browser
    if system:
        return _("A browser on %(system)s") % {"system": system}
    return _("An unknown browser")
