from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from nearer.clinic.models import FOCUS_AREAS, LANGUAGES, AssignmentKind, Modality, SessionModality
from nearer.privacy.scopes import default_scopes, scopes_for


class SessionForm(forms.Form):
    held_on = forms.DateField(label=_("Session date"), widget=forms.DateInput(attrs={"type": "date"}))
    duration_minutes = forms.IntegerField(label=_("Duration in minutes"), required=False, min_value=5, max_value=600)
    modality = forms.ChoiceField(label=_("How you met"), required=False,
                                 choices=[("", _("Not recorded"))] + list(SessionModality.choices))
    measures_reviewed = forms.MultipleChoiceField(label=_("Questionnaires reviewed together"), required=False,
                                                  widget=forms.CheckboxSelectMultiple)
    assignments_reviewed = forms.TypedMultipleChoiceField(label=_("Assignments reviewed"), required=False, coerce=int,
                                                          widget=forms.CheckboxSelectMultiple)
    note = forms.CharField(label=_("Private note (only you see it; never the client or their partner)"), required=False,
                           max_length=1000, widget=forms.Textarea(attrs={"rows": 3}))

    def __init__(self, *args: Any, measures: list[tuple[str, str]] | None = None,
                 assignments: list[tuple[int, str]] | None = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        m, a = self.fields["measures_reviewed"], self.fields["assignments_reviewed"]
        assert isinstance(m, forms.MultipleChoiceField) and isinstance(a, forms.MultipleChoiceField)
        m.choices = measures or []
        a.choices = assignments or []
        if not measures:
            del self.fields["measures_reviewed"]
        if not assignments:
            del self.fields["assignments_reviewed"]


class ReferenceForm(forms.Form):
    reference = forms.CharField(label=_("Client reference (your clinic's record number)"), max_length=32,
                                help_text=_("Letters, digits, dots, hyphens and underscores. It goes into the report's header and file name."))


class ReportPeriodForm(forms.Form):
    since = forms.ChoiceField(label=_("Report period"), required=False, choices=[
        ("last_session", _("Since the last session")), ("14", _("Last 2 weeks")), ("28", _("Last 4 weeks")),
        ("84", _("Last 12 weeks"))])


class AssignForm(forms.Form):
    kind = forms.ChoiceField(label=_("What to assign"), choices=AssignmentKind.choices, widget=forms.RadioSelect)
    instrument_id = forms.ChoiceField(label=_("Questionnaire"), required=False,
                                      choices=[("phq9", "PHQ-9"), ("gad7", "GAD-7"), ("phq2", "PHQ-2"), ("auditc", "AUDIT-C")])
    cadence_days = forms.IntegerField(label=_("Every how many days"), required=False, min_value=1, max_value=90, initial=14)
    text = forms.CharField(label=_("Ladder step (in the client's words if you can)"), required=False, max_length=300)
    difficulty = forms.IntegerField(label=_("How hard it may feel (0–100)"), required=False, min_value=0, max_value=100)
    depth = forms.IntegerField(label=_("Conversation depth (1 light – 3 deep)"), required=False, min_value=1, max_value=3)


class RespondForm(forms.Form):
    action = forms.ChoiceField(choices=[("accept", _("Accept")), ("decline", _("Decline"))])


class DirectoryFilter(forms.Form):
    focus = forms.ChoiceField(label=_("Focus"), required=False, choices=[("", _("Any"))] + FOCUS_AREAS)
    language = forms.ChoiceField(label=_("Language"), required=False, choices=[("", _("Any"))] + LANGUAGES)
    modality = forms.ChoiceField(label=_("Meeting"), required=False,
                                 choices=[("", _("Any")), ("in_person", _("In person")), ("online", _("Online"))])
    city = forms.CharField(label=_("City"), required=False, max_length=100)


class RequestForm(forms.Form):
    message = forms.CharField(label=_("A few words for the therapist (optional)"), required=False, max_length=2000,
                              widget=forms.Textarea(attrs={"rows": 4}))
    scopes = forms.MultipleChoiceField(label=_("What this therapist will see once they accept"), required=False,
                                       widget=forms.CheckboxSelectMultiple)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        scopes = self.fields["scopes"]
        assert isinstance(scopes, forms.MultipleChoiceField)
        scopes.choices = [(s.key, s.label) for s in scopes_for("therapist")]
        scopes.initial = default_scopes("therapist")


class LicenceForm(forms.Form):
    licence_number = forms.CharField(label=_("Licence number"), required=False, max_length=40)
    licence_state = forms.CharField(label=_("Licence state (two letters)"), required=False, max_length=2)
    verified = forms.BooleanField(label=_("Verified by the clinic"), required=False)


class MoveForm(forms.Form):
    from_therapist = forms.TypedChoiceField(label=_("Move every client of"), coerce=int)
    to_therapist = forms.TypedChoiceField(label=_("To"), coerce=int)
    confirm = forms.BooleanField(label=_("I understand each client will be told and their sharing moves to the new therapist."))

    def __init__(self, staff: list[Any], *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        choices = [(u.pk, str(u.name)) for u in staff]
        from_field, to_field = self.fields["from_therapist"], self.fields["to_therapist"]
        assert isinstance(from_field, forms.ChoiceField) and isinstance(to_field, forms.ChoiceField)
        from_field.choices = choices
        to_field.choices = [(u.pk, str(u.name)) for u in staff if u.is_active]


class ProfileForm(forms.Form):
    focus_areas = forms.MultipleChoiceField(label=_("Focus areas"), choices=FOCUS_AREAS, required=False,
                                            widget=forms.CheckboxSelectMultiple)
    languages = forms.MultipleChoiceField(label=_("Languages"), choices=LANGUAGES, required=False,
                                          widget=forms.CheckboxSelectMultiple)
    modality = forms.ChoiceField(label=_("How you meet clients"), choices=Modality.choices)
    city = forms.CharField(label=_("City"), required=False, max_length=100)
    bio = forms.CharField(label=_("About you (shown in the directory)"), required=False, max_length=3000,
                          widget=forms.Textarea(attrs={"rows": 5}))
    accepting = forms.BooleanField(label=_("Accepting new clients"), required=False)
