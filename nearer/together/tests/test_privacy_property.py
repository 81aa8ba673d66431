"""A partner's view never contains the other partner's private words (property test with canaries).

Sam writes canary strings into a private rating note, check-in notes and stressors, and a safety
plan. Whatever the ratings and sharing choices, no page or API response Alex can open in Together
contains any canary. The same holds for Sam when Alex writes them.
"""

from __future__ import annotations

import string
from datetime import date, timedelta
from typing import Any

import pytest
from django.db import transaction
from django.test import Client
from django.urls import reverse
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from nearer.diary.models import CheckIn
from nearer.safety.models import SafetyPlan
from nearer.together import services

pytestmark = pytest.mark.django_db

canary = st.text(alphabet=string.ascii_letters + string.digits, min_size=6, max_size=16).map(lambda s: f"CANARY{s}QZ")
score = st.integers(min_value=0, max_value=10)


def _write_private(person: Any, words: list[str]) -> None:
    for i, w in enumerate(words[:2]):
        CheckIn.objects.create(person=person, local_date=date(2026, 1, 1) + timedelta(days=i), mood=5, closeness=5,
                               note=w, own_stressors=w)
    SafetyPlan.objects.create(owner=person, warning_signs=words[2], reasons_for_living=words[2])


def _views_of(viewer: Any, world: Any, conv_pk: int) -> str:
    c = Client()
    from nearer.testing import sign_in

    sign_in(c, viewer)
    pages = [
        reverse("together:index"), reverse("together:trend"), reverse("together:rhythm"), "/",
        reverse("together:conversation-detail", args=[conv_pk]), reverse("together:reveal", args=[conv_pk]),
        "/api/together/conversations", f"/api/together/conversations/{conv_pk}",
        f"/api/together/conversations/{conv_pk}/reveal", "/api/together/trend", "/api/together/rhythm",
    ]
    out = []
    for url in pages:
        resp = c.get(url)
        assert resp.status_code == 200, url
        out.append(resp.content.decode())
    return "\n".join(out)


@settings(max_examples=8, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(
    words=st.lists(canary, min_size=4, max_size=4, unique=True),
    writer_is_owner=st.booleans(),
    share=st.booleans(),
    mood_compare=st.booleans(),
    scores=st.tuples(score, score, score, score, score, score, score, score),
)
def test_partner_views_never_contain_private_words(world: Any, words: list[str], writer_is_owner: bool, share: bool,
                                                   mood_compare: bool, scores: tuple[int, ...]) -> None:
    writer, reader = (world.owner, world.partner) if writer_is_owner else (world.partner, world.owner)
    with transaction.atomic():
        _write_private(writer, words)
        services.set_preferences(writer, mood_compare=mood_compare)
        conv = services.start_conversation(writer, "day-003")
        services.answer_readiness(writer, conv, True)
        services.answer_readiness(reader, conv, True)
        services.rate_conversation(writer, conv, heard=scores[0], accepted=scores[1], close=scores[2], defensive=scores[3],
                                   note=words[3], share=share, note_shared=False)
        services.rate_conversation(reader, conv, heard=scores[4], accepted=scores[5], close=scores[6], defensive=scores[7])
        seen = _views_of(reader, world, conv.pk)
        for w in words:
            assert w not in seen
        # The writer does see their own note (the canary is really on the pages they own).
        assert words[3] in _views_of(writer, world, conv.pk)
        transaction.set_rollback(True)
