"""State changes for accounts, links, invitations and tokens. Each function is one atomic step."""

from __future__ import annotations

import secrets
from dataclasses import dataclass
from datetime import timedelta
from typing import Any

from django.db import models, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from nearer.accounts.models import (
    TOKEN_DAYS_CHOICES,
    TOKEN_DEFAULT_DAYS,
    ApiToken,
    Clinic,
    Invitation,
    InvitationKind,
    InvitationState,
    Link,
    LinkKind,
    Role,
    User,
    hash_token,
)
from nearer.privacy.models import ShareEvent
from nearer.privacy.scopes import default_scopes, validate_scopes


class InvitationError(Exception):
    """An invitation that cannot be used, with a message we can show the person."""

    def __init__(self, message: str, state: str = "invalid") -> None:
        super().__init__(message)
        self.message = message
        self.state = state


@dataclass(frozen=True)
class NewInvitation:
    invitation: Invitation
    token: str


_INVITER_ROLES = {
    InvitationKind.PARTNER: {Role.PERSON},
    InvitationKind.THERAPIST: {Role.PERSON},
    InvitationKind.CLIENT: {Role.THERAPIST},
    InvitationKind.CLINIC_THERAPIST: {Role.CLINIC_ADMIN},
}


@transaction.atomic
def create_invitation(inviter: User, kind: str, scopes: list[str] | None = None) -> NewInvitation:
    if inviter.role not in _INVITER_ROLES[InvitationKind(kind)]:
        raise InvitationError(_("Your account cannot send this kind of invitation."))
    link_kind = {
        InvitationKind.PARTNER: LinkKind.PARTNER,
        InvitationKind.THERAPIST: LinkKind.THERAPIST,
        InvitationKind.CLIENT: LinkKind.THERAPIST,
    }.get(InvitationKind(kind))
    if link_kind is not None:
        scopes = validate_scopes(link_kind, scopes if scopes is not None else default_scopes(link_kind))
    else:
        scopes = []
    token = Invitation.new_token()
    invitation = Invitation.objects.create(
        kind=kind,
        inviter=inviter,
        clinic=inviter.clinic if kind == InvitationKind.CLINIC_THERAPIST else None,
        token_hash=hash_token(token),
        token_sealed=token,
        scopes=scopes,
        expires_at=Invitation.default_expiry(),
    )
    return NewInvitation(invitation=invitation, token=token)


def find_invitation(token: str) -> Invitation:
    invitation = Invitation.objects.select_related("inviter", "clinic").filter(token_hash=hash_token(token)).first()
    if invitation is None:
        raise InvitationError(_("This invitation link isn't valid. Ask for a new one."), "invalid")
    state = invitation.state
    if state == InvitationState.EXPIRED:
        raise InvitationError(_("This invitation expired. Invitations last 7 days; ask for a new one."), "expired")
    if state == InvitationState.USED:
        raise InvitationError(_("This invitation has already been used. Each link works once."), "used")
    if state == InvitationState.REVOKED:
        raise InvitationError(_("This invitation was withdrawn by the person who sent it."), "revoked")
    return invitation


def _record(owner: User, link: Link, action: str, before: list[str], after: list[str]) -> None:
    ShareEvent.objects.create(owner=owner, link=link, action=action, scopes_before=before, scopes_after=after)


def _make_link(owner: User, viewer: User, kind: str, scopes: list[str], alerts_told: bool = False) -> Link:
    if owner.pk == viewer.pk:
        raise InvitationError(_("You can't link with yourself."))
    existing = Link.objects.active().filter(owner=owner, viewer=viewer).first()
    if existing:
        raise InvitationError(_("You are already linked."))
    link = Link.objects.create(
        owner=owner,
        viewer=viewer,
        kind=kind,
        scopes=validate_scopes(kind, scopes),
        alerts_acknowledged_at=timezone.now() if alerts_told else None,
    )
    _record(owner, link, "linked", [], link.scopes)
    return link


@transaction.atomic
def accept_invitation(token: str, user: User, scopes: list[str] | None = None) -> list[Link]:
    """Accept an invitation as ``user``. ``scopes`` lets a client choose at acceptance."""
    invitation = find_invitation(token)
    Invitation.objects.select_for_update().filter(pk=invitation.pk).first()
    inviter = invitation.inviter
    if inviter.pk == user.pk:
        raise InvitationError(_("This is your own invitation. Send the link to the other person."))
    kind = invitation.kind
    links: list[Link] = []
    if kind == InvitationKind.PARTNER:
        if user.role != Role.PERSON:
            raise InvitationError(_("Partner invitations are for personal accounts."))
        if Link.objects.active().filter(kind=LinkKind.PARTNER, owner__in=[inviter, user]).exists():
            raise InvitationError(_("One of you is already linked with a partner. Unlink first."))
        links.append(_make_link(inviter, user, LinkKind.PARTNER, invitation.scopes))
        links.append(_make_link(user, inviter, LinkKind.PARTNER, default_scopes(LinkKind.PARTNER)))
    elif kind == InvitationKind.THERAPIST:
        if user.role != Role.THERAPIST:
            raise InvitationError(_("This invitation is for a therapist's account."))
        links.append(_make_link(inviter, user, LinkKind.THERAPIST, invitation.scopes, alerts_told=True))
    elif kind == InvitationKind.CLIENT:
        if user.role != Role.PERSON:
            raise InvitationError(_("This invitation is for a personal account."))
        chosen = invitation.scopes if scopes is None else scopes
        links.append(_make_link(user, inviter, LinkKind.THERAPIST, chosen, alerts_told=True))
    elif kind == InvitationKind.CLINIC_THERAPIST:
        if user.role == Role.CLINIC_ADMIN or Link.objects.filter(owner=user).exists():
            raise InvitationError(_("This invitation is for a new therapist account."))
        user.role = Role.THERAPIST
        user.clinic = invitation.clinic
        user.save(update_fields=["role", "clinic"])
    updated = Invitation.objects.filter(pk=invitation.pk, used_at__isnull=True).update(
        used_at=timezone.now(), used_by=user, token_sealed=""
    )
    if updated != 1:
        raise InvitationError(_("This invitation has already been used. Each link works once."), "used")
    return links


@transaction.atomic
def revoke_invitation(owner: User, invitation_id: int) -> bool:
    """Withdraw a waiting invitation of ``owner``: its link stops working and is no longer kept."""
    return bool(Invitation.objects.filter(pk=invitation_id, inviter=owner, used_at__isnull=True, revoked_at__isnull=True)
                .update(revoked_at=timezone.now(), token_sealed=""))


@transaction.atomic
def set_link_scopes(owner: User, link_id: int, scopes: list[str]) -> Link:
    link = Link.objects.select_for_update().get(pk=link_id, owner=owner, revoked_at__isnull=True)
    before = list(link.scopes)
    link.scopes = validate_scopes(link.kind, scopes)
    link.save(update_fields=["scopes"])
    _record(owner, link, "scopes_changed", before, link.scopes)
    return link


@transaction.atomic
def revoke_link(actor: User, link_id: int) -> None:
    """End a link. Either side may end it; ending a partner link ends both directions at once."""
    link = Link.objects.select_for_update().get(pk=link_id, revoked_at__isnull=True)
    if actor.pk not in (link.owner_id, link.viewer_id):
        raise Link.DoesNotExist
    now = timezone.now()
    to_end = [link]
    if link.kind == LinkKind.PARTNER:
        to_end += list(Link.objects.active().filter(owner=link.viewer, viewer=link.owner, kind=LinkKind.PARTNER))
    for item in to_end:
        item.revoked_at = now
        item.save(update_fields=["revoked_at"])
        _record(item.owner, item, "revoked", list(item.scopes), [])


@dataclass(frozen=True)
class NewToken:
    token: ApiToken
    secret: str


@transaction.atomic
def create_api_token(user: User, name: str, days: int = TOKEN_DEFAULT_DAYS) -> NewToken:
    if days not in TOKEN_DAYS_CHOICES:
        from django.core.exceptions import ValidationError

        raise ValidationError({"days": _("Choose 30, 90 or 365 days.")})
    secret = ApiToken.PREFIX + secrets.token_urlsafe(32)
    token = ApiToken.objects.create(user=user, name=name.strip()[:80] or "token", token_hash=hash_token(secret), hint=secret[-4:],
                                    expires_at=timezone.now() + timedelta(days=days))
    return NewToken(token=token, secret=secret)


@transaction.atomic
def revoke_api_token(user: User, token_id: int) -> None:
    ApiToken.objects.filter(pk=token_id, user=user, revoked_at__isnull=True).update(revoked_at=timezone.now())


@transaction.atomic
def revoke_all_api_tokens(user: User) -> int:
    """End every token of ``user`` (second factor reset, password change): a token must not outlive
    the credentials that stood behind it."""
    return ApiToken.objects.filter(user=user, revoked_at__isnull=True).update(revoked_at=timezone.now())


def user_for_token(secret: str) -> User | None:
    if not secret.startswith(ApiToken.PREFIX):
        return None
    token = ApiToken.objects.select_related("user").filter(
        token_hash=hash_token(secret), revoked_at__isnull=True, expires_at__gt=timezone.now()).first()
    if token is None or not token.user.is_active:
        return None
    ApiToken.objects.filter(pk=token.pk).update(last_used_at=timezone.now())
    return token.user


@transaction.atomic
def create_clinic(name: str, city: str = "", state: str = "", on_call_email: str = "") -> Clinic:
    return Clinic.objects.create(name=name, city=city, state=state, on_call_email=on_call_email)


@transaction.atomic
def set_therapist_active(admin: User, therapist_id: int, active: bool) -> User:
    therapist = User.objects.get(pk=therapist_id, clinic=admin.clinic, role=Role.THERAPIST)
    if not active:
        # A deactivated therapist cannot sign in, yet their clients' links (and safety alerts) would
        # still point at them: the caseload has to move first.
        clients = Link.objects.active().filter(viewer=therapist, kind=LinkKind.THERAPIST).count()
        if clients:
            from django.core.exceptions import ValidationError
            from django.utils.translation import ngettext

            raise ValidationError(ngettext(
                "%(name)s still has %(n)s client. Move the caseload to another therapist first, so the client's "
                "safety alerts keep reaching someone.",
                "%(name)s still has %(n)s clients. Move the caseload to another therapist first, so their "
                "clients' safety alerts keep reaching someone.", clients) % {"name": therapist.name, "n": clients})
    therapist.is_active = active
    therapist.save(update_fields=["is_active"])
    if not active:
        from allauth.usersessions.models import UserSession

        for session in UserSession.objects.filter(user=therapist):
            session.end()
    return therapist


@transaction.atomic
def update_profile(user: User, *, display_name: str, language: str, timezone_name: str) -> User:
    user.display_name = display_name.strip()
    user.language = language
    user.timezone = timezone_name
    user.save(update_fields=["display_name", "language", "timezone"])
    return user


@transaction.atomic
def link_client_to_therapist(client: User, therapist: User, scopes: list[str]) -> Link:
    """Link a person with a therapist after both agreed (e.g. an accepted directory request)."""
    if client.role != Role.PERSON or therapist.role != Role.THERAPIST or not therapist.is_active:
        raise InvitationError(_("This link needs a personal account and an active therapist."))
    return _make_link(client, therapist, LinkKind.THERAPIST, scopes, alerts_told=True)


@transaction.atomic
def save_welcome_settings(user: User, *, language: str, timezone_name: str, remind: bool, remind_at: Any) -> None:
    """The welcome's one settings screen: language, time zone and the daily check-in reminder."""
    update_profile(user, display_name=user.display_name, language=language, timezone_name=timezone_name)
    from nearer.ops.services import set_preference

    set_preference(user, "checkin", local_time=remind_at, enabled=remind, by_email=True, by_push=False)


# ---------------------------------------------------------------- a linked account closes


@transaction.atomic
def end_partner_links_of_closing_account(user: User) -> list[int]:
    """Before ``user``'s account is erased: end their partner links (both directions, so the couple ends
    and a talk still open closes unrevealed) and mark each partner to be told, on their next page and by
    an email that names nobody, unless the closing person said the relationship is not safe or paused
    couple features (then nobody is told). Returns the ids of the partners told."""
    links = Link.objects.active().select_for_update().filter(kind=LinkKind.PARTNER).filter(
        models.Q(owner=user) | models.Q(viewer=user))
    partner_ids = sorted({link.viewer_id if link.owner_id == user.pk else link.owner_id for link in links})
    for link in list(links):
        if Link.objects.filter(pk=link.pk, revoked_at__isnull=True).exists():
            revoke_link(user, link.pk)
    from nearer.relsafety.services import leaving_quietly

    if leaving_quietly(user):
        # They told Nearer their relationship is not safe (or paused couple features): closing the
        # account must not become news for the partner. The link ends as silently as an unlink.
        return []
    now = timezone.now()
    User.objects.filter(pk__in=partner_ids).update(partner_closed_at=now)
    for pk in partner_ids:
        transaction.on_commit(lambda pk=pk: send_partner_closed_email(pk))  # type: ignore[misc]
    return partner_ids


def partner_closed_email(person: User) -> tuple[str, str]:
    """The email to a person whose partner's account was closed: no names, nothing anyone wrote."""
    from django.conf import settings
    from django.urls import reverse
    from django.utils import translation

    with translation.override(person.language or settings.LANGUAGE_CODE):
        subject = _("Nearer: your partner link has ended")
        body = _(
            "The account you were linked with as partners in Nearer has been closed, so your partner link has "
            "ended. Nothing is shared between the two accounts any more.\n\n"
            "Everything you wrote in Nearer stays yours. You can see what this means here:\n%(url)s\n\n"
            "If you need help now, Nearer's help page lists who to call or text, day and night."
        ) % {"url": settings.SITE_URL.rstrip("/") + reverse("accounts:sharing")}
    return subject, body


def send_partner_closed_email(person_id: int) -> None:
    import logging

    from django.core.mail import send_mail

    person = User.objects.filter(pk=person_id, is_active=True).first()
    if person is None or not person.email:
        return
    subject, body = partner_closed_email(person)
    try:
        send_mail(subject, body, None, [person.email])
    except Exception:  # noqa: BLE001 - the notice on their next page still tells them
        logging.getLogger(__name__).warning("partner closed email failed", extra={"person_id": person.pk})


@transaction.atomic
def dismiss_partner_closed_notice(user: User) -> None:
    User.objects.filter(pk=user.pk).update(partner_closed_at=None)
    user.partner_closed_at = None
