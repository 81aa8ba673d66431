"""Unlinking ends all sharing at once: the couple ends and any open talk closes in the same request."""

from __future__ import annotations

from typing import Any


def link_saved(sender: Any, instance: Any, **kwargs: Any) -> None:
    if instance.kind == "partner" and instance.revoked_at is not None:
        from nearer.together.services import end_couples_between

        end_couples_between(instance.owner_id, instance.viewer_id)
