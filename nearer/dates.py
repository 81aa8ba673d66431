"""Template filters for dates with their weekday, built on the one date format of each language.

Registered as a template builtin (``settings.TEMPLATES``), so no ``{% load %}`` is needed:
``{{ day|weekday_date }}`` gives "Thursday 3 Dec 2026" / "jueves 3 dic 2026" and
``{{ when|weekday_datetime }}`` "Thursday 3 Dec 2026, 20:00" (in the current time zone).
"""

from __future__ import annotations

from typing import Any

from django import template
from django.template.defaultfilters import date as date_filter

register = template.Library()


@register.filter(expects_localtime=True, is_safe=False)
def weekday_date(value: Any) -> str:
    if not value:
        return ""
    return f"{date_filter(value, 'l')} {date_filter(value, 'DATE_FORMAT')}"


@register.filter(expects_localtime=True, is_safe=False)
def weekday_datetime(value: Any) -> str:
    if not value:
        return ""
    return f"{date_filter(value, 'l')} {date_filter(value, 'DATETIME_FORMAT')}"
