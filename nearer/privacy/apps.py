from django.apps import AppConfig


class PrivacyConfig(AppConfig):
    name = "nearer.privacy"
    label = "privacy"

    def ready(self) -> None:
        from nearer.privacy import registry
        from nearer.privacy.models import AccessLog, ShareEvent

        registry.register(AccessLog, "owner", "access_log")
        registry.register(ShareEvent, "owner", "share_events")
        from django.core import checks

        checks.register(check_key_ring)
        # Issue 16 item 13: the SQLite file is created readable by its owner only.
        from django.conf import settings
        from django.db.backends.signals import connection_created

        from nearer.privacy.files import on_connection_created, prepare_sqlite

        if settings.NEARER_ENV != "test":
            prepare_sqlite(dict(settings.DATABASES["default"]))
        connection_created.connect(on_connection_created, dispatch_uid="nearer.privacy.owner_only_sqlite")


def check_key_ring(app_configs, **kwargs):  # type: ignore[no-untyped-def]
    """Fail ``manage.py check`` when the encryption key ring cannot be read."""
    from django.core.checks import Error
    from django.core.exceptions import ImproperlyConfigured

    from nearer.privacy.crypto import key_ring, reset_key_ring_cache

    reset_key_ring_cache()
    try:
        key_ring()
    except ImproperlyConfigured as exc:
        return [Error(str(exc), id="nearer.E001")]
    return []
