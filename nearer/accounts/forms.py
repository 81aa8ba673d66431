from __future__ import annotations

import zoneinfo
from typing import Any

from allauth.account.forms import SignupForm as AllauthSignupForm
from django import forms
from django.conf import settings
from django.utils.translation import gettext_lazy as _

from nearer.accounts.models import Role
from nearer.privacy.scopes import scopes_for


def valid_zone(name: str) -> str:
    """The IANA zone name if this server knows it, else "" (the caller keeps its default)."""
    name = (name or "").strip()[:64]
    return name if name in zoneinfo.available_timezones() else ""


class SignupForm(AllauthSignupForm):
    # Filled in by nearer.js from the browser, so a person's days are their own from the first check-in.
    timezone = forms.CharField(required=False, widget=forms.HiddenInput(attrs={"data-browser-timezone": "fill"}))

    def clean_timezone(self) -> str:
        # Never an error on sign-up: an unknown zone just keeps the default, changeable in Settings.
        return valid_zone(self.cleaned_data.get("timezone") or "")
    display_name = forms.CharField(
        label=_("What should we call you?"),
        max_length=80,
        required=False,
        help_text=_("A first name or nickname is enough."),
    )
    role = forms.ChoiceField(
        label=_("I'm joining as"),
        choices=[(Role.PERSON, _("someone using Nearer for myself")), (Role.THERAPIST, _("a therapist"))],
        initial=Role.PERSON,
        widget=forms.RadioSelect,
    )

    def try_save(self, request: Any) -> Any:
        """Do the same work for an address that already has an account as for a new one (issue 16 item 10).

        A new sign-up spends most of its time hashing the password (Argon2id); skipping that for a
        known address told anyone with a stopwatch which emails have accounts. Both paths hash the
        password, send one email (a confirmation, or "someone tried to sign up with your address")
        and give the same answer.
        """
        if self.account_already_exists:
            from django.contrib.auth.hashers import make_password

            make_password(self.cleaned_data.get("password1") or "")
        return super().try_save(request)


def _scope_choices(kind: str) -> list[tuple[str, Any]]:
    return [(s.key, s.label) for s in scopes_for(kind)]


class ScopesForm(forms.Form):
    scopes = forms.MultipleChoiceField(required=False, widget=forms.CheckboxSelectMultiple, label=_("They can see"))

    def __init__(self, kind: str, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.kind = kind
        field = self.fields["scopes"]
        assert isinstance(field, forms.MultipleChoiceField)
        field.choices = _scope_choices(kind)


class InviteForm(forms.Form):
    kind = forms.ChoiceField(
        label=_("Who are you inviting?"),
        choices=[("partner", _("My partner")), ("therapist", _("My therapist"))],
        widget=forms.RadioSelect,
    )


class TokenForm(forms.Form):
    name = forms.CharField(label=_("What is this token for?"), max_length=80)
    days = forms.TypedChoiceField(
        label=_("How long should it work?"), coerce=int, initial=90, required=False, empty_value=90,  # type: ignore[arg-type]  # coerce=int makes it an int
        choices=[(30, _("30 days")), (90, _("90 days")), (365, _("1 year"))],
        help_text=_("It stops working by itself after that. You can revoke it sooner here."),
    )


_TIMEZONES = sorted(z for z in zoneinfo.available_timezones() if z.startswith(("America/", "Europe/", "Pacific/", "Asia/", "Africa/", "Australia/", "Atlantic/", "Indian/")) or z == "UTC")


class ProfileForm(forms.Form):
    display_name = forms.CharField(label=_("Name"), max_length=80, required=False)
    language = forms.ChoiceField(label=_("Language"), choices=[("", _("Follow my browser")), *settings.LANGUAGES], required=False)
    timezone = forms.ChoiceField(label=_("Time zone"), choices=[(z, z.replace("_", " ")) for z in _TIMEZONES],
                                 help_text=_("Your days start and end at midnight here: check-ins, reminders and charts use it."))

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = self.fields["timezone"]
        assert isinstance(field, forms.ChoiceField)
        current = (self.initial or {}).get("timezone")
        if current and current not in _TIMEZONES:  # an unusual but valid zone the person already has
            field.choices = [(current, current), *list(field.choices)]  # type: ignore[arg-type]


class DeleteAccountForm(forms.Form):
    password = forms.CharField(label=_("Your password"), strip=False,
                               widget=forms.PasswordInput(attrs={"autocomplete": "current-password"}))
    confirm = forms.CharField(
        label=_("Type DELETE to confirm"),
        max_length=10,
        help_text=_("This erases everything you wrote in Nearer. It cannot be undone."),
    )

    def __init__(self, user: Any, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.user = user

    def clean_password(self) -> str:
        # Someone else holding the phone (a partner included) cannot erase the account.
        value = self.cleaned_data["password"]
        if not self.user.check_password(value):
            raise forms.ValidationError(_("That password isn't right."))
        return value

    def clean_confirm(self) -> str:
        value = self.cleaned_data["confirm"].strip()
        if value not in {"DELETE", "BORRAR"}:  # typed as shown, in capitals
            raise forms.ValidationError(_("Please type DELETE, in capitals, to confirm."))
        return value


class WelcomeSettingsForm(forms.Form):
    timezone = forms.ChoiceField(label=_("Your time zone"), choices=[(z, z.replace("_", " ")) for z in _TIMEZONES],
                                 help_text=_("Your days start and end at midnight here."))
    language = forms.ChoiceField(label=_("Language"), choices=[("", _("Follow my browser")), *settings.LANGUAGES], required=False)
    remind = forms.BooleanField(label=_("Remind me to check in each day"), required=False, initial=True)
    remind_at = forms.TimeField(label=_("At"), initial="20:00", widget=forms.TimeInput(attrs={"type": "time"}, format="%H:%M"),
                                help_text=_("A short reminder by email. You can change it any time under Settings, Reminders."))

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        current = (self.initial or {}).get("timezone")
        field = self.fields["timezone"]
        assert isinstance(field, forms.ChoiceField)
        if current and current not in _TIMEZONES:
            field.choices = [(current, current), *list(field.choices)]  # type: ignore[arg-type]
