"""Security headers on every page a person can reach, no inline scripts, production settings."""

import json
import re

import pytest
from django.conf import settings
from django.test import Client
from django.urls import reverse

from maturity.selectors import model_version_structure
from tests.test_settings import PRODUCTION_ENV, run_python

SCRIPT_TAG = re.compile(r"<script\b([^>]*)>", re.IGNORECASE)


def reachable_pages(people, draft, submitted) -> list[tuple[str, Client, str]]:
    """(label, logged-in client, url) for every page an organisation admin can open."""
    client = Client()
    client.force_login(people.admin)
    steps = len(model_version_structure(version=draft.model_version).dimensions)
    pages = [
        ("dashboard", reverse("dashboard")),
        ("new", reverse("assessments:new")),
        *(
            (f"step {n}", reverse("assessments:step", args=[draft.pk, n]))
            for n in range(1, steps + 1)
        ),
        ("review", reverse("assessments:review", args=[draft.pk])),
        ("import", reverse("assessments:import", args=[draft.pk])),
        ("draft report", reverse("reports:report", args=[draft.pk])),
        ("report", reverse("reports:report", args=[submitted.pk])),
        ("result.json", reverse("reports:result_json", args=[submitted.pk])),
        ("answers.csv", reverse("assessments:answers_csv", args=[submitted.pk])),
        ("changes", reverse("assessments:changes", args=[submitted.pk])),
        ("members", reverse("members")),
        ("growth path", reverse("maturity:growth_path")),
        ("404", "/does-not-exist/"),
    ]
    anonymous = Client()
    return [(label, client, url) for label, url in pages] + [
        ("login", anonymous, reverse("login")),
        ("anonymous growth path", anonymous, reverse("maturity:growth_path")),
        ("anonymous 404", anonymous, "/does-not-exist/"),
    ]


def csp_directives(header: str) -> dict[str, list[str]]:
    directives = {}
    for part in header.split(";"):
        words = part.split()
        if words:
            directives[words[0]] = words[1:]
    return directives


def assert_security_headers(response, label: str) -> None:
    csp = csp_directives(response["Content-Security-Policy"])
    scripts = csp.get("script-src", csp.get("default-src"))
    assert scripts, f"{label}: no script-src"
    assert "'unsafe-inline'" not in scripts, label
    assert "'unsafe-eval'" not in scripts, label
    assert "unsafe" not in response["Content-Security-Policy"], label
    assert csp["frame-ancestors"] == ["'none'"], label
    assert csp["default-src"] == ["'self'"], label
    assert response["X-Frame-Options"] == "DENY", label
    assert response["X-Content-Type-Options"] == "nosniff", label
    assert response["Referrer-Policy"] == "same-origin", label
    policy = response["Permissions-Policy"]
    for feature in ("camera=()", "microphone=()", "geolocation=()"):
        assert feature in policy, label


def inline_scripts(html: str) -> list[str]:
    """Script tags without src that are not JSON data (json_script)."""
    found = []
    for attributes in SCRIPT_TAG.findall(html):
        if re.search(r"\bsrc=", attributes):
            continue
        if re.search(r'type="application/json"', attributes):
            continue
        found.append(attributes)
    return found


@pytest.mark.django_db
def test_every_reachable_page_sends_the_security_headers(people, draft, submitted):
    for label, client, url in reachable_pages(people, draft, submitted):
        response = client.get(url)
        assert response.status_code in (200, 404), (label, response.status_code)
        assert_security_headers(response, label)


@pytest.mark.django_db
def test_no_page_has_an_inline_script(people, draft, submitted):
    for label, client, url in reachable_pages(people, draft, submitted):
        response = client.get(url)
        if not response["Content-Type"].startswith("text/html"):
            continue
        assert inline_scripts(response.content.decode()) == [], label


@pytest.mark.django_db
def test_the_report_carries_its_chart_data_as_json_not_as_script(people, submitted):
    client = Client()
    client.force_login(people.viewer)
    html = client.get(reverse("reports:report", args=[submitted.pk])).content.decode()
    assert '<script id="chart-data" type="application/json">' in html


@pytest.mark.django_db
def test_downloads_are_not_sniffed_or_framed(people, submitted):
    client = Client()
    client.force_login(people.viewer)
    csv_response = client.get(reverse("assessments:answers_csv", args=[submitted.pk]))
    assert csv_response["Content-Disposition"].startswith("attachment;")
    json_response = client.get(reverse("reports:result_json", args=[submitted.pk]))
    assert json_response["Content-Type"] == "application/json"
    for response in (csv_response, json_response):
        assert response["X-Content-Type-Options"] == "nosniff"
        assert response["X-Frame-Options"] == "DENY"


@pytest.mark.django_db
def test_the_lockout_page_sends_the_security_headers(client):
    from tests.factories import UserFactory

    user = UserFactory()
    for _ in range(settings.AXES_FAILURE_LIMIT):
        response = client.post(
            reverse("login"), {"username": user.username, "password": "wrong-password"}
        )
    assert response.status_code == 429
    assert_security_headers(response, "lockout")
    assert inline_scripts(response.content.decode()) == []


@pytest.mark.django_db
def test_the_login_page_sends_the_security_headers_after_logout(people):
    client = Client()
    client.force_login(people.respondent)
    client.post(reverse("logout"))
    response = client.get(reverse("login"))
    assert_security_headers(response, "login after logout")


PRODUCTION_SETTINGS_CODE = (
    "import json, django; django.setup(); from django.conf import settings as s; "
    "print(json.dumps({name: getattr(s, name, None) for name in ["
    "'DEBUG', 'SESSION_COOKIE_SECURE', 'CSRF_COOKIE_SECURE', 'SESSION_COOKIE_HTTPONLY', "
    "'SECURE_HSTS_SECONDS', 'SECURE_HSTS_INCLUDE_SUBDOMAINS', 'SECURE_SSL_REDIRECT', "
    "'SECURE_PROXY_SSL_HEADER', 'X_FRAME_OPTIONS', 'SECURE_CONTENT_TYPE_NOSNIFF', "
    "'SECURE_REFERRER_POLICY']}))"
)


def production_settings(**extra: str) -> dict:
    result = run_python(PRODUCTION_SETTINGS_CODE, {**PRODUCTION_ENV, **extra})
    assert result.returncode == 0, result.stderr
    return json.loads(result.stdout.strip().splitlines()[-1])


def test_production_settings_are_secure_by_default():
    values = production_settings()
    assert values["DEBUG"] is False
    assert values["SESSION_COOKIE_SECURE"] is True
    assert values["CSRF_COOKIE_SECURE"] is True
    assert values["SESSION_COOKIE_HTTPONLY"] is True
    assert values["SECURE_HSTS_SECONDS"] >= 31536000
    assert values["SECURE_HSTS_INCLUDE_SUBDOMAINS"] is True
    assert values["SECURE_SSL_REDIRECT"] is True
    assert values["X_FRAME_OPTIONS"] == "DENY"
    assert values["SECURE_CONTENT_TYPE_NOSNIFF"] is True
    assert values["SECURE_REFERRER_POLICY"] == "same-origin"


def test_production_trusts_the_forwarded_protocol_only_behind_a_proxy():
    assert production_settings()["SECURE_PROXY_SSL_HEADER"] is None
    behind = production_settings(DJANGO_BEHIND_PROXY="true")
    assert behind["SECURE_PROXY_SSL_HEADER"] == ["HTTP_X_FORWARDED_PROTO", "https"]
