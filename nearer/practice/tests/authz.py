"""Authorisation rows for every practice route and API operation."""

from nearer.testing import DENY, LOGIN, OK, Row, any_signed_in, expect, owner_only

_signed_in = any_signed_in()
_api_signed_in = expect(OK, anonymous=LOGIN)
_api_owner = expect(DENY, owner=OK, anonymous=LOGIN)
_therapist_web = expect(DENY, therapist=OK)
_api_therapist = expect(DENY, therapist=OK, anonymous=LOGIN)


def _step(w):
    from nearer.practice.services import add_step

    return add_step(w.owner, suggestion_id="one-worry")[0]


def _experiment(w):
    from nearer.practice.services import plan_experiment

    return plan_experiment(w.owner, step=_step(w), fear="They will be annoyed", belief_before=70, expected_anxiety=60)[0]


def _record(w):
    from nearer.practice.services import start_record

    return start_record(w.owner, kind="late_reply", what_happened="No reply all afternoon")[0]


def _suggestion(w):
    from nearer.practice.services import suggest

    return suggest(w.therapist, w.owner, kind="ladder_step", suggestion_id="ask-for-a-hug")


def _share_entries(w):
    link = w.objects["link_owner_therapist"]
    link.scopes = sorted(set(link.scopes) | {"practice_entries"})
    link.save()


_client = lambda w: {"client_id": w.owner.pk}  # noqa: E731

ROWS = [
    Row("practice:index", "GET", _signed_in),
    Row("practice:formulation", "GET", _signed_in),
    Row("practice:formulation", "POST", _signed_in, data=lambda w: {"past_closeness": ["lost"], "expectation": "x"}),
    Row("practice:formulation-history", "GET", _signed_in),
    Row("practice:ladder", "GET", _signed_in),
    Row("practice:step-create", "GET", _signed_in),
    Row("practice:step-create", "POST", _signed_in, data=lambda w: {"suggestion_id": "one-worry", "difficulty": "30"}),
    Row("practice:experiment-create", "GET", _signed_in),
    Row("practice:experiment-create", "POST", _signed_in,
        data=lambda w: {"fear": "They laugh", "belief_before": "60", "expected_anxiety": "50"}),
    Row("practice:experiment-detail", "GET", owner_only(), kwargs=lambda w: {"pk": _experiment(w).pk}),
    Row("practice:experiment-outcome", "GET", owner_only(), kwargs=lambda w: {"pk": _experiment(w).pk}),
    Row("practice:experiment-outcome", "POST", owner_only(), kwargs=lambda w: {"pk": _experiment(w).pk},
        data=lambda w: {"what_happened": "It was fine", "outcome": "no", "belief_after": "20"}),
    Row("practice:record-create", "GET", _signed_in),
    Row("practice:record-create", "POST", _signed_in, data=lambda w: {"kind": "late_reply", "what_happened": "Late"}),
    Row("practice:record-detail", "GET", owner_only(), kwargs=lambda w: {"pk": _record(w).pk}),
    Row("practice:record-detail", "POST", owner_only(), kwargs=lambda w: {"pk": _record(w).pk},
        data=lambda w: {"step": "first_reading", "first_reading_id": "dont_care"}),
    Row("practice:patterns", "GET", _signed_in),
    # Therapist suggestions: only a linked therapist (with MFA and practice_summaries) suggests.
    Row("practice:suggest", "GET", _therapist_web, kwargs=_client),
    Row("practice:suggest", "POST", _therapist_web, kwargs=_client,
        data=lambda w: {"kind": "ladder_step", "suggestion_id": "ask-for-a-hug"}),
    Row("practice:suggestion-respond", "GET", owner_only(), kwargs=lambda w: {"pk": _suggestion(w).pk}),
    Row("practice:suggestion-respond", "POST", owner_only(), kwargs=lambda w: {"pk": _suggestion(w).pk},
        data=lambda w: {"action": "accept"}),
    # The summary page reads practice_summaries (one log row); entries are not shared by default.
    Row("practice:client-summary", "GET", expect(DENY, owner=OK, therapist=OK), kwargs=_client, reads="owner"),
    # API: your own data
    Row("/api/practice/formulation", "GET", _api_signed_in, api=True),
    Row("/api/practice/formulation", "POST", _api_signed_in, api=True, data=lambda w: {"expectation": "x"}),
    Row("/api/practice/steps", "GET", _api_signed_in, api=True),
    Row("/api/practice/steps", "POST", _api_signed_in, api=True, data=lambda w: {"suggestion_id": "one-worry"}),
    Row("/api/practice/steps/{step_id}", "PATCH", _api_owner, api=True, kwargs=lambda w: {"step_id": _step(w).pk},
        data=lambda w: {"difficulty": 35}),
    Row("/api/practice/steps/{step_id}", "DELETE", _api_owner, api=True, kwargs=lambda w: {"step_id": _step(w).pk}),
    Row("/api/practice/bank", "GET", _api_signed_in, api=True),
    Row("/api/practice/experiments", "GET", _api_signed_in, api=True),
    Row("/api/practice/experiments", "POST", _api_signed_in, api=True,
        data=lambda w: {"fear": "x", "belief_before": 50, "expected_anxiety": 40}),
    Row("/api/practice/experiments/{experiment_id}", "GET", _api_owner, api=True,
        kwargs=lambda w: {"experiment_id": _experiment(w).pk}),
    Row("/api/practice/experiments/{experiment_id}", "DELETE", _api_owner, api=True,
        kwargs=lambda w: {"experiment_id": _experiment(w).pk}),
    Row("/api/practice/experiments/{experiment_id}/outcome", "POST", _api_owner, api=True,
        kwargs=lambda w: {"experiment_id": _experiment(w).pk},
        data=lambda w: {"what_happened": "fine", "outcome": "partly", "belief_after": 30, "actual_anxiety": 20}),
    Row("/api/practice/records", "GET", _api_signed_in, api=True),
    Row("/api/practice/records", "POST", _api_signed_in, api=True, data=lambda w: {"kind": "quiet_evening", "what_happened": "x"}),
    Row("/api/practice/records/{record_id}", "GET", _api_owner, api=True, kwargs=lambda w: {"record_id": _record(w).pk}),
    Row("/api/practice/records/{record_id}", "DELETE", _api_owner, api=True, kwargs=lambda w: {"record_id": _record(w).pk}),
    Row("/api/practice/records/{record_id}/steps", "POST", _api_owner, api=True,
        kwargs=lambda w: {"record_id": _record(w).pk}, data=lambda w: {"step": "first_reading", "first_reading_id": "leaving"}),
    Row("/api/practice/patterns", "GET", _api_signed_in, api=True),
    Row("/api/practice/summary", "GET", _api_signed_in, api=True),
    Row("/api/practice/suggestions", "GET", _api_signed_in, api=True),
    Row("/api/practice/suggestions/{suggestion_id}/respond", "POST", _api_owner, api=True,
        kwargs=lambda w: {"suggestion_id": _suggestion(w).pk}, data=lambda w: {"action": "decline"}),
    # API: a therapist with scope
    Row("/api/practice/clients/{client_id}/summary", "GET", expect(DENY, owner=OK, therapist=OK, anonymous=LOGIN),
        api=True, kwargs=_client, reads="owner"),
    Row("/api/practice/clients/{client_id}/entries", "GET", expect(DENY, owner=OK, anonymous=LOGIN),
        api=True, kwargs=_client, reads="owner", note="practice_entries is off by default"),
    Row("/api/practice/clients/{client_id}/entries", "GET", expect(DENY, owner=OK, therapist=OK, anonymous=LOGIN),
        api=True, kwargs=_client, reads="owner", setup=_share_entries, note="after the person shares entries"),
    Row("/api/practice/clients/{client_id}/suggestions", "GET", _api_therapist, api=True, kwargs=_client),
    Row("/api/practice/clients/{client_id}/suggestions", "POST", _api_therapist, api=True, kwargs=_client,
        data=lambda w: {"kind": "present_or_past", "note": "When a quiet evening stings"}),
]
