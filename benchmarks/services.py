"""Writes of the benchmark: an organisation admin opts the organisation in or out."""

from django.contrib.auth.models import Group, Permission
from django.db import transaction
from django.utils import timezone

from assessments.models import ADMIN_ROLES, Membership, Organisation
from assessments.services import NotAllowedError
from benchmarks.models import Participation

SECTOR_ANALYSTS_GROUP = "Sector analysts"


@transaction.atomic
def participation_set(*, user, organisation: Organisation, opted_in: bool) -> Participation:
    """Let the organisation's submitted results take part in benchmarks, or stop (admins only).

    Opting out takes effect at once: the row's change bumps the benchmark revision (a database
    trigger), which every cached benchmark figure is keyed on.
    """
    if not Membership.objects.filter(
        organisation=organisation, user_id=user.pk, role__in=ADMIN_ROLES
    ).exists():
        raise NotAllowedError
    participation, _created = Participation.objects.select_for_update().get_or_create(
        organisation=organisation
    )
    participation.opted_in = opted_in
    participation.changed_at = timezone.now()
    participation.changed_by = user
    participation.save()
    return participation


def sector_analysts_group() -> Group:
    """The group staff add an umbrella body's account to: it may open the sector view."""
    group, _created = Group.objects.get_or_create(name=SECTOR_ANALYSTS_GROUP)
    group.permissions.add(Permission.objects.get(codename="view_sector"))
    return group
