"""Invitations, answers, consent, leaving and sessions: bad input gets a clear message."""

from datetime import timedelta

import pytest

from assessments.models import Membership
from tests.factories import MembershipFactory, OrganisationFactory
from tests.trajectories.conftest import ALL_ON, consent
from trajectories import services
from trajectories.models import Coach, TrajectoryMember
from trajectories.selectors import trajectory_access
from trajectories.services import ConsentInput, NotAllowedError, TrajectoryInputError

pytestmark = pytest.mark.django_db


def test_inviting_an_organisation_that_does_not_exist_is_refused(group):
    with pytest.raises(TrajectoryInputError) as error:
        services.member_invite(
            trajectory=group.trajectory, user=group.coach, organisation_name="Gemeente Nergens"
        )
    assert error.value.message == services.ORGANISATION_NOT_FOUND


def test_inviting_an_organisation_twice_is_refused(group):
    other = OrganisationFactory(name="Gemeente Twee")
    services.member_invite(
        trajectory=group.trajectory, user=group.coach, organisation_name="Gemeente Twee"
    )
    with pytest.raises(TrajectoryInputError) as error:
        services.member_invite(
            trajectory=group.trajectory, user=group.coach, organisation_name="gemeente twee"
        )
    assert error.value.message == services.ALREADY_INVITED
    assert TrajectoryMember.objects.filter(organisation=other).count() == 1


def test_inviting_a_member_that_takes_part_is_refused(group):
    with pytest.raises(TrajectoryInputError) as error:
        services.member_invite(
            trajectory=group.trajectory, user=group.coach, organisation_name="Gemeente Verder"
        )
    assert error.value.message == services.ALREADY_TAKING_PART


def test_only_a_coach_invites(group):
    OrganisationFactory(name="Gemeente Twee")
    with pytest.raises(NotAllowedError):
        services.member_invite(
            trajectory=group.trajectory,
            user=group.admins["Gemeente Verder"],
            organisation_name="Gemeente Twee",
        )


def test_accepting_for_another_organisation_is_refused(group):
    other = OrganisationFactory(name="Gemeente Twee")
    member = services.member_invite(
        trajectory=group.trajectory, user=group.coach, organisation_name=other.name
    )
    with pytest.raises(NotAllowedError):
        services.member_respond(
            member_pk=member.pk, user=group.admins["Gemeente Verder"], accept=True
        )
    member.refresh_from_db()
    assert member.status == TrajectoryMember.Status.INVITED


def test_a_viewer_cannot_accept_for_their_organisation(group):
    other = OrganisationFactory(name="Gemeente Twee")
    viewer = MembershipFactory(organisation=other, role=Membership.Role.VIEWER).user
    member = services.member_invite(
        trajectory=group.trajectory, user=group.coach, organisation_name=other.name
    )
    with pytest.raises(NotAllowedError):
        services.member_respond(member_pk=member.pk, user=viewer, accept=True)


def test_accepting_twice_says_there_is_no_open_invitation(group):
    member = group.members["Gemeente Verder"]
    with pytest.raises(TrajectoryInputError) as error:
        services.member_respond(
            member_pk=member.pk, user=group.admins["Gemeente Verder"], accept=True
        )
    assert error.value.message == services.NOT_INVITED


def test_consent_starts_off_after_accepting(group):
    member = group.members["Gemeente Verder"]
    assert not any(
        (member.share_phase, member.share_profile, member.share_actions, member.share_priorities)
    )


def test_consent_is_an_admins_choice(group, people):
    with pytest.raises(NotAllowedError):
        services.consent_set(
            member_pk=group.members["Gemeente Voorbeeld"].pk, user=people.viewer, consent=ALL_ON
        )
    with pytest.raises(NotAllowedError):
        services.consent_set(
            member_pk=group.members["Gemeente Voorbeeld"].pk, user=group.coach, consent=ALL_ON
        )


def test_unknown_priorities_are_refused(group):
    with pytest.raises(TrajectoryInputError) as error:
        consent(group, "Gemeente Verder", ConsentInput(True, True, True, True, ("tiktok",)))
    assert error.value.message == services.UNKNOWN_PRIORITY


def test_every_consent_change_raises_the_consent_version(group):
    before = group.members["Gemeente Verder"].consent_version
    after = consent(group, "Gemeente Verder", ALL_ON).consent_version
    assert after == before + 1


def test_leaving_ends_access_and_sharing(group):
    consent(group, "Gemeente Verder", ALL_ON)
    admin = group.admins["Gemeente Verder"]
    assert trajectory_access(user=admin, pk=group.trajectory.pk) is not None

    member = services.member_leave(member_pk=group.members["Gemeente Verder"].pk, user=admin)

    assert member.status == TrajectoryMember.Status.LEFT and not member.share_phase
    assert trajectory_access(user=admin, pk=group.trajectory.pk) is None


def test_a_coach_who_leaves_or_leaves_the_coach_organisation_has_no_access(group):
    pk = group.trajectory.pk
    assert trajectory_access(user=group.coach, pk=pk).is_coach
    Membership.objects.filter(user=group.coach).delete()
    assert trajectory_access(user=group.coach, pk=pk) is None

    second = MembershipFactory(organisation=group.coach_organisation).user
    Coach.objects.create(trajectory=group.trajectory, user=second)
    assert trajectory_access(user=second, pk=pk).is_coach
    services.coach_leave(trajectory=group.trajectory, user=second)
    assert trajectory_access(user=second, pk=pk) is None


def test_a_coach_is_no_member_of_the_municipalities(group):
    assert not Membership.objects.filter(
        user=group.coach, organisation__in=group.organisations.values()
    ).exists()


def test_a_declined_organisation_may_be_invited_again(group):
    other = OrganisationFactory(name="Gemeente Twee")
    admin = MembershipFactory(organisation=other, role=Membership.Role.ADMIN).user
    member = services.member_invite(
        trajectory=group.trajectory, user=group.coach, organisation_name=other.name
    )
    services.member_respond(member_pk=member.pk, user=admin, accept=False)

    again = services.member_invite(
        trajectory=group.trajectory, user=group.coach, organisation_name=other.name
    )

    assert again.pk == member.pk and again.status == TrajectoryMember.Status.INVITED


def test_a_session_outside_the_trajectory_is_refused(group):
    after_end = group.trajectory.end_date + timedelta(days=1)
    with pytest.raises(TrajectoryInputError) as error:
        services.session_create(
            trajectory=group.trajectory,
            user=group.coach,
            when=after_end,
            topic="Te laat",
            agenda="",
        )
    assert error.value.field == "date"
    assert "Choose a date between" in str(error.value.message)


def test_only_a_coach_plans_sessions(group):
    with pytest.raises(NotAllowedError):
        services.session_create(
            trajectory=group.trajectory,
            user=group.admins["Gemeente Verder"],
            when=group.trajectory.start_date,
            topic="Eigen sessie",
            agenda="",
        )
