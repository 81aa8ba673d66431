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
