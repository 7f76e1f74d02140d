"""Evidence costs no query per question: 160 criteria with three files each, on the step page,
the review, the step's save and autosave (the budgets of tests/assessments/test_queries.py)."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from assessments.evidence_models import Evidence
from maturity.selectors import model_version_structure
from tests.assessments.test_queries import (
    AUTOSAVE_BUDGET,
    REVIEW_COLD_BUDGET,
    REVIEW_WARM_BUDGET,
    STEP_GET_COLD_BUDGET,
    STEP_GET_WARM_BUDGET,
    STEP_POST_WARM_BUDGET,
    empty_structure_cache,  # noqa: F401  (the autouse fixture of those budgets)
    getter,
    make_setup,
    measured,
    measured_post,
    prepared_autosave,
    without_savepoints,
)
from tests.factories import build_model_version

pytestmark = pytest.mark.django_db

FILES_PER_ANSWER = 3


@pytest.fixture
def large():
    """An answered draft of a 160-criterion model whose every answer has three files."""
    setup = make_setup(build_model_version(criteria_count=160, dimension_count=4, slug="groot"))
    assessment = setup.assessment
    Evidence.objects.bulk_create(
        Evidence(
            answer=answer,
            organisation_id=assessment.organisation_id,
            kind=Evidence.Kind.FILE,
            stored_name=f"{assessment.organisation_id}/{answer.pk}-{n}.pdf",
            filename=f"bewijs-{answer.pk}-{n}.pdf",
            size=1000,
            content_type="application/pdf",
        )
        for answer in assessment.answers.all()
        for n in range(FILES_PER_ANSWER)
    )
    assert Evidence.objects.count() == 160 * FILES_PER_ANSWER
    return setup


@pytest.fixture
def bare():
    """The same draft without evidence, to compare with."""
    return make_setup(build_model_version(criteria_count=160, dimension_count=4, slug="kaal"))


@pytest.mark.parametrize("cold", [True, False], ids=["cold", "warm"])
def test_the_step_page_shows_every_answers_evidence_within_the_budget(large, bare, cold):
    budget = STEP_GET_COLD_BUDGET if cold else STEP_GET_WARM_BUDGET
    with_evidence = measured(getter(large, "step"), cold=cold)
    assert with_evidence <= budget
    assert with_evidence == measured(getter(bare, "step"), cold=cold)
    page = large.client.get(large.url("step")).content.decode()
    structure = model_version_structure(version=large.assessment.model_version)
    on_step = structure.criteria_of_dimension(structure.dimensions[0])
    assert page.count("Bewijs (3)") == len(on_step) == 40
    assert page.count("download>bewijs-") == 3 * len(on_step)


@pytest.mark.parametrize("cold", [True, False], ids=["cold", "warm"])
def test_the_review_counts_every_answers_evidence_within_the_budget(large, bare, cold):
    budget = REVIEW_COLD_BUDGET if cold else REVIEW_WARM_BUDGET
    with_evidence = measured(getter(large, "review"), cold=cold)
    assert with_evidence <= budget
    assert with_evidence == measured(getter(bare, "review"), cold=cold)
    page = large.client.get(large.url("review")).content.decode()
    assert page.count('class="review-evidence"') == 160


def test_saving_a_step_with_evidence_costs_what_it_did(large, bare):
    assert measured_post(large, cold=False) <= STEP_POST_WARM_BUDGET
    assert measured_post(large, cold=False) == measured_post(bare, cold=False)


def test_autosave_of_an_answer_with_evidence_stays_within_the_budget(large):
    post = prepared_autosave(large)
    with CaptureQueriesContext(connection) as queries:
        response = post()
    assert response.json()["status"] == "saved"
    assert len(without_savepoints(queries)) <= AUTOSAVE_BUDGET
