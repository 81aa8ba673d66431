"""Demo history for Learn: Sam has read three pieces and shared one reflection with Dr. Rivera."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from nearer.learn import services
from nearer.learn.models import ReadMark, Reflection

READ = [("loop", 12), ("small-steps", 8), ("present-or-past", 3)]  # (slug, days ago)

SHARED_TEXT = (
    "I recognise the loop. When I'm tired I go quiet, Alex asks what's wrong, and I hear it as "
    "pressure, so I go quieter. I'd like to try saying \"I'm worn out, not upset with you\" next time."
)
PRIVATE_TEXT = "The first rung could just be sitting together for ten minutes after dinner, phones away."


def populate(world: Any) -> None:
    from nearer.accounts.models import Link
    from nearer.accounts.services import set_link_scopes

    sam = world.sam
    # Sam chose to let Dr. Rivera see reflections Sam marks as shared (off by default).
    link = Link.objects.active().filter(owner=sam, viewer=world.rivera, kind="therapist").first()
    if link is not None and "reflections" not in (link.scopes or []):
        set_link_scopes(sam, link.pk, [*link.scopes, "reflections"])

    for slug, days in READ:
        mark = services.mark_read(sam, slug)
        ReadMark.objects.filter(pk=mark.pk).update(read_at=world.now - timedelta(days=days, hours=2))

    shared, _outcome = services.save_reflection(sam, "loop", SHARED_TEXT, shared=True, language="en")
    private, _outcome = services.save_reflection(sam, "small-steps", PRIVATE_TEXT, language="en")
    Reflection.objects.filter(pk=shared.pk).update(
        created_at=world.now - timedelta(days=12, hours=1), shared_at=world.now - timedelta(days=11)
    )
    Reflection.objects.filter(pk=private.pk).update(created_at=world.now - timedelta(days=8, hours=1))
