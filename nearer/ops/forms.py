from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _


class PreferenceForm(forms.Form):
    enabled = forms.BooleanField(label=_("Remind me"), required=False)
    local_time = forms.TimeField(label=_("At (your local time)"), widget=forms.TimeInput(attrs={"type": "time"}, format="%H:%M"))
    by_email = forms.BooleanField(label=_("By email"), required=False)
    by_push = forms.BooleanField(label=_("As a notification on my devices"), required=False)

    def __init__(self, *args: object, can_push: bool = True, **kwargs: object) -> None:
        super().__init__(*args, **kwargs)  # type: ignore[arg-type]
        if not can_push:  # never offer what this server cannot send
            del self.fields["by_push"]
