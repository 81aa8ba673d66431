"""Measures services: saving, change labels, the item-9 safety path, FHIR import, clinic instruments."""

from __future__ import annotations

import json
from datetime import timedelta
from pathlib import Path

import pytest
from django.core.exceptions import ValidationError
from django.core.management import CommandError, call_command
from django.db import connection
from django.utils import timezone
from numpy.testing import assert_allclose

from nearer.measures import InstrumentError, get_instrument
from nearer.measures import services as svc
from nearer.measures.models import Administration, ClinicInstrument

PHQ9 = ["44250-9", "44255-8", "44259-0", "44254-1", "44251-7", "44258-2", "44252-5", "44253-3", "44260-8"]
ITEM9 = "44260-8"
EXAMPLE = Path(__file__).resolve().parents[3] / "docs" / "examples" / "clinic-instrument-example.json"


def phq9(total: int, item9: int = 0) -> dict[str, int]:
    """PHQ-9 answers with the given total (item 9 as given, the rest filled from the first item)."""
    answers = dict.fromkeys(PHQ9, 0)
    answers[ITEM9] = item9
    left = total - item9
    for lid in PHQ9[:-1]:
        answers[lid] = min(3, left)
        left -= answers[lid]
    assert left == 0
    return answers


def test_submit_scores_and_stores_answers_encrypted(world):
    sub = svc.submit_administration(world.owner, "phq9", {**phq9(13), "69722-7": "LA6573-5"})
    adm = sub.administration
    assert (adm.total, adm.band_key, adm.band_label) == (13.0, "moderate", "Moderate")
    assert adm.answers["44250-9"] == 3 and adm.answers["69722-7"] == 1
    assert adm.flags == {"item9_positive": False, "item9_value": 0}
    with connection.cursor() as cur:
        cur.execute("SELECT answers_json, flags_json FROM measures_administration WHERE id = %s", [adm.pk])
        raw_answers, raw_flags = cur.fetchone()
    # Item answers are sensitive (item 9): the database never holds them in the clear.
    assert "44250-9" not in raw_answers and "item9" not in raw_flags


def test_bad_answers_name_the_link_id(world):
    with pytest.raises(ValidationError) as exc:
        svc.submit_administration(world.owner, "phq9", {**phq9(5), "44255-8": 7})
    assert list(exc.value.message_dict) == ["answers.44255-8"]
    with pytest.raises(ValidationError) as exc:
        svc.submit_administration(world.owner, "phq9", {lid: 0 for lid in PHQ9[:-1]})
    assert list(exc.value.message_dict) == [f"answers.{ITEM9}"]
    with pytest.raises(ValidationError) as exc:
        svc.submit_administration(world.owner, "nope", {})
    assert list(exc.value.message_dict) == ["instrument_id"]
    assert Administration.objects.count() == 0


def test_idempotency_key_returns_the_same_administration(world):
    a = svc.submit_administration(world.owner, "phq2", {"44250-9": 1, "44255-8": 1}, idempotency_key="k1")
    b = svc.submit_administration(world.owner, "phq2", {"44250-9": 3, "44255-8": 3}, idempotency_key="k1")
    assert a.created and not b.created
    assert a.administration.pk == b.administration.pk
    assert Administration.objects.count() == 1 and b.administration.total == 2


def test_change_labels_against_the_baseline(world):
    t0 = timezone.now() - timedelta(days=60)
    totals = [16, 12, 9, 18, 4]
    for k, total in enumerate(totals):
        svc.submit_administration(world.owner, "phq9", phq9(total), completed_at=t0 + timedelta(days=14 * k))
    rows = list(Administration.objects.order_by("completed_at"))
    inst = get_instrument("phq9")
    sdiff = inst.change.sd * 2 ** 0.5 * (1 - inst.change.r) ** 0.5
    assert rows[0].change_label == "" and rows[0].rci is None
    assert_allclose([r.rci for r in rows[1:]], [(t - 16) / sdiff for t in totals[1:]], rtol=0, atol=1e-12)
    assert [r.change_label for r in rows[1:]] == [
        "no_reliable_change",  # 16 -> 12: a drop of 4
        "reliable_improvement",  # 16 -> 9: a drop of 7, and 9 is below the cutoff
        "no_reliable_change",  # 16 -> 18
        "reliable_improvement",
    ]
    # Recovered only when the change is reliable AND crosses the cutoff (9.5).
    assert [r.recovered for r in rows] == [False, False, True, False, True]
    assert [r.response for r in rows[1:]] == [False, False, False, True]  # 4 <= 8
    assert [r.remission for r in rows[1:]] == [False, False, False, True]  # 4 < 5
    # Against the previous score: 9 -> 18 is a reliable deterioration.
    assert rows[3].change_label_previous == "reliable_deterioration"


def test_reliable_but_not_crossing_is_not_recovered(world):
    t0 = timezone.now() - timedelta(days=30)
    svc.submit_administration(world.owner, "phq9", phq9(24), completed_at=t0)
    svc.submit_administration(world.owner, "phq9", phq9(15), completed_at=t0 + timedelta(days=14))
    last = Administration.objects.order_by("completed_at").last()
    assert last.change_label == "reliable_improvement" and last.recovered is False


def test_an_earlier_import_becomes_the_new_baseline(world):
    now = timezone.now()
    svc.submit_administration(world.owner, "phq9", phq9(10), completed_at=now - timedelta(days=1))
    svc.submit_administration(world.owner, "phq9", phq9(20), completed_at=now - timedelta(days=40))
    latest = Administration.objects.order_by("completed_at").last()
    assert latest.total == 10 and latest.change_label == "reliable_improvement"


def test_scores_from_another_instrument_version_are_never_compared(world):
    now = timezone.now()
    old = svc.submit_administration(world.owner, "phq9", phq9(20), completed_at=now - timedelta(days=30)).administration
    Administration.objects.filter(pk=old.pk).update(instrument_version="0.9")
    new = svc.submit_administration(world.owner, "phq9", phq9(5), completed_at=now).administration
    assert new.change_label == "" and new.rci is None  # it is the first of its version


def test_item9_level_mapping():
    assert [svc.item9_level(v) for v in (1, 2, 3)] == ["concern", "urgent", "urgent"]


def test_item9_zero_raises_nothing(world):
    sub = svc.submit_administration(world.owner, "phq9", phq9(20, item9=0))
    assert sub.risk is None


@pytest.mark.parametrize(("value", "level"), [(1, "concern"), (3, "urgent")])
def test_item9_raises_risk_and_alert_in_the_same_transaction(world, value, level):
    from nearer.safety.models import RiskEvent

    sub = svc.submit_administration(world.owner, "phq9", phq9(6, item9=value))
    assert sub.risk is not None and sub.risk.show_card
    event = RiskEvent.objects.get(person=world.owner)
    assert event.source == svc.ITEM9_SOURCE and event.level == level
    from nearer.safety.models import Alert

    assert Alert.objects.filter(therapist=world.therapist).exists()
    assert not Alert.objects.filter(therapist=world.partner).exists()


def test_item9_when_the_safety_service_fails_keeps_the_answers(world, monkeypatch):
    import nearer.safety.services as safety

    def boom(*a, **k):
        raise RuntimeError("simulated")

    monkeypatch.setattr(safety, "record_risk", boom)
    sub = svc.submit_administration(world.owner, "phq9", phq9(4, item9=2))
    # The safety-wrapped path: help shown, the answers kept, a retry queued (no text in it).
    assert sub.risk.level == "urgent" and sub.risk.show_card and sub.risk.failed
    assert Administration.objects.filter(pk=sub.administration.pk).exists()
    from nearer.safety.models import PendingRiskCheck

    pending = PendingRiskCheck.objects.get()
    assert (pending.source, pending.level, pending.ref_id) == ("measures.phq9_item9", "urgent", str(sub.administration.pk))


# ---------------------------------------------------------------- FHIR import


def test_fhir_round_trip_through_export_and_import(world):
    from fhir.resources.R4B.bundle import Bundle

    from nearer.measures.queries import fhir_bundle

    t0 = timezone.now() - timedelta(days=20)
    svc.submit_administration(world.owner, "phq9", phq9(14), completed_at=t0)
    svc.submit_administration(world.owner, "gad7", dict.fromkeys(get_instrument("gad7").scored_items, 1), completed_at=t0)
    bundle = fhir_bundle(world.owner)
    Bundle.model_validate(bundle)  # a maintained FHIR library accepts it
    kinds = [e["resource"]["resourceType"] for e in bundle["entry"]]
    assert kinds.count("QuestionnaireResponse") == 2 and kinds.count("Observation") == 3  # two totals and PHQ-9 item 9
    codes = {e["resource"]["code"]["coding"][0]["code"] for e in bundle["entry"] if e["resource"]["resourceType"] == "Observation"}
    assert {"44261-6", "70274-6", "44260-8"} <= codes
    # Re-importing our own export adds nothing.
    assert svc.import_fhir(world.owner, bundle) == []
    # Another person imports it: both administrations arrive with the same totals.
    imported = svc.import_fhir(world.unlinked, bundle)
    assert sorted(s.administration.total for s in imported) == [7.0, 14.0]
    assert {s.administration.source for s in imported} == {"fhir-import"}
    assert svc.import_fhir(world.unlinked, bundle) == []  # idempotent by identifier


def test_fhir_import_rejects_unknown_answer_naming_the_item(world):
    from nearer.measures.queries import fhir_bundle

    svc.submit_administration(world.owner, "phq9", phq9(3))
    bundle = fhir_bundle(world.owner)
    qr = bundle["entry"][0]["resource"]
    qr["identifier"]["value"] = "elsewhere-1"
    qr["item"][1]["answer"][0]["valueCoding"]["code"] = "LA9999-9"
    with pytest.raises(ValidationError) as exc:
        svc.import_fhir(world.unlinked, bundle)
    assert "44255-8" in exc.value.message_dict["file"][0]
    assert not Administration.objects.filter(person=world.unlinked).exists()


def test_old_imported_item9_is_history_not_an_alert(world):
    from nearer.measures.queries import fhir_bundle

    svc.submit_administration(world.owner, "phq9", phq9(5, item9=1), completed_at=timezone.now() - timedelta(days=90),
                              raise_signals=False)
    subs = svc.import_fhir(world.unlinked, fhir_bundle(world.owner))
    assert len(subs) == 1 and subs[0].risk is None


# ---------------------------------------------------------------- clinic instruments


def test_clinic_instrument_add_and_use(world):
    definition = json.loads(EXAMPLE.read_text())
    row = svc.add_clinic_instrument(definition, clinic=world.clinic, added_by=world.clinic_admin)
    iid = row.instrument_id
    # Available to the clinic's clients (Sam's therapist is at this clinic), not to others.
    assert iid in {i.id for i in svc.instruments_for(world.owner)}
    assert iid not in {i.id for i in svc.instruments_for(world.unlinked)}
    inst = get_instrument(iid)
    answers = {lid: inst.items[lid].options[0].code for lid in inst.scored_items}
    adm = svc.submit_administration(world.owner, iid, answers).administration
    assert adm.instrument_id == iid and set(adm.subscales) == set(inst.subscales)
    with pytest.raises(ValidationError):
        svc.submit_administration(world.unlinked, iid, answers)
    with pytest.raises(InstrumentError, match="already exists"):
        svc.add_clinic_instrument(definition, clinic=world.clinic)
    with pytest.raises(InstrumentError, match="another clinic"):
        svc.add_clinic_instrument(definition, clinic=world.other_clinic, replace=True)


def test_broken_definition_is_rejected_naming_the_problem(world):
    definition = json.loads(EXAMPLE.read_text())
    name = next(iter(definition["scoring"]["subscales"]))
    definition["scoring"]["subscales"][name] = ["q99"]
    with pytest.raises(InstrumentError, match="q99"):
        svc.add_clinic_instrument(definition, clinic=world.clinic)
    assert not ClinicInstrument.objects.exists()
    definition = json.loads(EXAMPLE.read_text())
    definition["questionnaire"]["id"] = "phq9"
    with pytest.raises(InstrumentError, match="built-in"):
        svc.add_clinic_instrument(definition)


def test_command_add_and_list(world, tmp_path, capsys):
    call_command("measures", "add", str(EXAMPLE), "--clinic", "Test Clinic")
    out = capsys.readouterr().out
    assert "added evenings-together-example" in out and "Test Clinic" in out
    call_command("measures", "list")
    listing = capsys.readouterr().out.splitlines()
    assert [line.split("\t")[0] for line in listing] == ["auditc", "gad7", "phq2", "phq9", "evenings-together-example"]
    broken = tmp_path / "broken.json"
    definition = json.loads(EXAMPLE.read_text())
    definition["scoring"]["bands"][0]["min"] = 2
    definition["questionnaire"]["id"] = "another-one"
    definition["questionnaire"]["url"] = "urn:example:another-one"
    broken.write_text(json.dumps(definition))
    with pytest.raises(CommandError, match="bands start at 2"):
        call_command("measures", "add", str(broken))
    with pytest.raises(CommandError, match="no single clinic"):
        call_command("measures", "add", str(EXAMPLE), "--clinic", "Nowhere")


def test_registered_for_export_and_erase(world):
    from nearer.privacy.registry import OWNED
    from nearer.privacy.services import collect, erase_account

    assert {"measures.administration", "measures.schedule", "measures.duemeasure"} <= set(OWNED)
    svc.submit_administration(world.owner, "phq2", {"44250-9": 1, "44255-8": 1})
    svc.set_schedule(world.owner, "phq9", 14)
    data = collect(world.owner)
    assert len(data["measure_administrations"]) == 1 and len(data["measure_schedules"]) == 1
    erase_account(world.owner)
    assert not Administration.objects.exists()


def test_a_retake_within_two_weeks_is_kept_without_a_change_label(world):
    t0 = timezone.now() - timedelta(days=40)
    svc.submit_administration(world.owner, "phq9", phq9(20), completed_at=t0)
    svc.submit_administration(world.owner, "phq9", phq9(2), completed_at=t0 + timedelta(minutes=10))
    svc.submit_administration(world.owner, "phq9", phq9(3), completed_at=t0 + timedelta(days=13, hours=23))
    svc.submit_administration(world.owner, "phq9", phq9(4), completed_at=t0 + timedelta(days=14))
    svc.submit_administration(world.owner, "phq9", phq9(12), completed_at=t0 + timedelta(days=20))
    rows = list(Administration.objects.order_by("completed_at"))
    assert [r.total for r in rows] == [20, 2, 3, 4, 12]  # both answers kept
    # Minutes or 13 days later: no label at all, never "recovered", "response" or "remission".
    for r in rows[1:3]:
        assert (r.change_label, r.rci, r.recovered, r.response, r.remission) == ("", None, False, None, None)
    assert (rows[3].change_label, rows[3].recovered, rows[3].response, rows[3].remission) == (
        "reliable_improvement", True, True, True)
    # Six days after the last: "previous" is the latest answer at least 14 days earlier (the 2 at day 0).
    assert rows[4].change_label == "reliable_improvement" and rows[4].change_label_previous == "reliable_deterioration"


def test_response_and_remission_only_from_a_clinical_baseline(world):
    t0 = timezone.now() - timedelta(days=40)
    svc.submit_administration(world.owner, "phq9", phq9(8), completed_at=t0)
    svc.submit_administration(world.owner, "phq9", phq9(1), completed_at=t0 + timedelta(days=21))
    last = Administration.objects.order_by("completed_at").last()
    assert last.change_label == "reliable_improvement"
    assert (last.recovered, last.response, last.remission) == (False, None, None)


def test_answer_page_says_so_before_a_retake_and_result_says_too_soon(world, client_as):
    client = client_as("owner")
    svc.submit_administration(world.owner, "phq9", phq9(20), completed_at=timezone.now() - timedelta(days=2))
    page = client.get("/measures/answer/phq9/").content.decode()
    assert "You answered this recently" in page and "Both answers are kept" in page
    assert "You answered this recently" not in client.get("/measures/answer/gad7/").content.decode()
    second = svc.submit_administration(world.owner, "phq9", phq9(2)).administration
    result = client.get(f"/measures/results/{second.pk}/").content.decode()
    assert "less than two weeks after your first one" in result
    assert "recovered" not in result.lower() and "Reliable improvement" not in result


def test_migration_relabels_stored_change_with_the_two_week_rule(world):
    import importlib

    from django.apps import apps

    t0 = timezone.now() - timedelta(days=40)
    svc.submit_administration(world.owner, "phq9", phq9(20), completed_at=t0)
    svc.submit_administration(world.owner, "phq9", phq9(2), completed_at=t0 + timedelta(minutes=5))
    # As the old rules stored it: a retake minutes later labelled "recovered".
    Administration.objects.filter(total=2).update(change_label="reliable_improvement", recovered=True, response=True)
    importlib.import_module("nearer.measures.migrations.0002_relabel_change_two_week_rule").relabel(apps, None)
    retake = Administration.objects.get(total=2)
    assert (retake.change_label, retake.recovered, retake.response) == ("", False, None)
