from django.apps import AppConfig


class RelSafetyConfig(AppConfig):
    name = "nearer.relsafety"
    label = "relsafety"
    verbose_name = "Relationship safety"

    def ready(self) -> None:
        from nearer.privacy import registry
        from nearer.relsafety.models import PrivateSettings, Screen

        registry.register(Screen, "person", "relationship_screens")
        registry.register(PrivateSettings, "person", "relationship_settings")
