"""A generated walk over every URL of the project with another organisation's objects.

Every pattern (admin/, i18n/ and static files aside) is requested with GET, POST, PUT, PATCH
and DELETE as each kind of user (see `url_walk.ROLES`), its parameters filled with real objects
of a FOREIGN organisation. Anything but a refusal (302 to the login page, 403, 404, 405) fails,
unless ALLOWLIST names the page, the role and the status with a reason. A new pattern is walked
automatically; one with a parameter or route the walker cannot fill fails until it is taught.
The last tests prove the walk reports a deliberately unprotected view. The objects and clients
are in conftest.py; the same walk as a contributor over our own objects is
test_url_access_contributor.py, the methods no view takes test_url_methods.py (three files, so
that parallel workers share the walk).
"""

import pytest
from django.test import Client
from django.urls import get_resolver, reverse

from assessments.models import (
    AnswerChange,
    Assessment,
    Evidence,
    Invitation,
    Membership,
    Perspective,
)
from assessments.services import assessment_create
from tests.conftest import answer_all
from tests.factories import build_model_version
from tests.security.url_walk import (
    ALLOWLIST,
    FILLERS,
    LOGIN_PREFIX,
    REFUSALS,
    ROLES,
    SKIPPED_PREFIXES,
    Route,
    fill,
    foreign_changes,
    has_mixed_ids,
    mixed_problems,
    mixed_urls,
    parent_kind,
    route_problems,
    send,
    trajectory_state,
    trajectory_with,
    unmixed_url,
    uses_target,
    walk,
)
from trajectories.models import Practice, Session, Trajectory, TrajectoryMember

pytestmark = pytest.mark.django_db

ROUTES = walk(get_resolver().url_patterns)
CASES = [
    pytest.param(route, target, id=f"{route.name}-{target}")
    for route in ROUTES
    for target in (("draft", "submitted") if uses_target(route) else ("any",))
]


@pytest.mark.parametrize(("route", "target"), CASES)
def test_no_url_serves_another_organisations_objects(route, target, foreign, clients):
    target = "draft" if target == "any" else target
    problems = route_problems(route=route, target=target, foreign=foreign, clients=clients)
    assert not problems, "\n".join(problems)


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
    ours_other, _session = trajectory_with(
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
