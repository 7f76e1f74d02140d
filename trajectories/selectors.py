"""Reads of group trajectories; every query starts from the user's coaching or memberships.

A coach is no member of the organisations in the group: `trajectory_access` finds the user's
`Coach` row (while they are still a member of the coach organisation) or the accepted member
rows of the organisations the user belongs to. Anything else is None, which the views turn
into a 404. The group board is read in `trajectories.board`.
"""

from dataclasses import dataclass
from datetime import date

from django.db.models import Count, Exists, Min, OuterRef, Q, QuerySet
from django.utils import timezone

from assessments.models import ADMIN_ROLES, ORGANISATION_ROLES, Assessment, Membership
from maturity.prepared import PreparedRead
from maturity.selectors import model_version_structure
from trajectories.models import (
    Coach,
    OrganisationRevision,
    Practice,
    Session,
    Trajectory,
    TrajectoryMember,
)


@dataclass(frozen=True)
class TrajectoryAccess:
    """What one user may do in one trajectory."""

    trajectory: Trajectory
    is_coach: bool
    # The user's organisations' rows in the trajectory (any status), with `is_admin` set.
    own_members: tuple[TrajectoryMember, ...]

    @property
    def member(self) -> TrajectoryMember | None:
        """The user's organisation in the group that takes part (the first, by name)."""
        return next((m for m in self.own_members if m.is_accepted), None)

    @property
    def can_manage_member(self) -> bool:
        member = self.member
        return member is not None and member.is_admin


def _coach_rows(user) -> QuerySet[Coach]:
    """The user's coach rows that still count: they are a member of the coach organisation."""
    return Coach.objects.filter(
        user=user,
        trajectory__coach_organisation__memberships__user=user,
        trajectory__coach_organisation__memberships__role__in=ORGANISATION_ROLES,
    )


def _own_member_rows(user) -> QuerySet[TrajectoryMember]:
    """The trajectory rows of the organisations the user sees (not as a contributor)."""
    admin = Membership.objects.filter(
        user=user, organisation=OuterRef("organisation"), role__in=ADMIN_ROLES
    )
    return (
        TrajectoryMember.objects.filter(
            organisation__memberships__user=user,
            organisation__memberships__role__in=ORGANISATION_ROLES,
        )
        .annotate(is_admin=Exists(admin))
        .select_related("organisation")
    )


def trajectory_access(*, user, pk: int) -> TrajectoryAccess | None:
    """The user's access to a trajectory they coach or take part in; None otherwise (404)."""
    if not user.is_authenticated or not 0 < pk < 2**63:
        return None
    trajectory = (
        Trajectory.objects.filter(pk=pk)
        .annotate(is_coach=Exists(_coach_rows(user).filter(trajectory=OuterRef("pk"))))
        .select_related("coach_organisation", "model_version")
        .first()
    )
    if trajectory is None:
        return None
    own = tuple(_own_member_rows(user).filter(trajectory=trajectory))
    access = TrajectoryAccess(trajectory=trajectory, is_coach=trajectory.is_coach, own_members=own)
    if not access.is_coach and access.member is None:
        return None
    return access


def trajectory_invited_access(*, user, pk: int) -> TrajectoryAccess | None:
    """Access for answering an invitation: the user administers an invited organisation."""
    if not user.is_authenticated or not 0 < pk < 2**63:
        return None
    trajectory = Trajectory.objects.filter(pk=pk).select_related("coach_organisation").first()
    if trajectory is None:
        return None
    own = tuple(_own_member_rows(user).filter(trajectory=trajectory))
    if not any(m.is_admin and m.status == TrajectoryMember.Status.INVITED for m in own):
        return None
    return TrajectoryAccess(trajectory=trajectory, is_coach=False, own_members=own)


def trajectory_readable(*, user, trajectory: OuterRef) -> Q:
    """A filter for rows of a trajectory (`trajectory`: a reference to its id) that the user
    coaches or takes part in: the rows `trajectory_access` starts from, as one condition."""
    coach = _coach_rows(user).filter(trajectory=trajectory)
    member = _own_member_rows(user).filter(
        trajectory=trajectory, status=TrajectoryMember.Status.ACCEPTED
    )
    return Q(Exists(coach)) | Q(Exists(member))


@dataclass(frozen=True)
class TrajectoryOverview:
    """The user's trajectories, each list split in running (or still to start) and ended ones.

    Coached trajectories carry `member_count` (accepted), `invited_count` and `next_session` (the
    date of the first session from today on, or None), annotated in the one query that reads
    them: the page reads the same number of queries for 1 trajectory as for 30.
    """

    coached: list[Trajectory]
    coached_ended: list[Trajectory]
    taking_part: list[TrajectoryMember]
    taking_part_ended: list[TrajectoryMember]
    invitations: list[TrajectoryMember]


def trajectory_overview(*, user, today: date | None = None) -> TrajectoryOverview:
    """The trajectories the user coaches, takes part in, and the invitations they may answer:
    two queries however many there are. Running ones first, the soonest to end on top (what a
    coach of 30 groups works on next); ended ones after, the most recently ended first."""
    today = today or timezone.localdate()
    accepted = Q(members__status=TrajectoryMember.Status.ACCEPTED)
    coached = list(
        Trajectory.objects.filter(Exists(_coach_rows(user).filter(trajectory=OuterRef("pk"))))
        .annotate(
            member_count=Count("members", filter=accepted, distinct=True),
            invited_count=Count(
                "members",
                filter=Q(members__status=TrajectoryMember.Status.INVITED),
                distinct=True,
            ),
            next_session=Min("sessions__date", filter=Q(sessions__date__gte=today)),
        )
        .order_by("end_date", "name", "pk")
    )
    rows = list(
        _own_member_rows(user)
        .filter(status__in=[TrajectoryMember.Status.ACCEPTED, TrajectoryMember.Status.INVITED])
        .select_related("trajectory", "trajectory__coach_organisation")
        .order_by("trajectory__end_date", "trajectory__name", "organisation__name")
        .distinct()
    )
    taking_part = [r for r in rows if r.is_accepted]
    return TrajectoryOverview(
        coached=[t for t in coached if t.end_date >= today],
        coached_ended=[t for t in reversed(coached) if t.end_date < today],
        taking_part=[r for r in taking_part if r.trajectory.end_date >= today],
        taking_part_ended=[r for r in reversed(taking_part) if r.trajectory.end_date < today],
        invitations=[r for r in rows if r.status == TrajectoryMember.Status.INVITED and r.is_admin],
    )


def trajectory_members(*, access: TrajectoryAccess) -> list[TrajectoryMember]:
    """Every organisation in the trajectory with its status, for the coach's member list."""
    return list(access.trajectory.members.select_related("organisation"))


def trajectory_sessions(*, access: TrajectoryAccess) -> list[Session]:
    return list(access.trajectory.sessions.all())


def session_get(*, user, pk: int) -> tuple[Session, TrajectoryAccess] | None:
    """A session of a trajectory the user coaches or takes part in; None otherwise."""
    if not 0 < pk < 2**63:
        return None
    trajectory_id = Session.objects.filter(pk=pk).values_list("trajectory_id", flat=True).first()
    if trajectory_id is None:
        return None
    access = trajectory_access(user=user, pk=trajectory_id)
    if access is None:
        return None
    return Session.objects.get(pk=pk), access


def coach_candidates(*, access: TrajectoryAccess) -> QuerySet[Membership]:
    """People of the coach organisation who are not yet a coach of the trajectory."""
    return (
        Membership.objects.filter(
            organisation=access.trajectory.coach_organisation, role__in=ORGANISATION_ROLES
        )
        .exclude(user__coaching__trajectory=access.trajectory)
        .select_related("user")
        .order_by("user__username")
    )


@dataclass(frozen=True)
class PracticeGroup:
    criterion_key: str
    statement: str
    dimension_name: str
    practices: list[Practice]


def practice_list(*, access: TrajectoryAccess, criterion_key: str = "") -> list[PracticeGroup]:
    """The group's good practices by criterion (of members that still take part): one query."""
    practices = Practice.objects.filter(
        member__trajectory=access.trajectory, member__status=TrajectoryMember.Status.ACCEPTED
    ).select_related("member__organisation")
    if criterion_key:
        practices = practices.filter(criterion_key=criterion_key)
    structure = model_version_structure(version=access.trajectory.model_version)
    criteria = structure.criteria_by_key
    dimension_names = {d.pk: d.name for d in structure.dimensions}
    groups: dict[str, list[Practice]] = {}
    for practice in practices:
        groups.setdefault(practice.criterion_key, []).append(practice)
    return [
        PracticeGroup(
            criterion_key=key,
            statement=criteria[key].statement if key in criteria else key,
            dimension_name=dimension_names.get(criteria[key].dimension_id, "")
            if key in criteria
            else "",
            practices=items,
        )
        for key, items in groups.items()
    ]


_ORGANISATION_REVISION = PreparedRead(
    lambda organisation_id: OrganisationRevision.objects.filter(
        organisation_id=organisation_id
    ).values_list("epoch", "counter")
)


def organisation_revision(*, organisation_id: int) -> tuple[str, int] | None:
    """How often the data of an organisation that others show has changed, in one single-row
    read: its actions and submitted assessments (migration 0004), and the practices of its
    groups, their members and the names shown with them (0005). Database triggers bump it on
    every such write, whatever makes it; None until the first one."""
    return next(iter(_ORGANISATION_REVISION(organisation_id=organisation_id)), None)


def practices_for_advice(*, assessment: Assessment) -> list[Practice]:
    """The practices of the groups the assessment's organisation takes part in, on the criteria
    its report advises (a submitted assessment's stored advice), in one query: the report page
    shows each with the advice item of its criterion."""
    keys = [item["criterion_key"] for item in (assessment.result or {}).get("advice", [])]
    if not keys:
        return []
    return list(
        Practice.objects.filter(
            criterion_key__in=keys,
            member__status=TrajectoryMember.Status.ACCEPTED,
            member__trajectory__members__organisation_id=assessment.organisation_id,
            member__trajectory__members__status=TrajectoryMember.Status.ACCEPTED,
        )
        .select_related("member__organisation", "member__trajectory")
        .order_by("criterion_key", "-created_at")
    )
