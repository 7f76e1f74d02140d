"""An assessment's life cycle: delete a draft, mark a submitted one as a test, deadlines.

Organisation admins only, checked again in the same query as the row lock. What cannot be kept
with the assessment (a deleted draft takes its events along) goes to the audit log.
"""

import datetime
import logging
from dataclasses import dataclass

from django.db import transaction
from django.utils import timezone

from assessments.models import (
    ADMIN_ROLES,
    Answer,
    Assessment,
    AssessmentEvent,
)
from assessments.services.assessments import _lock
from assessments.services.outcomes import AssessmentLockedError

audit = logging.getLogger("groeipad.audit")


class TitleMismatchError(Exception):
    """The title typed to confirm a deletion is not the assessment's title."""


class NotSubmittedError(Exception):
    """Only a submitted assessment can be marked as a test (a draft counts for nothing yet)."""


@dataclass(frozen=True)
class DeletedDraft:
    """What a deletion removed."""

    title: str
    answers: int
    perspectives: int


def _same_title(typed: str, title: str) -> bool:
    return " ".join(typed.split()).casefold() == " ".join(title.split()).casefold()


@transaction.atomic
def assessment_delete(*, assessment: Assessment, user, typed_title: str) -> DeletedDraft:
    """Delete a draft with its perspectives and answers, once its title was typed (admins).

    A submitted assessment is never deleted (mark it as a test instead): AssessmentLockedError.
    """
    locked = _lock(assessment=assessment, user=user, roles=ADMIN_ROLES)
    if not locked.is_draft:
        raise AssessmentLockedError
    if not _same_title(typed_title, locked.title):
        raise TitleMismatchError
    deleted = DeletedDraft(
        title=locked.title,
        answers=Answer.objects.filter(assessment=locked).exclude(value="").count(),
        perspectives=locked.perspective_total,
    )
    audit.info(
        "assessment deleted: id=%s organisation=%s title=%r answers=%s perspectives=%s by user=%s",
        locked.pk,
        locked.organisation_id,
        deleted.title,
        deleted.answers,
        deleted.perspectives,
        user.pk,
    )
    locked.delete()
    return deleted


@transaction.atomic
def assessment_mark_test(*, assessment: Assessment, user, is_test: bool) -> Assessment:
    """Mark a submitted assessment as a test ("niet meetellen"), or make it count again (admins).

    A test stays readable; it leaves the history, the trend, the benchmark and the baselines
    a re-assessment can start from. The benchmark revision moves on by its database trigger.
    """
    locked = _lock(assessment=assessment, user=user, roles=ADMIN_ROLES)
    if locked.is_draft:
        raise NotSubmittedError
    if locked.is_test == is_test:
        return locked
    locked.is_test = is_test
    locked.test_changed_at = timezone.now()
    locked.save(update_fields=["is_test", "test_changed_at"])
    kind = AssessmentEvent.Kind.MARKED_TEST if is_test else AssessmentEvent.Kind.RESTORED
    AssessmentEvent.objects.create(assessment=locked, kind=kind, user=user)
    audit.info(
        "assessment %s: id=%s organisation=%s by user=%s",
        kind,
        locked.pk,
        locked.organisation_id,
        user.pk,
    )
    return locked


@transaction.atomic
def assessment_set_deadline(
    *, assessment: Assessment, user, deadline: datetime.date | None
) -> Assessment:
    """Set or clear a draft's deadline (admins)."""
    locked = _lock(assessment=assessment, user=user, roles=ADMIN_ROLES)
    if not locked.is_draft:
        raise AssessmentLockedError
    locked.deadline = deadline
    locked.save(update_fields=["deadline"])
    return locked
