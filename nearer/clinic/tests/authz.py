"""Authorisation rows for every clinic route and API operation."""

from __future__ import annotations

from typing import Any

from nearer.testing import DENY, OK, Row, World, any_signed_in, expect, owner_only, public

THERAPIST_SCOPES = 5  # checkins, loop, measures, practice_summaries, together_ratings (the defaults)


def _client(w: World) -> dict[str, Any]:
    return {"pk": w.owner.pk}


def _assignment(w: World) -> None:
    from nearer.clinic.models import Assignment

    w.objects["assignment"] = Assignment.objects.create(therapist=w.therapist, client=w.owner, kind="conversation_depth",
                                                        params={"depth": 2})


def _notice(w: World) -> None:
    from nearer.clinic.models import ClientNotice

    w.objects["notice"] = ClientNotice.objects.create(person=w.owner, new_therapist=w.therapist)


def _profile(w: World) -> None:
    from nearer.clinic.models import TherapistProfile

    # get_or_create: the every-page crawl runs several rows' set-ups on one world.
    TherapistProfile.objects.get_or_create(user=w.therapist, defaults=dict(
        licence_number="GA-1", licence_state="GA", verified=True, focus_areas=["couples"], languages=["en"],
        city="Atlanta"))


def _request(w: World) -> None:
    from nearer.clinic.models import TherapistRequest

    _profile(w)
    w.objects["request"] = TherapistRequest.objects.create(person=w.unlinked, therapist=w.therapist, scopes=["checkins"])


THERAPISTS = {"therapist": OK, "other_therapist": OK, "therapist_no_mfa": OK}
PEOPLE = {"owner": OK, "partner": OK, "unlinked": OK}

ROWS = [
    Row("clinic:caseload", "GET", expect(DENY, therapist=OK, other_therapist=OK),
        note="reads are bulk-logged; counted in test_caseload.py"),
    Row("clinic:client-detail", "GET", expect(DENY, therapist=OK), kwargs=_client, reads="owner", log_rows=THERAPIST_SCOPES),
    Row("clinic:client-report", "GET", expect(DENY, therapist=OK), kwargs=_client, reads="owner", log_rows=THERAPIST_SCOPES),
    Row("clinic:session-create", "POST", expect(DENY, therapist=OK), kwargs=_client, data=lambda w: {"held_on": "2026-01-05"}),
    Row("clinic:reference-set", "POST", expect(DENY, therapist=OK), kwargs=_client, data=lambda w: {"reference": "C-1"}),
    Row("clinic:assign", "GET", expect(DENY, therapist=OK), kwargs=_client),
    Row("clinic:assign", "POST", expect(DENY, therapist=OK), kwargs=_client,
        data=lambda w: {"kind": "measure_cadence", "instrument_id": "phq9", "cadence_days": "14"}),
    Row("clinic:assignment-respond", "GET", owner_only(), setup=_assignment,
        kwargs=lambda w: {"pk": w.objects["assignment"].pk}),
    Row("clinic:assignment-respond", "POST", owner_only(), setup=_assignment,
        kwargs=lambda w: {"pk": w.objects["assignment"].pk}, data=lambda w: {"action": "decline"}),
    Row("clinic:notice-dismiss", "POST", owner_only(), setup=_notice, kwargs=lambda w: {"pk": w.objects["notice"].pk}),
    Row("clinic:outcomes", "GET", expect(DENY, therapist=OK, other_therapist=OK, clinic_admin=OK),
        note="aggregate counts; a therapist's read is logged per contributing client (test_outcomes_export.py)"),
    Row("clinic:outcomes-csv", "GET", expect(DENY, therapist=OK, other_therapist=OK, clinic_admin=OK),
        note="aggregate counts; see test_outcomes_export.py"),
    Row("clinic:measures-export", "GET", expect(DENY, therapist=OK, other_therapist=OK)),
    Row("clinic:measures-export-csv", "GET", expect(DENY, therapist=OK, other_therapist=OK),
        note="one access-log row per sharing client; counted in test_outcomes_export.py"),
    Row("clinic:measures-export-fhir", "GET", expect(DENY, therapist=OK, other_therapist=OK),
        note="one access-log row per sharing client; counted in test_outcomes_export.py"),
    Row("clinic:directory", "GET", any_signed_in()),
    Row("clinic:therapist-detail", "GET", any_signed_in(), setup=_profile, kwargs=lambda w: {"pk": w.therapist.pk}),
    Row("clinic:request-create", "GET", expect(DENY, **PEOPLE), setup=_profile, kwargs=lambda w: {"pk": w.therapist.pk}),
    Row("clinic:request-create", "POST", expect(DENY, **PEOPLE), setup=_profile, kwargs=lambda w: {"pk": w.therapist.pk},
        data=lambda w: {"message": "", "scopes": ["checkins", "measures"]}),
    Row("clinic:request-list", "GET", any_signed_in()),
    Row("clinic:request-respond", "POST", expect(DENY, therapist=OK, unlinked=OK), setup=_request,
        kwargs=lambda w: {"pk": w.objects["request"].pk}, data=lambda w: {"action": "decline"}),
    Row("clinic:profile-edit", "GET", expect(DENY, **THERAPISTS)),
    Row("clinic:admin-therapists", "GET", expect(DENY, clinic_admin=OK)),
    Row("clinic:admin-therapist-edit", "GET", expect(DENY, clinic_admin=OK), kwargs=lambda w: {"pk": w.therapist.pk}),
    Row("clinic:admin-move-caseload", "GET", expect(DENY, clinic_admin=OK)),
]

ROWS += [
    Row("/api/clinic/caseload", "GET", expect(DENY, therapist=OK, other_therapist=OK), api=True),
    Row("/api/clinic/clients/{client_id}", "GET", expect(DENY, therapist=OK), api=True,
        kwargs=lambda w: {"client_id": w.owner.pk}, reads="owner", log_rows=THERAPIST_SCOPES),
    Row("/api/clinic/assignments", "GET", any_signed_in(), api=True),
    Row("/api/clinic/assignments", "POST", expect(DENY, therapist=OK), api=True,
        data=lambda w: {"client_id": w.owner.pk, "kind": "measure_cadence", "instrument_id": "phq9", "cadence_days": 14}),
    Row("/api/clinic/assignments/{assignment_id}/respond", "POST", owner_only(), api=True, setup=_assignment,
        kwargs=lambda w: {"assignment_id": w.objects["assignment"].pk}, data=lambda w: {"accept": False}),
    Row("/api/clinic/directory", "GET", public(), api=True, setup=_profile),
    Row("/api/clinic/requests", "GET", any_signed_in(), api=True),
    Row("/api/clinic/requests", "POST", any_signed_in(), api=True, setup=_profile,
        data=lambda w: {"therapist_id": w.therapist.pk, "message": ""},
        note="people get 200 (or 422 when already linked); staff get 422: only personal accounts may ask"),
    Row("/api/clinic/requests/{request_id}/respond", "POST", expect(DENY, therapist=OK, unlinked=OK), api=True,
        setup=_request, kwargs=lambda w: {"request_id": w.objects["request"].pk}, data=lambda w: {"action": "decline"}),
]
