"""Confidence and validation on the busy pages cost no query per question (160 criteria)."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from assessments.models import Answer
from maturity.selectors import model_version_structure
from tests.assessments.test_queries import (  # noqa: F401  (fixtures)
    AUTOSAVE_BUDGET,
    REVIEW_COLD_BUDGET,
    SIZES,
    STEP_GET_COLD_BUDGET,
    Setup,
    drafts,
    empty_structure_cache,
    getter,
    measured,
    versions,
    without_savepoints,
)

pytestmark = pytest.mark.django_db

# session, user, memberships, assessment, 3 × structure, the given answers with their authors
# and validators (one query, every perspective)
VALIDATION_PAGE_COLD_BUDGET = 8


def with_assurance(setup: Setup) -> Setup:
    """Validation on, and every answer with a confidence and a validation state (mixed)."""
    assessment = setup.assessment
    Answer.objects.filter(assessment=assessment).update(confidence="unsure")
    pks = list(Answer.objects.filter(assessment=assessment).values_list("pk", flat=True))
    Answer.objects.filter(pk__in=pks[::3]).update(validation_state="question")
    Answer.objects.filter(pk__in=pks[1::3]).update(validation_state="validated")
    type(assessment).objects.filter(pk=assessment.pk).update(validation_required=True)
    return setup


@pytest.fixture
def assured(drafts) -> dict[int, Setup]:  # noqa: F811
    return {size: with_assurance(setup) for size, setup in drafts.items()}


@pytest.mark.parametrize("size", SIZES)
def test_step_page_with_confidence_and_validation_stays_within_its_budget(assured, size):
    count = measured(getter(assured[size], "step"), cold=True)

    assert count == STEP_GET_COLD_BUDGET
    page = assured[size].client.get(assured[size].url("step")).content.decode()
    assert page.count('value="unsure" selected') > 0
    assert "validation-state" in page


@pytest.mark.parametrize("size", SIZES)
def test_review_page_with_confidence_and_validation_stays_within_its_budget(assured, size):
    count = measured(getter(assured[size], "review"), cold=True)

    assert count <= REVIEW_COLD_BUDGET


@pytest.mark.parametrize("size", SIZES)
def test_validation_page_queries_do_not_grow_with_criteria(assured, size):
    setup = assured[size]
    url = reverse("assessments:validation", args=[setup.assessment.pk])

    count = measured(lambda: setup.client.get(url), cold=True)

    assert count == VALIDATION_PAGE_COLD_BUDGET


@pytest.mark.parametrize("size", SIZES)
def test_autosave_with_a_confidence_stays_within_its_budget(assured, size):
    setup = assured[size]
    structure = model_version_structure(version=setup.assessment.model_version)
    criterion = structure.criteria[0]
    answer = setup.assessment.answers.get(criterion=criterion)
    url = reverse("assessments:answer_save", args=[setup.assessment.pk, criterion.key])
    data = {"value": answer.value, "revision": answer.revision, "confidence": "sure"}

    with CaptureQueriesContext(connection) as queries:
        response = setup.client.post(url, data)

    assert response.json()["status"] == "saved"
    assert len(without_savepoints(queries)) <= AUTOSAVE_BUDGET
    answer.refresh_from_db()
    assert (answer.confidence, answer.validation_state) == ("sure", "")
