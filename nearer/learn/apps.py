from django.apps import AppConfig


class LearnConfig(AppConfig):
    name = "nearer.learn"
    label = "learn"

    def ready(self) -> None:
        from nearer.learn.models import ReadMark, Reflection
        from nearer.privacy import registry

        registry.register(Reflection, "person", "learn_reflections")
        registry.register(ReadMark, "person", "learn_read_marks")
