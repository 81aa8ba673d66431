from django.apps import AppConfig


class TogetherConfig(AppConfig):
    name = "nearer.together"
    label = "together"

    def ready(self) -> None:
        from django.db.models.signals import post_save

        from nearer.accounts.models import Link
        from nearer.privacy import registry
        from nearer.together import signals
        from nearer.together.models import Conversation, Couple, Membership, PromptMark, Rating, Rhythm

        registry.register(Membership, "person", "together_memberships")
        registry.register(Rating, "person", "together_ratings")
        registry.register(PromptMark, "person", "together_prompt_marks")
        registry.register(Rhythm, "proposed_by", "together_rhythms")
        registry.exempt("together.couple", "Pairs two people; holds no text. Each partner's own choices are in together_memberships.")
        registry.exempt("together.conversation", "Which prompt and when, shared by both partners; each partner's ratings are exported separately.")
        _ = Conversation, Couple
        post_save.connect(signals.link_saved, sender=Link, dispatch_uid="together.link_saved")
        import nearer.content_checks  # noqa: F401  (registers the content-file check)
