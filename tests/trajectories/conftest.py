"""Fixtures of the trajectory tests: a coach organisation, a trajectory and three members."""

from dataclasses import dataclass
from datetime import timedelta

import pytest
from django.utils import timezone

from actions.services import action_create
from assessments.models import Assessment, Membership, Organisation
from assessments.services import assessment_create, assessment_submit
from tests.actions.conftest import action_input
from tests.conftest import answer_all
from tests.factories import MembershipFactory, OrganisationFactory
from trajectories import services
from trajectories.models import Trajectory, TrajectoryMember
from trajectories.services import ConsentInput

ALL_ON = ConsentInput(True, True, True, True, ("webcare",))
ALL_OFF = ConsentInput(False, False, False, False, ())


@pytest.fixture(autouse=True)
def empty_caches():
    from maturity import caching

    caching.clear_all()


@dataclass
class Group:
    trajectory: Trajectory
    coach: object
    coach_organisation: Organisation
    organisations: dict  # name -> Organisation
    admins: dict  # name -> user
    members: dict  # name -> TrajectoryMember


def submit(organisation, user, values: dict[int, str], title="Meting", days_ago=0) -> Assessment:
    assessment = assessment_create(organisation=organisation, user=user, title=title)
    answer_all(assessment, user, values)
    assessment = assessment_submit(assessment=assessment, user=user)
    if days_ago:
        moment = timezone.now() - timedelta(days=days_ago)
        Assessment.objects.filter(pk=assessment.pk).update(submitted_at=moment)
    return assessment


def join(group_trajectory, coach, organisation, admin) -> TrajectoryMember:
    member = services.member_invite(
        trajectory=group_trajectory, user=coach, organisation_name=organisation.name
    )
    return services.member_respond(member_pk=member.pk, user=admin, accept=True)


@pytest.fixture
def group(default_model, people) -> Group:
    """Coachbureau coaches "Webcare 2027": Gemeente Voorbeeld (people) at phase 2, Gemeente
    Verder at phase 3 (a year ago phase 2), and Gemeente Nieuw, which has not submitted."""
    coach_organisation = OrganisationFactory(name="Coachbureau", kind=Organisation.Kind.OTHER)
    coach_admin = MembershipFactory(organisation=coach_organisation, role=Membership.Role.ADMIN)
    coach = coach_admin.user
    today = timezone.localdate()
    trajectory = services.trajectory_create(
        user=coach,
        organisation=coach_organisation,
        name="Webcare 2027",
        model_version=default_model,
        start_date=today - timedelta(days=100),
        end_date=today + timedelta(days=265),
    )
    verder = OrganisationFactory(name="Gemeente Verder")
    nieuw = OrganisationFactory(name="Gemeente Nieuw")
    admins = {"Gemeente Voorbeeld": people.admin}
    for organisation in (verder, nieuw):
        admins[organisation.name] = MembershipFactory(
            organisation=organisation, role=Membership.Role.ADMIN
        ).user
    submit(people.organisation, people.admin, {1: "4", 2: "2", 3: "1", 4: "0"}, days_ago=10)
    submit(verder, admins["Gemeente Verder"], {1: "4", 2: "3", 3: "1", 4: "0"}, "Nul", 300)
    submit(verder, admins["Gemeente Verder"], {1: "4", 2: "4", 3: "3", 4: "1"}, "Nu", 5)
    action_create(
        organisation=people.organisation,
        user=people.admin,
        data=action_input(title="Reactieschema opstellen", notes="Geheime notitie"),
    )
    organisations = {o.name: o for o in (people.organisation, verder, nieuw)}
    members = {
        name: join(trajectory, coach, organisation, admins[name])
        for name, organisation in organisations.items()
    }
    return Group(trajectory, coach, coach_organisation, organisations, admins, members)


def consent(group: Group, name: str, value: ConsentInput) -> TrajectoryMember:
    return services.consent_set(
        member_pk=group.members[name].pk, user=group.admins[name], consent=value
    )
