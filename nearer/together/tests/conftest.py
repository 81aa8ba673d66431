from __future__ import annotations

from typing import Any

import pytest


@pytest.fixture
def talk(world: Any) -> Any:
    """A talk between Sam (owner) and Alex (partner), both ready, nobody rated yet."""
    from nearer.together import services

    conv = services.start_conversation(world.owner, "day-001")
    services.answer_readiness(world.owner, conv, True)
    return services.answer_readiness(world.partner, conv, True)


def rate(person: Any, conv: Any, heard: int = 8, accepted: int = 8, close: int = 7, defensive: int = 2, **kw: Any) -> Any:
    from nearer.together import services

    return services.rate_conversation(person, conv, heard=heard, accepted=accepted, close=close, defensive=defensive, **kw)


@pytest.fixture(autouse=True)
def _english() -> Any:
    """Pages activate a language per request; direct query calls in tests read in English."""
    from django.utils import translation

    with translation.override("en"):
        yield
