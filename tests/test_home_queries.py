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
#: The whole page with nothing cached (no Redis): session, user, the person's links, one query of
#: every card's counts and single rows, and at most two for each card that lists rows (issue 17).
HOME_COLD_MAX = 12


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
    """More of every kind of item the home page reads: talks (each rated by both), check-ins further
    back, ladder steps with experiments, questionnaire schedules, pieces read, clinic notices and
    assignments, open invitations and therapist suggestions."""
    from datetime import timedelta

    from django.utils import timezone

    from nearer.accounts.services import create_invitation
    from nearer.clinic.models import Assignment, ClientNotice
    from nearer.diary.models import CheckIn
    from nearer.learn import content
    from nearer.learn.models import ReadMark
    from nearer.measures.models import Schedule
    from nearer.practice.models import Experiment, LadderStep, TherapistSuggestion
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
    for k in range(1, 30):
        CheckIn.objects.create(person=sam, local_date=first.local_date - timedelta(days=k), mood=5, closeness=5)
    now = timezone.now()
    for k in range(4):
        step = LadderStep.objects.create(owner=sam, text=f"step {k}", difficulty=20 + 10 * k)
        Experiment.objects.create(owner=sam, step=step, fear="f", belief_before=60, expected_anxiety=50,
                                  planned_for=now + timedelta(days=k + 1))
        Experiment.objects.create(owner=sam, step=step, fear="f", belief_before=60, expected_anxiety=50, done_at=now,
                                  outcome="no", belief_after=20, actual_anxiety=20)
    have = set(Schedule.objects.filter(person=sam).values_list("instrument_id", flat=True))
    for instrument in [i for i in ("phq9", "gad7", "phq2", "auditc") if i not in have][:2]:
        Schedule.objects.create(person=sam, instrument_id=instrument, cadence_days=14, starts_at=now - timedelta(days=30))
    read = set(ReadMark.objects.filter(person=sam).values_list("slug", flat=True))
    for slug in [s for s in content.slugs() if s not in read][:3]:
        ReadMark.objects.create(person=sam, slug=slug)
    therapist = sam.links_out.filter(kind="therapist").first().viewer
    for _k in range(3):
        ClientNotice.objects.create(person=sam, new_therapist=therapist)
        Assignment.objects.create(therapist=therapist, client=sam, kind="ladder_step", params={})
        TherapistSuggestion.objects.create(client=sam, therapist=therapist, kind="ladder_step", text="a step",
                                           difficulty=30)
        create_invitation(sam, "therapist")


def _one_of_each_list(sam) -> None:
    """One clinic notice, one assignment and one open invitation: the home page reads these lists only
    when they are not empty (their counts are among the facts)."""
    from nearer.accounts.services import create_invitation
    from nearer.clinic.models import Assignment, ClientNotice

    therapist = sam.links_out.filter(kind="therapist").first().viewer
    ClientNotice.objects.create(person=sam, new_therapist=therapist)
    Assignment.objects.create(therapist=therapist, client=sam, kind="ladder_step", params={})
    create_invitation(sam, "therapist")


def _rich(sam) -> None:
    """Sam has history in every app the home page reads."""
    from nearer.diary.models import CheckIn
    from nearer.learn.models import ReadMark
    from nearer.measures.models import Schedule
    from nearer.practice.models import LadderStep
    from nearer.safety.models import SafetyPlan
    from nearer.together.models import Conversation

    assert CheckIn.objects.filter(person=sam).count() >= 14
    assert Schedule.objects.filter(person=sam, active=True).exists()
    assert LadderStep.objects.filter(owner=sam).exists()
    assert Conversation.objects.filter(couple__a_id=sam.pk).exists() or Conversation.objects.filter(couple__b_id=sam.pk).exists()
    assert ReadMark.objects.filter(person=sam).exists()
    assert SafetyPlan.objects.filter(owner=sam).exists()
    assert sam.links_out.filter(kind="therapist", revoked_at__isnull=True).exists()
    assert sam.links_out.filter(kind="partner", revoked_at__isnull=True).exists()


def test_cold_home_page_is_at_most_twelve_queries(client, demo):
    """No cache at all: the whole page, for a person with history in every app and for their partner."""
    sam, alex = demo
    _rich(sam)
    for person in (sam, alex):
        client.force_login(person)
        client.get("/")  # the first request of a session does the sign-in bookkeeping
        n, page = _home_queries(client)
        assert n <= HOME_COLD_MAX, n
        assert 'id="together-panel"' in page


def test_home_queries_do_not_grow_with_items(client, demo):
    sam, alex = demo
    client.force_login(sam)
    _one_of_each_list(sam)  # lists read only when they have rows: have one row in each already
    client.get("/")  # the first request of a session does the sign-in bookkeeping
    before, _ = _home_queries(client)
    assert before <= HOME_COLD_MAX, before
    _more_of_everything(sam, alex)
    client.get("/")  # new schedules write their first occurrences once
    after, page = _home_queries(client)
    assert after == before, f"{after - before} more queries after adding items: one per item somewhere"
    assert after <= HOME_COLD_MAX, after
    # The added items show: the clinic's notices and assignments, the suggestions, the invitations.
    assert "Your clinic moved your care" in page
    assert "waiting for your answer" in page
    from nearer.practice.models import TherapistSuggestion

    waiting = TherapistSuggestion.objects.filter(client=sam, state="pending").count()
    assert waiting >= 3 and f"{waiting} suggestions for you" in page
    assert page.count("waiting for your answer") == 4


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


def test_home_facts_for_every_role(world):
    """Every role gets its facts (a therapist none at all) without error."""
    from django.test import RequestFactory

    from nearer import home_facts

    for persona in ("owner", "partner", "therapist", "clinic_admin"):
        request = RequestFactory().get("/")
        request.user = getattr(world, persona)
        facts = home_facts.facts(request)
        assert isinstance(facts, dict)
        if persona == "therapist":
            assert facts == {}
        if persona == "owner":
            # No couple yet (Together makes it on first use) and no invitation open.
            assert facts["together_couples"] == 0 and facts["accounts_open_invitations"] == 0


def test_schedule_proposals_on_home_cost_one_query_however_many(client, demo):
    """A therapist's schedule proposals waiting for the person: one more query when any waits (read in
    one query with the schedules in force), the same for one or three."""
    from nearer.measures.services import propose_schedule

    sam, _alex = demo
    client.force_login(sam)
    _one_of_each_list(sam)
    client.get("/")
    base, _ = _home_queries(client)
    therapist = sam.links_out.filter(kind="therapist").first().viewer
    propose_schedule(therapist, sam, "gad7", 35)
    one, page = _home_queries(client)
    assert "A schedule waits for your answer" in page
    for instrument in ("phq9", "auditc"):
        propose_schedule(therapist, sam, instrument, 35)
    three, page = _home_queries(client)
    assert one == base + 1 and three == one
    assert page.count("proposes") == 3
