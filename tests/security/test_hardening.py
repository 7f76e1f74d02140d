"""Hardening found by attack testing (issue 13, point 8): CSP and browser caching.

In CDN mode the policy names the exact pinned files, not jsDelivr as a whole (which serves any
npm package); pages of a signed-in user are not kept in the browser's cache, static files are.
"""

import json

import pytest
from django.test import Client, override_settings
from django.urls import reverse

from maturity.assets import VENDOR_ASSETS
from tests.security.test_headers import PRODUCTION_ENV, run_python

CSP_CODE = (
    "import json, django; django.setup(); from django.conf import settings as s; "
    "print(json.dumps(s.CONTENT_SECURITY_POLICY['DIRECTIVES'], default=str))"
)


def directives(assets_mode: str) -> dict:
    result = run_python(CSP_CODE, {**PRODUCTION_ENV, "DJANGO_ASSETS": assets_mode})
    assert result.returncode == 0, result.stderr
    return json.loads(result.stdout.strip().splitlines()[-1])


def test_the_cdn_policy_allows_only_the_pinned_files():
    policy = directives("cdn")

    assert policy["script-src"] == [
        "'self'",
        VENDOR_ASSETS["bootstrap-js"].cdn_url,
        VENDOR_ASSETS["chartjs"].cdn_url,
    ]
    assert policy["style-src"] == ["'self'", VENDOR_ASSETS["bootstrap-css"].cdn_url]
    for sources in policy.values():
        assert "https://cdn.jsdelivr.net" not in sources


def test_the_local_policy_allows_only_our_own_origin():
    policy = directives("local")

    assert policy["script-src"] == ["'self'"]
    assert policy["style-src"] == ["'self'"]


@pytest.mark.django_db
def test_every_page_of_a_signed_in_user_says_no_store(people, submitted, draft):
    client = Client()
    client.force_login(people.admin)
    urls = [
        reverse("dashboard"),
        reverse("members"),
        reverse("assessments:step", args=[draft.pk, 1]),
        reverse("reports:report", args=[submitted.pk]),
        reverse("reports:result_json", args=[submitted.pk]),
        reverse("assessments:answers_csv", args=[submitted.pk]),
        reverse("reports:report", args=[10**9]),  # a 404 page too
    ]
    for url in urls:
        response = client.get(url)
        assert "no-store" in response["Cache-Control"], url


@pytest.mark.django_db
@override_settings(WHITENOISE_USE_FINDERS=True, WHITENOISE_AUTOREFRESH=True)
def test_static_files_stay_cacheable_for_a_signed_in_user(people):
    client = Client()
    client.force_login(people.admin)

    response = client.get("/static/css/groeipad.css")

    assert response.status_code == 200
    assert "no-store" not in response.get("Cache-Control", "")
