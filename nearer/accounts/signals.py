"""A change of second factor ends every other session of the account (security bar #5)."""

from __future__ import annotations

from typing import Any

from allauth.mfa import signals as mfa_signals
from django.dispatch import receiver


def _end_other_sessions(request: Any, user: Any) -> None:
    from allauth.usersessions.internal.flows.sessions import end_other_sessions

    if request is not None and user is not None:
        end_other_sessions(request, user)


@receiver(mfa_signals.authenticator_added)
@receiver(mfa_signals.authenticator_removed)
@receiver(mfa_signals.authenticator_reset)
def on_mfa_change(sender: Any, request: Any = None, user: Any = None, **kwargs: Any) -> None:
    _end_other_sessions(request, user)
