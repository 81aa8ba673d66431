from django.apps import AppConfig


class ClinicConfig(AppConfig):
    name = "nearer.clinic"
    label = "clinic"

    def ready(self) -> None:
        from nearer.clinic.models import (
            Assignment,
            ClientNotice,
            ClientReference,
            Session,
            SessionNote,
            TherapistProfile,
            TherapistRequest,
        )
        from nearer.privacy import registry

        registry.register(TherapistProfile, "user", "therapist_profile")
        registry.register(Session, "client", "clinic_sessions")
        # The therapist's own clinical note: never in the client's export.
        registry.register(SessionNote, "therapist", "clinic_session_notes")
        registry.register(ClientReference, "client", "clinic_references")
        registry.register(Assignment, "client", "clinic_assignments")
        registry.register(TherapistRequest, "person", "therapist_requests")
        registry.register(ClientNotice, "person", "clinic_notices")
        registry.exempt("clinic.caseloadmove", "Counts of a clinic's caseload move; no client is named, no personal data.")
