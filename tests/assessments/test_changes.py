"""The audit trail page of an assessment's answers."""

import pytest
from django.urls import reverse

from assessments.models import AnswerChange
from assessments.services import AnswerInput, answers_save
from maturity.selectors import model_version_structure

pytestmark = pytest.mark.django_db


def change_one_answer(assessment, user, value):
    criterion = model_version_structure(version=assessment.model_version).criteria[0]
    current = assessment.answers.filter(criterion=criterion).first()
    answers_save(
        assessment=assessment,
        user=user,
        answers=[
            AnswerInput(
                criterion=criterion,
                value=value,
                comment="",
                loaded_revision=current.revision if current else 0,
            )
        ],
    )
    return criterion


def test_admin_sees_who_changed_which_answer_from_what_to_what(client_for, people, draft):
    criterion = change_one_answer(draft, people.respondent, "1")
    change_one_answer(draft, people.respondent, "3")
    client = client_for(people.admin)
    client.cookies["django_language"] = "en"

    response = client.get(reverse("assessments:changes", args=[draft.pk]))

    assert response.status_code == 200
    page = response.content.decode()
    assert criterion.statement_en in page or criterion.statement_nl in page
    assert "1 – to a limited extent" in page
    assert "3 – largely" in page
    assert people.respondent.get_full_name() in page
    assert AnswerChange.objects.filter(assessment=draft).count() == 2


@pytest.mark.parametrize("role", ["respondent", "viewer"])
def test_only_organisation_admins_see_the_change_history(client_for, people, draft, role):
    response = client_for(getattr(people, role)).get(
        reverse("assessments:changes", args=[draft.pk])
    )

    assert response.status_code == 403


def test_another_organisation_gets_404_for_the_change_history(client_for, stranger, draft):
    response = client_for(stranger).get(reverse("assessments:changes", args=[draft.pk]))

    assert response.status_code == 404


def test_the_change_history_query_count_does_not_grow_with_changes(
    client_for, people, draft, django_assert_max_num_queries
):
    client = client_for(people.admin)
    url = reverse("assessments:changes", args=[draft.pk])
    change_one_answer(draft, people.respondent, "1")
    client.get(url)
    for value in ("2", "3", "4", "1", "2"):
        change_one_answer(draft, people.respondent, value)

    # session, user, memberships, assessment, page count, page rows, events
    with django_assert_max_num_queries(7):
        assert client.get(url).status_code == 200
