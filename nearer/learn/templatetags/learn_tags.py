"""``{% learn_link "loop" %}``: a small "Read: <title>" link to the piece behind a tool.

Any app's template can use it: ``{% load learn_tags %}{% learn_link "ladder" %}``. The argument is a
tool key from ``nearer.learn.content.TOOL_PIECES`` or a piece slug. The title follows the active
language (English when a translation is missing). An unknown key renders nothing.
"""

from __future__ import annotations

from django import template
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils.safestring import SafeString, mark_safe

from nearer.learn import content

register = template.Library()


@register.simple_tag
def learn_link(key: str) -> SafeString:
    piece = content.piece_for(str(key))
    if piece is None:
        return mark_safe("")  # noqa: S308 - empty string
    lang = content.active_language()
    html = render_to_string("learn/_learn_link.html", {
        "piece": piece,
        "url": reverse("learn:piece-detail", kwargs={"slug": piece.slug}),
        "lang_attr": piece.language if piece.language != lang else "",
    })
    return mark_safe(html.strip())  # noqa: S308 - rendered by an autoescaping template
