from django.apps import AppConfig


class OpsConfig(AppConfig):
    name = "nearer.ops"
    label = "ops"
    verbose_name = "Operations"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        from nearer.ops.models import PushSubscription, ReminderPreference, ReminderSent, TaskRun  # noqa: F401
        from nearer.privacy import registry

        registry.register(ReminderPreference, "person", "reminder_preferences")
        registry.register(PushSubscription, "person", "push_subscriptions")
        registry.register(ReminderSent, "person", "reminders_sent")
        from django.core import checks

        from nearer.ops.checks import check_backups, check_unsafe_defaults, check_worker

        for check in (check_worker, check_backups, check_unsafe_defaults):
            checks.register(check, "nearer", deploy=True)

        from django.db.models.signals import post_migrate

        post_migrate.connect(_make_vapid_keys, sender=self)


def _make_vapid_keys(sender: object, **kwargs: object) -> None:
    """A fresh install (and ``nearer demo``, which migrates) gets Web Push keys without a manual step."""
    from django.db import DatabaseError

    from nearer.ops.push import ensure_vapid_keys

    try:
        ensure_vapid_keys()
    except DatabaseError:  # the table is not there yet (a partial migrate): the next migrate makes them
        pass
