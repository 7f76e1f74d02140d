"""Confidence per answer: saved by the step form and autosave, carried over, never scored."""

import pytest
from django.conf import settings
from django.test import Client
from django.urls import reverse
from hypothesis import HealthCheck, given
from hypothesis import settings as hypothesis_settings
from hypothesis import strategies as st

from assessments.assurance import answer_assurance
from assessments.evidence_models import Evidence
from assessments.models import Answer, AnswerChange
from assessments.services import (
    AnswerInput,
    answers_save,
    assessment_submit,
    reassessment_start,
)
from maturity.models import AnswerValue
from maturity.selectors import model_version_structure
from reports.report import report_build
from tests.conftest import answer_all
from tests.step_forms import form_data

pytestmark = pytest.mark.django_db

VALUES = {1: "4", 2: "3", 3: "2", 4: "1"}
CONFIDENCES = ["", *Answer.Confidence.values]


def english(user) -> Client:
    client = Client()
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    client.force_login(user)
    return client


def criteria(assessment):
    return model_version_structure(version=assessment.model_version).criteria


def test_the_step_form_saves_confidence_without_javascript(people, draft):
    client = english(people.respondent)
    url = reverse("assessments:step", args=[draft.pk, 1])
    page = client.get(url)
    first = page.context["form"].criteria[0]
    data = form_data(page) | {
        "action": "save",
        f"{first.key}-value": "3",
        f"{first.key}-confidence": "fairly_sure",
    }

    response = client.post(url, data)

    assert response.status_code == 302
    answer = Answer.objects.get(assessment=draft, criterion=first)
    assert (answer.value, answer.confidence) == ("3", "fairly_sure")
    change = AnswerChange.objects.get(assessment=draft, criterion=first)
    assert (change.old_confidence, change.new_confidence) == ("", "fairly_sure")


def test_a_confidence_that_is_not_on_the_list_is_refused(people, draft):
    client = english(people.respondent)
    url = reverse("assessments:step", args=[draft.pk, 1])
    page = client.get(url)
    first = page.context["form"].criteria[0]

    response = client.post(
        url, form_data(page) | {"action": "save", f"{first.key}-confidence": "very"}
    )

    assert response.status_code == 400
    assert "Choose how sure you are from the list." in response.content.decode()
    assert not Answer.objects.filter(assessment=draft).exists()


def test_autosave_saves_only_a_changed_confidence(people, draft):
    answer_all(draft, people.respondent, VALUES)
    criterion = criteria(draft)[0]
    url = reverse("assessments:answer_save", args=[draft.pk, criterion.key])
    answer = Answer.objects.get(assessment=draft, criterion=criterion)

    response = english(people.respondent).post(
        url,
        {"value": answer.value, "comment": "", "revision": answer.revision, "confidence": "unsure"},
    )

    assert response.json()["status"] == "saved"
    answer.refresh_from_db()
    assert (answer.confidence, answer.revision) == ("unsure", 2)


def test_autosave_without_a_confidence_keeps_the_stored_one(people, draft):
    answer_all(draft, people.respondent, VALUES)
    criterion = criteria(draft)[0]
    Answer.objects.filter(assessment=draft, criterion=criterion).update(confidence="sure")
    url = reverse("assessments:answer_save", args=[draft.pk, criterion.key])

    response = english(people.respondent).post(url, {"value": "0", "comment": "", "revision": 1})

    assert response.json()["status"] == "saved"
    answer = Answer.objects.get(assessment=draft, criterion=criterion)
    assert (answer.value, answer.confidence) == ("0", "sure")


def test_autosave_refuses_an_unknown_confidence(people, draft):
    criterion = criteria(draft)[0]
    url = reverse("assessments:answer_save", args=[draft.pk, criterion.key])

    response = english(people.respondent).post(
        url, {"value": "2", "comment": "", "revision": 0, "confidence": "<script>"}
    )

    assert response.status_code == 400
    assert not Answer.objects.filter(assessment=draft).exists()


def test_confidence_is_carried_over_to_a_reassessment(people, draft):
    answer_all(draft, people.respondent, VALUES)
    criterion = criteria(draft)[0]
    Answer.objects.filter(assessment=draft, criterion=criterion).update(confidence="unsure")
    submitted = assessment_submit(assessment=draft, user=people.respondent)

    again = reassessment_start(
        organisation=people.organisation, user=people.respondent, title="2027", start_from=submitted
    )

    carried = Answer.objects.get(assessment=again, criterion__key=criterion.key)
    assert (carried.confidence, carried.to_confirm, carried.validation_state) == (
        "unsure",
        True,
        "",
    )


def test_unsure_answers_of_the_focus_phase_are_listed_to_find_out_first(people, draft):
    answer_all(draft, people.respondent, {1: "4", 2: "1", 3: "1", 4: "1"})
    report = report_build(assessment=draft)
    focus = report.focus_phase
    in_focus = [c for c in criteria(draft) if c.phase_id == focus.pk]
    elsewhere = [c for c in criteria(draft) if c.phase_id != focus.pk]
    Answer.objects.filter(assessment=draft, criterion__in=[in_focus[0], elsewhere[0]]).update(
        confidence="unsure"
    )

    report = report_build(assessment=draft)

    assert report.uncertain_first == (in_focus[0],)
    assert report.assurance.uncertain == 2
    assert report.assurance.answered == len(criteria(draft))
    page = english(people.respondent).get(reverse("reports:report", args=[draft.pk]))
    text = page.content.decode()
    assert "Find out first" in text
    assert in_focus[0].statement_en in text
    assert f"0 of {len(criteria(draft))} answers with evidence; 2 unsure." in text


def test_the_assurance_counts_the_answers_with_evidence(people, draft):
    answer_all(draft, people.respondent, VALUES)
    answers = list(Answer.objects.filter(assessment=draft).order_by("pk")[:2])
    for answer in (*answers, answers[0]):  # two pieces on the first: it counts once
        Evidence.objects.create(
            answer=answer,
            organisation_id=draft.organisation_id,
            kind=Evidence.Kind.LINK,
            url="https://example.org/besluit",
            description="Besluit",
        )

    assurance = answer_assurance(assessment=draft)

    assert (assurance.evidenced, assurance.answered, assurance.uncertain) == (
        2,
        len(criteria(draft)),
        0,
    )
    assert not assurance.validated


@hypothesis_settings(
    max_examples=25, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(data=st.data())
def test_confidence_never_changes_the_score(people, draft, data):
    """Whatever the answers and however sure the team is of each, the result is the same."""
    structure_criteria = criteria(draft)
    values = data.draw(
        st.lists(
            st.sampled_from(AnswerValue.values),
            min_size=len(structure_criteria),
            max_size=len(structure_criteria),
        )
    )
    confidences = data.draw(
        st.lists(
            st.sampled_from(CONFIDENCES),
            min_size=len(structure_criteria),
            max_size=len(structure_criteria),
        )
    )
    Answer.objects.filter(assessment=draft).delete()
    answers_save(
        assessment=draft,
        user=people.respondent,
        answers=[
            AnswerInput(criterion=c, value=v, comment="", loaded_revision=0, confidence=confidence)
            for c, v, confidence in zip(structure_criteria, values, confidences, strict=True)
        ],
    )
    with_confidence = report_build(assessment=draft).result.to_dict()

    Answer.objects.filter(assessment=draft).update(confidence="")

    assert report_build(assessment=draft).result.to_dict() == with_confidence
