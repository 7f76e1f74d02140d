"""What a draft changes against the published version: the model editor reads it before publishing.

Criteria are matched by their key, the one thing that stays the same across versions: answers of
earlier assessments belong to a key, so kept keys can be compared over time and new keys cannot.
"""

import hashlib
import json
from dataclasses import dataclass
from decimal import Decimal

from django.utils.formats import number_format
from django.utils.translation import gettext_lazy as _

from maturity.models import Criterion, ModelVersion
from maturity.selectors import model_version_latest_published, model_version_structure
from maturity.services import model_version_problems

# The criterion's parts an editor changes, with the label the diff shows for each.
COMPARED_FIELDS = (
    ("statement_nl", _("statement (Dutch)")),
    ("statement_en", _("statement (English)")),
    ("weight", _("weight")),
    ("phase", _("phase")),
    ("dimension", _("dimension")),
    ("advice_nl", _("advice (Dutch)")),
    ("advice_en", _("advice (English)")),
    ("advice_title_nl", _("short advice title (Dutch)")),
    ("advice_title_en", _("short advice title (English)")),
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

    @property
    def old_shown(self) -> str:
        return _shown_value(self.field, self.old)

    @property
    def new_shown(self) -> str:
        return _shown_value(self.field, self.new)


def _shown_value(field: str, value: str) -> str:
    """A value as the reader's language writes it: a weight with its decimal comma in Dutch.

    The stored `old`/`new` stay language-neutral for the weight ("1.5"): the fingerprint is
    made of them.
    """
    if field == "weight" and value:
        return number_format(Decimal(value))
    return value


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

    @property
    def fingerprint(self) -> str:
        """A digest of what the diff shows, in every language.

        The review form sends it back, so publishing can check that the editor saw this very
        diff: a draft edited after the review (in another tab, by another editor) is shown again.
        """
        shown = [
            self.version.pk,
            self.base.pk if self.base is not None else None,
            [_shown_criterion(c) for c in self.added],
            [_shown_criterion(c) for c in self.removed],
            [
                [item.criterion.key, [[c.field, c.old, c.new] for c in item.changes]]
                for item in self.changed
            ],
        ]
        return hashlib.sha256(json.dumps(shown).encode()).hexdigest()[:32]


@dataclass(frozen=True)
class PublishReview:
    """What the editor reads before publishing a draft: the current version, the diff, problems."""

    version: ModelVersion
    current: ModelVersion | None
    diff: VersionDiff
    problems: tuple[str, ...]

    @property
    def field_name(self) -> str:
        """The name of the review form's field that carries the diff's fingerprint."""
        return f"reviewed-{self.version.pk}"

    def is_confirmed(self, data) -> bool:
        """Whether the posted review form confirms this very diff."""
        return data.get(self.field_name) == self.diff.fingerprint


def _shown_criterion(criterion: Criterion) -> list[str]:
    return [
        criterion.key,
        criterion.statement_nl,
        criterion.statement_en,
        criterion.phase.key,
        criterion.dimension.key,
    ]


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


def model_version_review(*, version: ModelVersion) -> PublishReview:
    """The review of a draft against its model's current version, before it is published."""
    current = model_version_latest_published(slug=version.slug)
    return PublishReview(
        version=version,
        current=current,
        diff=model_version_diff(version=version, base=current),
        problems=tuple(model_version_problems(version=version)),
    )
