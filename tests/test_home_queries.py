"""The signed-in home page: bounded queries, cards cached per person and invalidated on write."""

from __future__ import annotations

import io

import pytest
from django.core.management import call_command
from django.db import connection
from django.test import override_settings
from django.test.utils import CaptureQueriesContext

from nearer.demo import ALEX, SAM

pytestmark = pytest.mark.django_db

#: Session, user, the sign-in bookkeeping (5 with its savepoint), the live safety card and the
#: crisis control: what every signed-in page costs before its own content.
HOME_WARM_MAX = 12


@pytest.fixture
def demo(django_db_blocker):
    call_command("demo", stdout=io.StringIO(), stderr=io.StringIO())
    from nearer.accounts.models import User

    return User.objects.get(email=SAM), User.objects.get(email=ALEX)


def _home_queries(client) -> tuple[int, str]:
    with CaptureQueriesContext(connection) as ctx:
        r = client.get("/")
    assert r.status_code == 200
    # Savepoint bookkeeping of atomic blocks is not a read: count the statements that touch data.
    data = [q for q in ctx.captured_queries if not q["sql"].lstrip().upper().startswith(("SAVEPOINT", "RELEASE"))]
    return len(data), r.content.decode()


def _more_of_everything(sam, alex) -> None:
    """Double the talks (each rated by both) and add the same number of check-ins again, further back."""
    from nearer.diary.models import CheckIn
    from nearer.together.models import Conversation

    for conv in list(Conversation.objects.filter(couple__a_id__in=[sam.pk, alex.pk])):
        ratings = list(conv.ratings.all())
        conv.pk = None
        conv.save()
        for r in ratings:
            r.pk = None
            r.conversation = conv
            r.save()
    first = CheckIn.objects.filter(person=sam).order_by("local_date").first()
    assert first is not None
    from datetime import timedelta

    for k in range(1, 30):
        CheckIn.objects.create(person=sam, local_date=first.local_date - timedelta(days=k), mood=5, closeness=5)


def test_home_queries_do_not_grow_with_items(client, demo):
    sam, alex = demo
    client.force_login(sam)
    client.get("/")  # the first request of a session does the sign-in bookkeeping
    before, _ = _home_queries(client)
    _more_of_everything(sam, alex)
    after, _ = _home_queries(client)
    assert after == before, f"{after - before} more queries after adding items: one per item somewhere"


# Redis stands in as a shared cache without database queries (locmem here, in one process).
REDIS_LIKE = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache", "LOCATION": "home-test"}}


@override_settings(NEARER_HOME_CACHE=True, CACHES=REDIS_LIKE)
def test_cached_home_is_bounded_and_a_write_shows_on_the_next_request(client, demo):
    from nearer.diary.models import CheckIn, local_today

    sam, alex = demo
    CheckIn.objects.filter(person=sam, local_date=local_today(sam)).delete()
    client.force_login(sam)
    client.get("/")
    client.get("/")  # computes and stores the cards
    warm, page = _home_queries(client)
    assert warm <= HOME_WARM_MAX, warm
    assert "checked in today" not in page

    CheckIn.objects.create(person=sam, local_date=local_today(sam), mood=6, closeness=7)  # a write: cards go stale
    _, page = _home_queries(client)
    assert "You&#x27;ve checked in today" in page or "You've checked in today" in page

    # The partner's write reaches this person's cards too (they share a couple and a link).
    client.force_login(alex)
    client.get("/")
    client.get("/")
    warm_alex, _ = _home_queries(client)
    assert warm_alex <= HOME_WARM_MAX


@override_settings(NEARER_HOME_CACHE=True, CACHES=REDIS_LIKE)
def test_safety_card_is_never_served_from_the_cache(client, demo):
    from nearer.safety.models import SafetyPlan

    sam, _ = demo
    client.force_login(sam)
    client.get("/")
    client.get("/")
    with CaptureQueriesContext(connection) as ctx:
        client.get("/")
    assert any("safety_safetyplan" in q["sql"] for q in ctx.captured_queries)
    assert SafetyPlan.objects.filter(owner=sam).exists()
