"""Writes for perspectives: add, rename, assign members, delete; and the consensus answers."""

import datetime
from dataclasses import dataclass

from django.db import IntegrityError, transaction
from django.db.models import F
from django.db.models.functions import Lower
from django.utils import timezone

from assessments.models import (
    Answer,
    AnswerChange,
    Assessment,
    ConsensusAnswer,
    Membership,
    Perspective,
)
from assessments.services.assessments import NotAllowedError, assessment_lock_draft
from maturity.models import Criterion

# The compare page shows every perspective side by side: a dozen still reads on a phone.
MAX_PERSPECTIVES = 12


class PerspectiveNameTakenError(Exception):
    """Another perspective of the assessment has this name (case does not count)."""


class TooManyPerspectivesError(Exception):
    """The assessment has the most perspectives it may have."""


class LastPerspectiveError(Exception):
    """An assessment keeps at least one perspective."""


class ConsensusNotNeededError(Exception):
    """With one perspective, the consensus is that perspective: there is nothing to settle."""


@dataclass(frozen=True)
class ConsensusOutcome:
    """A consensus answer saved, or a colleague's newer one kept (``conflict``)."""

    conflict: bool
    current: ConsensusAnswer | None


def _name_taken(*, assessment: Assessment, name: str, exclude_pk: int | None = None) -> bool:
    others = Perspective.objects.filter(assessment=assessment).annotate(lower=Lower("name"))
    if exclude_pk is not None:
        others = others.exclude(pk=exclude_pk)
    return others.filter(lower=name.lower()).exists()


def _clean_name(name: str) -> str:
    name = " ".join(name.split())
    Perspective(name=name).clean_fields(exclude=["assessment", "created_by"])
    return name


@transaction.atomic
def perspective_create(*, assessment: Assessment, user, name: str) -> Perspective:
    """Add a named perspective to a draft (respondents and admins); it starts unanswered."""
    locked = assessment_lock_draft(assessment=assessment, user=user)
    name = _clean_name(name)
    if locked.perspective_total >= MAX_PERSPECTIVES:
        raise TooManyPerspectivesError
    if _name_taken(assessment=locked, name=name):
        raise PerspectiveNameTakenError
    return Perspective.objects.create(assessment=locked, name=name, created_by=user)


def _perspective_of(assessment: Assessment, perspective_id: int) -> Perspective:
    perspective = Perspective.objects.filter(assessment=assessment, pk=perspective_id).first()
    if perspective is None:
        raise Perspective.DoesNotExist
    return perspective


# perspective_update leaves the deadline as it is unless it is given.
KEEP_DEADLINE = object()


@transaction.atomic
def perspective_update(
    *,
    assessment: Assessment,
    perspective_id: int,
    user,
    name: str,
    member_ids: list[int],
    deadline: datetime.date | object | None = KEEP_DEADLINE,
) -> Perspective:
    """Rename a perspective, set who answers in it (members of the organisation only) and,
    when given, its deadline (None: none)."""
    locked = assessment_lock_draft(assessment=assessment, user=user)
    perspective = _perspective_of(locked, perspective_id)
    name = _clean_name(name)
    if _name_taken(assessment=locked, name=name, exclude_pk=perspective.pk):
        raise PerspectiveNameTakenError
    members = Membership.objects.filter(organisation_id=locked.organisation_id, pk__in=member_ids)
    if len(members) != len(set(member_ids)):
        raise NotAllowedError
    perspective.name = name
    if deadline is not KEEP_DEADLINE:
        perspective.deadline = deadline
    perspective.save(update_fields=["name", "deadline"])
    perspective.members.set(members)
    return perspective


@transaction.atomic
def perspective_delete(*, assessment: Assessment, perspective_id: int, user) -> int:
    """Delete a perspective of a draft and its answers, which stay in the audit trail.

    Returns how many answers went. The last perspective stays (LastPerspectiveError). With one
    perspective left, it is the consensus again, so the settled consensus answers go too (the
    audit trail keeps them).
    """
    locked = assessment_lock_draft(assessment=assessment, user=user)
    if locked.perspective_total <= 1:
        raise LastPerspectiveError
    perspective = _perspective_of(locked, perspective_id)
    now = timezone.now()
    answers = list(Answer.objects.filter(perspective=perspective))
    AnswerChange.objects.bulk_create(
        AnswerChange(
            assessment=locked,
            criterion_id=answer.criterion_id,
            old_value=answer.value,
            old_comment=answer.comment,
            changed_by=user,
            changed_at=now,
            source="perspective_deleted",
            perspective_name=perspective.name,
        )
        for answer in answers
    )
    perspective.delete()
    if locked.perspective_total == 2:
        ConsensusAnswer.objects.filter(assessment=locked).delete()
    return len(answers)


def _write_consensus(
    *, assessment, criterion, value, note, loaded_revision, user, now
) -> ConsensusOutcome | None:
    """The conditional write: None when written, else the colleague's newer answer kept."""
    current = ConsensusAnswer.objects.filter(assessment=assessment, criterion=criterion).first()
    if (current.revision if current else 0) != loaded_revision:
        return ConsensusOutcome(conflict=True, current=current)
    if current is None:
        try:
            with transaction.atomic():
                ConsensusAnswer.objects.create(
                    assessment=assessment,
                    criterion=criterion,
                    value=value,
                    note=note,
                    updated_by=user,
                    updated_at=now,
                )
        except IntegrityError:
            theirs = ConsensusAnswer.objects.get(assessment=assessment, criterion=criterion)
            return ConsensusOutcome(conflict=True, current=theirs)
        return None
    ConsensusAnswer.objects.filter(pk=current.pk).update(
        value=value, note=note, revision=F("revision") + 1, updated_by=user, updated_at=now
    )
    return None


@transaction.atomic
def consensus_save(
    *,
    assessment: Assessment,
    user,
    criterion: Criterion,
    value: str,
    note: str,
    loaded_revision: int,
    previous_value: str,
) -> ConsensusOutcome:
    """Settle one criterion's consensus answer with a note (respondents and admins, drafts).

    Conditional on the revision loaded, like answers: a colleague's newer settlement is kept.
    ``previous_value`` (what the page showed) goes into the audit trail.
    """
    locked = assessment_lock_draft(assessment=assessment, user=user)
    if locked.perspective_total <= 1:
        raise ConsensusNotNeededError
    now = timezone.now()
    conflict = _write_consensus(
        assessment=locked,
        criterion=criterion,
        value=value,
        note=note,
        loaded_revision=loaded_revision,
        user=user,
        now=now,
    )
    if conflict is not None:
        return conflict
    AnswerChange.objects.create(
        assessment=locked,
        criterion=criterion,
        old_value=previous_value,
        new_value=value,
        new_comment=note,
        changed_by=user,
        changed_at=now,
        source="consensus",
    )
    return ConsensusOutcome(conflict=False, current=None)
