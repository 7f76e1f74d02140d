"""Writes of the benchmark: an organisation admin opts the organisation in or out."""

from django.db import transaction
from django.utils import timezone

from assessments.models import ADMIN_ROLES, Membership, Organisation
from assessments.services import NotAllowedError
from benchmarks.models import Participation


@transaction.atomic
def participation_set(*, user, organisation: Organisation, opted_in: bool) -> Participation:
    """Let the organisation's submitted results take part in benchmarks, or stop (admins only).

    Opting out takes effect at once: every benchmark reads the choice on every request.
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
