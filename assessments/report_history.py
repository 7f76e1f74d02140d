"""The organisation's history in a report: its submitted assessments and the previous one."""

from dataclasses import dataclass, field

from assessments.models import Assessment
from maturity.scoring import AssessmentResult
from maturity.selectors import ModelStructure, model_version_structure


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
    """The submitted assessment before this one (for a draft: the latest submitted one)."""
    if assessment.is_draft:
        return submitted[-1] if submitted else None
    earlier = [
        item
        for item in submitted
        if (item.submitted_at, item.pk) < (assessment.submitted_at, assessment.pk)
    ]
    return earlier[-1] if earlier else None


def comparison_build(
    *, assessment: Assessment, previous: Assessment | None, structure: ModelStructure
) -> Comparison:
    """What the report compares with the previous assessment."""
    if previous is None:
        return Comparison()
    # Stored indexes come back as the 4-decimal numbers they were written as.
    indexes = {
        d.key: float(d.index) for d in AssessmentResult.from_dict(previous.result).dimensions
    }
    if previous.model_version_id == assessment.model_version_id:
        return Comparison(dimension_indexes=indexes)
    keys = set(structure.criteria_by_key)
    previous_keys = set(model_version_structure(version=previous.model_version).criteria_by_key)
    return Comparison(
        dimension_indexes=indexes,
        only_in_current=sorted(keys - previous_keys),
        only_in_previous=sorted(previous_keys - keys),
    )
