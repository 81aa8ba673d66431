from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from nearer.learn.models import REFLECTION_MAX_CHARS


class ReflectionForm(forms.Form):
    """The reflection box. Length and emptiness are checked once, in ``services``."""

    text = forms.CharField(
        label=_("Your reflection"),
        required=False,
        strip=True,
        widget=forms.Textarea(attrs={"rows": 5, "maxlength": REFLECTION_MAX_CHARS}),
        help_text=_("Only you can see this unless you choose to share it."),
    )
    shared = forms.BooleanField(label=_("Share this with my therapist"), required=False)


class ShareForm(forms.Form):
    shared = forms.BooleanField(required=False)
