"""What a draft changes against the published version: the model editor reads it before publishing.

Criteria are matched by their key, the one thing that stays the same across versions: answers of
earlier assessments belong to a key, so kept keys can be compared over time and new keys cannot.
"""

from dataclasses import dataclass

from django.utils.translation import gettext_lazy as _

from maturity.models import Criterion, ModelVersion
from maturity.selectors import model_version_structure

# The criterion's parts an editor changes, with the label the diff shows for each.
COMPARED_FIELDS = (
    ("statement_nl", _("statement (Dutch)")),
    ("statement_en", _("statement (English)")),
    ("weight", _("weight")),
    ("phase", _("phase")),
    ("dimension", _("dimension")),
    ("advice_nl", _("advice (Dutch)")),
    ("advice_en", _("advice (English)")),
)
# A change to these parts changes how a kept answer counts in the score.
SCORING_FIELDS = frozenset({"weight", "phase"})


@dataclass(frozen=True)
class FieldChange:
    """One part of a criterion, before and after."""

    field: str
    label: str
    old: str
    new: str


@dataclass(frozen=True)
class CriterionChange:
    """A criterion whose key both versions have, with the parts that differ."""

    criterion: Criterion
    changes: tuple[FieldChange, ...]

    @property
    def changes_scoring(self) -> bool:
        return any(change.field in SCORING_FIELDS for change in self.changes)


@dataclass(frozen=True)
class VersionDiff:
    """A version against the one it would replace: criteria added, removed and changed."""

    version: ModelVersion
    base: ModelVersion | None
    added: tuple[Criterion, ...]
    removed: tuple[Criterion, ...]
    changed: tuple[CriterionChange, ...]
    kept_keys: int

    @property
    def is_empty(self) -> bool:
        return not (self.added or self.removed or self.changed)

    @property
    def scoring_changed(self) -> bool:
        """Whether a kept criterion counts differently (weight or phase), or criteria come or go."""
        return bool(self.added or self.removed) or any(c.changes_scoring for c in self.changed)


def _value(criterion: Criterion, field: str) -> str:
    if field == "phase":
        return str(criterion.phase)
    if field == "dimension":
        return criterion.dimension.name
    if field == "weight":
        return f"{criterion.weight.normalize():f}"
    return getattr(criterion, field)


def _criterion_changes(old: Criterion, new: Criterion) -> tuple[FieldChange, ...]:
    changes = []
    for field, label in COMPARED_FIELDS:
        before, after = _value(old, field), _value(new, field)
        if before != after:
            changes.append(FieldChange(field=field, label=str(label), old=before, new=after))
    return tuple(changes)


def model_version_diff(*, version: ModelVersion, base: ModelVersion | None) -> VersionDiff:
    """Compare a version's criteria with those of `base` (None: everything is new), by key."""
    new = model_version_structure(version=version).criteria_by_key
    old = model_version_structure(version=base).criteria_by_key if base is not None else {}
    changed = []
    for key in sorted(new.keys() & old.keys()):
        changes = _criterion_changes(old[key], new[key])
        if changes:
            changed.append(CriterionChange(criterion=new[key], changes=changes))
    return VersionDiff(
        version=version,
        base=base,
        added=tuple(new[key] for key in sorted(new.keys() - old.keys())),
        removed=tuple(old[key] for key in sorted(old.keys() - new.keys())),
        changed=tuple(changed),
        kept_keys=len(new.keys() & old.keys()),
    )
