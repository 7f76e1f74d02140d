"""Every view refuses the HTTP methods it does not take (the URL walk's routes; the objects
are in conftest.py)."""

import pytest
from django.urls import get_resolver

from tests.security.url_walk import fill, walk

pytestmark = pytest.mark.django_db

ROUTES = walk(get_resolver().url_patterns)


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
