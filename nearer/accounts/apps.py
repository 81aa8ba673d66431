from django.apps import AppConfig


class AccountsConfig(AppConfig):
    name = "nearer.accounts"
    label = "accounts"

    def ready(self) -> None:
        from allauth.account.models import EmailAddress
        from allauth.mfa.models import Authenticator
        from allauth.usersessions.models import UserSession

        from nearer.accounts import signals  # noqa: F401
        from nearer.accounts.models import ApiToken, Invitation, Link, User
        from nearer.privacy import registry

        registry.register(User, "pk", "profile")
        registry.register(Link, "owner", "links")
        registry.register(Invitation, "inviter", "invitations")
        registry.register(ApiToken, "user", "api_tokens")
        registry.register(EmailAddress, "user", "email_addresses")
        registry.register(UserSession, "user", "sessions")
        registry.exempt("mfa.authenticator", "Second-factor secrets: encrypted, never exported, deleted with the account.")
        _ = Authenticator
        from django.core import checks

        checks.register(check_default_timezone)


def check_default_timezone(app_configs, **kwargs):  # type: ignore[no-untyped-def]
    """Fail ``nearer check`` when NEARER_DEFAULT_TIMEZONE is not a time zone name.

    New accounts take this zone; a typo would otherwise surface only as wrong local days.
    """
    import zoneinfo

    from django.conf import settings
    from django.core.checks import Error

    name = settings.NEARER_DEFAULT_TIMEZONE
    try:
        zoneinfo.ZoneInfo(name)
    except (zoneinfo.ZoneInfoNotFoundError, ValueError):
        return [Error(f"NEARER_DEFAULT_TIMEZONE {name!r} is not a time zone name (for example America/New_York).",
                      id="nearer.E002")]
    return []
