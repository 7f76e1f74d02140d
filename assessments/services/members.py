"""Writes for an organisation's people: invitations, accounts for invitees, removing members."""

import hashlib

from django.contrib.auth import get_user_model
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from assessments.models import (
    ADMIN_ROLES,
    ANSWERING_ROLES,
    Invitation,
    Membership,
    Organisation,
    Perspective,
)
from assessments.services.assessments import NotAllowedError
from maturity.mail import mail_queue


class LastAdminError(Exception):
    """The change would leave the organisation without an organisation admin."""


class InvitationUnusableError(Exception):
    """The invitation was accepted or revoked already, or has expired."""


class AlreadyMemberError(Exception):
    """The invited address belongs to someone who is a member of the organisation already."""


def _require_admin(*, user, organisation_id: int, roles=ADMIN_ROLES) -> None:
    if not Membership.objects.filter(
        organisation_id=organisation_id, user_id=user.pk, role__in=roles
    ).exists():
        raise NotAllowedError


def _one_line(text: str) -> str:
    # A mail header must be one line; a name with a line break would make send_mail refuse.
    return " ".join(str(text).split())


def _send_invitation(*, invitation: Invitation, invited_by, accept_url: str) -> None:
    """Queue the invitation mail: sent by a worker after the transaction commits, once per link."""
    organisation = _one_line(invitation.organisation)
    link_digest = hashlib.sha256(invitation.token.encode()).hexdigest()[:16]
    mail_queue(
        key=f"invitation:{invitation.pk}:{link_digest}",
        subject=_("Invitation to Groeipad for %(organisation)s") % {"organisation": organisation},
        body=_(
            "%(name)s invites you to work on the social-media growth path of %(organisation)s "
            "in Groeipad, as %(role)s.\n\nAccept the invitation (valid for seven days, once):\n"
            "%(link)s\n"
        )
        % {
            "name": invited_by.get_full_name() or invited_by.get_username(),
            "organisation": organisation,
            "role": invitation.get_role_display().lower(),
            "link": accept_url.replace("TOKEN", invitation.token),
        },
        to=invitation.email,
    )


@transaction.atomic
def invitation_create(
    *,
    organisation: Organisation,
    invited_by,
    email: str,
    role: str,
    accept_url: str,
    perspective: Perspective | None = None,
) -> Invitation:
    """Invite a colleague by e-mail with a one-time link that expires after seven days (admins).

    With a ``perspective`` (of a draft of the organisation), respondents may invite too, and the
    invitee becomes a contributor who answers in that perspective only. Someone who is a member
    already is not invited again (AlreadyMemberError): assign them to the perspective instead.
    """
    roles = ADMIN_ROLES if perspective is None else ANSWERING_ROLES
    _require_admin(user=invited_by, organisation_id=organisation.pk, roles=roles)
    email = email.strip().lower()
    if Membership.objects.filter(organisation=organisation, user__email__iexact=email).exists():
        raise AlreadyMemberError
    if perspective is not None:
        if perspective.assessment.organisation_id != organisation.pk:
            raise NotAllowedError
        role = Membership.Role.CONTRIBUTOR
    invitation = Invitation(
        organisation=organisation,
        email=email,
        role=role,
        invited_by=invited_by,
        perspective=perspective,
    )
    invitation.full_clean()
    invitation.save()
    _send_invitation(invitation=invitation, invited_by=invited_by, accept_url=accept_url)
    return invitation


def _lock_open_invitation(*, invitation: Invitation, user) -> Invitation:
    _require_admin(user=user, organisation_id=invitation.organisation_id)
    locked = (
        Invitation.objects.select_for_update(of=("self",))
        .select_related("organisation")
        .get(pk=invitation.pk)
    )
    if locked.accepted_at is not None or locked.revoked_at is not None:
        raise InvitationUnusableError
    return locked


@transaction.atomic
def invitation_revoke(*, invitation: Invitation, revoked_by) -> Invitation:
    """Withdraw an invitation that was not accepted yet (admins); its link stops working."""
    locked = _lock_open_invitation(invitation=invitation, user=revoked_by)
    locked.revoked_at = timezone.now()
    locked.save(update_fields=["revoked_at"])
    return locked


@transaction.atomic
def invitation_resend(*, invitation: Invitation, resent_by, accept_url: str) -> Invitation:
    """Send an open invitation again with a new link and seven new days (admins).

    The old link stops working: it may have reached the wrong person.
    """
    locked = _lock_open_invitation(invitation=invitation, user=resent_by)
    fresh = Invitation()  # the model's defaults make the new token and expiry
    locked.token, locked.expires_at = fresh.token, fresh.expires_at
    locked.save(update_fields=["token", "expires_at"])
    _send_invitation(invitation=locked, invited_by=resent_by, accept_url=accept_url)
    return locked


@transaction.atomic
def invitation_accept(*, invitation: Invitation, user) -> Membership:
    """Turn a usable invitation into a membership; the link cannot be used again."""
    locked = Invitation.objects.select_for_update().get(pk=invitation.pk)
    if not locked.is_usable:
        raise InvitationUnusableError
    membership, _created = Membership.objects.get_or_create(
        user=user, organisation=locked.organisation, defaults={"role": locked.role}
    )
    if locked.perspective_id is not None:
        membership.perspectives.add(locked.perspective_id)
    locked.accepted_at = timezone.now()
    locked.accepted_by = user
    locked.save()
    return membership


def user_create_for_invitation(*, invitation: Invitation, username: str, password: str, name: str):
    """A new account for someone who accepts an invitation."""
    first, _space, last = name.strip().partition(" ")
    return get_user_model().objects.create_user(
        username=username,
        email=invitation.email,
        password=password,
        first_name=first,
        last_name=last,
    )


def _lock_admins(*, membership: Membership, user) -> set[int]:
    """Lock the organisation's row and return its admins' membership ids (admins only).

    Every change to who is admin locks the organisation first, so two admins removing or
    demoting each other at the same moment are serialised: the second sees the first's change.
    """
    Organisation.objects.select_for_update().get(pk=membership.organisation_id)
    admins = set(
        Membership.objects.filter(
            organisation_id=membership.organisation_id, role__in=ADMIN_ROLES
        ).values_list("pk", "user_id")
    )
    if user.pk not in {user_id for _pk, user_id in admins}:
        raise NotAllowedError
    return {pk for pk, _user_id in admins}


@transaction.atomic
def membership_remove(*, membership: Membership, removed_by) -> None:
    """Remove a member (admins); an organisation always keeps at least one organisation admin."""
    admins = _lock_admins(membership=membership, user=removed_by)
    if membership.pk in admins and len(admins) <= 1:
        raise LastAdminError
    Membership.objects.filter(pk=membership.pk).delete()


@transaction.atomic
def membership_change_role(*, membership: Membership, role: str, changed_by) -> Membership:
    """Give a member another role (admins); the last organisation admin cannot be demoted."""
    admins = _lock_admins(membership=membership, user=changed_by)
    locked = Membership.objects.select_for_update().get(pk=membership.pk)
    if locked.pk in admins and role not in ADMIN_ROLES and len(admins) <= 1:
        raise LastAdminError
    locked.role = role
    locked.full_clean()
    locked.save(update_fields=["role"])
    return locked
