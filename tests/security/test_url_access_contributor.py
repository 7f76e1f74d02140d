"""The URL walk as a contributor over our own organisation's objects outside their
perspective (see test_url_access.py for the walk itself; the objects are in conftest.py)."""

import pytest
from django.http import HttpResponse
from django.urls import get_resolver

from tests.security.url_walk import fill, foreign_changes, judge, send, uses_target, walk

pytestmark = pytest.mark.django_db

ROUTES = walk(get_resolver().url_patterns)


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


def test_the_walk_reports_our_own_data_shown_to_a_contributor(own):
    dashboard = next(route for route in ROUTES if route.name == "dashboard")
    page = HttpResponse(f"<h2>{own.draft.title}</h2>")

    assert judge(dashboard, "contributor", "get", page, own, None) == (
        f"GET dashboard as contributor: shows ['{own.draft.title}']"
    )
    theirs = HttpResponse(f"<h2>{own.contributed.title}</h2><p>Jeugddienst</p>")
    assert judge(dashboard, "contributor", "get", theirs, own, None) is None
