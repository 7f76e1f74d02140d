"""A sound spec indexed for scoring: canonical order, integer weights and positions."""

from __future__ import annotations

import math
from bisect import bisect_left, bisect_right
from collections.abc import Mapping
from dataclasses import dataclass
from fractions import Fraction
from types import MappingProxyType
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from maturity.scoring.spec import CriterionSpec, DimensionSpec, PhaseSpec


@dataclass(frozen=True, slots=True)
class SpecLayout:
    """The criteria of a sound spec in canonical order, with what scoring looks up per criterion.

    Canonical order is phase order, dimension order, criterion order, key; so the criteria of
    one phase are a contiguous ``range``. Weights are integers W = w·D, D being the least
    common multiple of the weights' denominators, so sums and comparisons stay in integers.
    """

    phases: tuple[PhaseSpec, ...]  # by order
    dimensions: tuple[DimensionSpec, ...]  # by (order, key)
    criteria: tuple[CriterionSpec, ...]  # canonical order
    keys: tuple[str, ...]  # the criteria's keys
    position: Mapping[str, int]  # criterion key -> index in ``criteria``
    weights: tuple[int, ...]  # W per criterion
    dimension_of: tuple[int, ...]  # dimension rank per criterion
    phase_criteria: tuple[range, ...]  # per phase rank: the indexes of its criteria
    dimension_phases: tuple[tuple[int, ...], ...]  # per dimension: ranks of phases it occurs in
    advice_rank: tuple[int, ...]  # per criterion: its place among equal gaps
    gaps: tuple[tuple[Fraction, ...], ...]  # per criterion: w·(1 - q/4) for answers q = 0..3

    @classmethod
    def of(
        cls,
        phases: tuple[PhaseSpec, ...],
        dimensions: tuple[DimensionSpec, ...],
        criteria: tuple[CriterionSpec, ...],
    ) -> SpecLayout:
        """Index the parts of a spec that ``spec_problems`` finds sound."""
        phases = tuple(sorted(phases, key=lambda phase: phase.order))
        dimensions = tuple(
            sorted(dimensions, key=lambda dimension: (dimension.order, dimension.key))
        )
        phase_rank = {phase.key: rank for rank, phase in enumerate(phases)}
        dimension_rank = {dimension.key: rank for rank, dimension in enumerate(dimensions)}
        criteria = tuple(
            sorted(
                criteria,
                key=lambda c: (phase_rank[c.phase], dimension_rank[c.dimension], c.order, c.key),
            )
        )
        denominator = math.lcm(*(criterion.weight.denominator for criterion in criteria))
        dimension_of = tuple(dimension_rank[criterion.dimension] for criterion in criteria)
        return cls(
            phases=phases,
            dimensions=dimensions,
            criteria=criteria,
            keys=tuple(c.key for c in criteria),
            position=MappingProxyType({c.key: index for index, c in enumerate(criteria)}),
            weights=tuple(
                c.weight.numerator * (denominator // c.weight.denominator) for c in criteria
            ),
            dimension_of=dimension_of,
            phase_criteria=_phase_ranges(tuple(phase_rank[c.phase] for c in criteria), len(phases)),
            dimension_phases=tuple(
                tuple(sorted({phase_rank[c.phase] for c in criteria if c.dimension == d.key}))
                for d in dimensions
            ),
            advice_rank=_advice_ranks(criteria, phase_rank, dimension_rank),
            gaps=tuple(tuple(c.weight * Fraction(4 - q, 4) for q in range(4)) for c in criteria),
        )


def _phase_ranges(phase_of: tuple[int, ...], phase_count: int) -> tuple[range, ...]:
    """Per phase rank, the indexes of its criteria (``phase_of`` is in canonical order)."""
    return tuple(
        range(bisect_left(phase_of, rank), bisect_right(phase_of, rank))
        for rank in range(phase_count)
    )


def _advice_ranks(
    criteria: tuple[CriterionSpec, ...],
    phase_rank: dict[str, int],
    dimension_rank: dict[str, int],
) -> tuple[int, ...]:
    """Ties on the gap: dimension order, then phase, then criterion order, then key."""
    order = sorted(
        range(len(criteria)),
        key=lambda i: (
            dimension_rank[criteria[i].dimension],
            phase_rank[criteria[i].phase],
            criteria[i].order,
            criteria[i].key,
        ),
    )
    ranks = [0] * len(criteria)
    for rank, index in enumerate(order):
        ranks[index] = rank
    return tuple(ranks)
