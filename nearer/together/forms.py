from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from nearer.together.models import WEEKDAYS

RATING_CHOICES = [(i, str(i)) for i in range(11)]
# The lists start empty: a browser otherwise preselects 0, and tapping Save would record
# "not heard at all, not accepted, not close" that nobody chose.
RATING_FORM_CHOICES = [("", _("Choose 0–10")), *RATING_CHOICES]
RATING_ERRORS = {"required": _("Choose a number from 0 to 10."), "invalid_choice": _("Choose a number from 0 to 10.")}


class RhythmForm(forms.Form):
    weekdays = forms.TypedMultipleChoiceField(
        label=_("Which days?"), choices=WEEKDAYS, coerce=int, widget=forms.CheckboxSelectMultiple,
        error_messages={"required": _("Choose at least one day of the week.")},
    )
    at = forms.TimeField(label=_("At what time?"), widget=forms.TimeInput(attrs={"type": "time"}, format="%H:%M"))


class RatingForm(forms.Form):
    heard = forms.TypedChoiceField(label=_("I felt heard (0 = not at all, 10 = completely)"),
                                    choices=RATING_FORM_CHOICES, coerce=int, error_messages=RATING_ERRORS)
    accepted = forms.TypedChoiceField(label=_("I felt accepted (0 = not at all, 10 = completely)"),
                                    choices=RATING_FORM_CHOICES, coerce=int, error_messages=RATING_ERRORS)
    close = forms.TypedChoiceField(label=_("I felt close (0 = not at all, 10 = completely)"),
                                    choices=RATING_FORM_CHOICES, coerce=int, error_messages=RATING_ERRORS)
    defensive = forms.TypedChoiceField(label=_("I was defensive (0 = not at all, 10 = very)"),
                                    choices=RATING_FORM_CHOICES, coerce=int, error_messages=RATING_ERRORS)
    note = forms.CharField(
        label=_("A note for yourself (optional)"), required=False, max_length=4000, widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("Private to you unless you choose to share this note below."),
    )
    share = forms.BooleanField(
        label=_("Share my ratings once we've both rated"), required=False, initial=True,
        help_text=_("Your partner sees your four numbers after you've both rated, and so does a therapist either of you "
                    "links with for couple ratings. You can change this later."),
    )
    note_shared = forms.BooleanField(label=_("Also share this note with my partner"), required=False, initial=False)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        for name in ("heard", "accepted", "close", "defensive"):
            self.fields[name].widget.attrs["class"] = "scale"


class SharingForm(forms.Form):
    share = forms.BooleanField(label=_("Share my ratings with my partner"), required=False)
    note_shared = forms.BooleanField(label=_("Share my note with my partner"), required=False)


class PromptChoiceForm(forms.Form):
    prompt_id = forms.CharField(max_length=40)


class PreferencesForm(forms.Form):
    mood_compare = forms.BooleanField(
        label=_("Show how my mood went on days after our talks on our couple trend page"), required=False,
        help_text=_("Only a summary of your check-in mood numbers, never your notes. Your partner sees it too. Turn it off any time."),
    )


class DepthForm(forms.Form):
    depth = forms.TypedChoiceField(choices=[(1, "1"), (2, "2"), (3, "3")], coerce=int)
