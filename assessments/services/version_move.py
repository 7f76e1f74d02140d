"""A draft moves to its model's newer published version, or stays: the team chooses.

The answers go along by criterion key, or the crosswalk's replacement key, as a re-assessment
carries them (services/reassessment.py); answers to criteria the new version no longer has are
removed (the change history keeps them); new criteria start unanswered and the step pages mark
them (assessments/reassessment.py, from ``Assessment.moved_from``).
"""

from dataclasses import dataclass

from django.db import transaction
from django.utils import timezone

from assessments.models import Answer, AnswerChange, Assessment, AssessmentEvent, ConsensusAnswer
from assessments.reassessment import version_targets
from assessments.selectors import assessment_newer_version
from assessments.services.assessments import assessment_lock_draft
from maturity.models import Criterion, ModelVersion
from maturity.selectors import model_version_structure


class NoNewerVersionError(Exception):
    """The draft's model has no newer published version (any more) to move to."""


@dataclass(frozen=True)
class VersionMove:
    """A draft moved to ``version``: how many answers went along, what is new, what went."""

    version: ModelVersion
    carried: int
    new: tuple[Criterion, ...]
    removed: tuple[Criterion, ...]


def _move_rows(rows: list, old_keys: dict[int, str], targets: dict[int, Criterion], group):
    """The rows that go along (their criterion set to the new one) and the rows that go.

    A kept key comes before a crosswalk's replacement: where an old key and the key replacing
    it both had an answer, the replacing key's own answer stays.
    """

    def replaced_first(row) -> bool:
        target = targets.get(row.criterion_id)
        return target is None or target.key != old_keys[row.criterion_id]

    kept, removed, taken = [], [], set()
    for row in sorted(rows, key=replaced_first):
        target = targets.get(row.criterion_id)
        slot = (group(row), target.pk if target else None)
        if target is None or slot in taken:
            removed.append(row)
            continue
        taken.add(slot)
        row.criterion_id = target.pk
        kept.append(row)
    return kept, removed


@transaction.atomic
def assessment_move_to_version(*, assessment: Assessment, user) -> VersionMove:
    """Move a draft to its model's newer published version (respondents and admins)."""
    locked = assessment_lock_draft(assessment=assessment, user=user)
    old_version = ModelVersion.objects.get(pk=locked.model_version_id)
    locked.model_version = old_version
    version = assessment_newer_version(assessment=locked)
    if version is None:
        raise NoNewerVersionError
    old_structure = model_version_structure(version=old_version)
    old_criteria = {c.pk: c for c in old_structure.criteria}
    targets = version_targets(criteria=list(old_criteria.values()), version=version)
    now = timezone.now()
    old_keys = {pk: c.key for pk, c in old_criteria.items()}
    answers = list(Answer.objects.filter(assessment=locked).select_related("perspective"))
    kept, gone = _move_rows(answers, old_keys, targets, group=lambda a: a.perspective_id)
    AnswerChange.objects.bulk_create(
        AnswerChange(
            assessment=locked,
            criterion_id=answer.criterion_id,
            old_value=answer.value,
            old_comment=answer.comment,
            changed_by=user,
            changed_at=now,
            source="version_removed",
            perspective_name=answer.perspective.name,
        )
        for answer in gone
        if answer.value or answer.comment
    )
    Answer.objects.filter(pk__in=[a.pk for a in gone]).delete()
    for answer in kept:
        answer.revision += 1  # a page loaded before the move saves against the old criteria
        answer.updated_at = now
    Answer.objects.bulk_update(kept, ["criterion", "revision", "updated_at"])
    settled = list(ConsensusAnswer.objects.filter(assessment=locked))
    kept_settled, gone_settled = _move_rows(settled, old_keys, targets, group=lambda r: None)
    ConsensusAnswer.objects.filter(pk__in=[r.pk for r in gone_settled]).delete()
    ConsensusAnswer.objects.bulk_update(kept_settled, ["criterion"])
    locked.moved_from = old_version
    locked.model_version = version
    locked.version_offer_dismissed = None
    locked.save(update_fields=["moved_from", "model_version", "version_offer_dismissed"])
    AssessmentEvent.objects.create(
        assessment=locked,
        kind=AssessmentEvent.Kind.MOVED,
        user=user,
        note=f"v{old_version.version} → v{version.version}",
    )
    reached = {target.pk for target in targets.values()}
    return VersionMove(
        version=version,
        carried=sum(1 for a in kept if a.value),
        new=tuple(
            c for c in model_version_structure(version=version).criteria if c.pk not in reached
        ),
        removed=tuple(c for pk, c in old_criteria.items() if pk not in targets),
    )


@transaction.atomic
def assessment_keep_version(*, assessment: Assessment, user) -> Assessment:
    """Let a draft stay on its model version: the offer of the newer one is not shown again."""
    locked = assessment_lock_draft(assessment=assessment, user=user)
    locked.model_version = ModelVersion.objects.get(pk=locked.model_version_id)
    version = assessment_newer_version(assessment=locked)
    if version is None:
        raise NoNewerVersionError
    locked.version_offer_dismissed = version
    locked.save(update_fields=["version_offer_dismissed"])
    AssessmentEvent.objects.create(
        assessment=locked,
        kind=AssessmentEvent.Kind.VERSION_KEPT,
        user=user,
        note=f"v{locked.model_version.version}; v{version.version} declined",
    )
    return locked
