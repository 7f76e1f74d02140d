"""Confirming carried-over answers naturally (issue 29, item 2): clicking the answer shown confirms
it (through the autosave), "Next" asks about the step's answers still to confirm (a page of its
own without the script), and the review links what is left per step and perspective."""

import pytest
from django.conf import settings
from django.test import Client
from django.urls import reverse

from assessments.models import Answer, AnswerChange, Assessment, Membership
from assessments.services import (
    AnswerInput,
    answers_confirm,
    answers_save,
    reassessment_start,
)
from maturity.models import Criterion
from tests.factories import MembershipFactory, OrganisationFactory, build_model_version
from tests.reassessment_models import submitted_with
from tests.step_forms import form_data

pytestmark = pytest.mark.django_db


def value_of(key: str) -> str:
    return str(int(key[-3:]) % 5)


@pytest.fixture
def first_version():
    """12 criteria (crit-001 … crit-012) in 3 dimensions of 4."""
    return build_model_version(criteria_count=12, dimension_count=3, slug="hermeting")


@pytest.fixture
def previous(first_version, people) -> Assessment:
    return submitted_with(people, "Meting 2026", value_of)


@pytest.fixture
def assessment(people, previous) -> Assessment:
    return reassessment_start(
        organisation=people.organisation,
        user=people.respondent,
        title="Hermeting 2027",
        start_from=previous,
    )


def english(user) -> Client:
    client = Client()
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    client.force_login(user)
    return client


def to_confirm(assessment: Assessment) -> list[str]:
    return sorted(
        Answer.objects.filter(assessment=assessment, to_confirm=True).values_list(
            "criterion__key", flat=True
        )
    )


def step_url(assessment: Assessment, number: int, name: str = "step") -> str:
    return reverse(f"assessments:{name}", args=[assessment.pk, number])


def autosave(client: Client, assessment: Assessment, key: str, **data):
    url = reverse("assessments:answer_save", args=[assessment.pk, key])
    return client.post(url, data)


# --- clicking the answer shown ------------------------------------------------------------------


def test_clicking_the_carried_answer_confirms_it_unchanged_with_an_audit_row(people, assessment):
    answer = Answer.objects.get(assessment=assessment, criterion__key="crit-002")

    response = autosave(
        english(people.respondent),
        assessment,
        "crit-002",
        value=answer.value,
        comment=answer.comment,
        revision=answer.revision,
        confirm="1",
    )

    assert response.status_code == 200
    body = response.json()
    assert body["status"] == "confirmed"
    assert body["message"] == f"Confirmed at {body['time']}"
    assert "crit-002" not in to_confirm(assessment)
    assert len(to_confirm(assessment)) == 11
    change = AnswerChange.objects.get(assessment=assessment, source="confirmed")
    assert (change.criterion.key, change.old_value, change.new_value) == (
        "crit-002",
        answer.value,
        answer.value,
    )


def test_without_confirm_an_unchanged_carried_answer_stays_to_confirm(people, assessment):
    answer = Answer.objects.get(assessment=assessment, criterion__key="crit-002")

    response = autosave(
        english(people.respondent),
        assessment,
        "crit-002",
        value=answer.value,
        comment=answer.comment,
        revision=answer.revision,
    )

    assert response.json()["status"] == "saved"
    assert "crit-002" in to_confirm(assessment)


def test_confirming_an_answer_a_colleague_changed_meanwhile_is_a_conflict(people, assessment):
    answer = Answer.objects.get(assessment=assessment, criterion__key="crit-002")
    criterion = Criterion.objects.get(version=assessment.model_version, key="crit-002")
    answers_save(
        assessment=assessment,
        user=people.admin,
        answers=[
            AnswerInput(criterion=criterion, value="4", comment="", loaded_revision=answer.revision)
        ],
    )

    response = autosave(
        english(people.respondent),
        assessment,
        "crit-002",
        value=answer.value,
        comment=answer.comment,
        revision=answer.revision,
        confirm="1",
    )

    assert response.status_code == 409
    assert (response.json()["status"], response.json()["value"]) == ("conflict", "4")
    assert Answer.objects.get(pk=answer.pk).value == "4"
    assert not AnswerChange.objects.filter(assessment=assessment, source="confirmed").exists()


def test_a_viewer_cannot_confirm_by_autosave(people, assessment):
    answer = Answer.objects.get(assessment=assessment, criterion__key="crit-002")

    response = autosave(
        english(people.viewer),
        assessment,
        "crit-002",
        value=answer.value,
        comment=answer.comment,
        revision=answer.revision,
        confirm="1",
    )

    assert response.status_code == 403
    assert len(to_confirm(assessment)) == 12


# --- "Next" asks --------------------------------------------------------------------------------


def test_next_on_a_step_with_answers_to_confirm_asks_first(people, assessment):
    client = english(people.respondent)
    data = form_data(client.get(step_url(assessment, 1)))

    response = client.post(step_url(assessment, 1), data | {"action": "next"})

    assert response.status_code == 302
    assert response.url == step_url(assessment, 1, "step_carried")
    page = client.get(response.url)
    assert page.status_code == 200
    assert '<h1 class="h2">Confirm 4 more answers?</h1>' in page.content.decode()
    assert "Confirm and continue" in page.content.decode()
    assert "Continue without confirming" in page.content.decode()
    assert len(to_confirm(assessment)) == 12


def test_confirm_and_continue_confirms_the_step_and_goes_on(people, assessment):
    client = english(people.respondent)

    response = client.post(step_url(assessment, 1, "step_carried"), {"choice": "confirm"})

    assert response.status_code == 302
    assert response.url == step_url(assessment, 2)
    assert to_confirm(assessment) == [f"crit-{n:03}" for n in range(5, 13)]


def test_continue_without_confirming_goes_on_and_confirms_nothing(people, assessment):
    client = english(people.respondent)

    response = client.post(step_url(assessment, 1, "step_carried"), {"choice": "skip"})

    assert response.url == step_url(assessment, 2)
    assert len(to_confirm(assessment)) == 12


def test_the_scripts_answer_to_the_prompt_goes_with_next(people, assessment):
    client = english(people.respondent)
    data = form_data(client.get(step_url(assessment, 1)))

    skipped = client.post(step_url(assessment, 1), data | {"action": "next", "carried": "skip"})
    confirmed = client.post(
        step_url(assessment, 1), data | {"action": "next", "carried": "confirm"}
    )

    assert skipped.url == step_url(assessment, 2)
    assert confirmed.url == step_url(assessment, 2)
    assert to_confirm(assessment) == [f"crit-{n:03}" for n in range(5, 13)]


def test_next_on_the_last_step_with_answers_to_confirm_asks_then_goes_to_the_review(
    people, assessment
):
    client = english(people.respondent)

    response = client.post(step_url(assessment, 3, "step_carried"), {"choice": "skip"})

    assert response.url == reverse("assessments:review", args=[assessment.pk])


def test_next_does_not_ask_once_the_step_is_confirmed(people, assessment):
    client = english(people.respondent)
    answers_confirm(
        assessment=assessment,
        user=people.respondent,
        criterion_keys=["crit-001", "crit-002", "crit-003", "crit-004"],
    )
    data = form_data(client.get(step_url(assessment, 1)))

    response = client.post(step_url(assessment, 1), data | {"action": "next"})
    prompt = client.get(step_url(assessment, 1, "step_carried"))

    assert response.url == step_url(assessment, 2)
    assert prompt.status_code == 302
    assert prompt.url == step_url(assessment, 2)


def test_previous_and_save_do_not_ask(people, assessment):
    client = english(people.respondent)
    data = form_data(client.get(step_url(assessment, 2)))

    previous = client.post(step_url(assessment, 2), data | {"action": "previous"})
    save = client.post(step_url(assessment, 2), data | {"action": "save"})

    assert previous.url == step_url(assessment, 1)
    assert save.url == step_url(assessment, 2)


def test_the_prompt_page_refuses_a_viewer_and_other_organisations(people, assessment):
    stranger = MembershipFactory(organisation=OrganisationFactory(), role=Membership.Role.ADMIN)
    url = step_url(assessment, 1, "step_carried")

    assert english(people.viewer).get(url).status_code == 403
    assert english(people.viewer).post(url, {"choice": "confirm"}).status_code == 403
    assert english(stranger.user).get(url).status_code == 404
    assert english(stranger.user).post(url, {"choice": "confirm"}).status_code == 404
    anonymous = Client().get(url)
    assert anonymous.status_code == 302
    assert anonymous.url.startswith(reverse("login"))
    assert len(to_confirm(assessment)) == 12


def test_the_prompt_page_of_an_unknown_step_is_a_404(people, assessment):
    assert english(people.respondent).get(step_url(assessment, 9, "step_carried")).status_code == (
        404
    )


def test_the_prompt_page_of_a_submitted_assessment_goes_to_the_report(people, previous):
    response = english(people.respondent).post(
        step_url(previous, 1, "step_carried"), {"choice": "confirm"}
    )

    assert response.url == reverse("reports:report", args=[previous.pk])


def test_the_prompt_page_reads_a_fixed_number_of_queries(
    people, assessment, django_assert_max_num_queries
):
    client = english(people.respondent)
    client.get(step_url(assessment, 1, "step_carried"))  # warm the model structure cache

    with django_assert_max_num_queries(12):
        response = client.get(step_url(assessment, 1, "step_carried"))

    assert response.status_code == 200


# --- the review ---------------------------------------------------------------------------------


def test_the_review_links_what_is_left_to_confirm_per_step(people, assessment):
    page = english(people.respondent).get(reverse("assessments:review", args=[assessment.pk]))

    html = page.content.decode()
    assert f'href="{step_url(assessment, 2)}">Confirm 4 answers on this step' in html


def test_with_perspectives_the_review_links_each_perspectives_step(people, first_version):
    directie = MembershipFactory(organisation=people.organisation, role=Membership.Role.RESPONDENT)
    previous = submitted_with(
        people, "Meting 2026", value_of, perspectives={"Directie": (directie, lambda k: "1")}
    )
    assessment = reassessment_start(
        organisation=people.organisation,
        user=people.respondent,
        title="Hermeting 2027",
        start_from=previous,
    )
    perspective = assessment.perspectives.get(name="Directie")
    answers_confirm(
        assessment=assessment,
        user=people.respondent,
        criterion_keys=["crit-005"],
        perspective_id=perspective.pk,
    )

    page = english(people.respondent).get(reverse("assessments:review", args=[assessment.pk]))

    html = page.content.decode()
    url = reverse("assessments:perspective_step", args=[assessment.pk, perspective.pk, 2])
    assert f'href="{url}">Directie: confirm 3 answers' in html
    assert f'href="{url}#criterion-crit-006">Directie' in html
