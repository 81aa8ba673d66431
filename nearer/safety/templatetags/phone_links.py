"""``{{ text|phone_links }}``: phone numbers in a person's own words become tap-to-call links.

A number is linked when it has at least 7 digits (with spaces, dots, dashes, brackets or a leading
+), or is a three-digit service number such as 988 or 911. Years and small counts are left alone.
Everything else is escaped as usual.
"""

from __future__ import annotations

import re

from django import template
from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe

register = template.Library()

_NUMBER = re.compile(r"(?<![\w+(])(\+?\(?\d[\d\s().-]{5,}\d|\b988\b|\b[2-9]11\b)(?![\w])")


def _link(match: re.Match[str]) -> str:
    shown = match.group(0)
    digits = re.sub(r"\D", "", shown)
    if len(digits) < 7 and digits not in {"988"} and not re.fullmatch(r"[2-9]11", digits):
        return shown
    target = ("+" if shown.startswith("+") else "") + digits
    return f'<a class="tel" href="tel:{target}">{shown}</a>'


@register.filter(is_safe=True)
def phone_links(text: object) -> SafeString:
    return mark_safe(_NUMBER.sub(_link, escape(str(text or ""))))  # noqa: S308 - escaped above
