"""Writes of group trajectories; each checks the user's right again, in the database.

Error messages are constants the forms show and the tests assert.
"""

from dataclasses import dataclass
from datetime import date

from django.db import transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from actions.comparison import assessment_plan_comparison
from assessments.models import (
    ADMIN_ROLES,
    ANSWERING_ROLES,
    ORGANISATION_ROLES,
    Membership,
    Organisation,
)
from assessments.selectors import organisation_latest_submitted
from maturity.models import ModelVersion
from maturity.selectors import model_version_structure
from trajectories.models import Coach, Practice, Session, Trajectory, TrajectoryMember

ORGANISATION_NOT_FOUND = _("No organisation has this name or code. Check the spelling.")
ALREADY_INVITED = _("This organisation has already been invited to this trajectory.")
ALREADY_TAKING_PART = _("This organisation already takes part in this trajectory.")
COACH_ORGANISATION_INVITED = _("The coach organisation cannot be a member of its own trajectory.")
NOT_INVITED = _("There is no open invitation for this organisation.")
NOT_TAKING_PART = _("This organisation does not take part in the trajectory.")
SESSION_DATE_OUTSIDE = _("Choose a date between the start (%(start)s) and the end (%(end)s).")
UNKNOWN_PRIORITY = _("Choose priorities among the dimensions of the trajectory's model.")
NOT_A_COACH_CANDIDATE = _("A coach must be a member of the coach organisation.")
NOT_IMPROVED = _(
    "Only a finished action whose criterion improved at the latest assessment can be shared."
)
ALREADY_SHARED = _("This action has already been shared as a practice.")


class NotAllowedError(Exception):
    """The user may not do this (any more): the role or the coaching changed since the check."""


class TrajectoryInputError(Exception):
    """A refused input, with the message the form shows."""

    def __init__(self, message, field: str | None = None) -> None:
        super().__init__(str(message))
        self.message = message
        self.field = field


def _is_coach(*, trajectory: Trajectory, user) -> bool:
    return Coach.objects.filter(
        trajectory=trajectory,
        user=user,
        trajectory__coach_organisation__memberships__user=user,
        trajectory__coach_organisation__memberships__role__in=ORGANISATION_ROLES,
    ).exists()


def _require_coach(*, trajectory: Trajectory, user) -> None:
    if not _is_coach(trajectory=trajectory, user=user):
        raise NotAllowedError


def _locked_member_as_admin(*, member_pk: int, user) -> TrajectoryMember:
    """The member row, locked, when the user administers its organisation."""
    member = (
        TrajectoryMember.objects.select_for_update()
        .filter(
            pk=member_pk,
            organisation__memberships__user=user,
            organisation__memberships__role__in=ADMIN_ROLES,
        )
        .first()
    )
    if member is None:
        raise NotAllowedError
    return member


@transaction.atomic
def trajectory_create(
    *,
    user,
    organisation: Organisation,
    name: str,
    model_version: ModelVersion,
    start_date: date,
    end_date: date,
) -> Trajectory:
    """A new trajectory led by the user's organisation, with the user as its first coach."""
    if not Membership.objects.filter(
        user=user, organisation=organisation, role__in=ADMIN_ROLES
    ).exists():
        raise NotAllowedError
    trajectory = Trajectory(
        name=name,
        coach_organisation=organisation,
        model_version=model_version,
        start_date=start_date,
        end_date=end_date,
        created_by=user,
    )
    trajectory.full_clean()
    trajectory.save()
    Coach.objects.create(trajectory=trajectory, user=user)
    return trajectory


@transaction.atomic
def coach_add(*, trajectory: Trajectory, user, coach_user_id: int) -> Coach:
    """Another person of the coach organisation becomes a coach of the trajectory."""
    _require_coach(trajectory=trajectory, user=user)
    if not Membership.objects.filter(
        user_id=coach_user_id,
        organisation=trajectory.coach_organisation,
        role__in=ORGANISATION_ROLES,
    ).exists():
        raise TrajectoryInputError(NOT_A_COACH_CANDIDATE, "user")
    coach, _created = Coach.objects.get_or_create(trajectory=trajectory, user_id=coach_user_id)
    return coach


@transaction.atomic
def coach_leave(*, trajectory: Trajectory, user) -> None:
    """The user stops coaching the trajectory: every access through it ends."""
    Coach.objects.filter(trajectory=trajectory, user=user).delete()


def _organisation_find(text: str) -> Organisation | None:
    """The organisation named exactly (case aside), or by its slug or official code."""
    text = text.strip()
    if not text:
        return None
    matches = list(
        Organisation.objects.filter(
            Q(name__iexact=text) | Q(slug=text.lower()) | Q(official_code__iexact=text)
        )[:2]
    )
    return matches[0] if len(matches) == 1 else None


@transaction.atomic
def member_invite(*, trajectory: Trajectory, user, organisation_name: str) -> TrajectoryMember:
    """The coach invites an organisation; its admins accept or decline."""
    _require_coach(trajectory=trajectory, user=user)
    organisation = _organisation_find(organisation_name)
    if organisation is None:
        raise TrajectoryInputError(ORGANISATION_NOT_FOUND, "organisation")
    if organisation.pk == trajectory.coach_organisation_id:
        raise TrajectoryInputError(COACH_ORGANISATION_INVITED, "organisation")
    member = (
        TrajectoryMember.objects.select_for_update()
        .filter(trajectory=trajectory, organisation=organisation)
        .first()
    )
    if member is not None and member.status == TrajectoryMember.Status.INVITED:
        raise TrajectoryInputError(ALREADY_INVITED, "organisation")
    if member is not None and member.is_accepted:
        raise TrajectoryInputError(ALREADY_TAKING_PART, "organisation")
    if member is None:
        member = TrajectoryMember(trajectory=trajectory, organisation=organisation)
    # A declined or departed organisation may be invited again, with every consent off.
    member.status = TrajectoryMember.Status.INVITED
    member.invited_by, member.invited_at = user, timezone.now()
    member.answered_by, member.answered_at = None, None
    _consent_clear(member)
    member.save()
    return member


@transaction.atomic
def member_respond(*, member_pk: int, user, accept: bool) -> TrajectoryMember:
    """An admin of the invited organisation accepts or declines; consent starts all off."""
    member = _locked_member_as_admin(member_pk=member_pk, user=user)
    if member.status != TrajectoryMember.Status.INVITED:
        raise TrajectoryInputError(NOT_INVITED)
    member.status = TrajectoryMember.Status.ACCEPTED if accept else TrajectoryMember.Status.DECLINED
    member.answered_by, member.answered_at = user, timezone.now()
    member.save()
    return member


def _consent_clear(member: TrajectoryMember) -> None:
    member.share_phase = member.share_profile = False
    member.share_actions = member.share_priorities = False
    member.consent_version += 1


@dataclass(frozen=True)
class ConsentInput:
    share_phase: bool
    share_profile: bool
    share_actions: bool
    share_priorities: bool
    priorities: tuple[str, ...]


@transaction.atomic
def consent_set(*, member_pk: int, user, consent: ConsentInput) -> TrajectoryMember:
    """What the organisation shares with the group, per item; takes effect on the next request."""
    member = _locked_member_as_admin(member_pk=member_pk, user=user)
    if not member.is_accepted:
        raise TrajectoryInputError(NOT_TAKING_PART)
    known = {
        d.key for d in model_version_structure(version=member.trajectory.model_version).dimensions
    }
    if not set(consent.priorities) <= known:
        raise TrajectoryInputError(UNKNOWN_PRIORITY, "priorities")
    member.share_phase = consent.share_phase
    member.share_profile = consent.share_profile
    member.share_actions = consent.share_actions
    member.share_priorities = consent.share_priorities
    member.priorities = list(dict.fromkeys(consent.priorities))
    member.consent_version += 1
    member.consent_changed_at, member.consent_changed_by = timezone.now(), user
    member.save()
    return member


@transaction.atomic
def member_leave(*, member_pk: int, user) -> TrajectoryMember:
    """The organisation leaves the trajectory: it shares nothing any more and sees nothing."""
    member = _locked_member_as_admin(member_pk=member_pk, user=user)
    if not member.is_accepted:
        raise TrajectoryInputError(NOT_TAKING_PART)
    member.status = TrajectoryMember.Status.LEFT
    member.answered_by, member.answered_at = user, timezone.now()
    _consent_clear(member)
    member.save()
    return member


def _check_session_date(trajectory: Trajectory, when: date) -> None:
    if not trajectory.start_date <= when <= trajectory.end_date:
        raise TrajectoryInputError(
            SESSION_DATE_OUTSIDE
            % {
                "start": trajectory.start_date.strftime("%d-%m-%Y"),
                "end": trajectory.end_date.strftime("%d-%m-%Y"),
            },
            "date",
        )


@transaction.atomic
def session_create(*, trajectory: Trajectory, user, when: date, topic: str, agenda: str) -> Session:
    """The coach plans a session of the group."""
    _require_coach(trajectory=trajectory, user=user)
    _check_session_date(trajectory, when)
    session = Session(trajectory=trajectory, date=when, topic=topic, agenda=agenda, changed_by=user)
    session.full_clean()
    session.save()
    return session


@transaction.atomic
def session_update(*, session: Session, user, when: date, topic: str, agenda: str) -> Session:
    """The coach changes a session's date, topic or agenda."""
    _require_coach(trajectory=session.trajectory, user=user)
    _check_session_date(session.trajectory, when)
    session.date, session.topic, session.agenda = when, topic, agenda
    session.changed_by, session.changed_at = user, timezone.now()
    session.full_clean()
    session.save()
    return session


def improved_actions(*, member: TrajectoryMember, membership: Membership) -> list:
    """The member's finished actions whose criterion improved at its latest assessment."""
    latest = organisation_latest_submitted(organisation_id=member.organisation_id)
    if latest is None:
        return []
    comparison = assessment_plan_comparison(assessment=latest, membership=membership)
    if comparison is None:
        return []
    return [row for row in comparison.finished if row.outcome == "improved"]


@dataclass(frozen=True)
class PracticeInput:
    action_pk: int
    title: str
    what_we_did: str
    what_it_took: str


@transaction.atomic
def practice_share(*, member_pk: int, user, data: PracticeInput) -> Practice:
    """A respondent or admin of the member shares an action that worked, in their own words."""
    member = (
        TrajectoryMember.objects.select_for_update()
        .filter(pk=member_pk, status=TrajectoryMember.Status.ACCEPTED)
        .first()
    )
    membership = (
        Membership.objects.filter(
            user=user, organisation_id=member.organisation_id, role__in=ANSWERING_ROLES
        ).first()
        if member
        else None
    )
    if membership is None:
        raise NotAllowedError
    row = next(
        (
            r
            for r in improved_actions(member=member, membership=membership)
            if r.action.pk == data.action_pk
        ),
        None,
    )
    if row is None:
        raise TrajectoryInputError(NOT_IMPROVED, "action")
    if Practice.objects.filter(member=member, action_id=data.action_pk).exists():
        raise TrajectoryInputError(ALREADY_SHARED, "action")
    practice = Practice(
        member=member,
        action=row.action,
        criterion_key=row.action.criterion_key,
        title=data.title,
        what_we_did=data.what_we_did,
        what_it_took=data.what_it_took,
        before=row.before,
        after=row.after,
        created_by=user,
    )
    practice.full_clean()
    practice.save()
    return practice


@transaction.atomic
def practice_withdraw(*, trajectory: Trajectory, practice_pk: int, user) -> None:
    """The member's people take a practice of this trajectory back: the group no longer sees
    it. A practice the same organisation shared in another trajectory is not this one's."""
    deleted, _rows = Practice.objects.filter(
        pk=practice_pk,
        member__trajectory=trajectory,
        member__organisation__memberships__user=user,
        member__organisation__memberships__role__in=ANSWERING_ROLES,
    ).delete()
    if not deleted:
        raise NotAllowedError
