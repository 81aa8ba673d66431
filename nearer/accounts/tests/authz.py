from nearer.testing import DENY, LOGIN, OK, Row, any_signed_in, expect

_me = any_signed_in()


def _link(w):  # the owner's link to the partner
    return {"pk": w.objects["link_owner_partner"].pk}


def _invite(w):
    from nearer.accounts.services import create_invitation

    new = create_invitation(w.owner, "partner")
    w.objects["invite"] = new
    return {"token": new.token}


def _owner_invitation(w):
    from nearer.accounts.services import create_invitation

    return {"pk": create_invitation(w.owner, "partner").invitation.pk}


def _owner_token(w):
    from nearer.accounts.models import ApiToken

    return {"pk": ApiToken.objects.filter(user=w.owner).first().pk}



ROWS = [
    Row("accounts:profile", "GET", _me),
    Row("accounts:profile", "POST", _me, data=lambda w: {"display_name": "X", "language": "en", "timezone": "America/New_York"}),
    Row("accounts:welcome", "GET", _me),
    Row("accounts:welcome", "POST", _me, data=lambda w: {"skip": "1"}),
    Row("accounts:sharing", "GET", _me),
    Row("accounts:invitation-create", "POST", _me, data=lambda w: {"kind": "partner"}),
    # Only the person who sent an invitation can withdraw it; for others it is a no-op redirect.
    Row("accounts:invitation-revoke", "POST", _me, kwargs=_owner_invitation),
    # Changing scopes: only the owner of the link.
    Row("accounts:link-scopes", "POST", expect(DENY, owner=OK), kwargs=_link, data=lambda w: {"scopes": ["together_ratings"]}),
    # Unlinking: either side of the link.
    Row("accounts:link-revoke", "GET", expect(DENY, owner=OK, partner=OK), kwargs=_link),
    Row("accounts:link-revoke", "POST", expect(DENY, owner=OK, partner=OK), kwargs=_link, data=lambda w: {"confirm": "yes"}),
    Row("accounts:link-revoke", "POST", expect(DENY, owner=OK, partner=OK), kwargs=_link),
    Row("accounts:notice-dismiss", "POST", _me, data=lambda w: {"next": "/"}),
    Row("accounts:access-log", "GET", _me),
    Row("accounts:tokens", "GET", _me),
    # A token outlives the session: therapists and clinic admins mint one only after the second factor.
    Row("accounts:tokens", "POST", expect(OK, anonymous=LOGIN, therapist_no_mfa=DENY), data=lambda w: {"name": "script"}),
    Row("accounts:token-revoke", "POST", _me, kwargs=_owner_token),
    Row("accounts:export", "GET", _me),
    Row("accounts:export", "POST", _me),
    Row("accounts:delete", "GET", _me),
    Row("accounts:delete", "POST", _me, data=lambda w: {"confirm": "nope"}),
    # An invitation page is open to anyone holding the link (it asks anonymous people to sign in).
    Row("accounts:invitation", "GET", expect(OK, anonymous=OK), kwargs=_invite),
    # API
    Row("/api/accounts/me", "GET", expect(OK, anonymous=LOGIN), api=True),
    Row("/api/accounts/links", "GET", expect(OK, anonymous=LOGIN), api=True),
    Row("/api/accounts/links/{link_id}/scopes", "PUT", expect(DENY, owner=OK, anonymous=LOGIN), api=True,
        kwargs=lambda w: {"link_id": w.objects["link_owner_partner"].pk}, data=lambda w: {"scopes": ["together_ratings"]}),
    Row("/api/accounts/links/{link_id}", "DELETE", expect(DENY, owner=OK, partner=OK, anonymous=LOGIN), api=True,
        kwargs=lambda w: {"link_id": w.objects["link_owner_partner"].pk}),
    Row("/api/accounts/access-log", "GET", expect(OK, anonymous=LOGIN), api=True),
]
