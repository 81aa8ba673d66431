"""Forms: answering an instrument (built from its Questionnaire), schedules, uploads."""

from __future__ import annotations

import json
from collections.abc import Iterable, Mapping
from typing import Any

from django import forms
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _

from nearer.measures.definitions import Instrument
from nearer.measures.services import MAX_CADENCE_DAYS

MAX_UPLOAD_BYTES = 2 * 1024 * 1024


def _walk(items: Iterable[Mapping[str, Any]]) -> Iterable[Mapping[str, Any]]:
    for it in items:
        yield it
        yield from _walk(it.get("item") or [])


def instructions(inst: Instrument) -> list[str]:
    """The instrument's own instruction lines (display items), in order."""
    return [str(it.get("text", "")) for it in _walk(inst.questionnaire.get("item") or []) if it.get("type") == "display"]


def _text(inst: Instrument, link_id: str, lang: str | None = None) -> str:
    return inst.items[link_id].text_in(lang or get_language())


class AnswerForm(forms.Form):
    """One radio group per question, in the questionnaire's order, with its own wording."""

    idempotency_key = forms.CharField(widget=forms.HiddenInput, required=False, max_length=80)

    def __init__(self, inst: Instrument, *args: Any, language: str | None = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.instrument = inst
        # Questions and answers in one language only: the official translation, or the original.
        self.language = inst.language_for(language or get_language())
        lang = self.language
        scored = set(inst.scored_items)
        for number, (lid, item) in enumerate(inst.items.items(), start=1):
            choices = [(o.code, o.display_in(lang)) for o in item.options if o.weight is not None]
            self.fields[f"q_{lid}"] = forms.ChoiceField(
                label=f"{number}. {_text(inst, lid, lang)}" if lid in scored else _text(inst, lid, lang),
                choices=choices,
                widget=forms.RadioSelect,
                required=lid in scored,
                error_messages={"required": _("Please choose an answer for this question.")},
            )
            self.fields[f"q_{lid}"].link_id = lid  # type: ignore[attr-defined]

    def answers(self) -> dict[str, str]:
        out = {}
        for name, value in self.cleaned_data.items():
            if name.startswith("q_") and value:
                out[name[2:]] = value
        return out

    def add_answer_errors(self, errors: Mapping[str, list[str]]) -> None:
        for key, messages in errors.items():
            lid = key.split(".", 1)[1] if key.startswith("answers.") else None
            target = f"q_{lid}" if lid and f"q_{lid}" in self.fields else None
            for m in messages:
                self.add_error(target, str(m))


class ScheduleForm(forms.Form):
    instrument_id = forms.ChoiceField(label=_("Questionnaire"))
    cadence_days = forms.IntegerField(label=_("Every how many days"), min_value=1, max_value=MAX_CADENCE_DAYS, initial=14,
                                      help_text=_("For example, 14 means every two weeks."))
    window_days = forms.IntegerField(label=_("Days it stays open"), min_value=1, max_value=MAX_CADENCE_DAYS, initial=4,
                                     help_text=_("After this many days an unanswered one is recorded as missed."))

    def __init__(self, instruments: Iterable[Instrument], *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["instrument_id"].choices = [(i.id, i.title) for i in instruments]  # type: ignore[attr-defined]

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        c, w = data.get("cadence_days"), data.get("window_days")
        if c and w and w > c:
            self.add_error("window_days", _("The window cannot be longer than the time between measures."))
        return data


class JsonUploadForm(forms.Form):
    """A JSON file, or the same JSON pasted."""

    file = forms.FileField(label=_("JSON file"), required=False)
    text = forms.CharField(label=_("Or paste the JSON"), widget=forms.Textarea, required=False)

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        raw: bytes | str | None = None
        upload = data.get("file")
        if upload:
            if upload.size > MAX_UPLOAD_BYTES:
                raise forms.ValidationError(_("The file is too large (at most 2 MB)."))
            raw = upload.read()
        elif data.get("text"):
            raw = data["text"]
        if not raw:
            raise forms.ValidationError(_("Choose a file or paste the JSON."))
        try:
            data["parsed"] = json.loads(raw)
        except (json.JSONDecodeError, UnicodeDecodeError):
            raise forms.ValidationError(_("That is not valid JSON.")) from None
        return data


class ClinicInstrumentForm(JsonUploadForm):
    replace = forms.BooleanField(label=_("Replace an instrument with the same id"), required=False)
