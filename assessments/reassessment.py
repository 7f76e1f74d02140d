"""What a re-assessment shows about the model versions: new, changed and removed criteria.

A re-assessment carries answers by criterion key (or the crosswalk's replacement) from the
assessment it started from. When that one used an older model version, the step page says per
criterion what is new or changed, and the review page lists the criteria no longer in the model.
"""

from dataclasses import dataclass, field

from django.utils.translation import gettext as _

from assessments.models import Answer, Assessment
from maturity.models import Criterion, ModelVersion
from maturity.selectors import criterion_key_replacements, model_version_structure


@dataclass(frozen=True)
class VersionChanges:
    """Per criterion key of the new version, a note on what changed; the criteria removed."""

    notes: dict[str, str] = field(default_factory=dict)
    removed: list[Criterion] = field(default_factory=list)
    new_count: int = 0


def _changed_parts(old: Criterion, new: Criterion) -> list[str]:
    parts = []
    if old.statement != new.statement:
        # The old statement's own full stop would double the sentence's.
        parts.append(_("the statement (it was: “%(old)s”)") % {"old": old.statement.rstrip(".")})
    if old.phase.key != new.phase.key:
        parts.append(_("the phase (it was %(old)s)") % {"old": old.phase.name})
    if old.dimension.key != new.dimension.key:
        parts.append(_("the dimension (it was %(old)s)") % {"old": old.dimension.name})
    if old.weight != new.weight:
        parts.append(_("the weight"))
    return parts


def _version_before(assessment: Assessment):
    """The model version the answers were given on: the one a draft moved from, or that of the
    assessment it started from; None when that is its own."""
    if assessment.moved_from_id is not None:
        return assessment.moved_from
    previous = assessment.started_from
    if previous is None or previous.model_version_id == assessment.model_version_id:
        return None
    return previous.model_version


def version_changes(*, assessment: Assessment) -> VersionChanges | None:
    """What changed since the version the answers were given on; None if nothing could.

    That is the version a draft moved from (services/version_move.py), else that of the
    assessment it started from. No query beyond the cached model structures and crosswalks (the
    caller loaded ``moved_from`` and ``started_from`` with its model version).
    """
    version = _version_before(assessment)
    if version is None:
        return None
    before = model_version_structure(version=version).criteria_by_key
    now = model_version_structure(version=assessment.model_version).criteria_by_key
    replaced = criterion_key_replacements(version=assessment.model_version)
    sources = {new: old for old, new in replaced.items() if old in before}
    moved = assessment.moved_from_id is not None
    notes, new_count = {}, 0
    for key, criterion in now.items():
        source = key if key in before else sources.get(key)
        if source is None:
            notes[key] = (
                _("New in this version of the model: version %(old)s did not have it.")
                % {"old": version.version}
                if moved
                else _("New in this version: it was not in the previous assessment.")
            )
            new_count += 1
        elif source != key:
            notes[key] = _(
                "Replaces “%(old)s” of the previous version; that answer was carried over."
            ) % {"old": before[source].statement}
        elif parts := _changed_parts(before[key], criterion):
            since = (
                _("Changed since version %(old)s of the model: %(parts)s.")
                if moved
                else _("Changed since the previous assessment: %(parts)s.")
            )
            notes[key] = since % {"parts": "; ".join(parts), "old": version.version}
    removed = [c for key, c in before.items() if replaced.get(key, key) not in now]
    return VersionChanges(notes=notes, removed=removed, new_count=new_count)


def version_targets(*, criteria: list[Criterion], version: ModelVersion) -> dict[int, Criterion]:
    """Criterion id (of an older version) -> the criterion of ``version`` its answer goes to:
    the same key, or the crosswalk's replacement. Absent: no longer in the model."""
    now = model_version_structure(version=version).criteria_by_key
    replaced = criterion_key_replacements(version=version)
    targets = {}
    for criterion in criteria:
        target = now.get(criterion.key) or now.get(replaced.get(criterion.key, ""))
        if target is not None:
            targets[criterion.pk] = target
    return targets


@dataclass(frozen=True)
class VersionMovePreview:
    """What moving a draft to a newer version would do: before the team chooses."""

    carried: int
    new: list[Criterion]
    removed: list[Criterion]  # answered criteria the new version no longer has
    changed: dict[str, str]  # key -> what changed in the criterion's text or place


def version_move_preview(*, assessment: Assessment, version: ModelVersion) -> VersionMovePreview:
    """What moving the draft to ``version`` carries, adds and removes; one query."""
    old = model_version_structure(version=assessment.model_version).criteria
    targets = version_targets(criteria=list(old), version=version)
    answered = set(
        Answer.objects.filter(assessment=assessment)
        .exclude(value="")
        .values_list("criterion_id", flat=True)
        .distinct()
    )
    reached = {target.pk for target in targets.values()}
    changed = {}
    for criterion in old:
        target = targets.get(criterion.pk)
        if target is not None and (parts := _changed_parts(criterion, target)):
            changed[target.key] = "; ".join(parts)
    return VersionMovePreview(
        carried=len({targets[pk].pk for pk in answered if pk in targets}),
        new=[c for c in model_version_structure(version=version).criteria if c.pk not in reached],
        removed=[c for c in old if c.pk not in targets and c.pk in answered],
        changed=changed,
    )
