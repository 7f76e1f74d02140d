"""The rendered report of a submitted assessment is cached, but never shows stale content."""

import pytest
from django.urls import reverse

from assessments.services import assessment_reopen
from tests.conftest import submitted_assessment

pytestmark = pytest.mark.django_db


def report_html(client, assessment) -> str:
    return client.get(reverse("reports:report", args=[assessment.pk])).content.decode()


def test_the_history_on_a_cached_report_shows_a_new_submission(client_for, people, submitted):
    client = client_for(people.viewer)
    assert "Meting 2027" not in report_html(client, submitted)
    submitted_assessment(people, "Meting 2027", {1: "4", 2: "4", 3: "3", 4: "1"})

    assert "Meting 2027" in report_html(client, submitted)


def test_a_reopened_assessment_no_longer_shows_its_cached_result(client_for, people, submitted):
    client = client_for(people.admin)
    report_html(client, submitted)

    assessment_reopen(assessment=submitted, user=people.admin)
    submitted.refresh_from_db()

    assert 'role="note"' in report_html(client, submitted)


def test_the_cached_report_follows_the_reader_language(client_for, people, submitted):
    client = client_for(people.viewer)
    client.cookies["django_language"] = "en"
    english = report_html(client, submitted)
    client.cookies["django_language"] = "nl-be"
    dutch = report_html(client, submitted)

    assert "Next steps" in english
    assert "Volgende stappen" in dutch


def test_the_admin_reopen_form_is_never_served_from_another_users_cache(
    client_for, people, submitted
):
    report_html(client_for(people.viewer), submitted)

    admin_page = report_html(client_for(people.admin), submitted)

    assert reverse("assessments:reopen", args=[submitted.pk]) in admin_page
    assert 'name="csrfmiddlewaretoken"' in admin_page
