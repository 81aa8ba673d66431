from __future__ import annotations

from dataclasses import dataclass

from django.utils.translation import gettext_lazy as _

from nearer.accounts.models import Invitation, InvitationState, Link, LinkKind, User
from nearer.privacy.models import AccessLog
from nearer.privacy.scopes import SCOPES, Scope, scopes_for


@dataclass
class LinkRow:
    link: Link
    other: User
    shared: list[Scope]
    not_shared: list[Scope]


def sharing_page(
    user: User, *, with_tokens: bool = False, links: list[Link] | None = None, open_invitations: int | None = None
) -> dict[str, object]:
    """Links out and in, and the invitations still waiting.

    ``with_tokens`` loads each waiting invitation's token so the page can show its link again; the
    home page (whose cards may be cached) leaves the tokens in the database. ``links`` (their active
    links both ways, with both people) and the number of ``open_invitations`` may be given when
    already read (the home page reads them once).
    """
    if links is None:
        links_out = list(Link.objects.active().filter(owner=user).select_related("viewer").order_by("kind", "created_at"))
        links_in = list(Link.objects.active().filter(viewer=user).select_related("owner").order_by("kind"))
    else:
        links_out = sorted((k for k in links if k.owner_id == user.pk), key=lambda k: (k.kind, k.created_at, k.pk))
        links_in = sorted((k for k in links if k.viewer_id == user.pk), key=lambda k: (k.kind, k.created_at, k.pk))
    rows = []
    for link in links_out:
        available = scopes_for(link.kind)
        rows.append(
            LinkRow(
                link=link,
                other=link.viewer,
                shared=[s for s in available if s.key in link.scopes],
                not_shared=[s for s in available if s.key not in link.scopes],
            )
        )
    invitations = []
    if open_invitations != 0:
        waiting = Invitation.objects.filter(inviter=user, used_at__isnull=True, revoked_at__isnull=True).order_by(
            "-created_at"
        )
        if not with_tokens:
            waiting = waiting.defer("token_sealed")
        invitations = [inv for inv in waiting[:20] if inv.state == InvitationState.OPEN]
    return {
        "rows": rows,
        "links_in": [
            {"link": link, "other": link.owner, "scopes": [SCOPES[k] for k in link.scopes if k in SCOPES]} for link in links_in
        ],
        "invitations": invitations,
        "has_partner": any(r.link.kind == LinkKind.PARTNER for r in rows),
    }


@dataclass
class AccessRow:
    entry: AccessLog
    what: object  # the scope's label in the reader's language, e.g. "Questionnaire results"
    through: object  # "Partner" / "Therapist"
    via: object  # "on the web" / "through the app"


def access_log(user: User, limit: int = 200) -> list[AccessRow]:
    """The person's access log in words they read: scope labels, not internal keys or view names."""
    kinds = dict(LinkKind.choices)
    via = {"web": _("on the web"), "api": _("through the app")}
    rows = []
    for entry in AccessLog.objects.filter(owner=user).select_related("viewer")[:limit]:
        scope = SCOPES.get(entry.scope)
        rows.append(AccessRow(entry=entry, what=scope.label if scope else entry.scope,
                              through=kinds.get(entry.link_kind, entry.link_kind), via=via.get(entry.via, entry.via)))
    return rows


def clients_of(therapist: User) -> list[Link]:
    return list(Link.objects.active().filter(viewer=therapist, kind=LinkKind.THERAPIST).select_related("owner"))


def unlink_consequences(user: User, link: Link) -> dict[str, object]:
    """What stops when ``user`` ends ``link``, in plain sentences, for the question asked first (issue 16 item 5)."""
    from django.utils.translation import gettext as g

    mine = link.owner_id == user.pk
    other = link.viewer if mine else link.owner
    name = other.name
    shared = [str(SCOPES[k].label) for k in (link.scopes or []) if k in SCOPES]
    stops: list[str] = []
    if link.kind == LinkKind.THERAPIST and mine:
        stops.append(g("%(name)s will no longer see anything of yours: %(what)s.") % {
            "name": name, "what": ", ".join(shared) or g("nothing is shared right now")})
        stops.append(g("Safety alerts about you will no longer go to %(name)s. Crisis help in Nearer stays one tap away.") % {"name": name})
    elif link.kind == LinkKind.THERAPIST:
        stops.append(g("%(name)s will no longer share anything with you, and their safety alerts will no longer reach you.") % {"name": name})
        stops.append(g("Only they can link with you again."))
    else:
        stops.append(g("%(name)s will no longer see what you share, and you will no longer see what %(name)s shares: "
                       "unlinking a partner ends both directions.") % {"name": name})
        stops.append(g("Couple conversations stop; a talk still open closes without revealing anything more."))
    stops.append(g("What you wrote stays yours. Linking again needs a new invitation."))
    return {"link": link, "other": other, "stops": stops}
