"""A change of second factor ends every other session of the account (security bar #5)."""

from __future__ import annotations

from typing import Any

from allauth.account import signals as account_signals
from allauth.mfa import signals as mfa_signals
from django.dispatch import receiver


def _end_other_sessions(request: Any, user: Any) -> None:
    from allauth.core import context
    from allauth.usersessions.internal.flows.sessions import end_other_sessions

    if request is not None and user is not None:
        # allauth signals some changes after the commit, possibly outside its request context.
        with context.request_context(request):
            end_other_sessions(request, user)


@receiver(mfa_signals.authenticator_added)
def on_mfa_added(sender: Any, request: Any = None, user: Any = None, **kwargs: Any) -> None:
    """Setting up the authenticator proves it (a code was entered): this session passed the second factor."""
    from nearer.accounts.mfa import mark_session_passed_mfa

    if request is not None and user is not None and hasattr(request, "session"):
        mark_session_passed_mfa(request.session, user)


@receiver(mfa_signals.authenticator_added)
@receiver(mfa_signals.authenticator_removed)
@receiver(mfa_signals.authenticator_reset)
def on_mfa_change(sender: Any, request: Any = None, user: Any = None, **kwargs: Any) -> None:
    _revoke_tokens(user)
    _end_other_sessions(request, user)


def _revoke_tokens(user: Any) -> None:
    """A change of second factor or password ends every API token (issue 16 item 11)."""
    from nearer.accounts.services import revoke_all_api_tokens

    if user is not None and getattr(user, "pk", None):
        revoke_all_api_tokens(user)


@receiver(account_signals.password_changed)
@receiver(account_signals.password_reset)
@receiver(account_signals.password_set)
def on_password_change(sender: Any, request: Any = None, user: Any = None, **kwargs: Any) -> None:
    _revoke_tokens(user)


@receiver(account_signals.email_confirmed)
def on_email_confirmed(sender: Any, request: Any = None, email_address: Any = None, **kwargs: Any) -> None:
    """The first confirmation of a new account: the next page after sign-in is the short welcome."""
    from nearer.accounts.adapter import WELCOME_FLAG

    user = getattr(email_address, "user", None)
    if request is not None and hasattr(request, "session") and user is not None and user.last_login is None:
        request.session[WELCOME_FLAG] = True
