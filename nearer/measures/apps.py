from django.apps import AppConfig


class MeasuresConfig(AppConfig):
    name = "nearer.measures"
    label = "measures"

    def ready(self) -> None:
        from nearer.measures.models import Administration, DueMeasure, Schedule, ScheduleEvent
        from nearer.privacy import registry

        registry.register(Administration, "person", "measure_administrations")
        registry.register(Schedule, "person", "measure_schedules")
        registry.register(DueMeasure, "person", "measure_due")
        registry.register(ScheduleEvent, "person", "measure_schedule_history")
        registry.exempt(
            "measures.clinicinstrument",
            "A clinic's questionnaire definition, not client data; the uploader link is cleared when they leave.",
        )
        # Clinic instruments are registered with the scoring core on first use
        # (nearer.measures.services.ensure_clinic_instruments), not here: ready() must not query the database.
