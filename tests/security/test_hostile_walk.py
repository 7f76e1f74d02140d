"""Issue 31 point 2: the URL walk's hostile pass finds no server error on any page.

Every URL of the walk (tests/security/url_walk.py), filled with our own organisation's objects so
its views do their work, is opened by someone who may open it; every GET parameter and form field
found on it is then sent NUL, lone surrogates, broken encodings, RTL overrides, control
characters and 1 MB (tests/security/hostile_walk.py). Runs on SQLite and, with DATABASE_URL set,
on PostgreSQL.
"""

import pytest
from django.contrib.auth.models import Permission
from django.test import Client
from django.urls import get_resolver

from tests.factories import UserFactory
from tests.security.hostile_walk import hostile_problems
from tests.security.url_walk import fill, uses_target, walk

pytestmark = pytest.mark.django_db

ROUTES = walk(get_resolver().url_patterns)

# Pages for someone without an organisation: the public ones, and the invitation link.
ANONYMOUS_ROUTES = {
    "login",
    "password_reset",
    "password_reset_done",
    "password_reset_confirm",
    "password_reset_complete",
    "invitation_accept",
    "maturity:growth_path",
}
# Posting these would end the walk's session; the rest of the walk posts them hostile anyway.
NOT_POSTED = {"logout"}

CASES = [
    pytest.param(route, target, id=f"{route.name}-{target}")
    for route in ROUTES
    if route.name not in NOT_POSTED
    for target in (("draft", "submitted") if uses_target(route) else ("any",))
]


def client_for_route(name: str, people, clients) -> Client:
    if name in ANONYMOUS_ROUTES:
        return Client()
    if name == "model_version_preview":
        return clients["staff"]
    if name.startswith("benchmarks:sector"):
        analyst = UserFactory()
        analyst.user_permissions.add(Permission.objects.get(codename="view_sector"))
        client = Client()
        client.force_login(analyst)
        return client
    return clients["admin"]


@pytest.mark.parametrize(("route", "target"), CASES)
def test_no_hostile_value_in_a_parameter_or_field_gives_a_server_error(
    route,
    target,
    own,
    clients,
    people,
):
    target = "draft" if target == "any" else target
    url = fill(route, own, target)
    if route.name == "invitation_accept":
        url = url.rsplit("/", 2)[0] + f"/{own.invitation.token}/"

    problems = hostile_problems(client_for_route(route.name, people, clients), url)

    assert not problems, "\n".join(problems)
