from django.apps import AppConfig


class DiaryConfig(AppConfig):
    name = "nearer.diary"
    label = "diary"
    verbose_name = "Diary"

    def ready(self) -> None:
        from nearer.diary.models import CheckIn
        from nearer.privacy import registry

        registry.register(CheckIn, "person", "checkins")

        # Home cards are cached per person (with a shared cache) and invalidated by any write
        # in the apps that feed them: one receiver for every model (see nearer.home_cache).
        from django.db.models.signals import post_delete, post_save

        from nearer import home_cache

        post_save.connect(home_cache.on_write, dispatch_uid="nearer-home-cache-save")
        post_delete.connect(home_cache.on_write, dispatch_uid="nearer-home-cache-delete")
