from django.apps import AppConfig


class DiaryConfig(AppConfig):
    name = "nearer.diary"
    label = "diary"
    verbose_name = "Diary"

    def ready(self) -> None:
        from nearer.diary.models import CheckIn
        from nearer.privacy import registry

        registry.register(CheckIn, "person", "checkins")
