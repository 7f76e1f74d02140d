"""A submitted assessment marked as a test ("niet meetellen") is no part of any benchmark.

It leaves the comparison groups, the sector view's aggregates (groups, years, gaps) at once,
cached or not: marking bumps the benchmark revision (migration benchmarks/0002's trigger on any
change of a submitted assessment), and restoring brings it back.
"""

import pytest
from django.conf import settings
from django.contrib.auth.models import Permission
from django.test import Client
from django.urls import reverse

from assessments.models import Membership
from assessments.services import assessment_mark_test
from benchmarks.selectors import benchmark_signature, participants
from maturity import caching
from tests.factories import MembershipFactory, UserFactory

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def english_and_empty_caches(client):
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    caching.clear_all()
    yield
    caching.clear_all()


def admin_of(organisation):
    return MembershipFactory(organisation=organisation, role=Membership.Role.ADMIN).user


def test_marking_a_submitted_assessment_as_a_test_bumps_the_benchmark_signature(sector):
    organisation = sector.organisation()
    assessment = organisation.assessments.get()
    admin = admin_of(organisation)
    before = benchmark_signature()

    assessment_mark_test(assessment=assessment, user=admin, is_test=True)
    marked = benchmark_signature()
    assessment_mark_test(assessment=assessment, user=admin, is_test=False)

    assert len({before, marked, benchmark_signature()}) == 3


def test_a_test_assessment_is_never_a_participant(sector):
    organisation = sector.organisation()
    only = organisation.assessments.get()

    assessment_mark_test(assessment=only, user=admin_of(organisation), is_test=True)

    assert organisation.pk not in {p.organisation_id for p in participants(model_slug="benchmodel")}


def test_the_latest_counted_assessment_stands_in_for_a_newer_test(sector):
    organisation = sector.organisation(days_ago=30)
    counted = organisation.assessments.get()
    test = sector.assessment(organisation, level=4, days_ago=1)

    assessment_mark_test(assessment=test, user=admin_of(organisation), is_test=True)

    ids = {p.assessment_id for p in participants(model_slug="benchmodel")}
    assert counted.pk in ids and test.pk not in ids


def test_test_assessments_leave_the_sector_view_at_the_next_release(sector):
    # Not at once: a group changes only at a release that recomputes it (docs/benchmark.md, F1).
    others = sector.many(8)
    sector.release()
    analyst = UserFactory(username="koepel")
    analyst.user_permissions.add(Permission.objects.get(codename="view_sector"))
    client = Client()
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    client.force_login(analyst)
    page = lambda: client.get(reverse("benchmarks:sector")).content.decode()  # noqa: E731
    assert "<td>8</td>" in page()
    assert "<td>8</td>" in page()  # from the cache

    tests = [organisation.assessments.get() for organisation in others[:3]]
    for test, organisation in zip(tests, others, strict=False):
        assessment_mark_test(assessment=test, user=admin_of(organisation), is_test=True)
    assert "<td>8</td>" in page()  # the published release still holds
    sector.release()

    shown = page()
    assert "<td>8</td>" not in shown and "<td>5</td>" in shown
    for test, organisation in zip(tests, others, strict=False):
        assessment_mark_test(assessment=test, user=admin_of(organisation), is_test=False)
    sector.release()
    assert "<td>8</td>" in page()
