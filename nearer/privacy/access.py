"""The one door through which anyone reads another person's data.

Deny by default. A read is allowed only through an active link the owner made, carrying the
scope asked for, to a viewer who meets the link's rules (a therapist must have a second factor).
Every allowed read writes exactly one AccessLog row in the caller's transaction.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from django.core.exceptions import PermissionDenied

from nearer.privacy.models import AccessLog
from nearer.privacy.scopes import SCOPES

if TYPE_CHECKING:
    from nearer.accounts.models import Link, User


class AccessDenied(PermissionDenied):
    def __init__(self, reason: str = "no_link") -> None:
        super().__init__(reason)
        self.reason = reason


@dataclass(frozen=True)
class Grant:
    """What a viewer may see of an owner: the link and the scopes it carries."""

    link: Link | None
    own: bool

    def allows(self, scope: str) -> bool:
        return self.own or (self.link is not None and scope in (self.link.scopes or []))


def active_link(viewer: User, owner: User) -> Link | None:
    from nearer.accounts.models import Link

    return Link.objects.active().filter(owner=owner, viewer=viewer).select_related("viewer").first()


def _check_viewer(viewer: User) -> None:
    if not viewer.is_authenticated or not viewer.is_active:
        raise AccessDenied("not_signed_in")
    if viewer.is_clinic_admin:
        raise AccessDenied("clinic_admin")
    if viewer.needs_mfa and not viewer.has_mfa():
        raise AccessDenied("mfa_required")


def _couple_paused(link: Link) -> bool:
    """A partner link carries nothing while its owner has paused couple features (issue 14)."""
    if link.kind != "partner":
        return False
    from nearer.relsafety.services import is_paused

    return is_paused(link.owner_id)


def grant(viewer: User, owner: User) -> Grant:
    """Return what ``viewer`` may see of ``owner``; raise AccessDenied when nothing."""
    if viewer.pk == owner.pk:
        return Grant(link=None, own=True)
    _check_viewer(viewer)
    link = active_link(viewer, owner)
    if link is None:
        raise AccessDenied("no_link")
    if _couple_paused(link):
        raise AccessDenied("paused")
    return Grant(link=link, own=False)


def can_read(viewer: User, owner: User, scope: str) -> bool:
    if scope not in SCOPES:
        raise KeyError(f"Unknown scope {scope!r}")
    try:
        return grant(viewer, owner).allows(scope)
    except AccessDenied:
        return False


def read(viewer: User, owner: User, scope: str, what: str, *, via: str = "web") -> Grant:
    """Authorise one read of ``owner``'s ``scope`` data and log it. Raises AccessDenied."""
    if scope not in SCOPES:
        raise KeyError(f"Unknown scope {scope!r}")
    g = grant(viewer, owner)
    if g.own:
        return g
    if not g.allows(scope):
        raise AccessDenied("scope_not_shared")
    assert g.link is not None
    AccessLog.objects.create(
        viewer=viewer,
        viewer_role=viewer.role,
        owner=owner,
        link=g.link,
        link_kind=g.link.kind,
        scope=scope,
        what=what[:80],
        via=via,
    )
    return g


def owners_sharing(viewer: User, scope: str, kind: str | None = None) -> list[User]:
    """People who currently share ``scope`` with ``viewer`` (no log: listing is not reading)."""
    from nearer.accounts.models import Link

    try:
        _check_viewer(viewer)
    except AccessDenied:
        return []
    links = Link.objects.active().filter(viewer=viewer).select_related("owner")
    if kind:
        links = links.filter(kind=kind)
    return [link.owner for link in links if scope in (link.scopes or []) and not _couple_paused(link)]


def check_viewer(viewer: User) -> None:
    """Raise AccessDenied when ``viewer`` may read nobody's data (signed out, clinic admin, no MFA)."""
    _check_viewer(viewer)


def read_many(viewer: User, reads: list[tuple[Link, str]], what: str, *, via: str = "web") -> int:
    """Authorise and log many reads at once for list pages: one AccessLog row per (link, scope),
    written with one insert. The caller loaded the links (active, viewer = ``viewer``)."""
    _check_viewer(viewer)
    for link, scope in reads:
        if scope not in SCOPES:
            raise KeyError(f"Unknown scope {scope!r}")
        if link.viewer_id != viewer.pk or not link.has_scope(scope) or _couple_paused(link):
            raise AccessDenied("scope_not_shared")
    if not reads:
        return 0
    what = what[:80]
    from django.db import connections, router

    db = router.db_for_write(AccessLog)
    if connections[db].vendor == "postgresql":
        _insert_unnest(db, viewer, reads, what, via)
    else:
        AccessLog.objects.using(db).bulk_create(
            [AccessLog(viewer=viewer, viewer_role=viewer.role, owner_id=link.owner_id, link=link,
                       link_kind=link.kind, scope=scope, what=what, via=via) for link, scope in reads])
    return len(reads)


def _insert_unnest(db: str, viewer: User, reads: list[tuple[Link, str]], what: str, via: str) -> None:
    """The rows of :func:`read_many` on PostgreSQL: one ``INSERT ... SELECT FROM unnest(arrays)``.

    The same rows and columns as ``bulk_create`` would write (one time for the whole read, as one
    request reads them together), without building a model instance per row or sending back the
    new ids: for a 200-client caseload (600 rows) ``bulk_create`` was a fifth of the page's CPU.
    """
    from django.db import connections
    from django.utils import timezone

    meta = AccessLog._meta
    qn = connections[db].ops.quote_name
    column = {f.name: str(f.column) for f in meta.concrete_fields}
    cols = ", ".join(qn(column[name]) for name in
                     ("at", "viewer", "viewer_role", "what", "via", "owner", "link", "link_kind", "scope"))
    sql = (f"INSERT INTO {qn(meta.db_table)} ({cols}) "  # noqa: S608 - names from the model, values as parameters
           "SELECT %s, %s, %s, %s, %s, r.owner_id, r.link_id, r.link_kind, r.scope "
           "FROM unnest(%s::bigint[], %s::bigint[], %s::text[], %s::text[]) AS r(owner_id, link_id, link_kind, scope)")
    params: list[Any] = [timezone.now(), viewer.pk, str(viewer.role), what, via,
              [link.owner_id for link, _s in reads], [link.pk for link, _s in reads],
              [str(link.kind) for link, _s in reads], [str(scope) for _l, scope in reads]]
    with connections[db].cursor() as cursor:
        cursor.execute(sql, params)


# ------------------------------------------------------------------ roles (issue 16 item 6)
#
# Role checks live here, not in each app, and give one answer: a denied request looks exactly like
# a missing object (404 on the web and in the API), so nobody learns which account ids or objects
# exist. Only "set up / pass your second factor" is said out loud (403 with its own page).


def require_person(user: User) -> User:
    """A personal account (not a therapist or clinic admin), else AccessDenied (answered as 404)."""
    if not user.is_authenticated or getattr(user, "role", None) != "person":
        raise AccessDenied("not_a_person")
    return user


def require_therapist(user: User) -> User:
    """A therapist whose session passed the second factor."""
    if not user.is_authenticated or not user.is_therapist:
        raise AccessDenied("not_a_therapist")
    if not user.has_mfa():
        raise AccessDenied("mfa_required")
    return user


def require_clinic_admin(user: User) -> User:
    """A clinic admin of a clinic, whose session passed the second factor (never client data)."""
    if not user.is_authenticated or not user.is_clinic_admin or getattr(user, "clinic_id", None) is None:
        raise AccessDenied("not_a_clinic_admin")
    if not user.has_mfa():
        raise AccessDenied("mfa_required")
    return user


def is_not_found(exc: BaseException) -> bool:
    """Whether a denial is answered as "not found" (all but the second-factor prompt)."""
    return getattr(exc, "reason", "") != "mfa_required"
