"""Authorisation rows for every Together route and API operation.

Couple pages: only the two partners (linked both ways). The therapist view: only a therapist linked to
the person with the couple-ratings scope and a second factor; every such read is logged.
"""

from nearer.testing import DENY, LOGIN, OK, Row, any_signed_in, expect

COUPLE = expect(DENY, owner=OK, partner=OK)
COUPLE_API = expect(DENY, owner=OK, partner=OK, anonymous=LOGIN)
THERAPIST = expect(DENY, therapist=OK)
THERAPIST_API = expect(DENY, therapist=OK, anonymous=LOGIN)


def _talk(w, *, rated=False):
    from django.core.exceptions import ValidationError

    from nearer.together import services

    # The every-page crawl runs several rows' set-ups on one world: a step already taken is fine.
    conv = services.start_conversation(w.owner, "day-001")
    steps = [lambda: services.answer_readiness(w.owner, conv, True),
             lambda: services.answer_readiness(w.partner, conv, True)]
    if rated:
        steps += [lambda: services.rate_conversation(w.owner, conv, heard=8, accepted=7, close=6, defensive=2),
                  lambda: services.rate_conversation(w.partner, conv, heard=5, accepted=6, close=6, defensive=3)]
    for step in steps:
        try:
            step()
        except ValidationError:
            if "conv" not in w.objects:  # a fresh world must take every step
                raise
    w.objects["conv"] = conv


def _rated(w):
    _talk(w, rated=True)


def _pk(w):
    return {"pk": w.objects["conv"].pk}


def _cid(w):
    return {"conversation_id": w.objects["conv"].pk}


def _rating(w):
    return {"heard": "7", "accepted": "7", "close": "6", "defensive": "2", "note": "", "share": "on"}


def _pending(w):
    from datetime import time

    from nearer.together import services

    # Proposed by the unlinked person's nobody: the partner proposes, so the owner can confirm.
    w.objects["rhythm"] = services.propose_rhythm(w.partner, [1, 3], time(20, 0))


def _rated_partner_linked(w):
    """Alex (the partner) also linked Sam's therapist with the couple-ratings scope (issue 16 item 1):
    the therapist's page then reads Sam's and Alex's ratings, one log row in each one's log."""
    from nearer.accounts.services import link_client_to_therapist

    _rated(w)
    link_client_to_therapist(w.partner, w.therapist, ["together_ratings"])


def _rated_mood_shared(w):
    """Sam turned on "mood on talk days" for Alex (issue 16 item 2): the trend page reads two scopes."""
    from nearer.together import services

    _rated(w)
    services.set_preferences(w.owner, mood_compare=True)


def _client(w):
    return {"client_id": w.owner.pk}


_ready = {"time": "yes", "energy": "yes", "calm": "yes"}

ROWS = [
    Row("together:index", "GET", any_signed_in()),
    Row("together:rhythm", "GET", COUPLE),
    Row("together:rhythm", "POST", COUPLE, data=lambda w: {"action": "propose", "weekdays": ["1", "3"], "at": "20:00"}),
    Row("together:conversation-create", "GET", COUPLE),
    Row("together:conversation-create", "POST", COUPLE, data=lambda w: {"prompt_id": "day-001"}),
    Row("together:conversation-detail", "GET", COUPLE, setup=_talk, kwargs=_pk),
    Row("together:conversation-detail", "POST", COUPLE, setup=lambda w: _talk(w), kwargs=_pk, data=lambda w: _ready),
    Row("together:rate", "GET", COUPLE, setup=_talk, kwargs=_pk),
    Row("together:rate", "POST", COUPLE, setup=_talk, kwargs=_pk, data=_rating),
    # The partner reading the owner's revealed ratings is one logged read.
    Row("together:reveal", "GET", COUPLE, setup=_rated, kwargs=_pk, reads="owner"),
    Row("together:reveal", "POST", COUPLE, setup=_rated, kwargs=_pk, data=lambda w: {"share": "on"}),
    Row("together:prompt-skip", "POST", COUPLE, data=lambda w: {"prompt_id": "day-002"}),
    Row("together:prompt-save", "POST", COUPLE, data=lambda w: {"prompt_id": "day-002"}),
    Row("together:depth", "POST", COUPLE, data=lambda w: {"depth": "1"}),
    Row("together:preferences", "POST", COUPLE, data=lambda w: {"mood_compare": "on"}),
    Row("together:trend", "GET", COUPLE, setup=_rated, reads="owner"),
    Row("together:client-detail", "GET", THERAPIST, setup=_rated, kwargs=_client, reads="owner"),
    Row("together:client-detail", "GET", THERAPIST, setup=_rated_partner_linked, kwargs=_client, reads="owner", log_rows=2),
    Row("together:trend", "GET", COUPLE, setup=_rated_mood_shared, reads="owner", log_rows=2),
    # API
    Row("/api/together/rhythm", "GET", COUPLE_API, api=True),
    Row("/api/together/rhythm", "POST", COUPLE_API, api=True, data=lambda w: {"weekdays": [1, 3], "at": "20:00"}),
    Row("/api/together/rhythm/{rhythm_id}/confirm", "POST", expect(DENY, owner=OK, partner=OK, anonymous=LOGIN),
        api=True, setup=_pending, kwargs=lambda w: {"rhythm_id": w.objects["rhythm"].pk}, note="partner gets 422 (own proposal)"),
    Row("/api/together/prompts", "GET", COUPLE_API, api=True),
    Row("/api/together/conversations", "GET", COUPLE_API, api=True, setup=_talk),
    Row("/api/together/conversations", "POST", COUPLE_API, api=True, data=lambda w: {"prompt_id": "day-001"}),
    Row("/api/together/conversations/{conversation_id}", "GET", COUPLE_API, api=True, setup=_talk, kwargs=_cid),
    Row("/api/together/conversations/{conversation_id}/readiness", "POST", COUPLE_API, api=True, setup=_talk, kwargs=_cid,
        data=lambda w: {"ready": True}),
    Row("/api/together/conversations/{conversation_id}/rating", "POST", COUPLE_API, api=True, setup=_talk, kwargs=_cid,
        data=lambda w: {"heard": 7, "accepted": 7, "close": 6, "defensive": 2}),
    Row("/api/together/conversations/{conversation_id}/reveal", "GET", COUPLE_API, api=True, setup=_rated, kwargs=_cid,
        reads="owner"),
    Row("/api/together/trend", "GET", COUPLE_API, api=True, setup=_rated, reads="owner"),
    Row("/api/together/clients/{client_id}", "GET", THERAPIST_API, api=True, setup=_rated, kwargs=_client, reads="owner"),
    Row("/api/together/clients/{client_id}", "GET", THERAPIST_API, api=True, setup=_rated_partner_linked, kwargs=_client,
        reads="owner", log_rows=2),
]
