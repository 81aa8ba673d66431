from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _

from nearer.safety.plan_text import PLAN_PARTS, part_text

MAX_PART = 4000


class SafetyPlanForm(forms.Form):
    """One textarea per part; one item per line. Labels and hints come from plan_text.py."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        lang = get_language()
        for key in PLAN_PARTS:
            text = part_text(key, lang)
            self.fields[key] = forms.CharField(
                label=text.title,
                help_text=text.explanation,
                required=False,
                max_length=MAX_PART,
                widget=forms.Textarea(attrs={"rows": 4, "aria-describedby": f"hint-{key}"}),
            )


class ResolveForm(forms.Form):
    note = forms.CharField(
        label=_("What was done"),
        help_text=_("A short note for your records. The person does not see it here."),
        max_length=4000,
        widget=forms.Textarea(attrs={"rows": 4}),
    )


class ChoiceForm(forms.Form):
    choice = forms.ChoiceField(choices=[("safe", "safe"), ("need_help", "need_help")])


ASQ_CHOICES = [("yes", _("Yes")), ("no", _("No")), ("declined", _("Prefer not to answer"))]


class AsqForm(forms.Form):
    """The five ASQ questions; the question text comes from nearer.safety.asq (NIMH's wording)."""

    trigger = forms.CharField(required=False, widget=forms.HiddenInput, max_length=20)

    def __init__(self, *args: Any, texts: tuple[str, ...] = (), text_lang: str = "en", **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        for i, text in enumerate(texts, start=1):
            self.fields[f"q{i}"] = forms.ChoiceField(
                label=text, choices=ASQ_CHOICES, required=i < 5, widget=forms.RadioSelect,
                error_messages={"required": _("Choose yes, no, or prefer not to answer.")},
            )
            self.fields[f"q{i}"].text_lang = text_lang  # type: ignore[attr-defined]

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if "yes" in [data.get(f"q{i}") for i in range(1, 5)] and not data.get("q5"):
            self.add_error("q5", _("Please answer this one too, or choose “Prefer not to answer”."))
        return data
