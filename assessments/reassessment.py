"""What a re-assessment shows about the model versions: new, changed and removed criteria.

A re-assessment carries answers by criterion key (or the crosswalk's replacement) from the
assessment it started from. When that one used an older model version, the step page says per
criterion what is new or changed, and the review page lists the criteria no longer in the model.
"""

from dataclasses import dataclass, field

from django.utils.translation import gettext as _

from assessments.models import Assessment
from maturity.models import Criterion
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


def version_changes(*, assessment: Assessment) -> VersionChanges | None:
    """What changed since the version of the assessment this one started from; None if none.

    No query beyond the cached model structures and crosswalks (the caller loaded
    ``started_from`` with its model version).
    """
    previous = assessment.started_from
    if previous is None or previous.model_version_id == assessment.model_version_id:
        return None
    before = model_version_structure(version=previous.model_version).criteria_by_key
    now = model_version_structure(version=assessment.model_version).criteria_by_key
    replaced = criterion_key_replacements(version=assessment.model_version)
    sources = {new: old for old, new in replaced.items() if old in before}
    notes, new_count = {}, 0
    for key, criterion in now.items():
        source = key if key in before else sources.get(key)
        if source is None:
            notes[key] = _("New in this version: it was not in the previous assessment.")
            new_count += 1
        elif source != key:
            notes[key] = _(
                "Replaces “%(old)s” of the previous version; that answer was carried over."
            ) % {"old": before[source].statement}
        elif parts := _changed_parts(before[key], criterion):
            notes[key] = _("Changed since the previous assessment: %(parts)s.") % {
                "parts": "; ".join(parts)
            }
    removed = [c for key, c in before.items() if replaced.get(key, key) not in now]
    return VersionChanges(notes=notes, removed=removed, new_count=new_count)
