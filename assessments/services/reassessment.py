"""Re-assessment: a new assessment starts from the last submitted one; its answers are confirmed.

The answers (and comments) are carried by criterion key into the new assessment's model version,
following the model's crosswalk where a key was replaced; each carried answer is marked to
confirm, and counts only once someone confirms it unchanged or changes it.
"""

from django.db import transaction
from django.utils import timezone

from assessments.models import Answer, AnswerChange, Assessment, Organisation, Perspective
from assessments.services.assessments import NotAllowedError, answer_set_lock, assessment_create
from assessments.services.evidence import evidence_carry
from maturity.selectors import criterion_key_replacements, model_version_structure


class CarryFromDraftError(Exception):
    """Only a submitted assessment can be started from: a draft's answers are not settled."""


class CarryFromTestError(Exception):
    """A test ("niet meetellen") is no baseline: restore it first if it should count."""


def _perspectives_like(*, assessment: Assessment, previous: list[Perspective]) -> dict[int, int]:
    """The new assessment's perspectives named as the previous one's; old id -> new id."""
    first = assessment.perspectives.get()
    first.name = previous[0].name
    first.save(update_fields=["name"])
    created = Perspective.objects.bulk_create(
        Perspective(assessment=assessment, name=p.name, created_by=assessment.created_by)
        for p in previous[1:]
    )
    mapping = {old.pk: new.pk for old, new in zip(previous, [first, *created], strict=True)}
    Perspective.members.through.objects.bulk_create(
        Perspective.members.through(perspective_id=mapping[p.pk], membership_id=m.pk)
        for p in previous
        for m in p.members.all()
    )
    return mapping


def answers_carry(*, assessment: Assessment, previous: Assessment, user) -> int:
    """Carry a submitted assessment's answers into a new draft, each to confirm; returns how many.

    Matched by criterion key (or the crosswalk's replacement key) in the new model version; each
    perspective starts from its own previous answers. A constant number of queries.
    """
    if previous.is_draft:
        raise CarryFromDraftError
    if previous.organisation_id != assessment.organisation_id:
        raise NotAllowedError
    criteria = model_version_structure(version=assessment.model_version).criteria_by_key
    replaced = criterion_key_replacements(version=assessment.model_version)
    perspectives = list(Perspective.objects.filter(assessment=previous).prefetch_related("members"))
    mapping = _perspectives_like(assessment=assessment, previous=perspectives)
    now = timezone.now()
    carried = []
    previous_ids = []
    for previous_id, perspective_id, key, value, comment, confidence in (
        Answer.objects.filter(assessment=previous)
        .exclude(value="")
        .values_list("pk", "perspective_id", "criterion__key", "value", "comment", "confidence")
    ):
        criterion = criteria.get(replaced.get(key, key))
        if criterion is None:
            continue  # no longer in the model: the review page names it
        carried.append(
            Answer(
                assessment=assessment,
                perspective_id=mapping[perspective_id],
                criterion=criterion,
                value=value,
                comment=comment,
                # How sure the team was comes along; its validation does not (a new assessment).
                confidence=confidence,
                to_confirm=True,
                updated_by=user,
                updated_at=now,
            )
        )
        previous_ids.append(previous_id)
    Answer.objects.bulk_create(carried)
    # The evidence goes along with its answer, to be confirmed with it (the same stored files).
    evidence_carry(
        answers=list(zip(previous_ids, carried, strict=True)),
        organisation_id=assessment.organisation_id,
    )
    names = {mapping[p.pk]: p.name for p in perspectives}
    AnswerChange.objects.bulk_create(
        AnswerChange(
            assessment=assessment,
            criterion=a.criterion,
            new_value=a.value,
            new_comment=a.comment,
            new_confidence=a.confidence,
            changed_by=user,
            changed_at=now,
            source="carried",
            perspective_name=names[a.perspective_id],
        )
        for a in carried
    )
    return len(carried)


@transaction.atomic
def reassessment_start(
    *, organisation: Organisation, user, title: str, start_from: Assessment
) -> Assessment:
    """Start an assessment from a counted submitted one: its answers carried, each to confirm."""
    if start_from.is_draft:
        raise CarryFromDraftError
    if start_from.is_test:
        raise CarryFromTestError
    assessment = assessment_create(
        organisation=organisation, user=user, title=title, start_from=start_from
    )
    answers_carry(assessment=assessment, previous=start_from, user=user)
    return assessment


@transaction.atomic
def answers_confirm(
    *, assessment: Assessment, user, criterion_keys: list[str], perspective_id: int | None = None
) -> list[str]:
    """Confirm carried answers unchanged; returns the keys confirmed now.

    Confirming twice, or two people at once, confirms once: the second finds nothing left.
    """
    perspective = answer_set_lock(assessment=assessment, user=user, perspective_id=perspective_id)
    pending = Answer.objects.filter(
        perspective_id=perspective.id, to_confirm=True, criterion__key__in=sorted(criterion_keys)
    )
    confirmed = list(pending.values_list("criterion_id", "criterion__key", "value", "comment"))
    now = timezone.now()
    pending.update(to_confirm=False, updated_by=user, updated_at=now)
    AnswerChange.objects.bulk_create(
        AnswerChange(
            assessment=assessment,
            criterion_id=criterion_id,
            old_value=value,
            new_value=value,
            old_comment=comment,
            new_comment=comment,
            changed_by=user,
            changed_at=now,
            source="confirmed",
            perspective_name=perspective.name,
        )
        for criterion_id, _key, value, comment in confirmed
    )
    return [key for _id, key, _value, _comment in confirmed]
