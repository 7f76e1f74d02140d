"""Answers of a submitted assessment are guarded in the model layer (issue 13, point 8).

The services refused already; the ORM and the shell did not. Now save, delete, queryset update
and delete and bulk_create raise, as they do for a published model version; reopening (an
admin's recorded act) is the way to change them again.
"""

import pytest
from django.db import transaction
from django.utils import timezone

from assessments import answer_guard
from assessments.answer_guard import RevisedAnswer
from assessments.models import Answer, SubmittedAnswersError
from assessments.services import assessment_reopen, assessment_submit

pytestmark = pytest.mark.django_db


def snapshot(assessment) -> set[tuple]:
    return set(
        Answer.objects.filter(assessment=assessment).values_list(
            "pk", "criterion_id", "value", "comment", "revision"
        )
    )


def refused(change) -> None:
    # A savepoint, as for any refused write: on PostgreSQL the failed statement would otherwise
    # abort the test's transaction.
    with pytest.raises(SubmittedAnswersError), transaction.atomic():
        change()


def test_saving_an_answer_of_a_submitted_assessment_raises(submitted):
    before = snapshot(submitted)
    answer = Answer.objects.filter(assessment=submitted).first()
    answer.value = "0" if answer.value != "0" else "4"

    refused(answer.save)

    assert snapshot(submitted) == before


def test_a_new_answer_for_a_submitted_assessment_raises(submitted):
    answer = Answer.objects.filter(assessment=submitted).first()
    # Make room under the one-answer-per-criterion constraint, past the guard, as raw SQL could.
    Answer.objects.filter(pk=answer.pk)._raw_delete(Answer.objects.db)
    before = snapshot(submitted)

    refused(
        lambda: Answer.objects.create(assessment=submitted, criterion=answer.criterion, value="1")
    )

    assert snapshot(submitted) == before


def test_deleting_an_answer_of_a_submitted_assessment_raises(submitted):
    before = snapshot(submitted)

    refused(Answer.objects.filter(assessment=submitted).first().delete)
    refused(Answer.objects.filter(assessment=submitted).delete)

    assert snapshot(submitted) == before


def test_a_queryset_update_of_a_submitted_assessments_answers_raises(submitted, draft):
    before = snapshot(submitted)

    refused(lambda: Answer.objects.filter(assessment=submitted).update(value="0"))
    refused(lambda: Answer.objects.all().update(comment="overschreven"))

    assert snapshot(submitted) == before


@pytest.mark.parametrize("one_statement", [True, False], ids=["one statement", "row by row"])
def test_a_step_s_update_at_revisions_of_a_submitted_assessment_raises(
    submitted, monkeypatch, one_statement
):
    monkeypatch.setattr(answer_guard, "_updates_from_values", lambda connection: one_statement)
    before = snapshot(submitted)
    rows = [
        RevisedAnswer(answer.pk, answer.revision, "0", "overschreven")
        for answer in Answer.objects.filter(assessment=submitted)[:3]
    ]

    refused(
        lambda: Answer.objects.update_at_revisions(
            rows, updated_by_id=None, updated_at=timezone.now()
        )
    )

    assert snapshot(submitted) == before


def test_bulk_create_for_a_submitted_assessment_raises(submitted):
    answer = Answer.objects.filter(assessment=submitted).first()

    refused(
        lambda: Answer.objects.bulk_create(
            [Answer(assessment=submitted, criterion=answer.criterion, value="1")]
        )
    )


def test_a_draft_s_answers_can_still_change(draft, people):
    from tests.conftest import answer_all

    answer_all(draft, people.respondent, {1: "4", 2: "3", 3: "2", 4: "1"})

    assert Answer.objects.filter(assessment=draft).update(comment="ok") > 0


def test_after_reopen_the_answers_can_change_and_submit_works_again(submitted, people):
    assessment_reopen(assessment=submitted, user=people.admin, reason="correctie")

    assert Answer.objects.filter(assessment=submitted).update(value="4") > 0
    assessment_submit(assessment=submitted, user=people.respondent)
    refused(lambda: Answer.objects.filter(assessment=submitted).update(value="0"))
