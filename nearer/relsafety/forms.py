from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from nearer.relsafety import hark


class ScreenForm(forms.Form):
    """The four HARK questions, each yes / no / rather not say (leaving one blank means rather not say)."""

    def __init__(self, *args: Any, language: str = "en", **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        choices = [(hark.YES, _("Yes")), (hark.NO, _("No")), (hark.SKIP, _("I'd rather not say"))]
        for number, (key, text) in enumerate(hark.questions(language), start=1):
            self.fields[key] = forms.ChoiceField(label=f"{number}. {text}", choices=choices, required=False,
                                                 widget=forms.RadioSelect)

    def answers(self) -> dict[str, str]:
        return {k: (self.cleaned_data.get(k) or hark.SKIP) for k in hark.ITEMS}
