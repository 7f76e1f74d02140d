"""A generated walk over every URL of the project with another organisation's objects.

Every pattern (admin/, i18n/ and static files aside) is requested with GET and POST as each
role of our organisation and as an anonymous visitor, its path parameters filled with objects
of a FOREIGN organisation. Anything but a refusal (302 to the login page, 403, 404, 405) fails,
unless ALLOWLIST names the page, the role and the status with a reason. A new pattern is
walked automatically; one with a parameter the walker does not know fails until it is taught.
"""

import re
import secrets
from dataclasses import dataclass

import pytest
from django.test import Client
from django.urls import URLPattern, URLResolver, get_resolver

from assessments.models import Invitation, Membership
from assessments.services import assessment_create, assessment_submit
from tests.conftest import answer_all
from tests.factories import MembershipFactory, OrganisationFactory

pytestmark = pytest.mark.django_db

SKIPPED_PREFIXES = ("admin/", "i18n/", "static/")
ROLES = ("anonymous", "respondent", "viewer", "admin")
METHODS = ("get", "post")
# 405: the view refuses the method before it looks at anything.
REFUSALS = {403, 404, 405}
LOGIN_PREFIX = "/accounts/login/?next="
PARAMETER = re.compile(r"<(?:(?P<converter>[^>:]+):)?(?P<name>[^>]+)>")

# A POST body that names foreign objects wherever a view reads an id from the form.
POST_DATA_KEYS = ("organisation",)

MEMBERS = ("respondent", "viewer", "admin")
ANSWERERS = ("respondent", "admin")

# (url name, role, method) -> (allowed statuses, why that is not a leak). The content of every
# allowed response is still checked for the foreign organisation's names and titles.
ALLOWLIST: dict[tuple[str, str, str], tuple[set[int], str]] = {
    **{
        ("login", role, method): ({200}, "the login page is public; POST re-shows the form")
        for role in ROLES
        for method in METHODS
    },
    **{
        ("maturity:growth_path", role, method): ({200}, "the growth path is public text")
        for role in ROLES
        for method in METHODS
    },
    **{
        ("dashboard", role, method): ({200}, "lists the user's own organisation only")
        for role in MEMBERS
        for method in METHODS
    },
    ("members", "admin", "get"): ({200}, "an admin sees their own organisation's members"),
    ("members", "admin", "post"): ({400}, "an empty invitation form is refused with its errors"),
    **{
        ("assessments:new", role, method): (
            {200},
            "starting an assessment in one's own organisation; an empty POST re-shows the form",
        )
        for role in ANSWERERS
        for method in METHODS
    },
    **{("logout", role, "post"): ({302}, "logging out sends to the login page") for role in ROLES},
}


@dataclass(frozen=True)
class Route:
    name: str
    route: str

    @property
    def parameters(self) -> list[str]:
        return [m.group("name") for m in PARAMETER.finditer(self.route)]


def walk(patterns, prefix: str = "", namespace: str = "") -> list[Route]:
    """Every named route under the given patterns, with its full route string."""
    routes: list[Route] = []
    for entry in patterns:
        route = prefix + str(entry.pattern)
        if route.startswith(SKIPPED_PREFIXES):
            continue
        if isinstance(entry, URLResolver):
            inner = f"{namespace}{entry.namespace}:" if entry.namespace else namespace
            routes += walk(entry.url_patterns, route, inner)
        elif isinstance(entry, URLPattern):
            if not entry.name:
                raise AssertionError(
                    f"URL {route!r} has no name; name it so the walk can report it"
                )
            routes.append(Route(name=namespace + entry.name, route=route))
    return routes


ROUTES = walk(get_resolver().url_patterns)


@dataclass
class Foreign:
    """Objects of another organisation: what our people must never reach."""

    organisation: object
    draft: object
    submitted: object
    membership: Membership
    invitation: Invitation
    model_version: object
    marker_texts: tuple[str, ...]
    member_pks: tuple[int, ...]


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
    # Our own organisation has work too, so the dashboard is not trivially empty.
    assessment_create(organisation=people.organisation, user=people.respondent, title="Eigen")
    return Foreign(
        organisation=organisation,
        draft=draft,
        submitted=submitted,
        membership=respondent_membership,
        invitation=invitation,
        model_version=default_model,
        marker_texts=(organisation.name, draft.title, submitted.title, admin.username),
        member_pks=tuple(organisation.memberships.values_list("pk", flat=True)),
    )


def fill(route: Route, foreign: Foreign, assessment) -> str:
    """The route's URL with each parameter taken from the foreign organisation."""
    values = {
        "pk": assessment.pk,
        "number": 1,
        "membership_pk": foreign.membership.pk,
        "invitation_pk": foreign.invitation.pk,
        # Knowing a token IS the permission to use it, so a foreign one proves nothing; an
        # unknown token must be a 404 for everyone.
        "token": secrets.token_urlsafe(32),
    }
    if route.name == "maturity:preview":
        values["pk"] = foreign.model_version.pk
    unknown = [name for name in route.parameters if name not in values]
    if unknown:
        pytest.fail(
            f"URL {route.name} ({route.route}) has parameter(s) {unknown} the security walk does "
            "not know: teach fill() in tests/security/test_url_access.py which foreign object "
            "to put there."
        )
    url = "/" + PARAMETER.sub(lambda m: str(values[m.group("name")]), route.route)
    return url


def client_as(role: str, people) -> Client:
    client = Client()
    if role != "anonymous":
        client.force_login(getattr(people, role))
    return client


def judge(route: Route, role: str, method: str, response, foreign: Foreign) -> str | None:
    """None when the response is a refusal or an allowed page without foreign data."""
    status = response.status_code
    if status == 302 and response["Location"].startswith(LOGIN_PREFIX) and role == "anonymous":
        return None
    if status in REFUSALS:
        return None
    allowed, _reason = ALLOWLIST.get((route.name, role, method), (set(), ""))
    if status not in allowed:
        where = response.get("Location", "")
        return f"{method.upper()} {route.name} as {role}: {status} {where}".rstrip()
    content = response.content.decode(errors="replace")
    leaked = [text for text in foreign.marker_texts if text in content]
    if leaked:
        return f"{method.upper()} {route.name} as {role}: shows foreign {leaked}"
    return None


@pytest.mark.parametrize("target", ["draft", "submitted"])
@pytest.mark.parametrize("route", ROUTES, ids=lambda r: r.name)
def test_no_url_serves_another_organisations_objects(route, target, foreign, people):
    url = fill(route, foreign, getattr(foreign, target))
    post_data = dict.fromkeys(POST_DATA_KEYS, foreign.organisation.pk)
    problems = []
    for role in ROLES:
        for method in METHODS:
            client = client_as(role, people)
            response = client.get(url) if method == "get" else client.post(url, post_data)
            problem = judge(route, role, method, response, foreign)
            if problem:
                problems.append(problem)
    assert not problems, f"{url}:\n" + "\n".join(problems)
    assert_foreign_objects_untouched(foreign)


def assert_foreign_objects_untouched(foreign: Foreign) -> None:
    """No request of the walk changed the other organisation's data."""
    foreign.draft.refresh_from_db()
    foreign.submitted.refresh_from_db()
    foreign.invitation.refresh_from_db()
    assert foreign.draft.is_draft
    assert not foreign.submitted.is_draft
    assert foreign.invitation.accepted_at is None
    assert Membership.objects.filter(pk=foreign.membership.pk).exists()
    assert set(
        Membership.objects.filter(organisation=foreign.organisation).values_list("pk", flat=True)
    ) == set(foreign.member_pks)


def test_the_walk_covers_the_assessment_pages_and_skips_admin():
    names = {route.name for route in ROUTES}
    assert {"assessments:report", "assessments:step", "member_remove", "dashboard"} <= names
    assert not any(route.route.startswith(SKIPPED_PREFIXES) for route in ROUTES)


def test_allowlist_names_only_existing_urls():
    names = {route.name for route in ROUTES}
    assert {name for name, _role, _method in ALLOWLIST} <= names


def test_a_pattern_with_an_unknown_parameter_asks_to_teach_the_walker(foreign):
    route = Route(name="assessments:something", route="assessments/<int:pk>/<slug:secret>/")
    with pytest.raises(pytest.fail.Exception, match="teach fill"):
        fill(route, foreign, foreign.draft)
