"""A sound spec indexed for scoring: canonical order, integer weights and positions."""

from __future__ import annotations

import math
from bisect import bisect_left
from collections.abc import Mapping
from dataclasses import dataclass
from fractions import Fraction
from types import MappingProxyType
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from maturity.scoring.spec import CriterionSpec, DimensionSpec, ModelSpec, PhaseSpec


@dataclass(frozen=True, slots=True)
class SpecLayout:
    """The criteria of a sound spec in canonical order, with what scoring looks up per criterion.

    Canonical order is phase order, dimension order, criterion order, key; so the criteria of
    one phase, and of one (phase, dimension) cell, are a contiguous ``range``. Weights are
    integers W = w·D, D being the least common multiple of the weights' denominators, so sums
    and comparisons stay in integers.
    """

    phases: tuple[PhaseSpec, ...]  # by order
    dimensions: tuple[DimensionSpec, ...]  # by (order, key)
    criteria: tuple[CriterionSpec, ...]  # canonical order
    keys: tuple[str, ...]  # the criteria's keys
    position: Mapping[str, int]  # criterion key -> index in ``criteria``
    weights: tuple[int, ...]  # W per criterion
    phase_criteria: tuple[range, ...]  # per phase rank: the indexes of its criteria
    cells: tuple[tuple[range, ...], ...]  # per phase rank, per dimension rank: the same
    advice_rank: tuple[int, ...]  # per criterion: its place among equal gaps
    gaps: tuple[tuple[Fraction, ...], ...]  # per criterion: w·(1 - q/4) for answers q = 0..3

    @classmethod
    def of(cls, spec: ModelSpec) -> SpecLayout:
        """Index a spec that ``spec_problems`` finds sound."""
        phases = tuple(sorted(spec.phases, key=lambda phase: phase.order))
        dimensions = tuple(
            sorted(spec.dimensions, key=lambda dimension: (dimension.order, dimension.key))
        )
        phase_rank = {phase.key: rank for rank, phase in enumerate(phases)}
        dimension_rank = {dimension.key: rank for rank, dimension in enumerate(dimensions)}
        criteria = tuple(
            sorted(
                spec.criteria,
                key=lambda c: (phase_rank[c.phase], dimension_rank[c.dimension], c.order, c.key),
            )
        )
        cell_of = [(phase_rank[c.phase], dimension_rank[c.dimension]) for c in criteria]
        denominator = math.lcm(*(criterion.weight.denominator for criterion in criteria))
        return cls(
            phases=phases,
            dimensions=dimensions,
            criteria=criteria,
            keys=tuple(c.key for c in criteria),
            position=MappingProxyType({c.key: index for index, c in enumerate(criteria)}),
            weights=tuple(
                c.weight.numerator * (denominator // c.weight.denominator) for c in criteria
            ),
            phase_criteria=tuple(
                _indexes(cell_of, (rank,), (rank + 1,)) for rank in range(len(phases))
            ),
            cells=tuple(
                tuple(
                    _indexes(cell_of, (rank, dimension), (rank, dimension + 1))
                    for dimension in range(len(dimensions))
                )
                for rank in range(len(phases))
            ),
            advice_rank=_advice_ranks(criteria, phase_rank, dimension_rank),
            gaps=_gaps(criteria),
        )


def _indexes(cell_of: list[tuple[int, int]], first: tuple, after: tuple) -> range:
    """The criteria whose (phase rank, dimension rank) is from ``first`` up to ``after``.

    ``cell_of`` is in canonical order, so they are one contiguous range.
    """
    return range(bisect_left(cell_of, first), bisect_left(cell_of, after))


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


def _gaps(criteria: tuple[CriterionSpec, ...]) -> tuple[tuple[Fraction, ...], ...]:
    """Per criterion, w·(1 - q/4) for q = 0..3; worked out once per distinct weight."""
    by_weight = {
        weight: tuple(weight * Fraction(4 - q, 4) for q in range(4))
        for weight in {criterion.weight for criterion in criteria}
    }
    return tuple(by_weight[criterion.weight] for criterion in criteria)
