from django.apps import AppConfig


class SafetyConfig(AppConfig):
    name = "nearer.safety"
    label = "safety"

    def ready(self) -> None:
        from nearer.privacy import registry
        from nearer.safety.models import (
            Alert,
            AsqScreen,
            PendingRiskCheck,
            RiskEvent,
            SafetyPlan,
            SafetyPlanVersion,
        )

        registry.register(SafetyPlan, "owner", "safety_plan")
        registry.register(SafetyPlanVersion, "owner", "safety_plan_versions")
        registry.register(RiskEvent, "person", "risk_events")
        registry.register(Alert, "person", "safety_alerts")
        registry.register(PendingRiskCheck, "person", "safety_pending_checks")
        registry.register(AsqScreen, "person", "asq_screens")
