"""The demo trajectory of `make run`: "Monitoring & webcare 2027", coached by `coach`."""

from datetime import timedelta

from django.contrib.auth import get_user_model
from django.utils import timezone

from assessments.models import Membership, Organisation
from trajectories import services
from trajectories.board import agenda_proposal, board_build
from trajectories.models import Trajectory, TrajectoryMember
from trajectories.selectors import trajectory_access

COACH_USERNAME = "coach"
COACH_ORGANISATION = "Groeipad Coaching"
TRAJECTORY_NAME = "Monitoring & webcare 2027"
# name -> (phase, profile, actions, priorities, priority dimensions): what each member shares.
DEMO_MEMBERS = {
    "Gemeente Voorbeeld": (True, True, True, True, ["webcare", "monitoring"]),
    "Gemeente Scheldeveld": (True, True, False, True, ["participatie"]),
    "Gemeente Maasdonk": (True, True, True, False, []),
    "Gemeente Denderzele": (True, True, False, True, ["webcare"]),
    "Gemeente Netevoort": (True, False, False, False, []),
    # Takes part, but shares nothing yet: the board lists its name only.
    "Gemeente Leiebrug": (False, False, False, False, []),
}


def demo_trajectory_create(*, password: str, version) -> tuple[Trajectory, bool]:
    """The coach, the coach organisation, the trajectory, its six members and two sessions."""
    organisation, _new = Organisation.objects.get_or_create(
        slug="groeipad-coaching",
        defaults={"name": COACH_ORGANISATION, "kind": Organisation.Kind.OTHER},
    )
    User = get_user_model()
    coach, created = User.objects.get_or_create(
        username=COACH_USERNAME,
        defaults={"first_name": "Cora", "last_name": "Coach", "email": "coach@coaching.example"},
    )
    if created:
        coach.set_password(password)
        coach.save()
    Membership.objects.get_or_create(
        user=coach, organisation=organisation, defaults={"role": Membership.Role.ADMIN}
    )
    existing = Trajectory.objects.filter(name=TRAJECTORY_NAME).first()
    if existing is not None:
        return existing, False
    today = timezone.localdate()
    trajectory = services.trajectory_create(
        user=coach,
        organisation=organisation,
        name=TRAJECTORY_NAME,
        model_version=version,
        start_date=today - timedelta(days=60),
        end_date=today + timedelta(days=300),
    )
    for name, (phase, profile, actions, priorities, keys) in DEMO_MEMBERS.items():
        member = services.member_invite(trajectory=trajectory, user=coach, organisation_name=name)
        # Accepted and chosen by each organisation's admin; the demo writes their choices.
        TrajectoryMember.objects.filter(pk=member.pk).update(
            status=TrajectoryMember.Status.ACCEPTED,
            answered_at=timezone.now(),
            share_phase=phase,
            share_profile=profile,
            share_actions=actions,
            share_priorities=priorities,
            priorities=keys,
            consent_version=1,
        )
    services.session_create(
        trajectory=trajectory,
        user=coach,
        when=today - timedelta(days=45),
        topic="Kick-off: waar staan we?",
        agenda="1. Kennismaking en verwachtingen\n2. Ieders fase en profiel\n3. Afspraken",
    )
    board = board_build(access=trajectory_access(user=coach, pk=trajectory.pk))
    services.session_create(
        trajectory=trajectory,
        user=coach,
        when=today + timedelta(days=20),
        topic="Webcare: reactieschema's delen",
        agenda=agenda_proposal(board=board),
    )
    _demo_practice(trajectory)
    return trajectory, True


def _demo_practice(trajectory: Trajectory) -> None:
    """Gemeente Voorbeeld shares the first of its actions that worked, if the demo has one."""
    member = trajectory.members.filter(organisation__slug="gemeente-voorbeeld").first()
    admin = Membership.objects.filter(
        organisation__slug="gemeente-voorbeeld", role=Membership.Role.ADMIN
    ).first()
    if member is None or admin is None:
        return
    improved = services.improved_actions(member=member, membership=admin)
    if improved:
        services.practice_share(
            member_pk=member.pk,
            user=admin.user,
            data=services.PracticeInput(
                action_pk=improved[0].action.pk,
                title=improved[0].action.title,
                what_we_did="We maakten een reactieschema en spraken wachtdiensten af.",
                what_it_took="Twee werksessies met de diensten en een halve dag opleiding.",
            ),
        )
