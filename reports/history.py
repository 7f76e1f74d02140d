"""The organisation's history in a report: its submitted assessments and the previous one."""

from dataclasses import dataclass, field

from assessments.models import Assessment
from assessments.perspective_selectors import AnswerState, submitted_scored_values
from maturity.models import AnswerValue, Criterion
from maturity.scoring import AssessmentResult, score
from maturity.selectors import (
    ModelStructure,
    criterion_key_replacements,
    model_version_structure,
)


@dataclass(frozen=True)
class HistoryRow:
    assessment: Assessment
    phase_name: str
    index: float
    is_current: bool


@dataclass(frozen=True)
class Comparison:
    """What a report compares with the organisation's previous assessment."""

    dimension_indexes: dict[str, float] = field(default_factory=dict)
    only_in_current: list[str] = field(default_factory=list)
    only_in_previous: list[str] = field(default_factory=list)
    # Across model versions: the previous index as the comparable criteria give it (see below).
    previous_index: float | None = None
    comparable_count: int | None = None


def history_rows(*, assessment: Assessment, submitted: list[Assessment]) -> list[HistoryRow]:
    """Every submitted assessment of the organisation, oldest first, with its phase name."""
    rows = []
    for item in submitted:
        structure = model_version_structure(version=item.model_version)
        rows.append(
            HistoryRow(
                assessment=item,
                phase_name=next(p.name for p in structure.phases if p.order == item.phase_order),
                index=float(item.maturity_index),
                is_current=item.pk == assessment.pk,
            )
        )
    return rows


def previous_assessment(
    *, assessment: Assessment, submitted: list[Assessment]
) -> Assessment | None:
    """The submitted assessment this one compares with: the baseline a re-assessment started
    from while it counts, else the one before it (for a draft: the latest submitted one).

    ``submitted`` holds the counted assessments only: a test is never compared with.
    """
    baseline = next((item for item in submitted if item.pk == assessment.started_from_id), None)
    if baseline is not None:
        return baseline
    if assessment.is_draft:
        return submitted[-1] if submitted else None
    earlier = [
        item
        for item in submitted
        if (item.submitted_at, item.pk) < (assessment.submitted_at, assessment.pk)
    ]
    return earlier[-1] if earlier else None


def comparison_build(
    *,
    assessment: Assessment,
    previous: Assessment | None,
    structure: ModelStructure,
    answers: dict[int, AnswerState],
) -> Comparison:
    """What the report compares with the previous assessment: only what both can compare.

    On the same model version, the previous assessment's stored dimension indexes. Across
    versions, criteria are matched by key or the crosswalk; the previous assessment's answers on
    the comparable criteria and this one's own answers on the new ones are scored on this
    version, so each delta comes from the comparable criteria alone (docs/scoring.md).
    """
    if previous is None:
        return Comparison()
    if previous.model_version_id == assessment.model_version_id:
        # Stored indexes come back as the 4-decimal numbers they were written as.
        stored = AssessmentResult.from_dict(previous.result).dimensions
        return Comparison(
            dimension_indexes={d.key: float(d.index) for d in stored},
            comparable_count=len(structure.criteria),
        )
    before = model_version_structure(version=previous.model_version).criteria_by_key
    now = structure.criteria_by_key
    replaced = criterion_key_replacements(version=assessment.model_version)
    source = {replaced.get(old, old): old for old in before if replaced.get(old, old) in now}
    values = submitted_scored_values(
        assessment_ids=[previous.pk], criterion_keys=list(source.values())
    )
    mixed = {}
    for criterion in structure.criteria:
        if criterion.key in source:
            value = values.get((previous.pk, source[criterion.key]), "")
        else:
            value = answers[criterion.pk].value if criterion.pk in answers else ""
        if value:
            mixed[criterion.key] = AnswerValue.to_score(value)
    result = score(structure.spec, mixed)
    return Comparison(
        dimension_indexes={d.key: round(float(d.index), 4) for d in result.dimensions},
        only_in_current=sorted(key for key in now if key not in source),
        only_in_previous=sorted(old for old in before if replaced.get(old, old) not in now),
        previous_index=round(float(result.index), 4),
        comparable_count=len(source),
    )


def previous_criteria(*, previous: Assessment | None, keys: list[str]) -> list[Criterion]:
    """The previous assessment's criteria with these keys, e.g. those no longer in the model."""
    if previous is None or not keys:
        return []
    by_key = model_version_structure(version=previous.model_version).criteria_by_key
    return [by_key[key] for key in keys]


def comparison_export(*, previous: Assessment | None, comparison: Comparison) -> dict | None:
    """The documented ``comparison`` of result.json; None without a previous assessment."""
    if previous is None:
        return None
    return {
        "previous_assessment": {
            "id": previous.pk,
            "title": previous.title,
            "submitted_at": previous.submitted_at.isoformat(),
        },
        "comparable_criteria": comparison.comparable_count,
        "new_criteria": comparison.only_in_current,
        "removed_criteria": comparison.only_in_previous,
    }
