"""`reports.selectors.report_get`: who gets a report, in which language, at which level."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import translation

from actions.selectors import OpenActions
from assessments.models import Membership
from assessments.selectors import membership_list
from reports.selectors import comparison_level, report_get
from tests.factories import MembershipFactory

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    ("asked", "level"),
    [("region", "region"), ("size", "size"), ("kind", "kind"), ("<forged>", None), (None, None)],
)
def test_a_level_asked_for_is_a_known_one_or_the_default(asked, level):
    assert comparison_level(asked) == level


@pytest.mark.parametrize(("language", "title"), [("nl-be", "Fase 2: "), ("en", "Phase 2: ")])
def test_the_report_is_built_in_the_language_asked_for(people, submitted, language, title):
    with translation.override("en" if language == "nl-be" else "nl-be"):
        report = report_get(user=people.viewer, assessment_pk=submitted.pk, language=language)

    assert report.headline.title.startswith(title)


def test_a_forged_level_is_the_default_and_a_known_one_is_kept(people, submitted):
    def level(asked):
        found = report_get(
            user=people.viewer, assessment_pk=submitted.pk, language="en", level=asked
        )
        return found.benchmark_level

    assert (level("<forged>"), level("size")) == (None, "size")


def test_the_pdfs_open_actions_reach_the_report(people, submitted):
    report = report_get(
        user=people.viewer,
        assessment_pk=submitted.pk,
        language="en",
        open_actions=OpenActions(actions=[], total=3),
    )

    assert report.open_actions is not None and report.open_actions.total == 3


def test_the_requests_memberships_save_the_membership_query(people, submitted):
    memberships = membership_list(user=people.viewer)
    report_get(user=people.viewer, assessment_pk=submitted.pk, language="en")  # warm structure
    counts = []
    for given in (None, memberships):
        with CaptureQueriesContext(connection) as captured:
            report = report_get(
                user=people.viewer, assessment_pk=submitted.pk, language="en", memberships=given
            )
        counts.append(len(captured))
        assert report.membership.user_id == people.viewer.pk
    assert counts[0] == counts[1] + 1


@pytest.mark.parametrize("role", ["viewer", "respondent", "admin"])
def test_every_role_but_contributor_gets_the_report(people, submitted, role):
    report = report_get(user=getattr(people, role), assessment_pk=submitted.pk, language="en")

    assert report.assessment == submitted


def test_a_contributor_and_another_organisation_get_none(people, submitted, stranger):
    contributor = MembershipFactory(
        organisation=people.organisation, role=Membership.Role.CONTRIBUTOR
    ).user

    for user in (contributor, stranger):
        assert report_get(user=user, assessment_pk=submitted.pk, language="en") is None
