"""Forms for the practice pages. They parse and label; the services validate once for web and API."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from nearer.practice import suggestion_bank as bank
from nearer.practice.models import LadderStep, Outcome, SuggestionKind

_RATING_ERROR = _("Choose a number from 0 to 100.")


def _rating(label: Any, required: bool = True, help_text: Any = "") -> forms.IntegerField:
    # A slider beside the box on phones (nearer.js); the box stays, so an optional rating can stay empty.
    return forms.IntegerField(
        label=label, min_value=0, max_value=100, required=required, help_text=help_text,
        error_messages={"min_value": _RATING_ERROR, "max_value": _RATING_ERROR, "invalid": _RATING_ERROR},
        widget=forms.NumberInput(attrs={"inputmode": "numeric", "min": 0, "max": 100, "step": 1, "data-slider": "0-100"}),
    )


def _area(label: Any, rows: int = 3, help_text: Any = "", required: bool = False) -> forms.CharField:
    return forms.CharField(label=label, required=required, help_text=help_text, widget=forms.Textarea(attrs={"rows": rows}))


class FormulationForm(forms.Form):
    def __init__(self, *args: Any, lang: str | None = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        for step in bank.worksheet("formulation").steps:
            if step.kind == "choices":
                self.fields[step.id] = forms.MultipleChoiceField(
                    label=step.text(lang), help_text=step.hint(lang), required=False,
                    choices=bank.choices(step.options or "", lang), widget=forms.CheckboxSelectMultiple,
                )
                own = "past_closeness_own" if step.id == "past_closeness" else "moves_own"
                self.fields[own] = _area(_("Anything else, in your own words"), 2)
            else:
                self.fields[step.id] = _area(step.text(lang), 3, step.hint(lang))


class StepForm(forms.Form):
    suggestion_id = forms.ChoiceField(label=_("Pick a suggested step"), required=False)
    text = forms.CharField(label=_("Or write your own step"), required=False, max_length=300,
                           help_text=_("If you pick a suggestion, anything you write here replaces its wording."))
    difficulty = _rating(_("How hard do you expect it to be? (0 = easy, 100 = the hardest I can imagine)"), required=False,
                         help_text=_("Leave empty to use the suggestion's usual rating."))

    def __init__(self, *args: Any, lang: str | None = None, hide_partner_steps: bool = False, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        # While couple features are paused (issue 14), steps about the partner are not suggested.
        steps = [s for s in bank.ladder_steps() if not (hide_partner_steps and bank.is_about_partner(s))]
        options: list[tuple[str, Any]] = [(s.id, f"{s.text(lang)} ({s.typical_difficulty})") for s in steps]
        field = self.fields["suggestion_id"]
        assert isinstance(field, forms.ChoiceField)
        field.choices = [("", _("— none, I'll write my own —"))] + options


class ExperimentForm(forms.Form):
    step = forms.ModelChoiceField(label=_("Which step will you try?"), queryset=LadderStep.objects.none(), required=False,
                                  empty_label=_("— not a step on my ladder —"))
    planned_for = forms.DateTimeField(label=_("When (date and time, if you know)"), required=False,
                                      widget=forms.DateTimeInput(attrs={"type": "datetime-local"}))
    when_text = forms.CharField(label=_("When and where, in your words"), required=False, max_length=500)
    fear = _area(_("What do you fear will happen?"), 2, _("Write the outcome you fear, in one sentence."), required=True)
    belief_before = _rating(_("How strongly do you believe it will happen? (0–100%)"))
    expected_anxiety = _rating(_("How anxious do you expect to feel? (0–100)"))

    def __init__(self, *args: Any, owner: Any = None, lang: str | None = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = self.fields["step"]
        assert isinstance(field, forms.ModelChoiceField)
        field.queryset = LadderStep.objects.filter(owner=owner, archived_at__isnull=True)
        field.label_from_instance = lambda s: f"{s.label(lang)} ({s.difficulty})"  # type: ignore[method-assign, assignment]


class OutcomeForm(forms.Form):
    what_happened = _area(_("What actually happened?"), 3, _("Describe it the way a camera would: what was said and done."),
                          required=True)
    outcome = forms.ChoiceField(label=_("Did what you feared happen?"), choices=Outcome.choices, widget=forms.RadioSelect)
    belief_after = _rating(_("How strongly do you believe it now? (0–100%)"))
    actual_anxiety = _rating(_("How anxious did you actually feel? (0–100)"), required=False)
    learned = _area(_("What did you learn?"), 3, _("About your partner, about yourself, about closeness."))


class RecordStartForm(forms.Form):
    kind = forms.ChoiceField(label=_("What kind of moment was it?"), widget=forms.RadioSelect)
    what_happened = _area(_("What happened?"), 3, _("Just the facts, in a sentence or two: who, what, when."), required=True)

    def __init__(self, *args: Any, lang: str | None = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["kind"].choices = bank.choices("moment_kinds", lang)  # type: ignore[attr-defined]


def record_step_form(step_id: str, data: Any = None, lang: str | None = None, initial: dict[str, Any] | None = None) -> forms.Form:
    """The form for one step of a present-or-past record (labels from the worksheet)."""
    step = bank.worksheet("present_or_past").step(step_id)
    form = forms.Form(data, initial=initial)
    if step_id == "first_reading":
        form.fields["first_reading_id"] = forms.ChoiceField(
            label=step.text(lang), help_text=step.hint(lang), required=False, widget=forms.RadioSelect,
            choices=bank.choices("first_readings", lang))
        form.fields["first_reading_own"] = forms.CharField(label=_("Or in your own words"), required=False, max_length=500)
    elif step_id == "feelings":
        for oid, label in bank.choices("emotions", lang):
            form.fields[f"feeling_{oid}"] = _rating(label, required=False)
        form.fields["feelings_own"] = forms.CharField(label=_("Another feeling, in your words"), required=False, max_length=300)
        form.fields["feelings_own_strength"] = _rating(_("How strong is that feeling? (0–100)"), required=False)
    elif step_id == "pause":
        pass
    elif step_id == "feelings_now":
        form.fields["intensity_after"] = _rating(step.text(lang), help_text=step.hint(lang))
    else:
        form.fields[step_id] = _area(step.text(lang), 3, step.hint(lang))
    return form


class SuggestForm(forms.Form):
    kind = forms.ChoiceField(label=_("What are you suggesting?"), choices=SuggestionKind.choices, widget=forms.RadioSelect)
    suggestion_id = forms.ChoiceField(label=_("A step from the suggestions"), required=False)
    text = forms.CharField(label=_("Or a step in your words"), required=False, max_length=300)
    difficulty = _rating(_("Expected difficulty (0–100)"), required=False)
    note = _area(_("A note for your client (optional)"), 2)

    def __init__(self, *args: Any, lang: str | None = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["suggestion_id"].choices = [("", "—")] + [  # type: ignore[attr-defined]
            (s.id, f"{s.text(lang)} ({s.typical_difficulty})") for s in bank.ladder_steps()]


class RespondForm(forms.Form):
    action = forms.ChoiceField(choices=[("accept", _("Accept")), ("edit", _("Edit and accept")), ("decline", _("Decline"))])
    text = forms.CharField(label=_("Your wording"), required=False, max_length=300)
    difficulty = _rating(_("Expected difficulty (0–100)"), required=False)
