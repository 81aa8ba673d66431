from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from nearer.diary.models import STRESSORS, YES_NO_FIELDS, Answer, CheckIn

SCALE = [(i, str(i)) for i in range(11)]
_SCALE_ERROR = {"invalid_choice": _("Choose a number from 0 to 10."), "required": _("Choose a number from 0 to 10.")}


class CheckInForm(forms.ModelForm):
    """Type parsing for the check-in page; the rules themselves live on the model and in the service."""

    mood = forms.TypedChoiceField(label=_("Mood today"), choices=SCALE, coerce=int, widget=forms.RadioSelect,
                                  error_messages=_SCALE_ERROR, help_text=_("0 is the lowest, 10 the best."))
    closeness = forms.TypedChoiceField(label=_("How close did you feel to your partner?"), choices=SCALE, coerce=int,
                                       widget=forms.RadioSelect, error_messages=_SCALE_ERROR,
                                       help_text=_("0 is very distant, 10 very close."))
    stressors = forms.MultipleChoiceField(label=_("Stressors today"), choices=STRESSORS, required=False,
                                          widget=forms.CheckboxSelectMultiple)

    class Meta:
        model = CheckIn
        fields = ["mood", "closeness", *YES_NO_FIELDS, "hours_slept", "exercise_minutes", "stressors", "own_stressors", "note"]
        labels = {
            "shared_personal": _("Today I shared something personal"),
            "held_back": _("Today I held back"),
            "felt_heard": _("Today I felt heard"),
            "felt_accepted": _("Today I felt accepted"),
            "hours_slept": _("Hours slept last night"),
            "exercise_minutes": _("Minutes of exercise"),
            "own_stressors": _("Other stressors, in your words"),
            "note": _("Note (only you see it unless you choose to share notes)"),
        }
        widgets = {
            **{f: forms.RadioSelect for f in YES_NO_FIELDS},
            "hours_slept": forms.NumberInput(attrs={"step": "0.5", "min": "0", "max": "24", "inputmode": "decimal"}),
            "exercise_minutes": forms.NumberInput(attrs={"step": "5", "min": "0", "max": "1440", "inputmode": "numeric"}),
            "own_stressors": forms.TextInput(attrs={"maxlength": "300"}),
            "note": forms.Textarea(attrs={"rows": 3, "maxlength": "4000"}),
        }

    # A day filled in later ("Check-in for Friday 20 November") must not ask about "today".
    PAST_DAY_LABELS = {
        "mood": _("Mood that day"),
        "stressors": _("Stressors that day"),
        "shared_personal": _("That day I shared something personal"),
        "held_back": _("That day I held back"),
        "felt_heard": _("That day I felt heard"),
        "felt_accepted": _("That day I felt accepted"),
        "hours_slept": _("Hours slept the night before"),
    }

    # "No" and "Not today" read alike on a phone ("No" / "Hoy no"); the third answer says what it means:
    # the moment did not arise (the stored value stays "not_today").
    YES_NO_CHOICES = [(Answer.YES, _("Yes")), (Answer.NO, _("No")), (Answer.NOT_TODAY, _("Didn't come up"))]

    def __init__(self, *args: Any, past_day: bool = False, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if past_day:
            for name, label in self.PAST_DAY_LABELS.items():
                self.fields[name].label = label
        for name in YES_NO_FIELDS:
            field = self.fields[name]
            field.choices = self.YES_NO_CHOICES  # type: ignore[attr-defined]
            field.required = False
            field.initial = field.initial or Answer.NOT_TODAY

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        for name in YES_NO_FIELDS:
            if not data.get(name):
                data[name] = Answer.NOT_TODAY
        return data

    def values(self) -> dict[str, Any]:
        return {name: self.cleaned_data.get(name) for name in self.Meta.fields}


class ImportForm(forms.Form):
    file = forms.FileField(label=_("CSV file"), help_text=_("A file with a header row. Up to 2 MB."))
    date_column = forms.CharField(label=_("Column with the date"), initial="date", max_length=60)
    mood_column = forms.CharField(label=_("Column with mood (0–10)"), initial="mood", max_length=60)
    closeness_column = forms.CharField(label=_("Column with closeness (0–10)"), initial="closeness", max_length=60)
    skip_existing = forms.BooleanField(label=_("Skip days I have already checked in"), required=False,
                                       help_text=_("Without this, a day you already have stops the import so nothing is overwritten."))

    MAX_BYTES = 2 * 1024 * 1024

    def clean_file(self) -> Any:
        f = self.cleaned_data["file"]
        if f.size > self.MAX_BYTES:
            raise forms.ValidationError(_("The file is larger than 2 MB."))
        return f
