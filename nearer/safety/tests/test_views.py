"""Pages: the card in the same response, choices, the plan pages, alerts and finding care."""

from __future__ import annotations

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from nearer.safety import services
from nearer.safety.models import Alert, RiskEvent, SafetyPlan

PLAN = {
    "warning_signs": "After a fight with Alex\nGoing silent for a whole evening",
    "cope_alone": "Walk around the block",
    "distractions": "The library",
    "people_to_ask": "My sister Ana",
    "professionals": "Dr. Rivera",
    "safer_surroundings": "Give the pills to Ana to keep",
    "reasons_for_living": "My dog Pepper",
}


def _plan(world):
    return services.save_plan(world.owner, world.owner, PLAN)[0]


@pytest.mark.django_db
def test_not_safe_shows_card_with_plan_first_and_alerts_therapist(world, client_as):
    _plan(world)
    r = client_as("owner").post(reverse("safety:not-safe"))
    html = r.content.decode()
    assert r.status_code == 200
    card = html[html.index('id="crisis-card"'):]
    assert 'data-risk-level="urgent"' in html
    # Plan first, then the lines, then the choices.
    assert card.index("My dog Pepper") < card.index("tel:988") < card.index('data-crisis="safe-for-now"')
    assert 'href="tel:911"' in card and 'data-crisis="card-call-911"' in card
    assert "sms:741741?&amp;body=HOME" in card
    ev = RiskEvent.objects.get()
    assert ev.source == "safety.not_safe" and ev.level == "urgent"
    assert Alert.objects.filter(person=world.owner, level="urgent").count() == 2
    assert reverse("safety:risk-choice", kwargs={"event_id": ev.pk}) in card


@pytest.mark.django_db
def test_card_without_plan_invites_to_write_one(world, client_as):
    r = client_as("unlinked").post(reverse("safety:not-safe"))
    html = r.content.decode()
    assert "You haven&#x27;t written a safety plan yet" in html or "You haven't written a safety plan yet" in html
    assert reverse("safety:plan-edit") in html
    assert Alert.objects.count() == 0


@pytest.mark.django_db
def test_choices_are_recorded(world, client_as):
    c = client_as("owner")
    out = services.raise_risk(world.owner, "diary.checkin", "concern")
    url = reverse("safety:risk-choice", kwargs={"event_id": out.event.pk})
    r = c.post(url, {"choice": "safe"})
    assert r.status_code == 200 and "I&#x27;m safe for now" in r.content.decode()
    out.event.refresh_from_db()
    assert out.event.choice == "safe"
    r = c.post(url, {"choice": "need_help"})
    html = r.content.decode()
    assert "tel:988" in html and "tel:911" in html
    assert Alert.objects.get(therapist=world.therapist).level == "urgent"
    assert c.post(url, {"choice": "perhaps"}).status_code == 422


@pytest.mark.django_db
def test_screened_plan_urgent_shows_card_in_same_response(world, client_as):
    data = {**PLAN, "warning_signs": "I am going to kill myself tonight"}
    r = client_as("owner").post(reverse("safety:plan-edit"), data)
    assert r.status_code == 200
    html = r.content.decode()
    assert 'id="crisis-card"' in html and "My dog Pepper" in html
    assert SafetyPlan.objects.get(owner=world.owner).warning_signs == "I am going to kill myself tonight"


@pytest.mark.django_db
def test_plan_edit_saves_and_redirects(world, client_as):
    c = client_as("owner")
    r = c.get(reverse("safety:plan-edit"))
    html = r.content.decode()
    assert 'for="id_warning_signs"' in html and "After a fight with my partner" in html  # hint from plan_text
    assert "Add my partner" in html
    r = c.post(reverse("safety:plan-edit"), PLAN)
    assert r.status_code == 302 and r.headers["Location"] == reverse("safety:plan-detail")
    assert SafetyPlan.objects.get(owner=world.owner).parts()["warning_signs"] == [
        "After a fight with Alex", "Going silent for a whole evening"]
    r = c.post(reverse("safety:plan-edit"), {**PLAN, "cope_alone": "x" * 4001})
    assert r.status_code == 422 and "has-error" in r.content.decode()


@pytest.mark.django_db
def test_add_partner_offered_only_with_partner_link(world, client_as):
    assert "Add my partner" not in client_as("unlinked").get(reverse("safety:plan-edit")).content.decode()
    c = client_as("owner")
    c.post(reverse("safety:plan-add-partner"))
    assert SafetyPlan.objects.get(owner=world.owner).parts()["people_to_ask"] == ["Alex"]
    assert "Add my partner" not in c.get(reverse("safety:plan-edit")).content.decode()


@pytest.mark.django_db
def test_print_page_has_print_button_and_crisis_lines(world, client_as):
    _plan(world)
    html = client_as("owner").get(reverse("safety:plan-print")).content.decode()
    assert "data-print" in html and "safety/safety.css" in html
    assert "My dog Pepper" in html and "Text HOME to 741741" in html


@pytest.mark.django_db
def test_crisis_control_links_plan_first_in_one_query(world, client_as):
    c = client_as("owner")
    html = c.get(reverse("safety:finding-care")).content.decode()
    assert "Your safety plan" not in html.split('id="crisis-control"')[1].split("</details>")[0]
    _plan(world)
    with CaptureQueriesContext(connection) as ctx:
        html = c.get(reverse("safety:finding-care")).content.decode()
    panel = html.split('id="crisis-control"')[1].split("</details>")[0]
    assert panel.index("Your safety plan") < panel.index("tel:988")
    plan_queries = [q for q in ctx.captured_queries if "safety_safetyplan" in q["sql"]]
    assert len(plan_queries) == 1
    assert reverse("safety:not-safe") in panel
    # Therapists have no "I'm not safe" button and no plan link.
    html = client_as("therapist").get(reverse("safety:finding-care")).content.decode()
    assert reverse("safety:not-safe") not in html


@pytest.mark.django_db
def test_home_panels(world, client_as):
    html = client_as("owner").get("/").content.decode()
    assert "Write my safety plan" in html
    services.raise_risk(world.owner, "diary.checkin", "urgent")
    html = client_as("therapist").get("/").content.decode()
    assert "1 open safety alert" in html and "Sam" in html
    assert "open safety alert" not in client_as("other_therapist").get("/").content.decode()


@pytest.mark.django_db
def test_alert_pages_never_show_text(world, client_as):
    services.check_text_and_respond(world.owner, "diary.checkin", "I have the pills ready to end it, canary-55")
    alert = Alert.objects.get(therapist=world.therapist)
    c = client_as("therapist")
    for url in (reverse("safety:alert-list"), reverse("safety:alert-detail", kwargs={"alert_id": alert.pk})):
        html = c.get(url).content.decode()
        assert "canary-55" not in html and "pills" not in html
        assert "Daily check-in" in html
    r = c.post(reverse("safety:alert-acknowledge", kwargs={"alert_id": alert.pk}))
    assert r.status_code == 302
    alert.refresh_from_db()
    assert alert.state == "acknowledged"
    r = c.post(reverse("safety:alert-resolve", kwargs={"alert_id": alert.pk}), {"note": ""})
    assert r.status_code == 422
    r = c.post(reverse("safety:alert-resolve", kwargs={"alert_id": alert.pk}), {"note": "Phoned; safe tonight."})
    alert.refresh_from_db()
    assert alert.state == "resolved"


@pytest.mark.django_db
def test_therapist_with_scope_edits_plan_as_new_version(world, client_as):
    _plan(world)
    link = world.objects["link_owner_therapist"]
    link.scopes = [*link.scopes, "safety_plan"]
    link.save()
    c = client_as("therapist")
    assert "My dog Pepper" in c.get(reverse("safety:client-plan", kwargs={"person_id": world.owner.pk})).content.decode()
    r = c.post(reverse("safety:client-plan-edit", kwargs={"person_id": world.owner.pk}), {**PLAN, "professionals": "Dr. Rivera\n988"})
    assert r.status_code == 302
    plan = SafetyPlan.objects.get(owner=world.owner)
    assert plan.updated_by == world.therapist
    assert plan.versions.first().edited_by_role == "therapist"
    html = client_as("owner").get(reverse("safety:plan-detail")).content.decode()
    assert "changed by the therapist" in html


@pytest.mark.django_db
def test_finding_care_is_public_and_links_directory_only_if_it_exists(client):
    html = client.get(reverse("safety:finding-care")).content.decode()
    assert "Finding care" in html and "tel:988" in html
    from django.urls import NoReverseMatch

    try:
        reverse("clinic:directory")
        has_directory = True
    except NoReverseMatch:
        has_directory = False
    assert ("Clinics that use Nearer" in html) == has_directory


@pytest.mark.django_db
def test_spanish_card(world, client_as):
    c = client_as("owner")
    _plan(world)
    r = c.post(reverse("safety:not-safe"), HTTP_ACCEPT_LANGUAGE="es")
    html = r.content.decode()
    assert "no tienes que pasar por esto a solas" in html
    assert "Por ahora estoy a salvo" in html and "Necesito ayuda ahora" in html
    assert "Mi plan de seguridad" in html


@pytest.mark.django_db
def test_api_plan_and_not_safe(world, client):
    h = {"HTTP_AUTHORIZATION": f"Bearer {world.tokens['owner']}"}
    r = client.put("/api/safety/plan", data={"cope_alone": ["Walk", "Tea"]}, content_type="application/json", **h)
    assert r.status_code == 200 and r.json()["parts"]["cope_alone"] == ["Walk", "Tea"]
    r = client.put("/api/safety/plan", data={"cope_alone": "not a list"}, content_type="application/json", **h)
    assert r.status_code == 422 and r.json()["errors"][0]["field"] == "cope_alone"
    r = client.post("/api/safety/not-safe", **h)
    assert r.json()["level"] == "urgent" and r.json()["therapist_alerted"] is True
    t = {"HTTP_AUTHORIZATION": f"Bearer {world.tokens['therapist']}"}
    alerts = client.get("/api/safety/alerts", **t).json()
    assert len(alerts) == 1 and alerts[0]["source_kind"] == "safety" and "note" not in alerts[0]


@pytest.mark.django_db
def test_alert_page_leads_to_the_client_page(world, client_as):
    services.raise_risk(world.owner, "diary.checkin", "urgent")
    alert = Alert.objects.get(therapist=world.therapist)
    html = client_as("therapist").get(reverse("safety:alert-detail", kwargs={"alert_id": alert.pk})).content.decode()
    client_url = reverse("clinic:client-detail", args=[world.owner.pk])
    assert f"<a href=\"{client_url}\">Sam's page: questionnaires, check-ins and alert history</a>" in html
