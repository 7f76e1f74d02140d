"""A generated walk over every URL of the project with another organisation's objects.

Every pattern (admin/, i18n/ and static files aside) is requested with GET, POST, PUT, PATCH
and DELETE as each kind of user (see `url_walk.ROLES`), its parameters filled with real objects
of a FOREIGN organisation. Anything but a refusal (302 to the login page, 403, 404, 405) fails,
unless ALLOWLIST names the page, the role and the status with a reason. A new pattern is walked
automatically; one with a parameter or route the walker cannot fill fails until it is taught.
The last tests prove the walk reports a deliberately unprotected view.
"""

from datetime import timedelta

import pytest
from django.contrib.auth.models import Permission
from django.http import HttpResponse
from django.test import Client
from django.urls import get_resolver, reverse
from django.utils import timezone

from actions.models import Action
from actions.services import action_create
from assessments.models import (
    AnswerChange,
    Assessment,
    Evidence,
    Invitation,
    Membership,
    Perspective,
)
from assessments.services import assessment_create, assessment_submit, perspective_create
from benchmarks.models import Participation
from maturity.models import ModelVersion
from tests.actions.conftest import action_input
from tests.conftest import answer_all
from tests.factories import MembershipFactory, OrganisationFactory, UserFactory, build_model_version
from tests.security.url_walk import (
    ALLOWLIST,
    FILLERS,
    LOGIN_PREFIX,
    REFUSALS,
    ROLES,
    SKIPPED_PREFIXES,
    Foreign,
    Route,
    action_state,
    clients_for,
    fill,
    foreign_changes,
    has_mixed_ids,
    judge,
    mixed_problems,
    mixed_urls,
    parent_kind,
    route_problems,
    send,
    trajectory_state,
    unmixed_url,
    uses_target,
    walk,
)
from trajectories.models import Coach, Practice, Session, Trajectory, TrajectoryMember

pytestmark = pytest.mark.django_db

ROUTES = walk(get_resolver().url_patterns)
CASES = [
    pytest.param(route, target, id=f"{route.name}-{target}")
    for route in ROUTES
    for target in (("draft", "submitted") if uses_target(route) else ("any",))
]


def _trajectory_with(*, coach_organisation, name, members, session_topic, coach=None):
    """A trajectory of the coach organisation whose members accepted and share everything."""
    coach = (
        coach
        or MembershipFactory(organisation=coach_organisation, role=Membership.Role.VIEWER).user
    )
    version = ModelVersion.objects.filter(status=ModelVersion.Status.PUBLISHED).first()
    today = timezone.localdate()
    trajectory = Trajectory.objects.create(
        name=name,
        coach_organisation=coach_organisation,
        model_version=version,
        start_date=today - timedelta(days=30),
        end_date=today + timedelta(days=300),
    )
    Coach.objects.create(trajectory=trajectory, user=coach)
    for organisation in members:
        TrajectoryMember.objects.create(
            trajectory=trajectory,
            organisation=organisation,
            status=TrajectoryMember.Status.ACCEPTED,
            share_phase=True,
            share_profile=True,
            share_actions=True,
            share_priorities=True,
            priorities=["webcare"],
        )
    session = Session.objects.create(trajectory=trajectory, date=today, topic=session_topic)
    return trajectory, session


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
    secret_trajectory, secret_session = _trajectory_with(
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
        member_pks=tuple(organisation.memberships.values_list("pk", flat=True)),
        member_roles=tuple(organisation.memberships.values_list("pk", "role")),
        assessment_count=Assessment.objects.filter(organisation=organisation).count(),
        change_count=AnswerChange.objects.filter(assessment__organisation=organisation).count(),
        action=action,
        action_state=action_state(organisation),
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
    _trajectory_with(
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


@pytest.mark.parametrize(("route", "target"), CASES)
def test_no_url_serves_another_organisations_objects(route, target, foreign, clients):
    target = "draft" if target == "any" else target
    problems = route_problems(route=route, target=target, foreign=foreign, clients=clients)
    assert not problems, "\n".join(problems)


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
        member_pks=tuple(organisation.memberships.values_list("pk", flat=True)),
        member_roles=tuple(organisation.memberships.values_list("pk", "role")),
        assessment_count=Assessment.objects.filter(organisation=organisation).count(),
        change_count=AnswerChange.objects.filter(assessment__organisation=organisation).count(),
        action=action,
        action_state=action_state(organisation),
        contributed=contributed,
        trajectory=Trajectory.objects.get(name="Onze groep"),
        session=Session.objects.get(topic="Onze sessie"),
        trajectory_state=trajectory_state(),
    )


OWN_CASES = [
    pytest.param(route, target, id=f"{route.name}-{target}")
    for route in ROUTES
    for target in (
        ("draft", "submitted", *(("contributed",) if "perspective_pk" in route.parameters else ()))
        if uses_target(route)
        else ("any",)
    )
]


# (url name, method) -> (status, why): what the contributor may do with our own objects that
# the foreign walk refuses.
OWN_ALLOWED = {
    ("organisation_switch", "post"): (302, "the contributor is a member of our organisation"),
}


@pytest.mark.parametrize(("route", "target"), OWN_CASES)
def test_a_contributor_reaches_nothing_of_ours_outside_their_perspective(
    route, target, own, clients
):
    target = "draft" if target == "any" else target
    url = fill(route, own, target)
    problems = []
    for method in ("get", "post", "put", "patch", "delete"):
        response = send(clients["contributor"], method, url, own)
        allowed, _why = OWN_ALLOWED.get((route.name, method), (None, ""))
        if response.status_code == allowed:
            continue
        problem = judge(route, "contributor", method, response, own, None)
        if problem:
            problems.append(f"{url}: {problem}")
    problems += foreign_changes(own)
    assert not problems, "\n".join(problems)


# Methods no page of ours takes: every view names the methods it accepts, so these are refused
# before the view reads anything.
UNUSED_METHODS = ("put", "patch", "delete")


# Django's own form views (login, password reset) take PUT like POST.
DJANGO_FORM_VIEWS = {"login", "account_login", "password_reset"}
# Django's reset link view answers an unknown link with its "invalid link" page whatever the
# method; it reads and changes nothing.
DJANGO_ANY_METHOD_VIEWS = {"password_reset_confirm"}


METHOD_ROUTES = [route for route in ROUTES if route.name not in DJANGO_ANY_METHOD_VIEWS]


@pytest.mark.parametrize("route", METHOD_ROUTES, ids=[route.name for route in METHOD_ROUTES])
def test_every_view_refuses_methods_it_does_not_take(route, foreign, clients):
    # Someone who may open the page, so that the method is what is refused.
    client = clients["staff"] if route.name == "model_version_preview" else clients["admin"]
    url = fill(route, foreign, "submitted")
    methods = ("patch", "delete") if route.name in DJANGO_FORM_VIEWS else UNUSED_METHODS
    statuses = {method: getattr(client, method)(url).status_code for method in methods}
    assert set(statuses.values()) == {405}, statuses


def test_the_walk_covers_the_assessment_pages_and_skips_admin():
    names = {route.name for route in ROUTES}
    assert {"reports:report", "assessments:step", "member_remove", "dashboard"} <= names
    assert not any(route.route.startswith(SKIPPED_PREFIXES) for route in ROUTES)
    step = next(route for route in ROUTES if route.name == "assessments:step")
    assert step.parameters == ("pk", "number")


def test_allowlist_and_fillers_name_only_existing_urls():
    names = {route.name for route in ROUTES}
    namespaces = {name.rpartition(":")[0] + ":" for name in names if ":" in name}
    assert {name for name, _role, _method in ALLOWLIST} <= names
    assert {name for name, _parameter in FILLERS} <= names | namespaces


def test_a_pattern_with_an_unknown_parameter_asks_to_teach_the_walker(foreign):
    route = Route(name="assessments:something", route="", parameters=("pk", "secret"))
    with pytest.raises(pytest.fail.Exception, match="teach FILLERS"):
        fill(route, foreign, "draft")


def test_the_walk_reports_an_unprotected_view_with_a_non_assessment_pk(settings, foreign, clients):
    settings.ROOT_URLCONF = "tests.security.unprotected_urls"
    routes = {route.name: route for route in walk(get_resolver().url_patterns)}
    note = routes["member_note"]

    # Untaught, the walk refuses to guess what `pk` is on a route outside `assessments:`.
    with pytest.raises(pytest.fail.Exception, match=r"\['pk'\].*teach FILLERS"):
        route_problems(route=note, target="draft", foreign=foreign, clients=clients)

    # Taught that it is a membership, the walk reaches the foreign member and reports the leak.
    taught = {**FILLERS, ("member_note", "pk"): lambda foreign, target: foreign.membership.pk}
    problems = route_problems(
        route=note, target="draft", foreign=foreign, clients=clients, fillers=taught
    )
    url = f"/members/{foreign.membership.pk}/note/"
    # (`mixed` is a member of that organisation: the walk lets it read what its viewers read.)
    for role in (
        "anonymous",
        "respondent",
        "viewer",
        "admin",
        "staff",
        "no_organisation",
        "contributor",
    ):
        assert f"{url}: GET member_note as {role}: 200" in problems, problems


def test_the_walk_fails_on_a_re_path_route_it_cannot_fill(settings, foreign, clients):
    settings.ROOT_URLCONF = "tests.security.unprotected_urls"
    routes = {route.name: route for route in walk(get_resolver().url_patterns)}
    with pytest.raises(pytest.fail.Exception, match="cannot fill a re_path with 1 unnamed"):
        route_problems(route=routes["legacy"], target="draft", foreign=foreign, clients=clients)


def test_the_walk_reports_our_own_data_shown_to_a_contributor(own):
    dashboard = next(route for route in ROUTES if route.name == "dashboard")
    page = HttpResponse(f"<h2>{own.draft.title}</h2>")

    assert judge(dashboard, "contributor", "get", page, own, None) == (
        f"GET dashboard as contributor: shows ['{own.draft.title}']"
    )
    theirs = HttpResponse(f"<h2>{own.contributed.title}</h2><p>Jeugddienst</p>")
    assert judge(dashboard, "contributor", "get", theirs, own, None) is None


# --- the mixed-ids pass ------------------------------------------------------------------------

MIXED_ROUTES = [route for route in ROUTES if has_mixed_ids(route)]
# (parent, child): our draft with another draft's child, of our organisation and of another one;
# and the other way round.
MIXED_PAIRS = (
    ("ours", "ours_other"),
    ("ours_other", "ours"),
    ("ours", "theirs"),
    ("theirs", "ours"),
)


@pytest.fixture
def sources(people, foreign, clients) -> dict[str, Assessment]:
    """Three drafts whose ids the mixed pass combines. `ours` is the draft the contributor answers
    in (its newest perspective is theirs), so every role could open its own children; `theirs`
    is on another model version, so its criterion keys are not ours."""
    build_model_version(slug="ander-model")
    foreign_admin = foreign.organisation.memberships.filter(role=Membership.Role.ADMIN).first()
    theirs = assessment_create(
        organisation=foreign.organisation, user=foreign_admin.user, title="Geheime andere meting"
    )
    assert theirs.model_version.slug == "ander-model"
    foreign.assessment_count += 1
    drafts = {
        "ours": Assessment.objects.get(organisation=people.organisation, title="Met bijdrage"),
        "ours_other": Assessment.objects.get(organisation=people.organisation, title="Eigen"),
        "theirs": theirs,
    }
    # Answered, so that an answer of one can be put beside another (the validation steps).
    for draft in drafts.values():
        answer_all(draft, draft.created_by, {1: "4", 2: "3", 3: "2", 4: "1"})
    foreign.change_count = AnswerChange.objects.filter(
        assessment__organisation=foreign.organisation
    ).count()
    return drafts


def perspective_state() -> list:
    return [
        *Perspective.objects.order_by("pk").values(),
        AnswerChange.objects.count(),
        Invitation.objects.count(),
        sorted(Evidence.objects.values_list("pk", flat=True)),
    ]


@pytest.fixture
def session_sources(people, foreign, clients) -> dict[str, Session]:
    """Three sessions whose ids the mixed pass combines: `ours` of the group our organisation,
    the walk's coach and trajectory member are in, `ours_other` a second session of that group
    (which all of them may read), `theirs` one of the foreign organisation's group, coached by
    `other_coach` (see `session_roles`)."""
    ours = Session.objects.get(topic="Onze sessie")
    ours_other = Session.objects.create(
        trajectory=ours.trajectory, date=ours.date, topic="Onze tweede sessie"
    )
    foreign.trajectory_state = trajectory_state()
    return {"ours": ours, "ours_other": ours_other, "theirs": foreign.session}


@pytest.fixture
def session_roles(foreign, clients) -> tuple[str, ...]:
    """Every role of the walk, and the coach of the other trajectory (`theirs`): their own
    session beside our render and our session beside their render must both be refused."""
    other_coach = Client()
    other_coach.force_login(foreign.trajectory.coaches.get().user)
    clients["other_coach"] = other_coach
    return (*ROLES, "other_coach")


# Who may open a parent of each kind unmixed (the mixed pass proves nothing if nobody may).
UNMIXED_OPENERS = {"assessment": ("admin", "contributor"), "session": ("admin", "coach")}


@pytest.mark.parametrize("route", MIXED_ROUTES, ids=[route.name for route in MIXED_ROUTES])
def test_no_url_serves_a_child_of_another_parent(request, route, foreign, clients):
    kind = parent_kind(route)
    sources = request.getfixturevalue("session_sources" if kind == "session" else "sources")
    roles = request.getfixturevalue("session_roles") if kind == "session" else ROLES
    # Unmixed, the URL is open to someone: what the mixed URLs get is the mix's refusal.
    unmixed = unmixed_url(route, sources["ours"], foreign)
    assert any(
        send(clients[role], method, unmixed, foreign).status_code not in (403, 404)
        for role in UNMIXED_OPENERS[kind]
        for method in ("get", "post")
    ), f"{unmixed} is refused to everyone even unmixed: the mixed pass would prove nothing"
    urls = mixed_urls(route, sources, MIXED_PAIRS, foreign)
    assert urls
    before = perspective_state()

    problems = mixed_problems(route=route, urls=urls, clients=clients, foreign=foreign, roles=roles)

    assert not problems, "\n".join(problems)
    assert perspective_state() == before
    assert not foreign_changes(foreign)


def _practice(trajectory, organisation, title: str) -> Practice:
    member = TrajectoryMember.objects.get(trajectory=trajectory, organisation=organisation)
    return Practice.objects.create(
        member=member, criterion_key="crit-001", title=title, what_we_did="Iets"
    )


def test_no_trajectory_page_withdraws_a_practice_of_another_trajectory(
    people, foreign, clients, session_roles
):
    """The practices page names its trajectory in the URL and the practice in the form: the mixed
    pass for that second id. Our organisation shares a practice in two groups; a practice of our
    group sent to the other group's page (and the other way round), and one of the foreign group
    beside ours, are refused for every role, the coach of the other group too, and all stay."""
    ours = Trajectory.objects.get(name="Onze groep")
    ours_other, _session = _trajectory_with(
        coach_organisation=ours.coach_organisation,
        name="Onze andere groep",
        members=[people.organisation],
        session_topic="Andere sessie",
        coach=ours.coaches.get().user,
    )
    practices = {
        "ours": _practice(ours, people.organisation, "Onze praktijk"),
        "ours_other": _practice(ours_other, people.organisation, "Andere praktijk"),
        "theirs": _practice(foreign.trajectory, foreign.organisation, "Geheime praktijk"),
    }
    trajectories = {"ours": ours, "ours_other": ours_other, "theirs": foreign.trajectory}
    problems = []
    for parent, child in MIXED_PAIRS:
        url = reverse("trajectories:practices", args=[trajectories[parent].pk])
        for role in session_roles:
            response = clients[role].post(url, {"practice": practices[child].pk})
            refused = response.status_code in REFUSALS or (
                role == "anonymous" and response.get("Location", "").startswith(LOGIN_PREFIX)
            )
            if not refused:
                problems.append(f"{url} with {child}'s practice as {role}: {response.status_code}")
    assert not problems, "\n".join(problems)
    assert Practice.objects.filter(pk__in=[p.pk for p in practices.values()]).count() == 3

    # Unmixed, our respondent withdraws our practice: the refusals above were the mix's.
    url = reverse("trajectories:practices", args=[ours.pk])
    assert clients["respondent"].post(url, {"practice": practices["ours"].pk}).status_code == 302
    assert not Practice.objects.filter(pk=practices["ours"].pk).exists()


def test_the_mixed_pass_covers_every_url_with_two_ids():
    names = {route.name for route in MIXED_ROUTES}
    assert {
        "assessments:perspective_edit",
        "assessments:perspective_delete",
        "assessments:perspective_invite",
        "assessments:answer_save",
        "assessments:consensus_edit",
        "assessments:perspective_answer_save",
        "assessments:validation_step",
        "trajectories:session_agenda_status",
    } <= names
    assert "assessments:step" not in names  # a step number is no id


def test_a_url_with_an_unknown_second_id_asks_to_teach_the_mixed_pass(sources, foreign):
    route = Route(name="actions:evidence", route="", parameters=("pk", "evidence_pk"))
    with pytest.raises(pytest.fail.Exception, match="teach PARENTS or CHILDREN"):
        mixed_urls(route, sources, MIXED_PAIRS, foreign)
