"""``score()``: answers in, an ``AssessmentResult`` out, in the steps of ``docs/scoring.md``.

Every comparison is an integer cross-multiplication on weights scaled to integers (see
``SpecLayout``), so a threshold that is exactly met always counts as met; Fractions are built
only for the result.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from fractions import Fraction

from maturity.scoring.errors import InvalidAnswerError, InvalidSpecError, UnknownCriterionError
from maturity.scoring.layout import SpecLayout
from maturity.scoring.result import (
    ADVICE_MODE_FOCUS,
    ADVICE_MODE_SUSTAIN,
    AdviceItem,
    AssessmentResult,
    DimensionResult,
    PhaseResult,
)
from maturity.scoring.spec import (
    DONT_KNOW,
    NOT_APPLICABLE,
    PHASE_COUNT,
    Answer,
    DimensionSpec,
    ModelSpec,
    PhaseSpec,
)

INDEX_CAP = Fraction(99, 100)  # the part of the index earned in the focus phase stays below 1

# An answer as a code: 0..4 are quarters of fulfilment (FULLY_MET = 4); the others are not
# answered 0-4.
FULLY_MET = 4
DK = 5
NA = 6
UNANSWERED = 7
_CODES: dict[object, int] = {0: 0, 1: 1, 2: 2, 3: 3, 4: 4, DONT_KNOW: DK, NOT_APPLICABLE: NA}


@dataclass(slots=True)
class _Tally:
    """Weighted sums over some criteria, local to one ``score()`` call.

    In scaled weights W (see ``SpecLayout``): F = quarters / (4 · answered) and
    C = answered / applicable.
    """

    quarters: int = 0  # Σ W·q over answers 0..4
    answered: int = 0  # Σ W over answers 0..4
    applicable: int = 0  # Σ W over answers other than "na"

    @classmethod
    def of(cls, criteria: range, weights: tuple[int, ...], codes: list[int]) -> _Tally:
        """The sums over ``criteria`` (indexes in canonical order)."""
        quarters = answered = applicable = 0
        for i in criteria:
            code, weight = codes[i], weights[i]
            if code != NA:
                applicable += weight
                if code <= FULLY_MET:
                    answered += weight
                    quarters += weight * code
        return cls(quarters, answered, applicable)

    @classmethod
    def total(cls, tallies: list[_Tally]) -> _Tally:
        """The sums over several tallies."""
        return cls(
            sum(tally.quarters for tally in tallies),
            sum(tally.answered for tally in tallies),
            sum(tally.applicable for tally in tallies),
        )

    def fulfilment(self) -> Fraction:
        """F, 0 when nothing is answered 0-4."""
        return Fraction(self.quarters, 4 * self.answered) if self.answered else Fraction(0)

    def coverage(self) -> Fraction:
        """C, 0 when every criterion is "na"."""
        return Fraction(self.answered, self.applicable) if self.applicable else Fraction(0)

    def reaches(self, threshold: Fraction, minimum_coverage: Fraction) -> bool:
        """F >= threshold and C >= minimum coverage (never when nothing is answered 0-4)."""
        return self.answered > 0 and (
            self.quarters * threshold.denominator >= 4 * self.answered * threshold.numerator
            and self.answered * minimum_coverage.denominator
            >= self.applicable * minimum_coverage.numerator
        )

    def progress(self, threshold: Fraction) -> Fraction:
        """min(F / threshold, 0.99): the part of the index earned toward this phase."""
        if not self.answered:
            return Fraction(0)
        numerator = self.quarters * threshold.denominator
        denominator = 4 * self.answered * threshold.numerator
        if 100 * numerator >= 99 * denominator:
            return INDEX_CAP
        return Fraction(numerator, denominator)


def score(spec: ModelSpec, answers: Mapping[str, Answer]) -> AssessmentResult:
    """Score ``answers`` (criterion key -> 0..4, "dk", "na" or None) against ``spec``.

    A key missing from ``answers`` counts as unanswered. Raises ``InvalidSpecError``,
    ``UnknownCriterionError`` or ``InvalidAnswerError``.
    """
    layout = spec.layout
    if layout is None:
        raise InvalidSpecError(spec, spec.problems)
    codes = _answer_codes(spec, layout, answers)
    cells = _cell_tallies(layout, codes)
    phases = _phase_results(layout, cells, codes, spec.minimum_coverage)
    reached = [phase.reached for phase in phases]
    reached_count = _run_length(reached)
    focus = layout.phases[reached_count] if reached_count < PHASE_COUNT else None
    # Advice comes from the focus phase, or from every phase once all are reached (sustain).
    advised = layout.phase_criteria[reached_count] if focus is not None else range(len(layout.keys))
    keys = layout.keys
    return AssessmentResult(
        model_slug=spec.slug,
        model_version=spec.version,
        phase=layout.phases[max(reached_count, 1) - 1],
        reached_count=reached_count,
        focus_phase=focus,
        index=_index(reached_count, focus, cells),
        phases=phases,
        dimensions=_dimension_results(layout, cells, spec.minimum_coverage),
        advice=_advice(layout, codes, advised),
        advice_mode=ADVICE_MODE_SUSTAIN if focus is None else ADVICE_MODE_FOCUS,
        find_out_first=tuple(keys[i] for i in advised if codes[i] == DK),
        unanswered=tuple(key for key, code in zip(keys, codes, strict=True) if code == UNANSWERED),
        inconsistencies=tuple(phase.key for phase in phases[reached_count + 1 :] if phase.reached),
        strengths=_strengths(layout, codes, reached),
    )


def _answer_codes(spec: ModelSpec, layout: SpecLayout, answers: Mapping[str, Answer]) -> list[int]:
    """The code of every criterion's answer, in canonical order (UNANSWERED when missing)."""
    position = layout.position
    codes = [UNANSWERED] * len(layout.criteria)
    for key, value in answers.items():
        index = position.get(key)
        if index is None:
            raise UnknownCriterionError(spec, key)
        if value is not None:
            codes[index] = _answer_code(key, value)
    return codes


def _answer_code(key: str, value: Answer) -> int:
    """The code of one answer; raises ``InvalidAnswerError`` for anything but 0..4, dk, na."""
    try:
        code = _CODES.get(value)
    except TypeError:  # unhashable
        code = None
    # 1.0, True and Fraction(1) equal 1 as dict keys; only real integers count.
    if code is None or (code <= FULLY_MET and type(value) is not int and not _is_integer(value)):
        raise InvalidAnswerError(key, value)
    return code


def _is_integer(value: object) -> bool:
    """An ``int`` that is not a ``bool`` (an int subclass such as an IntEnum counts)."""
    return isinstance(value, int) and not isinstance(value, bool)


def _cell_tallies(layout: SpecLayout, codes: list[int]) -> list[list[_Tally]]:
    """One tally per (phase rank, dimension rank); a phase's tally is the sum of its row."""
    return [[_Tally.of(cell, layout.weights, codes) for cell in row] for row in layout.cells]


def _phase_results(
    layout: SpecLayout, cells: list[list[_Tally]], codes: list[int], minimum_coverage: Fraction
) -> tuple[PhaseResult, ...]:
    """Fulfilment, coverage, reached and missing criteria of every phase, in phase order."""
    results = []
    for phase, row, criteria in zip(layout.phases, cells, layout.phase_criteria, strict=True):
        tally = _Tally.total(row)
        coverage = tally.coverage()
        results.append(
            PhaseResult(
                key=phase.key,
                order=phase.order,
                threshold=phase.threshold,
                fulfilment=tally.fulfilment(),
                coverage=coverage,
                reached=tally.reaches(phase.threshold, minimum_coverage),
                insufficient_data=coverage < minimum_coverage,
                missing=tuple(layout.keys[i] for i in criteria if codes[i] in (DK, UNANSWERED)),
            )
        )
    return tuple(results)


def _run_length(reached: list[bool]) -> int:
    """How many phases are reached consecutively from phase 1."""
    count = 0
    while count < len(reached) and reached[count]:
        count += 1
    return count


def _index(reached_count: int, focus: PhaseSpec | None, cells: list[list[_Tally]]) -> Fraction:
    """Phases reached, plus min(F / threshold, 0.99) of the focus phase; 4 when none is left."""
    if focus is None:
        return Fraction(PHASE_COUNT)
    return reached_count + _Tally.total(cells[reached_count]).progress(focus.threshold)


def _advice(layout: SpecLayout, codes: list[int], advised: range) -> tuple[AdviceItem, ...]:
    """Criteria answered 0..3 among ``advised``, biggest gap w·(1 - q/4) first."""
    weights, ranks = layout.weights, layout.advice_rank
    # W·(4 - q) orders like the gap w·(4 - q)/4; ties go by ``advice_rank``.
    ranked = sorted(
        (-weights[i] * (FULLY_MET - codes[i]), ranks[i], i) for i in advised if codes[i] < FULLY_MET
    )
    criteria, gaps = layout.criteria, layout.gaps
    return tuple(
        AdviceItem(
            criteria[i].key, criteria[i].phase, criteria[i].dimension, codes[i], gaps[i][codes[i]]
        )
        for _gap, _rank, i in ranked
    )


def _strengths(layout: SpecLayout, codes: list[int], reached: list[bool]) -> tuple[str, ...]:
    """Criteria answered 4 in every reached phase, highest phase first."""
    return tuple(
        layout.keys[i]
        for rank in reversed(range(len(reached)))
        if reached[rank]
        for i in layout.phase_criteria[rank]
        if codes[i] == FULLY_MET
    )


def _dimension_results(
    layout: SpecLayout, cells: list[list[_Tally]], minimum_coverage: Fraction
) -> tuple[DimensionResult, ...]:
    """The growth path per dimension, over the phases that have criteria in it."""
    return tuple(
        _dimension_result(
            dimension,
            [
                (phase, row[rank])
                for phase, row, criteria in zip(layout.phases, cells, layout.cells, strict=True)
                if criteria[rank]  # a phase without criteria in this dimension is skipped
            ],
            minimum_coverage,
        )
        for rank, dimension in enumerate(layout.dimensions)
    )


def _dimension_result(
    dimension: DimensionSpec, steps: list[tuple[PhaseSpec, _Tally]], minimum_coverage: Fraction
) -> DimensionResult:
    """Walk ``steps`` (phase, tally of the dimension's criteria in it) up to the first miss."""
    reached_count = 0
    for phase, tally in steps:
        if not tally.reaches(phase.threshold, minimum_coverage):
            index = (phase.order - 1) + tally.progress(phase.threshold)
            return DimensionResult(
                dimension.key,
                dimension.order,
                max(reached_count, 1),
                reached_count,
                phase.order,
                index,
            )
        reached_count = phase.order
    return DimensionResult(
        dimension.key,
        dimension.order,
        max(reached_count, 1),
        reached_count,
        None,
        Fraction(PHASE_COUNT),
    )
