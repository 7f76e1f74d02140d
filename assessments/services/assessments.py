"""Writes for assessments: start, answer, submit, reopen; each checks the user's role itself."""

from decimal import Decimal

from django.db import IntegrityError, transaction
from django.db.models import F, OuterRef, Subquery
from django.utils import timezone

from assessments.answer_guard import RevisedAnswer
from assessments.models import (
    ADMIN_ROLES,
    ANSWERING_ROLES,
    Answer,
    AnswerChange,
    Assessment,
    AssessmentEvent,
    ConsensusAnswer,
    Membership,
    Organisation,
    Perspective,
    ValidationStep,
)
from assessments.perspective_selectors import assessment_answer_states
from assessments.selectors import perspective_total_subquery
from assessments.services.outcomes import (
    AnswerConflict,
    AnswerInput,
    AnswersToConfirmError,
    AssessmentIncompleteError,
    AssessmentLockedError,
    LockedPerspective,
    NoPublishedModelError,
    NotAllowedError,
    PerspectiveNotFoundError,
    SaveOutcome,
    ValidationPendingError,
    validation_counts,
)
from assessments.services.scored import assessment_score_answers, store_consensus
from maturity.selectors import model_version_latest_published, model_version_structure

COMMENT_MAX_LENGTH = 2000


def _role_of(*, user, organisation_id) -> Subquery:
    return Subquery(
        Membership.objects.filter(organisation_id=organisation_id, user_id=user.pk).values("role")[
            :1
        ]
    )


@transaction.atomic
def assessment_create(
    *, organisation: Organisation, user, title: str, start_from: Assessment | None = None
) -> Assessment:
    """Start an assessment on the newest published model version (respondents and admins).

    ``start_from`` only records where a re-assessment started (services/reassessment.py).
    """
    if not Membership.objects.filter(
        organisation=organisation, user_id=user.pk, role__in=ANSWERING_ROLES
    ).exists():
        raise NotAllowedError
    version = model_version_latest_published()
    if version is None:
        raise NoPublishedModelError
    assessment = Assessment(
        organisation=organisation, model_version=version, title=title.strip(), created_by=user
    )
    assessment.started_from = start_from
    assessment.full_clean()
    assessment.save()
    AssessmentEvent.objects.create(
        assessment=assessment, kind=AssessmentEvent.Kind.CREATED, user=user
    )
    return assessment


def _lock(*, assessment: Assessment, user, roles) -> Assessment:
    """The assessment's row, locked for this transaction, if the user's role is in ``roles``.

    The role is read in the same query as the lock, so checking it costs no extra round trip.
    """
    locked = (
        Assessment.objects.select_for_update(of=("self",))
        .annotate(
            user_role=_role_of(user=user, organisation_id=OuterRef("organisation_id")),
            perspective_total=perspective_total_subquery(),
        )
        .get(pk=assessment.pk)
    )
    if locked.user_role not in roles:
        raise NotAllowedError
    return locked


def assessment_lock_draft(*, assessment: Assessment, user) -> Assessment:
    """The draft, locked for this transaction, if the user may answer; else a named error."""
    locked = _lock(assessment=assessment, user=user, roles=ANSWERING_ROLES)
    if not locked.is_draft:
        raise AssessmentLockedError
    return locked


def _assigned(locked: Assessment) -> bool:
    """Whether a contributor answers in the locked perspective (one query, contributors only)."""
    return (
        locked.user_role == Membership.Role.CONTRIBUTOR
        and Perspective.members.through.objects.filter(
            perspective_id=locked.answer_perspective_id, membership_id=locked.membership_id
        ).exists()
    )


def answer_set_lock(
    *, assessment: Assessment, user, perspective_id: int | None
) -> LockedPerspective:
    """Lock the draft for writing one perspective's answers; returns the perspective.

    None means the assessment's first perspective. Respondents and admins answer in every
    perspective, a contributor only in those assigned to them. Role, perspective and assignment
    are read in the same query as the lock. The one-statement autosave
    (``autosave.answer_save_one_direct``) holds these rules, and those of
    ``answers_save_locked``, in SQL: a change here must be made there too.
    """
    perspectives = Perspective.objects.filter(assessment=OuterRef("pk")).order_by("pk")
    if perspective_id is not None:
        perspectives = perspectives.filter(pk=perspective_id)
    # The role from a join on the user's membership (cheaper to build than a subquery); no row
    # when the user is no member of the organisation.
    locked = (
        Assessment.objects.select_for_update(of=("self",))
        .filter(pk=assessment.pk, organisation__memberships__user_id=user.pk)
        .annotate(
            user_role=F("organisation__memberships__role"),
            membership_id=F("organisation__memberships__pk"),
            answer_perspective_id=Subquery(perspectives.values("pk")[:1]),
            answer_perspective_name=Subquery(perspectives.values("name")[:1]),
        )
        .first()
    )
    if locked is None:
        raise NotAllowedError
    if locked.answer_perspective_id is None:
        raise PerspectiveNotFoundError
    if locked.user_role not in ANSWERING_ROLES and not _assigned(locked):
        raise NotAllowedError
    if not locked.is_draft:
        raise AssessmentLockedError
    return LockedPerspective(locked.answer_perspective_id, locked.answer_perspective_name)


def _insert_one(*, address: dict, user, item: AnswerInput, now) -> AnswerConflict | None:
    """Insert one first answer; if a colleague's arrived first, the conflict, theirs kept."""
    try:
        with transaction.atomic():
            Answer.objects.create(
                **address,
                criterion=item.criterion,
                value=item.value,
                comment=item.comment,
                confidence=item.confidence or "",
                updated_by=user,
                updated_at=now,
            )
    except IntegrityError:
        theirs = Answer.objects.get(**address, criterion=item.criterion)
        return AnswerConflict(criterion=item.criterion, current=theirs)
    return None


def _insert_answers(*, address: dict, user, items: list[AnswerInput], now) -> list[AnswerConflict]:
    """Insert the first answers of these criteria; the conflicts where a colleague's came first.

    One statement for all of them. The unique key refuses it whole if any answer exists
    already (only a write that skipped the draft lock could have made one), and then each is
    inserted on its own so that only the colliding ones become conflicts.
    """
    if not items:
        return []
    try:
        with transaction.atomic():
            Answer.objects.bulk_create(
                Answer(
                    **address,
                    criterion=item.criterion,
                    value=item.value,
                    comment=item.comment,
                    confidence=item.confidence or "",
                    updated_by=user,
                    updated_at=now,
                )
                for item in items
            )
        return []
    except IntegrityError:
        conflicts = (_insert_one(address=address, user=user, item=item, now=now) for item in items)
        return [conflict for conflict in conflicts if conflict is not None]


def _update_answers(*, user, items: list[tuple[AnswerInput, Answer]], now) -> list[AnswerConflict]:
    """Update these answers in one statement, each only if still at the revision loaded.

    The revision check is part of the write, so an answer a colleague saved a moment ago is
    never overwritten: it is read again and returned as a conflict, theirs kept. A changed answer
    must be validated again: its validation is emptied in the same statement.
    """
    written = Answer.objects.update_at_revisions(
        [
            RevisedAnswer(
                existing.pk, item.loaded_revision, item.value, item.comment, item.confidence
            )
            for item, existing in items
        ],
        updated_by_id=user.pk,
        updated_at=now,
        to_confirm=False,
        **VALIDATION_RESET,
    )
    missed = {existing.pk: item for item, existing in items if existing.pk not in written}
    if not missed:
        return []
    theirs = Answer.objects.in_bulk(missed)
    return [
        AnswerConflict(criterion=item.criterion, current=theirs.get(pk))
        for pk, item in missed.items()
    ]


# What a change of an answer sets: it is no longer validated (the history keeps the question).
VALIDATION_RESET = {
    "validation_state": "",
    "validation_question": "",
    "validation_reply": "",
    "validated_by_id": None,
    "validated_at": None,
}


def _is_unchanged(item: AnswerInput, existing: Answer | None) -> bool:
    if existing is None:
        return not item.value and not item.comment and not item.confidence
    confidence = existing.confidence if item.confidence is None else item.confidence
    return (existing.value, existing.comment, existing.confidence) == (
        item.value,
        item.comment,
        confidence,
    )


def _audit_row(
    *, assessment, perspective_name, user, item: AnswerInput, existing: Answer | None, now, source
):
    old_confidence = existing.confidence if existing else ""
    return AnswerChange(
        assessment=assessment,
        criterion=item.criterion,
        old_value=existing.value if existing else "",
        new_value=item.value,
        old_comment=existing.comment if existing else "",
        new_comment=item.comment,
        old_confidence=old_confidence,
        new_confidence=old_confidence if item.confidence is None else item.confidence,
        validation=ValidationStep.RESET if existing and existing.validation_state else "",
        changed_by=user,
        changed_at=now,
        source=source,
        perspective_name=perspective_name,
    )


@transaction.atomic
def answers_save(
    *,
    assessment: Assessment,
    user,
    answers: list[AnswerInput],
    source: str = "form",
    perspective_id: int | None = None,
) -> SaveOutcome:
    """Save the answers a respondent changed, one row per criterion, never over a newer one.

    The answers go into one perspective (None: the assessment's first). Each write is
    conditional on the revision the respondent loaded, so a colleague's answer that arrived in
    between is kept and reported as a conflict instead of being overwritten.
    """
    perspective = answer_set_lock(assessment=assessment, user=user, perspective_id=perspective_id)
    return answers_save_locked(
        assessment=assessment,
        perspective=perspective,
        user=user,
        answers=answers,
        source=source,
    )


def answers_save_locked(
    *,
    assessment: Assessment,
    perspective: "LockedPerspective",
    user,
    answers: list[AnswerInput],
    source: str,
) -> SaveOutcome:
    """``answers_save`` for a draft the caller has locked, role checked, in its atomic block.

    All changed answers are written in two statements at most (updates, first answers), whatever
    their number, and the audit trail in one more.
    """
    # Where the answers live: what they are read by and what a first answer is created with.
    address = {"assessment": assessment, "perspective_id": perspective.id}
    current = {
        a.criterion_id: a
        for a in Answer.objects.filter(**address, criterion__in=[i.criterion for i in answers])
    }
    now = timezone.now()
    stale, writes = [], []
    for item in answers:
        existing = current.get(item.criterion.pk)
        if _is_unchanged(item, existing):
            continue
        if (existing.revision if existing else 0) != item.loaded_revision:
            stale.append(AnswerConflict(criterion=item.criterion, current=existing))
        else:
            writes.append((item, existing))
    missed = _update_answers(user=user, items=[(i, e) for i, e in writes if e is not None], now=now)
    missed += _insert_answers(
        address=address, user=user, items=[i for i, e in writes if e is None], now=now
    )
    missed_ids = {conflict.criterion.pk for conflict in missed}
    changes = [
        _audit_row(
            assessment=assessment,
            perspective_name=perspective.name,
            user=user,
            item=i,
            existing=e,
            now=now,
            source=source,
        )
        for i, e in writes
        if i.criterion.pk not in missed_ids
    ]
    # One insert for the whole audit trail of the save, in the same transaction as the answers.
    AnswerChange.objects.bulk_create(changes)
    order = {item.criterion.pk: index for index, item in enumerate(answers)}
    return SaveOutcome(
        changed=[change.criterion.key for change in changes],
        conflicts=sorted([*stale, *missed], key=lambda c: order[c.criterion.pk]),
        saved_at=now,
    )


def validation_pending_check(*, assessment: Assessment) -> None:
    """Raise ValidationPendingError when validation is on and a given answer is not validated."""
    if not assessment.validation_required:
        return
    states = list(
        Answer.objects.filter(assessment=assessment)
        .exclude(value="")
        .values_list("validation_state", flat=True)
    )
    counts = validation_counts(states)
    if counts.pending:
        raise ValidationPendingError(
            open=counts.open, questions=counts.questions, answered=counts.answered
        )


@transaction.atomic
def assessment_submit(*, assessment: Assessment, user) -> Assessment:
    """Score a complete draft's consensus, store the result with it and make it read-only."""
    locked = assessment_lock_draft(assessment=assessment, user=user)
    structure = model_version_structure(version=locked.model_version)
    answers = {
        pk: state
        for pk, state in assessment_answer_states(assessment=locked).items()
        if state.value
    }
    missing = [c.key for c in structure.criteria if c.pk not in answers]
    if missing:
        raise AssessmentIncompleteError(missing)
    if locked.started_from_id is not None:
        unconfirmed = Answer.objects.filter(assessment=locked, to_confirm=True)
        unconfirmed = sorted(set(unconfirmed.values_list("criterion__key", flat=True)))
        if unconfirmed:
            raise AnswersToConfirmError(unconfirmed)
    validation_pending_check(assessment=locked)
    result = assessment_score_answers(assessment=locked, answers=answers)
    now = timezone.now()
    if locked.perspective_total > 1:
        store_consensus(assessment=locked, answers=answers, user=user, now=now)
    locked.result = result.to_dict()
    locked.phase_order = result.phase.order
    locked.maturity_index = Decimal(result.index.numerator) / Decimal(result.index.denominator)
    locked.maturity_index = locked.maturity_index.quantize(Decimal("0.0001"))
    locked.status = Assessment.Status.SUBMITTED
    locked.submitted_at = now
    locked.submitted_by = user
    locked.save()
    AssessmentEvent.objects.create(
        assessment=locked, kind=AssessmentEvent.Kind.SUBMITTED, user=user
    )
    return locked


@transaction.atomic
def assessment_reopen(*, assessment: Assessment, user, reason: str = "") -> Assessment:
    """Make a submitted assessment editable again (admins); the result is cleared and recorded."""
    locked = _lock(assessment=assessment, user=user, roles=ADMIN_ROLES)
    if locked.is_draft:
        return locked
    previous = locked.result or {}
    locked.status = Assessment.Status.DRAFT
    locked.result = None
    locked.phase_order = None
    locked.maturity_index = None
    locked.submitted_at = None
    locked.submitted_by = None
    locked.save()
    ConsensusAnswer.objects.filter(assessment=locked, from_rule=True).delete()
    note = reason.replace("\x00", "").strip()[:200]
    if previous:
        note = f"{note} (index {previous.get('index')})".strip()
    AssessmentEvent.objects.create(
        assessment=locked, kind=AssessmentEvent.Kind.REOPENED, user=user, note=note
    )
    return locked
