from nearer.testing import DENY, OK, Row, expect

_persons = expect(DENY, owner=OK, partner=OK, unlinked=OK)
_public = {p: OK for p in ["anonymous", "owner", "partner", "unlinked", "therapist", "other_therapist",
                           "clinic_admin", "therapist_no_mfa"]}


def _owner(w):
    return {"person_id": w.owner.pk}


def _share_screen(w):
    """The owner answers the questions and shares them with their therapist (the scope is off by default)."""
    from nearer.relsafety.services import record_screen

    link = w.objects["link_owner_therapist"]
    link.scopes = sorted({*link.scopes, "relationship_safety"})
    link.save()
    record_screen(w.owner, {"afraid": "yes"}, "en")


ROWS = [
    Row("relsafety:support", "GET", _public),
    Row("relsafety:questions", "GET", _persons),
    Row("relsafety:questions", "POST", _persons, data=lambda w: {"afraid": "no", "hurt": "no"}),
    Row("relsafety:pause", "POST", _persons),
    Row("relsafety:resume", "POST", _persons),
    Row("relsafety:plan", "POST", _persons, data=lambda w: {"in_plan": "on"}),
    Row("relsafety:offer-dismiss", "POST", _persons),
    Row("relsafety:forget", "POST", _persons),
    # Only a therapist the person gave the scope to; everyone else gets a plain 404.
    Row("relsafety:client-result", "GET", expect(DENY, therapist=OK), kwargs=_owner, setup=_share_screen,
        reads="owner"),
]
