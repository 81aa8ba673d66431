from django.apps import AppConfig


class PracticeConfig(AppConfig):
    name = "nearer.practice"
    label = "practice"

    def ready(self) -> None:
        from nearer.practice.models import (
            Experiment,
            FormulationVersion,
            LadderStep,
            MomentRecord,
            TherapistSuggestion,
        )
        from nearer.privacy import registry

        registry.register(FormulationVersion, "owner", "practice_formulation_versions")
        registry.register(LadderStep, "owner", "practice_ladder_steps")
        registry.register(Experiment, "owner", "practice_experiments")
        registry.register(MomentRecord, "owner", "practice_present_or_past")
        registry.register(TherapistSuggestion, "client", "practice_therapist_suggestions")
