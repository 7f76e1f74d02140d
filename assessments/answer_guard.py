"""Answers of a submitted assessment cannot change: the queryset refuses, as model versions do.

Only a reopen (which makes the assessment a draft again) lets its answers change.
"""

from django.apps import apps
from django.db import IntegrityError, models
from django.db.models import Case, Exists, F, OuterRef, Q, When


def _assessment_model():
    # Looked up when used: this module is imported by assessments.models itself.
    return apps.get_model("assessments", "Assessment")


class SubmittedAnswersError(Exception):
    """Raised when code tries to change an answer of a submitted assessment: reopen it first."""

    def __init__(self) -> None:
        super().__init__("Answers of a submitted assessment cannot change; reopen it first.")


def submitted_answers_exist(*, assessment_ids=(), answer_ids=()) -> bool:
    """Whether any of these assessments, or the assessment of any of these answers, is submitted."""
    Assessment = _assessment_model()
    return Assessment.objects.filter(
        Q(pk__in=assessment_ids) | Q(answers__pk__in=answer_ids),
        status=Assessment.Status.SUBMITTED,
    ).exists()


class AnswerQuerySet(models.QuerySet):
    """Refuses writes to answers of a submitted assessment, as model versions refuse theirs."""

    def update(self, **kwargs):
        if "assessment" in kwargs or "assessment_id" in kwargs:
            if submitted_answers_exist(answer_ids=self.values("pk")):
                raise SubmittedAnswersError
            return super().update(**kwargs)
        # The check is part of the UPDATE itself, so the busy save path costs no extra query and
        # no submit can slip in between: a row of a submitted assessment would get a NULL
        # assessment, which the NOT NULL column refuses for the whole statement.
        Assessment = _assessment_model()
        still_draft = Exists(
            Assessment.objects.filter(pk=OuterRef("assessment_id"), status=Assessment.Status.DRAFT)
        )
        kwargs["assessment"] = Case(When(still_draft, then=F("assessment_id")), default=None)
        try:
            return super().update(**kwargs)
        except IntegrityError as error:
            if "assessment_id" in str(error):
                raise SubmittedAnswersError from error
            raise

    def delete(self):
        if submitted_answers_exist(answer_ids=self.values("pk")):
            raise SubmittedAnswersError
        return super().delete()

    def bulk_create(self, objs, *args, **kwargs):
        objs = list(objs)
        if submitted_answers_exist(assessment_ids={obj.assessment_id for obj in objs}):
            raise SubmittedAnswersError
        return super().bulk_create(objs, *args, **kwargs)
