"""Authorisation rows for Learn: pieces are open to read, reflections belong to their writer, and a
therapist sees only reflections a client shared, through a link carrying the ``reflections`` scope."""

from nearer.testing import DENY, LOGIN, OK, Row, any_signed_in, expect, public

_me = any_signed_in()
_api_me = expect(OK, anonymous=LOGIN)
_api_owner = expect(DENY, owner=OK, anonymous=LOGIN)
# A therapist with MFA and the scope; the therapist without MFA and everyone else are denied.
_therapist = expect(DENY, therapist=OK)
_api_therapist = expect(DENY, therapist=OK, anonymous=LOGIN)


def _owner_reflection(w):
    from nearer.learn.models import Reflection

    r = Reflection.objects.create(person=w.owner, slug="loop", text="a quiet evening", shared=True)
    return r


def _reflection_kwargs(w):
    return {"pk": _owner_reflection(w).pk}


def _reflection_api_kwargs(w):
    return {"reflection_id": _owner_reflection(w).pk}


def _share_reflections(w):
    """Sam turns on the reflections scope for Dr. Rivera (and the no-MFA therapist) and shares one."""
    for key in ("link_owner_therapist", "link_owner_nomfa"):
        link = w.objects[key]
        link.scopes = sorted(set(link.scopes) | {"reflections"})
        link.save(update_fields=["scopes"])
    _owner_reflection(w)


def _client(w):
    return {"client_id": w.owner.pk}


ROWS = [
    Row("learn:piece-list", "GET", public()),
    Row("learn:piece-detail", "GET", public(), kwargs=lambda w: {"slug": "loop"}),
    Row("learn:finding-care", "GET", public()),
    Row("learn:reflection-save", "POST", _me, kwargs=lambda w: {"slug": "loop"},
        data=lambda w: {"text": "I noticed I pull back when tired."}),
    Row("learn:mark-read", "POST", _me, kwargs=lambda w: {"slug": "loop"}),
    Row("learn:reflection-share", "POST", expect(DENY, owner=OK), kwargs=_reflection_kwargs,
        data=lambda w: {"shared": "on"}),
    Row("learn:reflection-delete", "POST", expect(DENY, owner=OK), kwargs=_reflection_kwargs),
    Row("learn:client-reflections", "GET", _therapist, kwargs=_client, setup=_share_reflections, reads="owner"),
    # API
    Row("/api/learn/pieces", "GET", _api_me, api=True),
    Row("/api/learn/pieces/{slug}", "GET", _api_me, api=True, kwargs=lambda w: {"slug": "loop"}),
    Row("/api/learn/pieces/{slug}/read", "POST", _api_me, api=True, kwargs=lambda w: {"slug": "loop"}),
    Row("/api/learn/reflections", "GET", _api_me, api=True),
    Row("/api/learn/reflections", "POST", _api_me, api=True,
        data=lambda w: {"slug": "loop", "text": "Small steps felt possible today."}),
    Row("/api/learn/reflections/{reflection_id}", "GET", _api_owner, api=True, kwargs=_reflection_api_kwargs),
    Row("/api/learn/reflections/{reflection_id}", "PUT", _api_owner, api=True, kwargs=_reflection_api_kwargs,
        data=lambda w: {"text": "Edited."}),
    Row("/api/learn/reflections/{reflection_id}", "DELETE", _api_owner, api=True, kwargs=_reflection_api_kwargs),
    Row("/api/learn/reflections/{reflection_id}/share", "PUT", _api_owner, api=True,
        kwargs=_reflection_api_kwargs, data=lambda w: {"shared": False}),
    Row("/api/learn/clients/{client_id}/reflections", "GET", _api_therapist, api=True, kwargs=_client,
        setup=_share_reflections, reads="owner"),
]
