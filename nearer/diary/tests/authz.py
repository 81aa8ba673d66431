from nearer.testing import DENY, LOGIN, OK, Row, expect

# Check-ins belong to people: therapist and clinic-admin accounts have none of their own.
_people = expect(DENY, owner=OK, partner=OK, unlinked=OK)
_people_api = expect(DENY, owner=OK, partner=OK, unlinked=OK, anonymous=LOGIN)
_signed_in_api = expect(OK, anonymous=LOGIN)
# A client's trends and loop: the owner, and the linked therapist with the default scopes (who has MFA).
_client_reads = expect(DENY, owner=OK, therapist=OK)
_client_reads_api = expect(DENY, owner=OK, therapist=OK, anonymous=LOGIN)


def _today(w):
    from nearer.diary.models import local_today

    return {"day": local_today(w.owner).isoformat()}


def _checkin_data(w):
    return {"mood": "6", "closeness": "5"}


def _owner_checkin(w):
    from nearer.diary.models import CheckIn, local_today

    w.objects["checkin"] = CheckIn.objects.create(person=w.owner, local_date=local_today(w.owner), mood=5, closeness=5)


def _checkin_id(w):
    return {"checkin_id": w.objects["checkin"].pk}


def _client(w):
    return {"client_id": w.owner.pk}


ROWS = [
    Row("diary:checkin", "GET", _people),
    Row("diary:checkin", "POST", _people, data=_checkin_data),
    Row("diary:checkin-edit", "GET", _people, kwargs=_today),
    Row("diary:checkin-edit", "POST", _people, kwargs=_today, data=_checkin_data),
    Row("diary:trends", "GET", _people),
    Row("diary:loop", "GET", _people),
    Row("diary:import", "GET", _people),
    Row("diary:import", "POST", _people),
    Row("diary:export", "GET", _people),
    Row("diary:client-trends", "GET", _client_reads, kwargs=_client, reads="owner"),
    Row("diary:client-loop", "GET", _client_reads, kwargs=_client, reads="owner"),
    # API
    Row("/api/diary/checkins", "GET", _signed_in_api, api=True),
    Row("/api/diary/checkins", "POST", _people_api, api=True, data=lambda w: {"mood": 6, "closeness": 5}),
    Row("/api/diary/checkins/{checkin_id}", "PATCH", expect(DENY, owner=OK, anonymous=LOGIN), api=True,
        setup=_owner_checkin, kwargs=_checkin_id, data=lambda w: {"mood": 7}),
    Row("/api/diary/checkins/{checkin_id}", "DELETE", expect(DENY, owner=OK, anonymous=LOGIN), api=True,
        setup=_owner_checkin, kwargs=_checkin_id),
    Row("/api/diary/trends", "GET", _signed_in_api, api=True),
    Row("/api/diary/loop", "GET", _signed_in_api, api=True),
    Row("/api/diary/clients/{client_id}/trends", "GET", _client_reads_api, api=True, kwargs=_client, reads="owner"),
    Row("/api/diary/clients/{client_id}/loop", "GET", _client_reads_api, api=True, kwargs=_client, reads="owner"),
]
