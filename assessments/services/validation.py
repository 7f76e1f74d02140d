"""Validation of answers: an organisation admin other than the answer's author validates it or
asks a question, the respondent replies or changes the answer (docs/validation.md)."""

from django.db import transaction
from django.utils import timezone

from assessments.models import (
    ADMIN_ROLES,
    ANSWERING_ROLES,
    Answer,
    AnswerChange,
    Assessment,
    AssessmentEvent,
    ValidationStep,
)
from assessments.services.assessments import _lock, validation_pending_check
from assessments.services.outcomes import (
    AssessmentLockedError,
    NotAllowedError,
    ValidationCounts,
    ValidationPendingError,
    validation_counts,
)

QUESTION_MAX_LENGTH = 2000


class ValidationOffError(Exception):
    """Validation is not switched on for this assessment."""


class OwnAnswerError(Exception):
    """A validator does not validate an answer they gave or changed last themselves."""


class AnswerChangedError(Exception):
    """The answer changed since the page was loaded (or is gone): look at it again."""


class NoQuestionError(Exception):
    """A reply needs an open question of the validator."""


class EmptyTextError(Exception):
    """A question or a reply needs words."""


@transaction.atomic
def assessment_validation_set(*, assessment: Assessment, user, required: bool) -> Assessment:
    """Switch validation of a draft's answers on or off (organisation admins); recorded."""
    locked = _lock(assessment=assessment, user=user, roles=ADMIN_ROLES)
    if not locked.is_draft:
        raise AssessmentLockedError
    if locked.validation_required == required:
        return locked
    Assessment.objects.filter(pk=locked.pk).update(validation_required=required)
    locked.validation_required = required
    kind = AssessmentEvent.Kind.VALIDATION_ON if required else AssessmentEvent.Kind.VALIDATION_OFF
    AssessmentEvent.objects.create(assessment=locked, kind=kind, user=user)
    return locked


def _locked_answer(*, assessment: Assessment, user, roles, answer_pk: int):
    """The draft locked with the user's role checked, and its answer ``answer_pk`` (or error)."""
    locked = _lock(assessment=assessment, user=user, roles=roles)
    if not locked.is_draft:
        raise AssessmentLockedError
    if not locked.validation_required:
        raise ValidationOffError
    answer = (
        # A carried answer still to confirm is not given yet: nothing to validate.
        Answer.objects.filter(assessment=locked, pk=answer_pk, to_confirm=False)
        .exclude(value="")
        .select_related("perspective")
        .first()
    )
    if answer is None:
        raise AnswerChangedError
    return locked, answer


def _record(*, locked, answer: Answer, user, step: str, note: str, now) -> None:
    AnswerChange.objects.create(
        assessment=locked,
        criterion_id=answer.criterion_id,
        old_value=answer.value,
        new_value=answer.value,
        old_comment=answer.comment,
        new_comment=answer.comment,
        old_confidence=answer.confidence,
        new_confidence=answer.confidence,
        validation=step,
        note=note,
        changed_by=user,
        changed_at=now,
        source="validation",
        perspective_name=answer.perspective.name,
    )


def _text(value: str) -> str:
    text = value.replace("\x00", "").strip()[:QUESTION_MAX_LENGTH]
    if not text:
        raise EmptyTextError
    return text


def _judge(
    *, assessment: Assessment, user, answer_pk: int, revision: int, fields: dict, step, note
):
    now = timezone.now()
    locked, answer = _locked_answer(
        assessment=assessment, user=user, roles=ADMIN_ROLES, answer_pk=answer_pk
    )
    if answer.updated_by_id == user.pk:
        raise OwnAnswerError
    # Only the answer the validator saw: a change since then is looked at again.
    written = Answer.objects.filter(pk=answer.pk, revision=revision).update(
        **fields, validated_by_id=user.pk, validated_at=now
    )
    if not written:
        raise AnswerChangedError
    _record(locked=locked, answer=answer, user=user, step=step, note=note, now=now)
    return answer


@transaction.atomic
def answer_validate(*, assessment: Assessment, user, answer_pk: int, revision: int) -> Answer:
    """Mark an answer validated, as it was at ``revision`` (an admin who did not give it)."""
    return _judge(
        assessment=assessment,
        user=user,
        answer_pk=answer_pk,
        revision=revision,
        fields={"validation_state": Answer.ValidationState.VALIDATED},
        step=ValidationStep.VALIDATED,
        note="",
    )


@transaction.atomic
def answer_question_ask(
    *, assessment: Assessment, user, answer_pk: int, revision: int, question: str
) -> Answer:
    """Ask the respondents a question about an answer at ``revision`` (the validator)."""
    text = _text(question)
    return _judge(
        assessment=assessment,
        user=user,
        answer_pk=answer_pk,
        revision=revision,
        fields={
            "validation_state": Answer.ValidationState.QUESTION,
            "validation_question": text,
            "validation_reply": "",
        },
        step=ValidationStep.QUESTION,
        note=text,
    )


@transaction.atomic
def answer_question_reply(*, assessment: Assessment, user, answer_pk: int, reply: str) -> Answer:
    """Reply to the validator's open question, keeping the answer (respondents and admins)."""
    text = _text(reply)
    locked, answer = _locked_answer(
        assessment=assessment, user=user, roles=ANSWERING_ROLES, answer_pk=answer_pk
    )
    written = Answer.objects.filter(
        pk=answer.pk, validation_state=Answer.ValidationState.QUESTION
    ).update(validation_state=Answer.ValidationState.ANSWERED, validation_reply=text)
    if not written:
        raise NoQuestionError
    _record(
        locked=locked,
        answer=answer,
        user=user,
        step=ValidationStep.REPLY,
        note=text,
        now=timezone.now(),
    )
    return answer


__all__ = [
    "AnswerChangedError",
    "EmptyTextError",
    "NoQuestionError",
    "NotAllowedError",
    "OwnAnswerError",
    "ValidationCounts",
    "ValidationOffError",
    "ValidationPendingError",
    "answer_question_ask",
    "answer_question_reply",
    "answer_validate",
    "assessment_validation_set",
    "validation_counts",
    "validation_pending_check",
]
