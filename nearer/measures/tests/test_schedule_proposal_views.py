"""Pages for schedule proposals: the client's card, accept and decline, the therapist's status, notices."""

from __future__ import annotations

import re

from django.urls import reverse

from nearer.measures import services as svc
from nearer.measures.models import Schedule
from nearer.privacy.models import AccessLog


def _text(html: str) -> str:
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", html))


def test_therapist_proposes_client_sees_card_accepts_and_therapist_sees_accepted(world, client_as):
    therapist, owner = client_as("therapist"), client_as("owner")
    r = therapist.post(reverse("measures:client-schedule", args=[world.owner.pk]),
                       {"instrument_id": "phq9", "cadence_days": 7, "window_days": 3})
    assert r.status_code == 302
    sched = Schedule.objects.get(person=world.owner)
    assert sched.status == "proposed"
    page = _text(owner.get(reverse("measures:measure-list")).content.decode())
    assert "Dr. Rivera proposes a questionnaire schedule" in page
    assert "PHQ-9 , every week (open for 3 days each time)" in page
    assert "Nothing is scheduled for it now; nothing starts unless you accept." in page
    assert "Due now" not in page  # nothing is due from a proposal
    home = _text(owner.get("/").content.decode())
    assert "A schedule waits for your answer" in home and "Dr. Rivera proposes PHQ-9 every week." in home
    r = owner.post(reverse("measures:proposal-respond", args=[sched.pk]), {"action": "accept"}, follow=True)
    page = _text(r.content.decode())
    assert "Accepted: PHQ-9 every week. It starts now." in page
    assert "Due now" in page and "proposes a questionnaire schedule" not in page
    history = _text(owner.get(reverse("measures:schedule-list")).content.decode())
    assert re.search(r"You accepted: PHQ-9, every week .* Dr\. Rivera proposed: PHQ-9, every week", history)
    before = AccessLog.objects.filter(owner=world.owner).count()
    detail = therapist.get(reverse("measures:client-detail", args=[world.owner.pk])).content.decode()
    assert 'data-status="accepted"' in detail and "Accepted" in detail
    assert AccessLog.objects.filter(owner=world.owner).count() == before + 1  # the one measures read
    clinic = _text(therapist.get(reverse("clinic:client-detail", args=[world.owner.pk])).content.decode())
    assert "Questionnaire schedules" in clinic and "PHQ-9, every week — Accepted" in clinic


def test_client_declines_and_therapist_sees_declined_and_proposes_again(world, client_as):
    therapist, owner = client_as("therapist"), client_as("owner")
    svc.set_schedule(world.owner, "phq9", 14, 4)
    therapist.post(reverse("measures:client-schedule", args=[world.owner.pk]),
                   {"instrument_id": "phq9", "cadence_days": 7, "window_days": 3})
    prop = Schedule.objects.get(status="proposed")
    page = _text(owner.get(reverse("measures:measure-list")).content.decode())
    assert "Now you answer it every 2 weeks; that stays as it is unless you accept." in page
    r = owner.post(reverse("measures:proposal-respond", args=[prop.pk]), {"action": "decline"}, follow=True)
    assert "Declined. Nothing changes, and your therapist will see that you declined." in r.content.decode()
    assert Schedule.objects.get(active=True).cadence_days == 14
    detail = _text(therapist.get(reverse("measures:client-detail", args=[world.owner.pk])).content.decode())
    assert "PHQ-9 , every week (open 3 days) — Declined by the client" in detail
    assert "PHQ-9 , every 2 weeks (open 4 days) — Accepted" in detail
    clinic = _text(therapist.get(reverse("clinic:client-detail", args=[world.owner.pk])).content.decode())
    assert "PHQ-9, every week — Declined by the client" in clinic
    # Answering again (a stale page) changes nothing and says so.
    r = owner.post(reverse("measures:proposal-respond", args=[prop.pk]), {"action": "accept"}, follow=True)
    assert "This proposal has already been answered or replaced." in r.content.decode()
    assert Schedule.objects.get(active=True).cadence_days == 14
    therapist.post(reverse("measures:client-schedule", args=[world.owner.pk]),
                   {"instrument_id": "phq9", "cadence_days": 7, "window_days": 3})
    assert Schedule.objects.filter(status="proposed").count() == 1


def test_proposal_respond_is_the_clients_alone(world, client_as):
    prop = svc.propose_schedule(world.therapist, world.owner, "phq9", 7, 3)
    url = reverse("measures:proposal-respond", args=[prop.pk])
    for persona in ("partner", "therapist", "other_therapist", "unlinked"):
        assert client_as(persona).post(url, {"action": "accept"}).status_code == 404, persona
    r = client_as("owner").post(url, {"action": "maybe"}, follow=True)
    assert "Choose accept or decline." in r.content.decode()
    assert Schedule.objects.get(pk=prop.pk).status == "proposed"
    assert client_as("owner").post(reverse("measures:proposal-respond", args=[999999]),
                                   {"action": "accept"}).status_code == 404


def test_therapist_stops_client_is_told_and_dismisses(world, client_as):
    therapist, owner = client_as("therapist"), client_as("owner")
    mine = svc.set_schedule(world.owner, "gad7", 14, 4)
    assert client_as("other_therapist").post(
        reverse("measures:client-schedule-stop", args=[world.owner.pk, mine.pk])).status_code == 404
    r = therapist.post(reverse("measures:client-schedule-stop", args=[world.owner.pk, mine.pk]), follow=True)
    assert "Schedule stopped. Your client is told on their measures page." in r.content.decode()
    page = _text(owner.get(reverse("measures:measure-list")).content.decode())
    assert "A schedule was stopped" in page
    assert "Dr. Rivera stopped your GAD-7 schedule (every 2 weeks)" in page
    owner.post(reverse("measures:schedule-notices-seen"))
    page = _text(owner.get(reverse("measures:measure-list")).content.decode())
    assert "A schedule was stopped" not in page
    assert "Dr. Rivera stopped: GAD-7, every 2 weeks" in page  # still in the history
    # Someone else's schedule id under this client's address is not found.
    other = svc.set_schedule(world.partner, "gad7", 14, 4)
    assert therapist.post(reverse("measures:client-schedule-stop", args=[world.owner.pk, other.pk])).status_code == 404
    assert Schedule.objects.get(pk=other.pk).active


def test_therapist_withdraws_a_proposal(world, client_as):
    prop = svc.propose_schedule(world.therapist, world.owner, "phq9", 7, 3)
    r = client_as("therapist").post(reverse("measures:client-schedule-stop", args=[world.owner.pk, prop.pk]), follow=True)
    assert "Proposal withdrawn." in r.content.decode()
    assert "proposes a questionnaire schedule" not in client_as("owner").get(reverse("measures:measure-list")).content.decode()


def test_the_card_and_history_in_spanish(world, client_as):
    world.owner.language = "es"
    world.owner.save(update_fields=["language"])
    prop = svc.propose_schedule(world.therapist, world.owner, "phq9", 14, 4)
    owner = client_as("owner")
    page = _text(owner.get(reverse("measures:measure-list"), HTTP_ACCEPT_LANGUAGE="es").content.decode())
    assert "Dr. Rivera te propone una programación de cuestionario" in page
    assert "cada 2 semanas" in page and "Aceptar" in page and "Rechazar" in page
    owner.post(reverse("measures:proposal-respond", args=[prop.pk]), {"action": "decline"}, HTTP_ACCEPT_LANGUAGE="es")
    history = _text(owner.get(reverse("measures:schedule-list"), HTTP_ACCEPT_LANGUAGE="es").content.decode())
    assert "Tú rechazaste: PHQ-9, cada 2 semanas" in history and "Dr. Rivera propuso: PHQ-9, cada 2 semanas" in history
