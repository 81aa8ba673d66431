"""Authorisation rows for every measures route and API operation (all 8 personas)."""

from nearer.testing import DENY, LOGIN, OK, Row, any_signed_in, expect

_me = any_signed_in()
_api_me = expect(OK, anonymous=LOGIN)

PHQ2_OK = {"44250-9": 1, "44255-8": 0}


def _owner_result(w):
    from nearer.measures.services import submit_administration

    adm = submit_administration(w.owner, "phq2", PHQ2_OK).administration
    return {"pk": adm.pk}


def _owner_result_api(w):
    return {"administration_id": _owner_result(w)["pk"]}


def _owner_schedule(w):
    from nearer.measures.services import set_schedule

    return {"schedule_id": set_schedule(w.owner, "phq9", 14, 4).pk}


def _proposal(w):
    """A schedule the owner's therapist proposed (only the owner may answer it)."""
    from nearer.measures.services import propose_schedule

    return {"pk": propose_schedule(w.therapist, w.owner, "phq9", 7, 3).pk}


def _proposal_api(w):
    return {"schedule_id": _proposal(w)["pk"]}


def _client_schedule(w):
    from nearer.measures.services import set_schedule

    return {"person_id": w.owner.pk, "schedule_id": set_schedule(w.owner, "gad7", 14, 4).pk}


def _person(w):
    return {"person_id": w.owner.pk}


def _phq2_form(w):
    return {"q_44250-9": "LA6568-5", "q_44255-8": "LA6569-3"}


# A therapist linked with the measures scope (default) and MFA; the partner never (not a default scope).
_client_read = expect(DENY, owner=OK, therapist=OK)
_api_client_read = expect(DENY, owner=OK, therapist=OK, anonymous=LOGIN)
_api_client_write = expect(DENY, owner=OK, therapist=OK, anonymous=LOGIN)

ROWS = [
    Row("measures:measure-list", "GET", _me),
    Row("measures:answer", "GET", _me, kwargs=lambda w: {"instrument_id": "phq2"}),
    Row("measures:answer", "POST", _me, kwargs=lambda w: {"instrument_id": "phq2"}, data=_phq2_form),
    # Only the person sees their own result page; for anyone else it does not exist.
    Row("measures:result", "GET", expect(DENY, owner=OK), kwargs=_owner_result),
    Row("measures:schedule-list", "GET", _me),
    Row("measures:schedule-list", "POST", _me,
        data=lambda w: {"action": "set", "instrument_id": "phq9", "cadence_days": 14, "window_days": 4}),
    Row("measures:fhir-export", "GET", _me),
    Row("measures:fhir-import", "GET", _me),
    Row("measures:fhir-import", "POST", _me, data=lambda w: {"text": "{}"}),
    Row("measures:client-detail", "GET", _client_read, kwargs=_person, reads="owner"),
    # Setting a client's schedule: only their linked therapist (with the measures scope and MFA).
    Row("measures:client-schedule", "POST", expect(DENY, therapist=OK), kwargs=_person,
        data=lambda w: {"instrument_id": "phq9", "cadence_days": 14, "window_days": 4}),
    # Stopping a client's schedule (at once) or withdrawing a proposal: only their linked therapist.
    Row("measures:client-schedule-stop", "POST", expect(DENY, therapist=OK), kwargs=_client_schedule),
    # Accepting or declining a therapist's proposal: only the client; for anyone else it does not exist.
    Row("measures:proposal-respond", "POST", expect(DENY, owner=OK), kwargs=_proposal,
        data=lambda w: {"action": "accept"}),
    Row("measures:schedule-notices-seen", "POST", _me, note="marks the signed-in person's own notices only"),
    Row("measures:clinic-instrument-add", "GET", expect(DENY, clinic_admin=OK)),
    Row("measures:clinic-instrument-add", "POST", expect(DENY, clinic_admin=OK), data=lambda w: {"text": "{}"}),
    # API
    Row("/api/measures/instruments", "GET", _api_me, api=True),
    Row("/api/measures/instruments/{instrument_id}", "GET", _api_me, api=True,
        kwargs=lambda w: {"instrument_id": "phq9"}),
    Row("/api/measures/administrations", "POST", _api_me, api=True,
        data=lambda w: {"instrument_id": "phq2", "answers": PHQ2_OK}),
    Row("/api/measures/administrations", "GET", _api_me, api=True),
    Row("/api/measures/people/{person_id}/administrations", "GET", _api_client_read, api=True, kwargs=_person,
        reads="owner"),
    Row("/api/measures/administrations/{administration_id}", "GET", expect(DENY, owner=OK, anonymous=LOGIN), api=True,
        kwargs=_owner_result_api),
    Row("/api/measures/schedules", "GET", _api_me, api=True),
    Row("/api/measures/schedules", "POST", _api_me, api=True,
        data=lambda w: {"instrument_id": "phq9", "cadence_days": 14}),
    Row("/api/measures/schedules/{schedule_id}", "PUT", _api_client_write, api=True, kwargs=_owner_schedule,
        data=lambda w: {"cadence_days": 7, "window_days": 3}),
    Row("/api/measures/schedules/{schedule_id}", "DELETE", _api_client_write, api=True, kwargs=_owner_schedule),
    Row("/api/measures/schedules/{schedule_id}/respond", "POST", expect(DENY, owner=OK, anonymous=LOGIN), api=True,
        kwargs=_proposal_api, data=lambda w: {"action": "decline"}),
    Row("/api/measures/schedules/history", "GET", _api_me, api=True,
        note="own history; a therapist's read with person_id is logged (test_api.py)"),
    Row("/api/measures/fhir/export", "GET", _api_me, api=True),
    Row("/api/measures/fhir/import", "POST", _api_me, api=True,
        data=lambda w: {"resourceType": "Bundle", "type": "collection", "entry": []}),
]
