"""Validation of answers: switch, validate, question, reply, reset on change, submit waits."""

import pytest
from django.conf import settings
from django.test import Client
from django.urls import reverse
from django.utils import translation

from assessments.models import Answer, AnswerChange, AssessmentEvent, Membership
from assessments.services import (
    AnswerChangedError,
    AnswerInput,
    EmptyTextError,
    NoQuestionError,
    NotAllowedError,
    OwnAnswerError,
    ValidationOffError,
    ValidationPendingError,
    answer_question_ask,
    answer_question_reply,
    answer_save_one,
    answer_validate,
    answers_save,
    assessment_create,
    assessment_submit,
    assessment_validation_set,
)
from assessments.views.validation import REFUSALS
from maturity.selectors import model_version_structure
from reports.documents.structure import Paragraph, report_document
from reports.report import report_build
from tests.conftest import answer_all
from tests.factories import MembershipFactory
from tests.reports.test_pdf import pdf_pages, pdf_url, reader

pytestmark = pytest.mark.django_db

VALUES = {1: "4", 2: "3", 3: "2", 4: "1"}


def english(user) -> Client:
    client = Client()
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    client.force_login(user)
    return client


@pytest.fixture
def answered(draft, people):
    """The draft fully answered by the respondent, with validation switched on by the admin."""
    answer_all(draft, people.respondent, VALUES)
    assessment_validation_set(assessment=draft, user=people.admin, required=True)
    draft.refresh_from_db()
    return draft


def first_answer(assessment) -> Answer:
    criterion = model_version_structure(version=assessment.model_version).criteria[0]
    return Answer.objects.get(assessment=assessment, criterion=criterion)


def step_url(assessment, answer) -> str:
    return reverse("assessments:validation_step", args=[assessment.pk, answer.pk])


# --- the switch -------------------------------------------------------------------------------


def test_admin_switches_validation_on_and_it_is_recorded(client_for, people, draft):
    response = client_for(people.admin).post(
        reverse("assessments:validation_setting", args=[draft.pk]), {"required": "1"}
    )

    assert response.status_code == 302
    draft.refresh_from_db()
    assert draft.validation_required
    assert draft.events.filter(kind=AssessmentEvent.Kind.VALIDATION_ON).count() == 1


@pytest.mark.parametrize("role", ["respondent", "viewer"])
def test_only_admins_switch_validation(client_for, people, draft, role):
    response = client_for(getattr(people, role)).post(
        reverse("assessments:validation_setting", args=[draft.pk]), {"required": "1"}
    )

    assert response.status_code == 403
    draft.refresh_from_db()
    assert not draft.validation_required


def test_another_organisation_gets_404_for_the_validation_pages(client_for, stranger, answered):
    client = client_for(stranger)
    answer = first_answer(answered)

    assert client.get(reverse("assessments:validation", args=[answered.pk])).status_code == 404
    setting = reverse("assessments:validation_setting", args=[answered.pk])
    assert client.post(setting, {"required": "0"}).status_code == 404
    step = client.post(step_url(answered, answer), {"action": "validate", "revision": 1})
    assert step.status_code == 404
    answered.refresh_from_db()
    assert answered.validation_required
    assert first_answer(answered).validation_state == ""


def test_anonymous_visitor_is_sent_to_login_from_the_validation_page(client, answered):
    response = client.get(reverse("assessments:validation", args=[answered.pk]))

    assert response.status_code == 302
    assert reverse("login") in response["Location"]


# --- validating -------------------------------------------------------------------------------


def test_admin_validates_a_respondents_answer_and_the_history_shows_it(
    client_for, people, answered
):
    answer = first_answer(answered)
    client = client_for(people.admin)

    response = client.post(
        step_url(answered, answer), {"action": "validate", "revision": answer.revision}
    )

    assert response.status_code == 302
    answer.refresh_from_db()
    assert answer.validation_state == Answer.ValidationState.VALIDATED
    assert answer.validated_by == people.admin
    assert answer.validated_at is not None
    step = AnswerChange.objects.get(assessment=answered, validation="validated")
    assert step.changed_by == people.admin and step.criterion_id == answer.criterion_id
    history = client.get(reverse("assessments:changes", args=[answered.pk])).content.decode()
    assert "Validated" in history or "Gevalideerd" in history


def test_the_author_of_an_answer_cannot_validate_it(people, draft):
    answer_all(draft, people.admin, VALUES)
    assessment_validation_set(assessment=draft, user=people.admin, required=True)
    answer = first_answer(draft)

    with pytest.raises(OwnAnswerError):
        answer_validate(
            assessment=draft, user=people.admin, answer_pk=answer.pk, revision=answer.revision
        )

    answer.refresh_from_db()
    assert answer.validation_state == ""


def test_the_page_says_why_the_author_cannot_validate(people, draft):
    answer_all(draft, people.admin, VALUES)
    assessment_validation_set(assessment=draft, user=people.admin, required=True)
    answer = first_answer(draft)

    response = english(people.admin).post(
        step_url(draft, answer), {"action": "validate", "revision": answer.revision}, follow=True
    )

    assert str(REFUSALS[OwnAnswerError]) in response.content.decode()


@pytest.mark.parametrize("role", ["respondent", "viewer"])
def test_only_admins_validate_or_ask(client_for, people, answered, role):
    answer = first_answer(answered)
    client = client_for(getattr(people, role))

    for data in ({"action": "validate"}, {"action": "question", "text": "Waar staat dat?"}):
        response = client.post(step_url(answered, answer), {**data, "revision": answer.revision})
        assert response.status_code == 403
    answer.refresh_from_db()
    assert answer.validation_state == ""


def test_a_contributor_gets_404_for_the_validation_pages(people, answered):
    contributor = MembershipFactory(
        organisation=people.organisation, role=Membership.Role.CONTRIBUTOR
    ).user
    client = english(contributor)

    assert client.get(reverse("assessments:validation", args=[answered.pk])).status_code in (
        403,
        404,
    )


def test_validation_of_an_answer_changed_meanwhile_is_refused(people, answered):
    answer = first_answer(answered)
    answer_save_one(
        assessment=answered,
        user=people.respondent,
        criterion=answer.criterion,
        value="0",
        comment="",
        loaded_revision=answer.revision,
    )

    with pytest.raises(AnswerChangedError):
        answer_validate(
            assessment=answered, user=people.admin, answer_pk=answer.pk, revision=answer.revision
        )


def test_validating_needs_validation_switched_on(people, draft):
    answer_all(draft, people.respondent, VALUES)
    answer = first_answer(draft)

    with pytest.raises(ValidationOffError):
        answer_validate(
            assessment=draft, user=people.admin, answer_pk=answer.pk, revision=answer.revision
        )


def test_an_answer_of_another_assessment_is_not_found(people, answered):
    other = assessment_create(
        organisation=people.organisation, user=people.respondent, title="Andere"
    )
    answer_all(other, people.respondent, VALUES)
    foreign = first_answer(other)

    with pytest.raises(AnswerChangedError):
        answer_validate(
            assessment=answered, user=people.admin, answer_pk=foreign.pk, revision=foreign.revision
        )


# --- question and reply ------------------------------------------------------------------------


def test_question_and_reply_go_back_and_forth_and_are_in_the_history(people, answered):
    answer = first_answer(answered)

    answer_question_ask(
        assessment=answered,
        user=people.admin,
        answer_pk=answer.pk,
        revision=answer.revision,
        question="Is de strategie goedgekeurd door het college?",
    )
    answer.refresh_from_db()
    assert answer.validation_state == Answer.ValidationState.QUESTION
    answer_question_reply(
        assessment=answered, user=people.respondent, answer_pk=answer.pk, reply="Ja, in maart."
    )

    answer.refresh_from_db()
    assert answer.validation_state == Answer.ValidationState.ANSWERED
    assert answer.validation_reply == "Ja, in maart."
    steps = list(
        AnswerChange.objects.filter(assessment=answered, source="validation")
        .order_by("changed_at", "id")
        .values_list("validation", "note", "changed_by")
    )
    assert steps == [
        ("question", "Is de strategie goedgekeurd door het college?", people.admin.pk),
        ("reply", "Ja, in maart.", people.respondent.pk),
    ]


def test_a_viewer_cannot_reply(people, answered):
    answer = first_answer(answered)
    answer_question_ask(
        assessment=answered, user=people.admin, answer_pk=answer.pk, revision=1, question="Hoe?"
    )

    with pytest.raises(NotAllowedError):
        answer_question_reply(
            assessment=answered, user=people.viewer, answer_pk=answer.pk, reply="Zo."
        )


def test_a_reply_needs_an_open_question_and_words(people, answered):
    answer = first_answer(answered)

    with pytest.raises(NoQuestionError):
        answer_question_reply(
            assessment=answered, user=people.respondent, answer_pk=answer.pk, reply="Zo."
        )
    with pytest.raises(EmptyTextError):
        answer_question_ask(
            assessment=answered, user=people.admin, answer_pk=answer.pk, revision=1, question="  "
        )


def test_changing_the_answer_resets_its_validation_and_says_so_in_the_history(people, answered):
    answer = first_answer(answered)
    answer_validate(
        assessment=answered, user=people.admin, answer_pk=answer.pk, revision=answer.revision
    )

    answers_save(
        assessment=answered,
        user=people.respondent,
        answers=[
            AnswerInput(
                criterion=answer.criterion, value="1", comment="", loaded_revision=answer.revision
            )
        ],
    )

    answer.refresh_from_db()
    assert answer.validation_state == ""
    assert answer.validated_by is None
    change = AnswerChange.objects.filter(assessment=answered, source="form").latest("id")
    assert change.validation == "reset"


def test_an_autosaved_change_resets_the_validation(client_for, people, answered):
    answer = first_answer(answered)
    answer_question_ask(
        assessment=answered, user=people.admin, answer_pk=answer.pk, revision=1, question="Hoe?"
    )
    url = reverse("assessments:answer_save", args=[answered.pk, answer.criterion.key])

    response = client_for(people.respondent).post(
        url, {"value": "0", "comment": "", "revision": answer.revision, "confidence": "unsure"}
    )

    assert response.json()["status"] == "saved"
    answer.refresh_from_db()
    assert (answer.value, answer.confidence, answer.validation_state) == ("0", "unsure", "")
    assert answer.validation_question == ""
    assert AnswerChange.objects.filter(assessment=answered, validation="reset").count() == 1


# --- submitting --------------------------------------------------------------------------------


def test_submitting_waits_for_validation_and_says_what_is_left(people, answered):
    answer = first_answer(answered)
    answer_question_ask(
        assessment=answered, user=people.admin, answer_pk=answer.pk, revision=1, question="Hoe?"
    )
    total = Answer.objects.filter(assessment=answered).count()

    with pytest.raises(ValidationPendingError) as refused:
        assessment_submit(assessment=answered, user=people.respondent)

    assert (refused.value.questions, refused.value.open) == (1, total - 1)
    response = english(people.respondent).post(
        reverse("assessments:review", args=[answered.pk]), {"confirm": "yes"}
    )
    page = response.content.decode()
    assert response.status_code == 200
    assert f"{total} answers are not validated yet" in page
    assert "1 with an open question" in page
    answered.refresh_from_db()
    assert answered.is_draft


def test_a_fully_validated_assessment_submits_and_the_report_names_the_validator(people, answered):
    for answer in Answer.objects.filter(assessment=answered):
        answer_validate(
            assessment=answered, user=people.admin, answer_pk=answer.pk, revision=answer.revision
        )

    submitted = assessment_submit(assessment=answered, user=people.respondent)

    assert not submitted.is_draft
    page = english(people.viewer).get(reverse("reports:report", args=[answered.pk]))
    text = page.content.decode()
    assert f"Validated by {people.admin.get_full_name() or people.admin.username} on" in text


def test_the_report_of_an_assessment_without_validation_says_not_validated(
    client_for, submitted, people
):
    page = english(people.viewer).get(reverse("reports:report", args=[submitted.pk]))

    assert "Not validated." in page.content.decode()


# --- the page ---------------------------------------------------------------------------------


def test_viewer_reads_the_validation_page_without_forms(people, answered):
    response = english(people.viewer).get(reverse("assessments:validation", args=[answered.pk]))

    assert response.status_code == 200
    page = response.content.decode()
    assert "not looked at" in page
    assert 'value="validate"' not in page


def test_respondent_sees_the_question_with_a_reply_form(people, answered):
    answer = first_answer(answered)
    answer_question_ask(
        assessment=answered, user=people.admin, answer_pk=answer.pk, revision=1, question="Waar?"
    )

    response = english(people.respondent).get(
        reverse("assessments:validation", args=[answered.pk]) + "?state=question"
    )

    page = response.content.decode()
    assert "Waar?" in page
    assert 'value="reply"' in page
    assert page.count('class="card mb-3"') == 1


def test_the_step_page_shows_the_validation_state_and_confidence(people, answered):
    answer = first_answer(answered)
    Answer.objects.filter(pk=answer.pk).update(confidence="fairly_sure")
    answer_question_ask(
        assessment=answered, user=people.admin, answer_pk=answer.pk, revision=1, question="Waar?"
    )

    response = english(people.respondent).get(reverse("assessments:step", args=[answered.pk, 1]))

    page = response.content.decode()
    assert "question asked" in page
    assert '<option value="fairly_sure" selected>' in page
    # The respondent is led to where the question is answered.
    validation = reverse("assessments:validation", args=[answered.pk])
    assert f'<a href="{validation}?state=question">Open the validation page</a>' in page


def test_the_pdf_says_who_validated_and_when(people, answered):
    for answer in Answer.objects.filter(assessment=answered):
        answer_validate(
            assessment=answered, user=people.admin, answer_pk=answer.pk, revision=answer.revision
        )
    assessment_submit(assessment=answered, user=people.respondent)

    pages = pdf_pages(reader(people.viewer, "nl-be").get(pdf_url(answered)).content)

    text = " ".join(pages)
    name = people.admin.get_full_name() or people.admin.username
    assert f"Gevalideerd door {name} op" in text
    assert "antwoorden met bewijs; 0 onzeker." in text


def test_result_json_says_what_the_result_rests_on(people, answered):
    for answer in Answer.objects.filter(assessment=answered):
        answer_validate(
            assessment=answered, user=people.admin, answer_pk=answer.pk, revision=answer.revision
        )
    Answer.objects.filter(assessment=answered).update(confidence="unsure")
    assessment_submit(assessment=answered, user=people.respondent)

    data = english(people.viewer).get(reverse("reports:result_json", args=[answered.pk])).json()

    total = Answer.objects.filter(assessment=answered).count()
    name = people.admin.get_full_name() or people.admin.username
    assert data["assurance"] | {"validated_on": None} == {
        "answers": total,
        "with_evidence": 0,
        "unsure": total,
        "validation_required": True,
        "validated": True,
        "validated_by": [name],
        "validated_on": None,
    }
    assert data["assurance"]["validated_on"]


def test_the_editable_documents_say_who_validated(people, answered):
    for answer in Answer.objects.filter(assessment=answered):
        answer_validate(
            assessment=answered, user=people.admin, answer_pk=answer.pk, revision=answer.revision
        )
    submitted = assessment_submit(assessment=answered, user=people.respondent)

    with translation.override("en"):
        document = report_document(report_build(assessment=submitted))

    texts = [block.text for block in document.blocks if isinstance(block, Paragraph)]
    name = people.admin.get_full_name() or people.admin.username
    assert any(f"answers with evidence; 0 unsure. Validated by {name} on" in t for t in texts)
