"""The report's dimensions: each one's phase and index, and the change since the previous one."""

from dataclasses import dataclass

from assessments.coverage import coverage_by_dimension
from assessments.perspective_selectors import AnswerState
from maturity.figures import index_delta
from maturity.models import Dimension, Phase
from maturity.scoring import AssessmentResult
from maturity.selectors import ModelStructure
from reports.decimals import result_decimal
from reports.history import Comparison


@dataclass(frozen=True)
class DimensionRow:
    """A dimension's phase and index; both None when too few of its criteria are answered."""

    dimension: Dimension
    phase: Phase | None
    index: float | None
    delta: float | None
    previous_index: float | None


def dimension_rows_build(
    result: AssessmentResult,
    structure: ModelStructure,
    previous: Comparison,
    answers: dict[int, AnswerState],
) -> tuple[DimensionRow, ...]:
    """Phase and index per dimension, with the change since the previous assessment.

    A dimension with too few answers gets neither: its figures would be noise.
    """
    dimensions = structure.dimensions_by_key
    phase_by_order = {p.order: p for p in structure.phases}
    coverage = coverage_by_dimension(structure=structure, answers=answers)
    minimum = structure.spec.minimum_coverage
    rows = []
    for item in result.dimensions:
        before = previous.dimension_indexes.get(item.key)
        enough = coverage.get(item.key, 0) >= minimum
        index = result_decimal(item.index) if enough else None
        rows.append(
            DimensionRow(
                dimension=dimensions[item.key],
                phase=phase_by_order[item.phase_order] if enough else None,
                index=index,
                delta=None if before is None or index is None else index_delta(index, before),
                previous_index=before,
            )
        )
    return tuple(rows)
