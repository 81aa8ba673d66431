"""Critical answers first (caseload, client page, report) and the session report to file."""

from __future__ import annotations

import subprocess
import tempfile
from datetime import timedelta
from typing import Any

import numpy as np
import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from nearer.clinic import fixtures, services
from nearer.clinic.models import Session, SessionNote
from nearer.privacy.models import AccessLog

PHQ9_ITEMS = ["44250-9", "44255-8", "44259-0", "44254-1", "44251-7", "44258-2", "44252-5", "44253-3", "44260-8"]


def _pdf_text(pdf: bytes) -> str:
    with tempfile.NamedTemporaryFile(suffix=".pdf") as f:
        f.write(pdf)
        f.flush()
        out = subprocess.run(["pdftotext", "-layout", f.name, "-"], capture_output=True, check=True, text=True).stdout
    return " ".join(out.split())


def phq9(person: Any, item9: int, rest: int = 1, when: Any = None) -> Any:
    from nearer.measures.services import submit_administration

    answers = {lid: rest for lid in PHQ9_ITEMS}
    answers["44260-8"] = item9
    return submit_administration(person, "phq9", answers, completed_at=when).administration


def _client(world: Any, name: str = "Jordan Lee", email: str = "jl@example.test", scopes: list[str] | None = None) -> Any:
    c = fixtures.make_client(email, name, world.therapist, scopes=scopes)
    fixtures.add_history(c, days=30, end=fixtures.today_for(c), phq9=[], rng=np.random.default_rng(3))
    return c


@pytest.mark.django_db
def test_item9_on_caseload_row_with_alert_and_acknowledgement(world: Any, client_as: Any) -> None:
    from nearer.safety.models import Alert

    c = _client(world)
    phq9(c, item9=2)
    calm = _client(world, "Casey Calm", "calm@example.test")
    phq9(calm, item9=0)
    Alert.objects.filter(person=c).update(state="acknowledged", acknowledged_at=timezone.now(), acknowledged_by=world.therapist)
    page = client_as("therapist").get(reverse("clinic:caseload")).content.decode()
    assert "PHQ-9 item 9: 2" in page and "PHQ-9 item 9: 0" in page
    assert "alert raised (urgent)" in page and "acknowledged" in page
    # The row with a positive critical answer comes first, and the critical filter keeps only it.
    rows = client_as("therapist").get(reverse("clinic:caseload") + "?filter=critical").content.decode()
    assert "Jordan Lee" in rows and "Casey Calm" not in rows


@pytest.mark.django_db
def test_critical_column_costs_one_query_for_any_number_of_positives(world: Any, client_as: Any) -> None:
    for i in range(2):
        phq9(_client(world, f"A{i}", f"a{i}@example.test"), item9=1)
    c = client_as("therapist")
    c.get(reverse("clinic:caseload"))  # the first request also records the browser session
    with CaptureQueriesContext(connection) as few:
        c.get(reverse("clinic:caseload"))
    for i in range(2, 6):
        phq9(_client(world, f"A{i}", f"a{i}@example.test"), item9=1)
    with CaptureQueriesContext(connection) as many:
        page = c.get(reverse("clinic:caseload")).content.decode()
    assert page.count("PHQ-9 item 9: 1") == 6
    assert len(many.captured_queries) == len(few.captured_queries)


@pytest.mark.django_db
def test_critical_answers_hidden_without_measures_scope(world: Any, client_as: Any) -> None:
    c = _client(world, scopes=["checkins"])
    phq9(c, item9=3)
    page = client_as("therapist").get(reverse("clinic:caseload")).content.decode()
    assert "item 9" not in page
    detail = client_as("therapist").get(reverse("clinic:client-detail", args=[c.pk])).content.decode()
    assert "item 9" not in detail and "Critical answers" in detail


@pytest.mark.django_db
def test_client_page_starts_with_critical_answers(world: Any, client_as: Any) -> None:
    c = _client(world)
    phq9(c, item9=1, when=timezone.now() - timedelta(days=3))
    phq9(c, item9=0)
    page = client_as("therapist").get(reverse("clinic:client-detail", args=[c.pk])).content.decode()
    top = page.index('id="critical"')
    assert top < page.index('id="report"') < page.index('id="measures"')
    section = page[top:page.index('id="report"')]
    assert "PHQ-9 item 9: 1" in section and "Several days" in section and "alert raised (concern)" in section
    assert "Latest answer: PHQ-9 item 9 0" in section


@pytest.mark.django_db
def test_report_to_file(world: Any, client_as: Any) -> None:
    """Header and file name carry initials and the clinic's reference; alerts have trigger, local
    time and resolution note; measures show item 9; the couple table keeps to the period and
    shows only the client's own ratings; nothing from before the period."""
    from nearer.safety.models import Alert

    world.therapist.timezone = "America/New_York"
    world.therapist.save(update_fields=["timezone"])
    c = _client(world)
    today = fixtures.today_for(c)
    phq9(c, item9=0, when=timezone.now() - timedelta(days=40))
    phq9(c, item9=2, when=timezone.now() - timedelta(days=2))
    alert = Alert.objects.get(person=c, therapist=world.therapist)
    Alert.objects.filter(pk=alert.pk).update(state="resolved", acknowledged_at=timezone.now(), resolved_at=timezone.now(),
                                             resolution_note="Called her; safety plan reviewed.")
    Session.objects.create(therapist=world.therapist, client=c, held_on=today - timedelta(days=10))
    services.set_client_reference(world.therapist, c, "C-1042")
    response = client_as("therapist").get(reverse("clinic:client-report", args=[c.pk]))
    start = today - timedelta(days=10)
    assert response["Content-Disposition"] == f'attachment; filename="nearer-C-1042-{start.isoformat()}-to-{today.isoformat()}.pdf"'
    text = _pdf_text(response.content)
    assert "Session report · J.L. · C-1042" in text
    assert "Critical answers" in text and "PHQ-9 item 9: 2 (More than half the days)" in text
    assert "trigger: PHQ-9 item 9 answer" in text
    assert "Resolution note: Called her; safety plan reviewed." in text
    assert ("EST" in text) or ("EDT" in text)
    assert "Item 9" in text  # the measures table has an item 9 column
    # the 40-day-old administration is outside the period: only the one in it is listed
    assert text.count("PHQ-9 item 9:") == 1
    assert AccessLog.objects.filter(owner=c, what="clinic:client-report").count() == 5


@pytest.mark.django_db
def test_report_since_last_session_and_other_periods(world: Any, client_as: Any) -> None:
    c = _client(world)
    today = fixtures.today_for(c)
    Session.objects.create(therapist=world.therapist, client=c, held_on=today - timedelta(days=6))
    r = client_as("therapist").get(reverse("clinic:client-report", args=[c.pk]))
    assert f"J.L-{(today - timedelta(days=6)).isoformat()}" not in r["Content-Disposition"]
    assert f"nearer-JL-{(today - timedelta(days=6)).isoformat()}-to-{today.isoformat()}.pdf" in r["Content-Disposition"]
    r = client_as("therapist").get(reverse("clinic:client-report", args=[c.pk]) + "?since=28")
    assert f"nearer-JL-{(today - timedelta(days=27)).isoformat()}-to-" in r["Content-Disposition"]
    r = client_as("therapist").get(reverse("clinic:client-report", args=[c.pk]) + "?since=bogus")
    assert r.status_code == 200 and f"{(today - timedelta(days=6)).isoformat()}-to-" in r["Content-Disposition"]


@pytest.mark.django_db
def test_couple_table_keeps_to_the_period_and_leaves_partner_ratings_out(world: Any, client_as: Any) -> None:
    from nearer.together import prompt_bank
    from nearer.together.models import Conversation, Rating
    from nearer.together.services import couple_for

    couple = couple_for(world.owner)
    assert couple is not None
    prompt = prompt_bank.prompts()[0].id
    now = timezone.now()
    for days, mine, theirs in ((3, 7, 2), (5, 6, 3), (70, 1, 9), (90, 1, 9)):
        conv = Conversation.objects.create(couple=couple, prompt_id=prompt, depth=1, state="talking",
                                           talked_at=now - timedelta(days=days))
        Rating.objects.create(conversation=conv, person=world.owner, heard=mine, accepted=mine, close=mine, defensive=1)
        Rating.objects.create(conversation=conv, person=world.partner, heard=theirs, accepted=theirs, close=theirs,
                              defensive=8)
    text = _pdf_text(client_as("therapist").get(reverse("clinic:client-report", args=[world.owner.pk]) + "?since=14").content)
    assert "2 talks from" in text
    tight = text.replace(" ", "")
    assert "7/7/7/1" in tight and "6/6/6/1" in tight
    assert "1/1/1/1" not in tight  # the older talks are outside the period
    assert "2/2/2/8" not in tight and "Partner's ratings" not in text  # the partner's ratings never


@pytest.mark.django_db
def test_sessions_record_details_and_keep_the_note_private(world: Any, client_as: Any) -> None:
    from nearer.clinic.models import Assignment

    c = _client(world)
    phq9(c, item9=0)
    a = Assignment.objects.create(therapist=world.therapist, client=c, kind="conversation_depth", params={"depth": 2})
    today = fixtures.today_for(c)
    r = client_as("therapist").post(reverse("clinic:session-create", args=[c.pk]), {
        "held_on": today.isoformat(), "duration_minutes": "50", "modality": "video", "measures_reviewed": ["phq9"],
        "assignments_reviewed": [str(a.pk)], "note": "Talked about the weekend; partner sceptical."})
    assert r.status_code == 302
    s = Session.objects.get(client=c)
    assert (s.duration_minutes, s.modality, s.measures_reviewed, s.assignments_reviewed) == (50, "video", ["phq9"], [a.pk])
    assert SessionNote.objects.get(session=s).text == "Talked about the weekend; partner sceptical."
    page = client_as("therapist").get(reverse("clinic:client-detail", args=[c.pk])).content.decode()
    assert "Talked about the weekend" in page and "50 min" in page and "Video" in page
    # Never in the PDF, and never in the client's own export.
    text = _pdf_text(client_as("therapist").get(reverse("clinic:client-report", args=[c.pk])).content)
    assert "weekend" not in text
    from nearer.privacy import registry

    assert registry.OWNED["clinic.sessionnote"].owner_path == "therapist"
    bad = client_as("therapist").post(reverse("clinic:session-create", args=[c.pk]), {
        "held_on": today.isoformat(), "duration_minutes": "2"})
    assert bad.status_code == 302 and Session.objects.filter(client=c).count() == 1


@pytest.mark.django_db
def test_reference_validation_and_outsiders(world: Any, client_as: Any) -> None:
    c = _client(world)
    with pytest.raises(Exception):
        services.set_client_reference(world.therapist, c, "../etc")
    assert client_as("other_therapist").post(reverse("clinic:reference-set", args=[c.pk]), {"reference": "X1"}).status_code in (403, 404)
    client_as("therapist").post(reverse("clinic:reference-set", args=[c.pk]), {"reference": "X1"})
    from nearer.clinic.queries import client_reference

    assert client_reference(world.therapist, c) == "X1"
