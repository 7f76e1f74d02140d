"""The objects and clients of the URL walks (test_url_access*.py, url_walk.py): another
organisation's objects (`foreign`), every kind of user (`clients`), and our own objects outside
a contributor's perspective (`own`)."""

import pytest
from django.contrib.auth.models import Permission

from actions.models import Action
from actions.services import action_create
from assessments.models import Assessment, Invitation, Membership, Perspective
from assessments.services import assessment_create, assessment_submit, perspective_create
from benchmarks.models import Participation
from tests.actions.conftest import action_input
from tests.conftest import answer_all
from tests.factories import MembershipFactory, OrganisationFactory, UserFactory, build_model_version
from tests.security.url_walk import (
    Foreign,
    clients_for,
    organisation_state,
    trajectory_state,
    trajectory_with,
)
from trajectories.models import Session, Trajectory


@pytest.fixture
def foreign(default_model, people) -> Foreign:
    organisation = OrganisationFactory(name="Gemeente Elders")
    admin = MembershipFactory(organisation=organisation, role=Membership.Role.ADMIN).user
    respondent_membership = MembershipFactory(
        organisation=organisation, role=Membership.Role.RESPONDENT
    )
    draft = assessment_create(organisation=organisation, user=admin, title="Geheime kladversie")
    submitted = assessment_create(organisation=organisation, user=admin, title="Geheime meting")
    answer_all(submitted, admin, {1: "4", 2: "3", 3: "2", 4: "1"})
    submitted = assessment_submit(assessment=submitted, user=admin)
    invitation = Invitation.objects.create(
        organisation=organisation, email="nieuw@elders.example", role="admin", invited_by=admin
    )
    action = action_create(
        organisation=organisation,
        user=admin,
        data=action_input(title="Geheime actie", owner_name="geheime dienst"),
    )
    Participation.objects.create(organisation=organisation, opted_in=True)
    # The foreign organisation's group trajectory, which it shares everything with.
    secret_trajectory, secret_session = trajectory_with(
        coach_organisation=OrganisationFactory(name="Geheim coachbureau"),
        name="Geheime groep",
        members=[organisation],
        session_topic="Geheime sessie",
    )
    # Our own organisation has work too, so the dashboard is not trivially empty; and a draft
    # with two perspectives, the contributor's and one they must not see.
    assessment_create(organisation=people.organisation, user=people.respondent, title="Eigen")
    contributed = assessment_create(
        organisation=people.organisation, user=people.respondent, title="Met bijdrage"
    )
    perspective_create(assessment=contributed, user=people.respondent, name="Jeugddienst")
    hidden_draft = assessment_create(
        organisation=people.organisation, user=people.respondent, title="Interne kladversie"
    )
    own_action = action_create(
        organisation=people.organisation,
        user=people.admin,
        data=action_input(title="Interne actie", owner_name="interne dienst"),
    )
    return Foreign(
        organisation=organisation,
        draft=draft,
        submitted=submitted,
        membership=respondent_membership,
        invitation=invitation,
        invitation_token=invitation.token,
        draft_model_version=build_model_version(slug="concept", publish=False),
        marker_texts=(
            organisation.name,
            draft.title,
            submitted.title,
            admin.username,
            respondent_membership.user.username,
            action.title,
            action.owner_name,
            secret_trajectory.name,
            secret_session.topic,
        ),
        action=action,
        **organisation_state(organisation),
        trajectory=secret_trajectory,
        session=secret_session,
        own_marker_texts=(
            hidden_draft.title,
            contributed.perspectives.order_by("pk").first().name,  # not the contributor's
            own_action.title,
            own_action.owner_name,
        ),
    )


@pytest.fixture
def clients(people, foreign):
    mixed = MembershipFactory(organisation=people.organisation, role=Membership.Role.ADMIN).user
    MembershipFactory(user=mixed, organisation=foreign.organisation, role=Membership.Role.VIEWER)
    staff = UserFactory(is_staff=True)
    staff.user_permissions.set(Permission.objects.filter(content_type__app_label="maturity"))
    foreign_viewer = MembershipFactory(
        organisation=foreign.organisation, role=Membership.Role.VIEWER
    ).user
    contributor = UserFactory()
    contribution = MembershipFactory(
        user=contributor, organisation=people.organisation, role=Membership.Role.CONTRIBUTOR
    )
    Perspective.objects.get(
        assessment__organisation=people.organisation, name="Jeugddienst"
    ).members.add(contribution)
    # The coach and a member of a trajectory in which the foreign organisation takes part and
    # shares everything: they must still reach nothing of it outside that trajectory's board.
    coach_organisation = OrganisationFactory(name="Coachbureau")
    coach = MembershipFactory(organisation=coach_organisation, role=Membership.Role.VIEWER).user
    third = OrganisationFactory(name="Gemeente Derde")
    trajectory_member = MembershipFactory(organisation=third, role=Membership.Role.ADMIN).user
    trajectory_with(
        coach_organisation=coach_organisation,
        name="Onze groep",
        members=[foreign.organisation, third, people.organisation],
        session_topic="Onze sessie",
        coach=coach,
    )
    foreign.member_pks = tuple(foreign.organisation.memberships.values_list("pk", flat=True))
    foreign.member_roles = tuple(foreign.organisation.memberships.values_list("pk", "role"))
    foreign.trajectory_state = trajectory_state()
    return clients_for(
        people,
        {
            "mixed": mixed,
            "staff": staff,
            "no_organisation": UserFactory(),
            "contributor": contributor,
            "coach": coach,
            "trajectory_member": trajectory_member,
            "foreign_viewer": foreign_viewer,
        },
    )


@pytest.fixture
def own(default_model, people, foreign, clients) -> Foreign:
    """Our own organisation's objects outside the contributor's perspective, as the walk's
    "foreign" objects: a draft and a submitted assessment they are not assigned to, the other
    perspective of the draft they answer in, our members, invitation, action and benchmark."""
    organisation = people.organisation
    contributed = Assessment.objects.get(organisation=organisation, title="Met bijdrage")
    hidden_draft = Assessment.objects.get(organisation=organisation, title="Interne kladversie")
    submitted = assessment_create(
        organisation=organisation, user=people.respondent, title="Interne meting"
    )
    answer_all(submitted, people.respondent, {1: "4", 2: "3", 3: "2", 4: "1"})
    submitted = assessment_submit(assessment=submitted, user=people.respondent)
    invitation = Invitation.objects.create(
        organisation=organisation,
        email="nieuw@eigen.example",
        role="admin",
        invited_by=people.admin,
    )
    action = Action.objects.get(organisation=organisation, title="Interne actie")
    # Names no page text contains by chance (usernames like user1 are inside user12).
    member_names = []
    for role in ("respondent", "viewer", "admin"):
        user = getattr(people, role)
        user.last_name = f"Interne-{role}"
        user.save(update_fields=["last_name"])
        member_names.append(user.last_name)
    Participation.objects.create(organisation=organisation, opted_in=True)
    return Foreign(
        organisation=organisation,
        draft=hidden_draft,
        submitted=submitted,
        membership=organisation.memberships.get(user=people.respondent),
        invitation=invitation,
        invitation_token=invitation.token,
        draft_model_version=foreign.draft_model_version,
        marker_texts=(
            *foreign.own_marker_texts,
            submitted.title,
            *member_names,
        ),
        action=action,
        **organisation_state(organisation),
        contributed=contributed,
        trajectory=Trajectory.objects.get(name="Onze groep"),
        session=Session.objects.get(topic="Onze sessie"),
        trajectory_state=trajectory_state(),
    )
