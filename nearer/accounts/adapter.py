from __future__ import annotations

from typing import Any

from allauth.account.adapter import DefaultAccountAdapter
from allauth.mfa.adapter import DefaultMFAAdapter

from nearer.privacy.crypto import key_ring

_MFA_AAD = b"allauth.mfa.secret"


class AccountAdapter(DefaultAccountAdapter):
    def get_login_redirect_url(self, request: Any) -> str:
        if welcome_pending(request):
            from django.urls import reverse

            return reverse("accounts:welcome")
        return str(super().get_login_redirect_url(request))

    def get_signup_redirect_url(self, request: Any) -> str:
        if welcome_pending(request):
            from django.urls import reverse

            return reverse("accounts:welcome")
        return str(super().get_signup_redirect_url(request))

    def get_email_verification_redirect_url(self, email_address: Any) -> str:
        if self.request is not None and self.request.user.is_authenticated and welcome_pending(self.request):
            from django.urls import reverse

            return reverse("accounts:welcome")
        return str(super().get_email_verification_redirect_url(email_address))

    def save_user(self, request: Any, user: Any, form: Any, commit: bool = True) -> Any:
        user = super().save_user(request, user, form, commit=False)
        data = form.cleaned_data
        user.display_name = (data.get("display_name") or "").strip()
        user.role = data.get("role") or "person"
        from nearer.accounts.forms import valid_zone

        zone = valid_zone(data.get("timezone") or "")
        if zone:
            user.timezone = zone
        if commit:
            user.save()
        return user


#: Set on email confirmation; the next landing page is the short welcome (accounts:welcome).
WELCOME_FLAG = "nearer_welcome"


def welcome_pending(request: Any) -> bool:
    user = getattr(request, "user", None)
    return bool(request.session.get(WELCOME_FLAG)) and getattr(user, "role", "") == "person"


class MFAAdapter(DefaultMFAAdapter):
    """Second-factor secrets are stored encrypted with the same key ring as free text."""

    def encrypt(self, text: str) -> str:
        return key_ring().encrypt(text, _MFA_AAD)

    def decrypt(self, encrypted_text: str) -> str:
        return key_ring().decrypt(encrypted_text, _MFA_AAD)
