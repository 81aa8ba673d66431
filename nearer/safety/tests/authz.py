from nearer.testing import DENY, LOGIN, OK, Row, expect

# Pages for the person themself: any person (owner, partner, unlinked); therapists and clinic admins have no plan.
_persons = expect(DENY, owner=OK, partner=OK, unlinked=OK)
_public = {p: OK for p in ["anonymous", "owner", "partner", "unlinked", "therapist", "other_therapist",
                           "clinic_admin", "therapist_no_mfa"]}
# Therapist with MFA only (alert list: each therapist sees their own, possibly empty).
_therapists = expect(DENY, therapist=OK, other_therapist=OK)
_api_persons = expect(DENY, owner=OK, partner=OK, unlinked=OK, anonymous=LOGIN)
_api_therapists = expect(DENY, therapist=OK, other_therapist=OK, anonymous=LOGIN)


def _share_plan(w):
    """The owner shares the safety plan with their therapist and gives them a plan."""
    from nearer.safety.services import save_plan

    link = w.objects["link_owner_therapist"]
    link.scopes = sorted({*link.scopes, "safety_plan"})
    link.save()
    save_plan(w.owner, w.owner, {"warning_signs": "Going quiet after an argument"})


def _owner(w):
    return {"person_id": w.owner.pk}


def _alert(w):
    from nearer.safety.models import Alert
    from nearer.safety.services import raise_risk

    if "alert" not in w.objects:
        raise_risk(w.owner, "diary.checkin", "concern")
        w.objects["alert"] = Alert.objects.get(person=w.owner, therapist=w.therapist)
    return {"alert_id": w.objects["alert"].pk}


def _event(w):
    from nearer.safety.services import raise_risk

    if "event" not in w.objects:
        w.objects["event"] = raise_risk(w.owner, "diary.checkin", "concern").event
    return {"event_id": w.objects["event"].pk}


_plan_data = {k: "" for k in ["warning_signs", "cope_alone", "distractions", "people_to_ask", "professionals",
                              "safer_surroundings", "reasons_for_living"]}

ROWS = [
    Row("safety:plan-detail", "GET", _persons),
    Row("safety:plan-edit", "GET", _persons),
    Row("safety:plan-edit", "POST", _persons, data=lambda w: {**_plan_data, "cope_alone": "A walk"}),
    Row("safety:plan-print", "GET", _persons),
    # Redirects back to the edit page with a message for people without a partner link.
    Row("safety:plan-add-partner", "POST", _persons),
    # A client's plan: a viewer the owner shared the plan with (the therapist here) and the owner (redirect).
    Row("safety:client-plan", "GET", expect(DENY, owner=OK, therapist=OK), kwargs=_owner, setup=_share_plan,
        reads="owner"),
    Row("safety:client-plan-edit", "GET", expect(DENY, therapist=OK), kwargs=_owner, setup=_share_plan,
        reads="owner"),
    Row("safety:client-plan-edit", "POST", expect(DENY, therapist=OK), kwargs=_owner, setup=_share_plan,
        data=lambda w: {**_plan_data, "cope_alone": "Call my sister"}, reads="owner"),
    Row("safety:not-safe", "POST", _persons),
    Row("safety:asq", "GET", _persons),
    Row("safety:asq", "POST", _persons, data=lambda w: {"trigger": "self", "q1": "no", "q2": "no", "q3": "no",
                                                        "q4": "declined", "q5": ""}),
    # Only the person the card was shown to can answer it.
    Row("safety:risk-choice", "POST", expect(DENY, owner=OK), kwargs=_event, data=lambda w: {"choice": "safe"}),
    Row("safety:alert-list", "GET", _therapists),
    Row("safety:alert-detail", "GET", expect(DENY, therapist=OK), kwargs=_alert),
    Row("safety:alert-acknowledge", "POST", expect(DENY, therapist=OK), kwargs=_alert),
    Row("safety:alert-resolve", "POST", expect(DENY, therapist=OK), kwargs=_alert, data=lambda w: {"note": "Called; safe."}),
    Row("safety:finding-care", "GET", _public),
    # API
    Row("/api/safety/plan", "GET", _api_persons, api=True),
    Row("/api/safety/plan", "PUT", _api_persons, api=True, data=lambda w: {"cope_alone": ["A walk"]}),
    Row("/api/safety/clients/{person_id}/plan", "GET", expect(DENY, therapist=OK, anonymous=LOGIN), api=True,
        kwargs=_owner, setup=_share_plan, reads="owner"),
    Row("/api/safety/clients/{person_id}/plan", "PUT", expect(DENY, therapist=OK, anonymous=LOGIN), api=True,
        kwargs=_owner, setup=_share_plan, data=lambda w: {"cope_alone": ["Call my sister"]}, reads="owner"),
    Row("/api/safety/alerts", "GET", _api_therapists, api=True),
    Row("/api/safety/alerts/{alert_id}/acknowledge", "POST", expect(DENY, therapist=OK, anonymous=LOGIN), api=True,
        kwargs=_alert),
    Row("/api/safety/alerts/{alert_id}/resolve", "POST", expect(DENY, therapist=OK, anonymous=LOGIN), api=True,
        kwargs=_alert, data=lambda w: {"note": "Called; safe."}),
    Row("/api/safety/not-safe", "POST", _api_persons, api=True),
    Row("/api/safety/asq/questions", "GET", _api_persons, api=True),
    Row("/api/safety/asq", "GET", _api_persons, api=True),
    Row("/api/safety/asq", "POST", _api_persons, api=True,
        data=lambda w: {"trigger": "self", "q1": "no", "q2": "no", "q3": "no", "q4": "no"}),
    Row("/api/safety/events/{event_id}/choice", "POST", expect(DENY, owner=OK, anonymous=LOGIN), api=True,
        kwargs=_event, data=lambda w: {"choice": "safe"}),
]
