"""Query counts of a re-assessment: starting one, and its step page with carried answers.

Counts measured on SQLite and written next to the test that holds them; cold and warm as in
tests/assessments/test_queries.py (whose step budgets the carried step page keeps).
"""

import math

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from assessments.models import Answer, AnswerChange, Assessment, Membership
from assessments.services import assessment_submit, reassessment_start
from maturity import caching
from maturity.models import ModelVersion
from maturity.selectors import model_version_structure
from tests.assessments.test_queries import STEP_GET_COLD_BUDGET, STEP_GET_WARM_BUDGET
from tests.conftest import answer_all
from tests.factories import (
    AssessmentFactory,
    MembershipFactory,
    OrganisationFactory,
    build_model_version,
)
from tests.reassessment_models import next_version

pytestmark = pytest.mark.django_db

SIZES = [12, 160]
VALUES = {1: "4", 2: "3", 3: "2", 4: "1"}
# Within reassessment_start's transaction (2 savepoints): the membership check, the newest
# published version, full_clean's 4 foreign-key checks (+ a constraint check and its savepoint),
# the assessment, its first perspective and event (assessment_create); the crosswalk; the
# previous perspectives and their members, the first perspective read and renamed; the answers
# read; the guard against writing into a submitted assessment; one insert of the carried answers
# and one of their audit rows; the previous answers' evidence read (its copies inserted in one
# statement, none here). With the new version's structure cached, as after the start page.
START_QUERIES = 26


def insert_batches(model, count: int) -> int:
    """How many INSERTs Django's bulk_create needs for ``count`` rows on this database.

    PostgreSQL takes any number in one; SQLite's 999-parameter limit splits 160 answers in two.
    """
    fields = [f for f in model._meta.concrete_fields if not f.primary_key]
    return math.ceil(count / connection.ops.bulk_batch_size(fields, [None] * count))


def start_queries(carried: int) -> int:
    extra = insert_batches(Answer, carried) + insert_batches(AnswerChange, carried) - 2
    return START_QUERIES + extra


@pytest.fixture(autouse=True)
def empty_structure_cache():
    caching.clear_all()
    yield
    caching.clear_all()


def submitted_on(version: ModelVersion):
    """A new organisation's admin and their submitted assessment on ``version``."""
    organisation = OrganisationFactory()
    user = MembershipFactory(organisation=organisation, role=Membership.Role.ADMIN).user
    assessment = AssessmentFactory(organisation=organisation, model_version=version)
    answer_all(assessment, user, VALUES)
    return user, assessment_submit(assessment=assessment, user=user)


def measured_start(user, previous: Assessment) -> tuple[int, Assessment]:
    organisation = previous.organisation
    with CaptureQueriesContext(connection) as queries:
        started = reassessment_start(
            organisation=organisation, user=user, title="Hermeting", start_from=previous
        )
    return len(queries), started


@pytest.mark.parametrize("size", SIZES)
def test_starting_a_reassessment_takes_a_constant_number_of_queries(
    size, django_assert_num_queries
):
    version = build_model_version(criteria_count=size, dimension_count=4, slug=f"m{size}")
    user, previous = submitted_on(version)
    model_version_structure(version=version)  # warm, as after the start page
    organisation = previous.organisation

    with django_assert_num_queries(start_queries(size)):
        started = reassessment_start(
            organisation=organisation, user=user, title="Hermeting", start_from=previous
        )

    assert Answer.objects.filter(assessment=started, to_confirm=True).count() == size


def test_starting_from_160_criteria_costs_what_12_cost_across_versions():
    counts = {}
    for size in SIZES:
        first = build_model_version(criteria_count=size, dimension_count=4, slug=f"x{size}")
        user, previous = submitted_on(first)
        second = next_version(first, rename={"crit-001": "crit-een"}, remove=("crit-002",))
        model_version_structure(version=second)
        counts[size], started = measured_start(user, previous)
        assert Answer.objects.filter(assessment=started).count() == size - 1

    assert counts == {size: start_queries(size - 1) for size in SIZES}


def carried_step(size: int) -> tuple[Client, str]:
    """A re-assessment on version 2 (a key replaced, one removed) of a ``size``-criteria model,
    started from one on version 1: its step 1, all carried answers still to confirm."""
    first = build_model_version(criteria_count=size, dimension_count=4, slug=f"s{size}")
    user, previous = submitted_on(first)
    next_version(
        first, rename={"crit-001": "crit-een"}, remove=("crit-002",), add={"crit-x": "crit-003"}
    )
    started = reassessment_start(
        organisation=previous.organisation, user=user, title="Hermeting", start_from=previous
    )
    client = Client()
    client.force_login(user)
    client.get(reverse("dashboard"))  # the session renewal of a first request (test_queries)
    caching.clear_all()
    return client, reverse("assessments:step", args=[started.pk, 1])


# Cold, the step page of a re-assessment on a newer version also loads the previous version's
# structure (3 queries: it names what changed) and the crosswalk (1), once per worker.
CARRIED_STEP_COLD_QUERIES = STEP_GET_COLD_BUDGET + 4


@pytest.mark.parametrize("size", SIZES)
def test_the_carried_step_page_keeps_the_warm_step_budget(size, django_assert_num_queries):
    client, url = carried_step(size)
    client.get(url)

    with django_assert_num_queries(STEP_GET_WARM_BUDGET):
        response = client.get(url)

    assert response.status_code == 200
    page = response.content.decode()
    assert "Nieuw in deze versie" in page
    assert "Te bevestigen" in page


@pytest.mark.parametrize("size", SIZES)
def test_the_carried_step_page_cold_adds_only_the_previous_version(size, django_assert_num_queries):
    client, url = carried_step(size)

    with django_assert_num_queries(CARRIED_STEP_COLD_QUERIES):
        response = client.get(url)

    assert response.status_code == 200
