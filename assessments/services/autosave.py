"""Autosave: one answer of one criterion, saved the moment the respondent gives it."""

from dataclasses import dataclass
from datetime import datetime

from django.db import transaction

from assessments.models import Answer
from assessments.services.assessments import (
    AnswerInput,
    answers_save_locked,
    assessment_lock_draft_by_pk,
)
from maturity.selectors import model_version_structure


@dataclass(frozen=True)
class OneAnswerOutcome:
    """What became of one autosaved answer.

    Saved (or unchanged): ``revision`` is the stored revision the page must send next time and
    ``saved_at`` when it was written (None when nothing changed). A conflict: ``theirs`` is the
    colleague's answer that was kept (None when it has disappeared), with its revision.
    """

    revision: int
    saved_at: datetime | None = None
    conflict: bool = False
    theirs: Answer | None = None


class UnknownCriterionError(Exception):
    """The assessment's model version has no criterion with this key."""


@transaction.atomic
def answer_save_one(
    *,
    assessment_id: int,
    user,
    criterion_key: str,
    value: str,
    comment: str,
    loaded_revision: int,
) -> OneAnswerOutcome:
    """Save one criterion's answer if nobody changed it since ``loaded_revision``.

    The same role and draft checks, conditional write and audit trail as a whole step
    (``answers_save``), so a stale autosave keeps the colleague's answer. The assessment is found
    from its key among the user's organisations in the same query that locks it and reads the
    role: an autosave comes often, and this saves the separate access check's two queries.
    Refused with ``AssessmentNotFoundError``, ``NotAllowedError``, ``AssessmentLockedError`` or
    ``UnknownCriterionError``, in that order, before anything is written. The answer is
    addressed by (assessment, criterion); a later answer set (perspective) is one more part of
    that address.
    """
    assessment = assessment_lock_draft_by_pk(pk=assessment_id, user=user)
    structure = model_version_structure(version=assessment.model_version)
    criterion = structure.criteria_by_key.get(criterion_key)
    if criterion is None:
        raise UnknownCriterionError
    outcome = answers_save_locked(
        assessment=assessment,
        user=user,
        answers=[
            AnswerInput(
                criterion=criterion,
                value=value,
                comment=comment,
                loaded_revision=loaded_revision,
            )
        ],
        source="autosave",
    )
    if outcome.conflicts:
        theirs = outcome.conflicts[0].current
        return OneAnswerOutcome(
            revision=theirs.revision if theirs else 0, conflict=True, theirs=theirs
        )
    if outcome.changed:
        return OneAnswerOutcome(revision=loaded_revision + 1, saved_at=outcome.saved_at)
    return OneAnswerOutcome(revision=loaded_revision)
