"""Writes for an organisation's people: invitations, accounts for invitees, removing members."""

from django.contrib.auth import get_user_model
from django.core.mail import send_mail
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from assessments.models import ADMIN_ROLES, Invitation, Membership, Organisation
from assessments.services.assessments import NotAllowedError


class LastAdminError(Exception):
    """The change would leave the organisation without an organisation admin."""


class InvitationUnusableError(Exception):
    """The invitation was accepted already or has expired."""


def _require_admin(*, user, organisation_id: int) -> None:
    if not Membership.objects.filter(
        organisation_id=organisation_id, user_id=user.pk, role__in=ADMIN_ROLES
    ).exists():
        raise NotAllowedError


@transaction.atomic
def invitation_create(
    *, organisation: Organisation, invited_by, email: str, role: str, accept_url: str
) -> Invitation:
    """Invite a colleague by e-mail with a one-time link that expires after seven days (admins)."""
    _require_admin(user=invited_by, organisation_id=organisation.pk)
    invitation = Invitation(
        organisation=organisation, email=email.strip().lower(), role=role, invited_by=invited_by
    )
    invitation.full_clean()
    invitation.save()
    link = accept_url.replace("TOKEN", invitation.token)
    send_mail(
        subject=_("Invitation to Groeipad for %(organisation)s") % {"organisation": organisation},
        message=_(
            "%(name)s invites you to work on the social-media growth path of %(organisation)s "
            "in Groeipad, as %(role)s.\n\nAccept the invitation (valid for seven days, once):\n"
            "%(link)s\n"
        )
        % {
            "name": invited_by.get_full_name() or invited_by.get_username(),
            "organisation": organisation,
            "role": invitation.get_role_display().lower(),
            "link": link,
        },
        from_email=None,
        recipient_list=[invitation.email],
    )
    return invitation


@transaction.atomic
def invitation_accept(*, invitation: Invitation, user) -> Membership:
    """Turn a usable invitation into a membership; the link cannot be used again."""
    locked = Invitation.objects.select_for_update().get(pk=invitation.pk)
    if not locked.is_usable:
        raise InvitationUnusableError
    membership, _created = Membership.objects.get_or_create(
        user=user, organisation=locked.organisation, defaults={"role": locked.role}
    )
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


@transaction.atomic
def membership_remove(*, membership: Membership, removed_by) -> None:
    """Remove a member (admins); an organisation always keeps at least one organisation admin.

    The organisation's row is locked first, so two admins removing each other at the same moment
    are serialised: the second sees the first's removal and is refused.
    """
    Organisation.objects.select_for_update().get(pk=membership.organisation_id)
    admins = set(
        Membership.objects.filter(
            organisation_id=membership.organisation_id, role__in=ADMIN_ROLES
        ).values_list("pk", "user_id")
    )
    if removed_by.pk not in {user_id for _pk, user_id in admins}:
        raise NotAllowedError
    if membership.pk in {pk for pk, _user_id in admins} and len(admins) <= 1:
        raise LastAdminError
    Membership.objects.filter(pk=membership.pk).delete()
