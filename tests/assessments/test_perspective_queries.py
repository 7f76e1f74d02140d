"""Query counts with perspectives: the compare page does not grow with perspectives or criteria,
and a perspective's questionnaire keeps the budgets of tests/assessments/test_queries.py."""

from collections.abc import Callable
from dataclasses import dataclass

import pytest
from django.db import connection
from django.http import HttpResponse
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from assessments.models import Answer, Assessment, Membership, Perspective
from assessments.services import consensus_save, perspective_create
from maturity.selectors import model_version_structure
from tests.assessments.test_queries import (
    AUTOSAVE_BUDGET,
    STEP_GET_COLD_BUDGET,
    STEP_GET_WARM_BUDGET,
    STEP_POST_COLD_BUDGET,
    STEP_POST_WARM_BUDGET,
    clear_structure_cache,
    empty_structure_cache,  # noqa: F401 (an autouse fixture of that module, used here too)
    prepare,
    without_savepoints,
)
from tests.factories import (
    AssessmentFactory,
    MembershipFactory,
    OrganisationFactory,
    build_model_version,
)
from tests.perspectives import answer
from tests.step_forms import form_data

pytestmark = pytest.mark.django_db

NAMES = ("Communicatiedienst", "Directie", "Jeugddienst", "Webcareteam")
# The compare page: session, user, memberships, assessment, perspectives, their answers, the
# settled consensus answers (with who settled them); + 3 for the structure when cold.
COMPARE_WARM_BUDGET = 7
COMPARE_COLD_BUDGET = COMPARE_WARM_BUDGET + 3


@dataclass
class Compared:
    assessment: Assessment
    perspectives: list[Perspective]
    client: Client

    def url(self, name: str, *args) -> str:
        if name == "compare":
            return reverse("assessments:compare", args=[self.assessment.pk])
        last = self.perspectives[-1]
        return reverse(f"assessments:perspective_{name}", args=[self.assessment.pk, last.pk, *args])


def make_compared(*, perspectives: int, criteria: int) -> Compared:
    """An admin's draft with every perspective answering every criterion, differently, and a
    settled consensus answer and comments, so every part of the compare page has rows."""
    version = build_model_version(
        criteria_count=criteria, dimension_count=4 if criteria > 12 else 3, slug=f"m{criteria}"
    )
    organisation = OrganisationFactory()
    user = MembershipFactory(organisation=organisation, role=Membership.Role.ADMIN).user
    assessment = AssessmentFactory(organisation=organisation, model_version=version)
    for name in NAMES[1:perspectives]:
        perspective_create(assessment=assessment, user=user, name=name)
    chosen = list(assessment.perspectives.order_by("pk"))
    structure = model_version_structure(version=version)
    for number, perspective in enumerate(chosen):
        answer(
            assessment,
            user,
            perspective,
            {c.key: str((c.order + number * 2) % 5) for c in structure.criteria},
        )
    Answer.objects.filter(assessment=assessment).update(comment="Zie nota")
    consensus_save(
        assessment=assessment,
        user=user,
        criterion=structure.criteria[0],
        value="2",
        note="besproken op 12/3",
        loaded_revision=0,
        previous_value="",
    )
    client = Client()
    client.force_login(user)
    client.get(reverse("dashboard"))  # the session renewal after login, before any measurement
    return Compared(assessment, chosen, client)


@pytest.fixture
def small() -> Compared:
    return make_compared(perspectives=2, criteria=12)


@pytest.fixture
def large() -> Compared:
    return make_compared(perspectives=4, criteria=160)


def count(request: Callable[[], HttpResponse], *, cold: bool) -> int:
    prepare(request, cold=cold)
    with CaptureQueriesContext(connection) as queries:
        assert request().status_code in (200, 302)
    return len(queries)


def get(compared: Compared, name: str, *args) -> Callable[[], HttpResponse]:
    return lambda: compared.client.get(compared.url(name, *args))


@pytest.mark.parametrize("cold", [True, False], ids=["cold", "warm"])
def test_compare_for_4_perspectives_and_160_criteria_as_for_2_and_12(
    small, large, cold, django_assert_num_queries
):
    expected = count(get(small, "compare"), cold=cold)
    request = get(large, "compare")
    prepare(request, cold=cold)

    with django_assert_num_queries(expected):
        response = request()

    assert response.status_code == 200
    comparison = response.context["comparison"]
    assert len(comparison.perspectives) == 4
    assert len(comparison.rows) == 160
    assert comparison.disagreements
    assert expected <= (COMPARE_COLD_BUDGET if cold else COMPARE_WARM_BUDGET)


# A perspective's questionnaire (the last of four, all answered): the budgets of one perspective.


@pytest.mark.parametrize("cold", [True, False], ids=["cold", "warm"])
def test_a_perspectives_step_keeps_the_step_budget(large, cold, django_assert_max_num_queries):
    request = get(large, "step", 1)
    prepare(request, cold=cold)

    with django_assert_max_num_queries(STEP_GET_COLD_BUDGET if cold else STEP_GET_WARM_BUDGET):
        response = request()

    assert response.status_code == 200


@pytest.mark.parametrize("cold", [True, False], ids=["cold", "warm"])
def test_a_perspectives_step_post_keeps_the_step_budget(large, cold, django_assert_max_num_queries):
    url = large.url("step", 1)
    clear_structure_cache()
    response = large.client.get(url)
    data = form_data(response) | {"action": "save"}
    first = f"{response.context['form'].criteria[0].key}-value"
    data[first] = "1" if data[first] == "0" else "0"
    if cold:
        clear_structure_cache()

    with django_assert_max_num_queries(STEP_POST_COLD_BUDGET if cold else STEP_POST_WARM_BUDGET):
        response = large.client.post(url, data)

    assert response.status_code == 302


def test_a_perspectives_autosave_keeps_the_autosave_budget(large):
    perspective = large.perspectives[-1]
    stored = Answer.objects.filter(perspective=perspective).select_related("criterion").first()
    url = large.url("answer_save", stored.criterion.key)
    data = {"value": "1" if stored.value == "0" else "0", "revision": stored.revision}

    with CaptureQueriesContext(connection) as queries:
        response = large.client.post(url, data)

    assert response.json()["status"] == "saved"
    assert len(without_savepoints(queries)) <= AUTOSAVE_BUDGET, without_savepoints(queries)
