"""Caseload outcomes (aggregate only) and the clinician export (scopes and access log)."""

from __future__ import annotations

import csv
import io
import json
from datetime import timedelta
from typing import Any

import pytest
from django.urls import reverse
from django.utils import timezone

from nearer.clinic import fixtures, outcomes, services
from nearer.clinic.tests.test_critical_and_report import PHQ9_ITEMS
from nearer.privacy.models import AccessLog


def _phq9(person: Any, total: int, days_ago: int) -> None:
    from nearer.measures.services import submit_administration

    answers = {lid: 0 for lid in PHQ9_ITEMS}
    left = total
    for lid in PHQ9_ITEMS[:-1]:  # item 9 stays 0: no alert needed here
        answers[lid] = min(3, left)
        left -= answers[lid]
    submit_administration(person, "phq9", answers, completed_at=timezone.now() - timedelta(days=days_ago))


def _caseload(world: Any) -> dict[str, Any]:
    """Improved (18 -> 6, recovered), unchanged (12 -> 11), worse (5 -> 14), too close (20 -> 5 in 10 days),
    one answer only, and one who does not share measures."""
    people = {}
    for key, series in {"improved": [(18, 60), (6, 5)], "same": [(12, 50), (11, 2)], "worse": [(5, 40), (14, 1)],
                        "close": [(20, 12), (5, 2)], "single": [(15, 3)]}.items():
        c = fixtures.make_client(f"{key}@example.test", key.title(), world.therapist)
        for total, ago in series:
            _phq9(c, total, ago)
        people[key] = c
    hidden = fixtures.make_client("hidden@example.test", "Hidden", world.therapist, scopes=["checkins"])
    _phq9(hidden, 20, 60)
    _phq9(hidden, 2, 1)
    people["hidden"] = hidden
    return people


@pytest.mark.django_db
def test_outcome_counts_per_measure_and_period(world: Any) -> None:
    _caseload(world)
    ids, _links = outcomes.therapist_client_ids(world.therapist)
    rows = {(r.instrument_id, r.period): r for r in outcomes.compute(ids)}
    r = rows[("phq9", "90")]
    assert (r.clients, r.improved, r.no_change, r.deteriorated) == (3, 1, 1, 1)
    assert (r.recovered, r.started_clinical) == (1, 2)
    assert r.improved_share == "33%"
    # 45 days back: only "worse" (40 days) and "same" (50 days) lose their first answer -> fewer clients
    assert rows[("phq9", "all")].clients == 3
    assert ("auditc", "90") not in rows  # no reliable change defined: not counted


@pytest.mark.django_db
def test_therapist_page_and_csv_log_each_contributing_client(world: Any, client_as: Any) -> None:
    people = _caseload(world)
    page = client_as("therapist").get(reverse("clinic:outcomes")).content.decode()
    assert "PHQ-9" in page and "1 of 2 who started in the clinical range" in page
    for name in ("Improved", "Worse", "Hidden"):
        assert name not in page
    assert AccessLog.objects.filter(owner=people["improved"], what="clinic:outcomes", scope="measures").count() == 1
    assert not AccessLog.objects.filter(owner=people["hidden"]).exists()
    body = client_as("therapist").get(reverse("clinic:outcomes-csv")).content.decode()
    rows = list(csv.DictReader(io.StringIO(body)))
    phq = next(r for r in rows if r["measure"] == "phq9" and r["period"] == "90")
    assert (phq["clients"], phq["reliable_improvement"], phq["reliable_deterioration"], phq["recovered"]) == ("3", "1", "1", "1")


@pytest.mark.django_db
def test_clinic_admin_sees_counts_only_and_small_rows_suppressed(world: Any, client_as: Any) -> None:
    _caseload(world)
    page = client_as("clinic_admin").get(reverse("clinic:outcomes")).content.decode()
    assert "Fewer than 5 clients" in page  # 3 clients: too few to show
    for name in ("Improved", "Worse", "Same", "Sam"):
        assert f">{name}<" not in page
    assert not AccessLog.objects.filter(viewer=world.clinic_admin).exists()
    for i in range(3):
        c = fixtures.make_client(f"more{i}@example.test", f"More {i}", world.therapist)
        _phq9(c, 16, 30)
        _phq9(c, 4, 1)
    body = client_as("clinic_admin").get(reverse("clinic:outcomes-csv")).content.decode()
    phq = next(r for r in csv.DictReader(io.StringIO(body)) if r["measure"] == "phq9" and r["period"] == "90")
    assert (phq["clients"], phq["reliable_improvement"]) == ("6", "4")
    assert "client" not in body.split("\n")[0].replace("clients", "")


@pytest.mark.django_db
def test_export_csv_and_fhir_follow_scopes_and_log(world: Any, client_as: Any) -> None:
    people = _caseload(world)
    services.set_client_reference(world.therapist, people["improved"], "C-7")
    body = client_as("therapist").get(reverse("clinic:measures-export-csv")).content.decode()
    rows = list(csv.DictReader(io.StringIO(body)))
    assert {r["client_id"] for r in rows} == {str(people[k].pk) for k in ("improved", "same", "worse", "close", "single")}
    first = next(r for r in rows if r["client_id"] == str(people["improved"].pk))
    assert first["client_reference"] == "C-7"
    assert (first["instrument"], first["language"], first["total"]) == ("phq9", "en", "18")
    assert "44260-8=0" in first["items"] and first["completed_at"]
    assert AccessLog.objects.filter(what="clinic:measures-export-csv").count() == 6  # the five above and Sam (no answers yet)
    assert not AccessLog.objects.filter(owner=people["hidden"]).exists()

    bundle = json.loads(client_as("therapist").get(reverse("clinic:measures-export-fhir")).content)
    assert bundle["resourceType"] == "Bundle"
    qrs = [e["resource"] for e in bundle["entry"] if e["resource"]["resourceType"] == "QuestionnaireResponse"]
    assert len(qrs) == 9 and all(q["language"] == "en" for q in qrs)
    assert f"Patient/nearer-{people['hidden'].pk}" not in json.dumps(bundle)
    totals = [e["resource"] for e in bundle["entry"] if e["resource"]["resourceType"] == "Observation"
              and e["resource"]["code"].get("coding", [{}])[0].get("code") == "44261-6"]
    assert len(totals) == 9
    assert AccessLog.objects.filter(what="clinic:measures-export-fhir").count() == 6


@pytest.mark.django_db
def test_outsiders_cannot_export(world: Any, client_as: Any) -> None:
    for persona in ("owner", "partner", "clinic_admin", "therapist_no_mfa"):
        r = client_as(persona).get(reverse("clinic:measures-export-csv"))
        assert r.status_code in (403, 404)
    assert AccessLog.objects.count() == 0


@pytest.mark.django_db
def test_clinic_supplied_higher_is_better_measure_counts_rises_as_improvement(world: Any) -> None:
    """A couple-satisfaction measure added by a clinic under its own licence (placeholder wording
    here; Nearer ships none): a rise is improvement and crossing the cutoff upwards is recovery."""
    from nearer.measures.definitions import ORDINAL_VALUE_URL, unregister_instrument
    from nearer.measures.services import add_clinic_instrument, submit_administration

    def item(n: int) -> dict[str, Any]:
        return {"linkId": f"s{n}", "text": f"Placeholder {n}", "type": "choice",
                "answerOption": [{"valueCoding": {"code": str(w)},
                                  "extension": [{"url": ORDINAL_VALUE_URL, "valueDecimal": w}]} for w in range(6)]}

    definition = {
        "questionnaire": {"resourceType": "Questionnaire", "id": "couple-sat-test", "url": "urn:test:couple-sat",
                          "status": "active", "item": [item(n) for n in range(1, 5)]},
        "scoring": {"bands": [{"key": "distressed", "label": "Distressed", "min": 0, "max": 13},
                              {"key": "satisfied", "label": "Satisfied", "min": 14, "max": 20}],
                    "higher_is_better": True,
                    "clinical_cutoff": {"value": 13.5, "source": "test value"},
                    "reliable_change": {"sd": 4.0, "sd_source": "test", "r": 0.9, "r_source": "test"}},
    }
    add_clinic_instrument(definition, clinic=world.therapist.clinic)
    try:
        c = fixtures.make_client("sat@example.test", "Sat", world.therapist)
        for value, ago in ((1, 30), (5, 1)):
            submit_administration(c, "couple-sat-test", {f"s{n}": value for n in range(1, 5)},
                                  completed_at=timezone.now() - timedelta(days=ago), raise_signals=False)
        ids, _links = outcomes.therapist_client_ids(world.therapist)
        row = next(r for r in outcomes.compute(ids) if r.instrument_id == "couple-sat-test" and r.period == "90")
        assert (row.clients, row.improved, row.recovered, row.started_clinical) == (1, 1, 1, 1)
    finally:
        unregister_instrument("couple-sat-test")
