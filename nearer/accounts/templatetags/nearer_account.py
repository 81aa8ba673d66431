"""``{% link_days "reset" %}`` / ``{% link_days "confirm" %}``: how many days an emailed link works.

The sign-up and password pages tell people how long their link lasts; the figure comes from the
settings that decide it (Django's ``PASSWORD_RESET_TIMEOUT`` for password links, allauth's
``ACCOUNT_EMAIL_CONFIRMATION_EXPIRE_DAYS`` for email confirmation), so the words never drift from
what the links do.
"""

from __future__ import annotations

from allauth.account import app_settings as allauth_settings
from django import template
from django.conf import settings

register = template.Library()


@register.simple_tag
def link_days(kind: str) -> int:
    if kind == "reset":
        return max(1, int(settings.PASSWORD_RESET_TIMEOUT) // 86400)
    if kind == "confirm":
        return int(allauth_settings.EMAIL_CONFIRMATION_EXPIRE_DAYS)
    raise template.TemplateSyntaxError(f"link_days: unknown kind {kind!r}")


@register.filter
def device(user_agent: str | None) -> str:
    """``{{ session.user_agent|device }}`` → "Chrome on Android" (see ``nearer.accounts.useragent``)."""
    from nearer.accounts.useragent import describe

    return describe(user_agent)
