"""Score a maturity assessment: plain frozen data in, a result dataclass out.

This module knows nothing of Django, so it is fast, testable without a database and reusable
for exports and benchmarks. The definitions are those of ``docs/scoring.md``.

Arithmetic is exact. Weights, thresholds and the minimum coverage are ``Fraction``; each spec
is compiled once into integers (fulfilment in quarters 0..4, weights scaled to a common
denominator) and every comparison is an integer cross-multiplication, so a threshold that is
exactly met always counts as met. ``Fraction`` objects are built only for the result.
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from dataclasses import dataclass
from decimal import Decimal
from fractions import Fraction
from functools import cached_property
from typing import Any

__all__ = [
    "DONT_KNOW",
    "NOT_APPLICABLE",
    "AdviceItem",
    "Answer",
    "AssessmentResult",
    "CriterionSpec",
    "DimensionResult",
    "DimensionSpec",
    "InvalidAnswerError",
    "InvalidSpecError",
    "ModelSpec",
    "PhaseResult",
    "PhaseSpec",
    "ScoringError",
    "SpecProblem",
    "UnknownCriterionError",
    "score",
    "spec_problems",
]

DONT_KNOW = "dk"
NOT_APPLICABLE = "na"

Answer = int | str | None
"""0..4 (fulfilment in quarters), ``"dk"``, ``"na"`` or ``None`` (unanswered)."""

PHASE_COUNT = 4
INDEX_CAP = Fraction(99, 100)  # the part of the index earned in the focus phase stays below 1

ADVICE_MODE_FOCUS = "focus"
ADVICE_MODE_SUSTAIN = "sustain"

UNKNOWN_CRITERION_MESSAGE = "Unknown criterion {key!r}: model {slug!r} v{version} has no such key."
INVALID_ANSWER_MESSAGE = (
    "Invalid answer {value!r} for criterion {key!r}: expected an integer 0-4, 'dk', 'na' or None."
)
INVALID_SPEC_MESSAGE = "Model {slug!r} v{version} cannot be scored: {problems}."
INVALID_NUMBER_MESSAGE = (
    "{owner} {key!r}: {name} must be exact (Fraction, int, Decimal or str), not {value!r}."
)


# --- Input -----------------------------------------------------------------------------------


def _exact(value: Any, *, owner: str, key: str, name: str) -> Fraction:
    """Return ``value`` as a Fraction; floats are refused because they are not exact."""
    if isinstance(value, Fraction):
        return value
    if isinstance(value, (int, Decimal, str)) and not isinstance(value, bool):
        try:
            return Fraction(value)
        except (ValueError, ZeroDivisionError):
            pass
    raise TypeError(INVALID_NUMBER_MESSAGE.format(owner=owner, key=key, name=name, value=value))


@dataclass(frozen=True, slots=True)
class PhaseSpec:
    """A phase of the growth path: ``order`` 1..4 and the fulfilment needed to reach it."""

    key: str
    order: int
    threshold: Fraction

    def __post_init__(self) -> None:
        exact = _exact(self.threshold, owner="Phase", key=self.key, name="threshold")
        object.__setattr__(self, "threshold", exact)


@dataclass(frozen=True, slots=True)
class DimensionSpec:
    """A dimension that cuts across the phases (strategy, webcare, ...)."""

    key: str
    order: int


@dataclass(frozen=True, slots=True)
class CriterionSpec:
    """A weighted statement that holds for an organisation in one phase, on one dimension."""

    key: str
    phase: str
    dimension: str
    order: int
    weight: Fraction

    def __post_init__(self) -> None:
        exact = _exact(self.weight, owner="Criterion", key=self.key, name="weight")
        object.__setattr__(self, "weight", exact)


@dataclass(frozen=True)
class ModelSpec:
    """One version of a maturity model, as plain data.

    Not slotted: ``_compiled`` caches the integer form of the spec on the instance.
    """

    slug: str
    version: int
    phases: tuple[PhaseSpec, ...]
    dimensions: tuple[DimensionSpec, ...]
    criteria: tuple[CriterionSpec, ...]
    minimum_coverage: Fraction = Fraction(1, 2)

    def __post_init__(self) -> None:
        for name in ("phases", "dimensions", "criteria"):
            object.__setattr__(self, name, tuple(getattr(self, name)))
        exact = _exact(self.minimum_coverage, owner="Model", key=self.slug, name="minimum_coverage")
        object.__setattr__(self, "minimum_coverage", exact)

    @cached_property
    def _compiled(self) -> _CompiledSpec | tuple[SpecProblem, ...]:
        """The integer form of this spec, or its problems; computed once per instance."""
        problems = spec_problems(self)
        return problems if problems else _CompiledSpec(self)


# --- Errors ----------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class SpecProblem:
    """Why a spec cannot be published: a stable ``code`` and the key concerned (or "")."""

    code: str
    subject: str = ""


class ScoringError(ValueError):
    """Base class of every scoring error; the message names the criterion or phase concerned."""


class UnknownCriterionError(ScoringError):
    """An answer was given for a criterion key that the model does not have."""

    def __init__(self, spec: ModelSpec, criterion_key: object) -> None:
        self.criterion_key = criterion_key
        super().__init__(
            UNKNOWN_CRITERION_MESSAGE.format(
                key=criterion_key, slug=spec.slug, version=spec.version
            )
        )


class InvalidAnswerError(ScoringError):
    """An answer value is not 0..4, "dk", "na" or None (``True`` and ``2.0`` are invalid)."""

    def __init__(self, criterion_key: str, value: object) -> None:
        self.criterion_key = criterion_key
        self.value = value
        super().__init__(INVALID_ANSWER_MESSAGE.format(key=criterion_key, value=value))


class InvalidSpecError(ScoringError):
    """The spec breaks a publish rule; ``problems`` lists every one."""

    def __init__(self, spec: ModelSpec, problems: tuple[SpecProblem, ...]) -> None:
        self.problems = problems
        listed = ", ".join(f"{p.code} ({p.subject})" if p.subject else p.code for p in problems)
        super().__init__(
            INVALID_SPEC_MESSAGE.format(slug=spec.slug, version=spec.version, problems=listed)
        )


def _duplicates(keys: list[str]) -> list[str]:
    """Keys that occur more than once, each once, in the order of their second occurrence."""
    seen: set[str] = set()
    reported: set[str] = set()
    duplicates = []
    for key in keys:
        if key in seen and key not in reported:
            duplicates.append(key)
            reported.add(key)
        seen.add(key)
    return duplicates


def spec_problems(spec: ModelSpec) -> tuple[SpecProblem, ...]:
    """Every reason why ``spec`` cannot be published or scored (empty when it is sound).

    The order is fixed: model-level problems, then phases, dimensions and criteria, each in
    the order of the spec's tuples.
    """
    problems: list[SpecProblem] = []
    phase_count = len(spec.phases)
    if phase_count != PHASE_COUNT:
        problems.append(SpecProblem("phase_count", str(phase_count)))
    orders = sorted(phase.order for phase in spec.phases)
    if orders != list(range(1, PHASE_COUNT + 1)) and orders != list(range(1, phase_count + 1)):
        problems.append(SpecProblem("phase_order"))
    if not 0 < spec.minimum_coverage <= 1:
        problems.append(SpecProblem("minimum_coverage_out_of_range"))

    phase_keys = [phase.key for phase in spec.phases]
    problems += [SpecProblem("duplicate_phase_key", key) for key in _duplicates(phase_keys)]
    problems += [
        SpecProblem("threshold_out_of_range", phase.key)
        for phase in spec.phases
        if not 0 < phase.threshold <= 1
    ]
    used_phases = {criterion.phase for criterion in spec.criteria}
    problems += [
        SpecProblem("phase_without_criteria", key)
        for key in dict.fromkeys(phase_keys)
        if key not in used_phases
    ]

    dimension_keys = [dimension.key for dimension in spec.dimensions]
    problems += [SpecProblem("duplicate_dimension_key", key) for key in _duplicates(dimension_keys)]

    criterion_keys = [criterion.key for criterion in spec.criteria]
    problems += [SpecProblem("duplicate_criterion_key", key) for key in _duplicates(criterion_keys)]
    known_phases = set(phase_keys)
    known_dimensions = set(dimension_keys)
    problems += [
        SpecProblem("unknown_phase", criterion.key)
        for criterion in spec.criteria
        if criterion.phase not in known_phases
    ]
    problems += [
        SpecProblem("unknown_dimension", criterion.key)
        for criterion in spec.criteria
        if criterion.dimension not in known_dimensions
    ]
    problems += [
        SpecProblem("weight_not_positive", criterion.key)
        for criterion in spec.criteria
        if not criterion.weight > 0
    ]
    return tuple(problems)


# --- Result ----------------------------------------------------------------------------------


def _number(value: Fraction) -> float:
    """A Fraction as a float rounded (exactly, half to even) to 4 decimals, for JSON.

    The same as ``float(round(value, 4))``, without the intermediate Fractions.
    """
    quotient, remainder = divmod(value.numerator * 10_000, value.denominator)
    twice = 2 * remainder
    if twice > value.denominator or (twice == value.denominator and quotient % 2):
        quotient += 1
    return quotient / 10_000


@dataclass(frozen=True, slots=True)
class PhaseResult:
    """Fulfilment and coverage of one phase, and whether it is reached."""

    key: str
    order: int
    threshold: Fraction
    fulfilment: Fraction
    coverage: Fraction
    reached: bool
    insufficient_data: bool
    missing: tuple[str, ...]  # answered "dk" or unanswered, in dimension then criterion order


@dataclass(frozen=True, slots=True)
class DimensionResult:
    """The growth path computed over the criteria of one dimension."""

    key: str
    order: int
    phase_order: int
    reached_count: int
    focus_phase_order: int | None
    index: Fraction


@dataclass(frozen=True, slots=True)
class AdviceItem:
    """A criterion not fully met, with its gap ``weight * (1 - fulfilment)``."""

    criterion_key: str
    phase: str
    dimension: str
    value: int
    gap: Fraction


@dataclass(frozen=True, slots=True)
class AssessmentResult:
    """Everything a report needs about one set of answers."""

    model_slug: str
    model_version: int
    phase: PhaseSpec
    reached_count: int
    focus_phase: PhaseSpec | None
    index: Fraction
    phases: tuple[PhaseResult, ...]
    dimensions: tuple[DimensionResult, ...]
    advice: tuple[AdviceItem, ...]
    advice_mode: str
    find_out_first: tuple[str, ...]
    unanswered: tuple[str, ...]
    inconsistencies: tuple[str, ...]
    strengths: tuple[str, ...]

    def to_dict(self) -> dict[str, Any]:
        """The result as JSON-serialisable data; Fractions become floats with 4 decimals."""
        focus = self.focus_phase
        return {
            "phase": {"key": self.phase.key, "order": self.phase.order},
            "focus_phase": None if focus is None else {"key": focus.key, "order": focus.order},
            "index": _number(self.index),
            "reached_count": self.reached_count,
            "phases": [
                {
                    "key": phase.key,
                    "order": phase.order,
                    "threshold": _number(phase.threshold),
                    "fulfilment": _number(phase.fulfilment),
                    "coverage": _number(phase.coverage),
                    "reached": phase.reached,
                    "insufficient_data": phase.insufficient_data,
                    "missing": list(phase.missing),
                }
                for phase in self.phases
            ],
            "dimensions": [
                {
                    "key": dimension.key,
                    "phase": dimension.phase_order,
                    "reached_count": dimension.reached_count,
                    "focus_phase": dimension.focus_phase_order,
                    "index": _number(dimension.index),
                }
                for dimension in self.dimensions
            ],
            "advice": [
                {
                    "criterion_key": item.criterion_key,
                    "phase": item.phase,
                    "dimension": item.dimension,
                    "value": item.value,
                    "gap": _number(item.gap),
                }
                for item in self.advice
            ],
            "advice_mode": self.advice_mode,
            "find_out_first": list(self.find_out_first),
            "unanswered": list(self.unanswered),
            "inconsistencies": list(self.inconsistencies),
            "strengths": list(self.strengths),
            "model": {"slug": self.model_slug, "version": self.model_version},
        }


# --- Compiled spec ---------------------------------------------------------------------------

# Answer codes: 0..4 are quarters of fulfilment; everything at or above _DK is not answered 0-4.
_DK = 5
_NA = 6
_UNANSWERED = 7
_CODES: dict[object, int] = {0: 0, 1: 1, 2: 2, 3: 3, 4: 4, DONT_KNOW: _DK, NOT_APPLICABLE: _NA}


class _CompiledSpec:
    """The integer form of a valid spec, built once per ModelSpec instance."""

    __slots__ = (
        "advice_cache",
        "advice_rank",
        "criteria",
        "denominator",
        "dimension_phases",
        "dimensions",
        "groups",
        "keys",
        "minimum_coverage_ratio",
        "phase_ranges",
        "phases",
        "position",
        "threshold_ratios",
        "weights",
    )

    def __init__(self, spec: ModelSpec) -> None:
        self.phases = tuple(sorted(spec.phases, key=lambda phase: phase.order))
        self.dimensions = tuple(
            sorted(spec.dimensions, key=lambda dimension: (dimension.order, dimension.key))
        )
        phase_rank = {phase.key: rank for rank, phase in enumerate(self.phases)}
        dimension_rank = {dimension.key: rank for rank, dimension in enumerate(self.dimensions)}

        # Canonical criterion order: phase, dimension, criterion order, key (unique).
        criteria = sorted(
            spec.criteria,
            key=lambda c: (phase_rank[c.phase], dimension_rank[c.dimension], c.order, c.key),
        )
        denominator = math.lcm(*(criterion.weight.denominator for criterion in criteria))

        self.keys = tuple(criterion.key for criterion in criteria)
        self.position = {key: index for index, key in enumerate(self.keys)}
        self.weights = tuple(
            criterion.weight.numerator * (denominator // criterion.weight.denominator)
            for criterion in criteria
        )
        # One accumulator per (dimension, phase); the phase totals are their sums.
        self.groups = tuple(
            dimension_rank[c.dimension] * PHASE_COUNT + phase_rank[c.phase] for c in criteria
        )
        ranges = []
        start = 0
        for rank in range(PHASE_COUNT):
            end = start
            while end < len(criteria) and phase_rank[criteria[end].phase] == rank:
                end += 1
            ranges.append((start, end))
            start = end
        self.phase_ranges = tuple(ranges)

        self.criteria = tuple(criteria)
        self.denominator = denominator
        self.advice_cache: dict[tuple[int, int], AdviceItem] = {}
        # Ties on the gap: dimension order, then phase, then criterion order (see docs).
        advice_order = sorted(
            range(len(criteria)),
            key=lambda i: (
                dimension_rank[criteria[i].dimension],
                phase_rank[criteria[i].phase],
                criteria[i].order,
                criteria[i].key,
            ),
        )
        rank_of = [0] * len(criteria)
        for rank, index in enumerate(advice_order):
            rank_of[index] = rank
        self.advice_rank = tuple(rank_of)

        self.threshold_ratios = tuple(
            (phase.threshold.numerator, phase.threshold.denominator) for phase in self.phases
        )
        minimum = spec.minimum_coverage
        self.minimum_coverage_ratio = (minimum.numerator, minimum.denominator)
        present = set(self.groups)
        self.dimension_phases = tuple(
            tuple(rank for rank in range(PHASE_COUNT) if dimension * PHASE_COUNT + rank in present)
            for dimension in range(len(self.dimensions))
        )

    def advice_item(self, index: int, value: int) -> AdviceItem:
        """The advice for criterion ``index`` answered ``value`` (0..3), built once."""
        item = self.advice_cache.get((index, value))
        if item is None:
            criterion = self.criteria[index]
            # gap = w * (1 - q/4) = W * (4 - q) / (4 * denominator)
            gap = Fraction(self.weights[index] * (4 - value), 4 * self.denominator)
            item = AdviceItem(criterion.key, criterion.phase, criterion.dimension, value, gap)
            self.advice_cache[(index, value)] = item
        return item


def _reached(
    quarters: int,
    answered: int,
    applicable: int,
    threshold: tuple[int, int],
    minimum: tuple[int, int],
) -> bool:
    """F >= threshold and C >= minimum, by integer cross-multiplication.

    F = quarters / (4 * answered) and C = answered / applicable, all in scaled weight units.
    """
    if answered == 0:  # F = 0 and C = 0: neither can meet a positive bound
        return False
    return (
        quarters * threshold[1] >= 4 * answered * threshold[0]
        and answered * minimum[1] >= applicable * minimum[0]
    )


def _index_part(quarters: int, answered: int, threshold: tuple[int, int]) -> Fraction:
    """min(F / threshold, 0.99) for the focus phase."""
    if answered == 0:
        return Fraction(0)
    numerator = quarters * threshold[1]
    denominator = 4 * answered * threshold[0]
    if 100 * numerator >= 99 * denominator:
        return INDEX_CAP
    return Fraction(numerator, denominator)


# --- Scoring ---------------------------------------------------------------------------------


def score(spec: ModelSpec, answers: Mapping[str, Answer]) -> AssessmentResult:
    """Score ``answers`` (criterion key -> 0..4, "dk", "na" or None) against ``spec``.

    A key missing from ``answers`` counts as unanswered. Raises ``InvalidSpecError``,
    ``UnknownCriterionError`` or ``InvalidAnswerError``.
    """
    compiled = spec._compiled
    if isinstance(compiled, tuple):
        raise InvalidSpecError(spec, compiled)

    position = compiled.position
    count = len(compiled.keys)
    codes = [_UNANSWERED] * count
    for key, value in answers.items():
        index = position.get(key)
        if index is None:
            raise UnknownCriterionError(spec, key)
        if value is None:
            continue
        try:
            code = _CODES.get(value)
        except TypeError:  # unhashable
            code = None
        # 1.0, True and Fraction(1) equal 1 as dict keys; only real integers count.
        if code is None or (
            code < _DK
            and type(value) is not int
            and (type(value) is bool or not isinstance(value, int))
        ):
            raise InvalidAnswerError(key, value)
        codes[index] = code

    phase_count = PHASE_COUNT
    group_count = len(compiled.dimensions) * phase_count
    quarters = [0] * group_count  # sum of W * q over answers 0..4
    answered = [0] * group_count  # sum of W over answers 0..4
    applicable = [0] * group_count  # sum of W over answers other than "na"
    for code, group, weight in zip(codes, compiled.groups, compiled.weights, strict=True):
        if code == _NA:
            continue
        applicable[group] += weight
        if code < _DK:
            answered[group] += weight
            quarters[group] += weight * code

    thresholds = compiled.threshold_ratios
    minimum = compiled.minimum_coverage_ratio
    minimum_fraction = spec.minimum_coverage
    keys = compiled.keys

    phase_quarters = [sum(quarters[rank::phase_count]) for rank in range(phase_count)]
    phase_answered = [sum(answered[rank::phase_count]) for rank in range(phase_count)]
    phase_applicable = [sum(applicable[rank::phase_count]) for rank in range(phase_count)]
    reached = [
        _reached(phase_quarters[r], phase_answered[r], phase_applicable[r], thresholds[r], minimum)
        for r in range(phase_count)
    ]
    reached_count = 0
    while reached_count < phase_count and reached[reached_count]:
        reached_count += 1

    phase_results = []
    for rank, phase in enumerate(compiled.phases):
        start, end = compiled.phase_ranges[rank]
        phase_answered_weight = phase_answered[rank]
        fulfilment = (
            Fraction(phase_quarters[rank], 4 * phase_answered_weight)
            if phase_answered_weight
            else Fraction(0)
        )
        coverage = (
            Fraction(phase_answered_weight, phase_applicable[rank])
            if phase_applicable[rank]
            else Fraction(0)
        )
        phase_results.append(
            PhaseResult(
                phase.key,
                phase.order,
                phase.threshold,
                fulfilment,
                coverage,
                reached[rank],
                coverage < minimum_fraction,
                tuple(
                    keys[i] for i in range(start, end) if codes[i] == _DK or codes[i] == _UNANSWERED
                ),
            )
        )

    if reached_count == phase_count:
        focus_phase = None
        index = Fraction(phase_count)
        advice_mode = ADVICE_MODE_SUSTAIN
        advice_start, advice_end = 0, count
    else:
        focus_phase = compiled.phases[reached_count]
        index = reached_count + _index_part(
            phase_quarters[reached_count],
            phase_answered[reached_count],
            thresholds[reached_count],
        )
        advice_mode = ADVICE_MODE_FOCUS
        advice_start, advice_end = compiled.phase_ranges[reached_count]

    rank_of = compiled.advice_rank
    weights = compiled.weights
    candidates = sorted(
        (-weights[i] * (4 - codes[i]), rank_of[i], i)
        for i in range(advice_start, advice_end)
        if codes[i] < 4
    )
    advice = tuple(compiled.advice_item(i, codes[i]) for _, _, i in candidates)
    find_out_first = tuple(keys[i] for i in range(advice_start, advice_end) if codes[i] == _DK)

    strengths = []
    for rank in range(phase_count - 1, -1, -1):
        if reached[rank]:
            start, end = compiled.phase_ranges[rank]
            strengths.extend(keys[i] for i in range(start, end) if codes[i] == 4)

    dimension_results = []
    for dimension_rank, dimension in enumerate(compiled.dimensions):
        base = dimension_rank * phase_count
        dimension_reached = 0
        focus_rank = None
        for rank in compiled.dimension_phases[dimension_rank]:
            group = base + rank
            if _reached(
                quarters[group], answered[group], applicable[group], thresholds[rank], minimum
            ):
                dimension_reached = rank + 1
            else:
                focus_rank = rank
                break
        if focus_rank is None:
            dimension_index = Fraction(phase_count)
            focus_order = None
        else:
            group = base + focus_rank
            dimension_index = focus_rank + _index_part(
                quarters[group], answered[group], thresholds[focus_rank]
            )
            focus_order = focus_rank + 1
        dimension_results.append(
            DimensionResult(
                dimension.key,
                dimension.order,
                max(dimension_reached, 1),
                dimension_reached,
                focus_order,
                dimension_index,
            )
        )

    return AssessmentResult(
        model_slug=spec.slug,
        model_version=spec.version,
        phase=compiled.phases[max(reached_count, 1) - 1],
        reached_count=reached_count,
        focus_phase=focus_phase,
        index=index,
        phases=tuple(phase_results),
        dimensions=tuple(dimension_results),
        advice=advice,
        advice_mode=advice_mode,
        find_out_first=find_out_first,
        unanswered=tuple(keys[i] for i in range(count) if codes[i] == _UNANSWERED),
        inconsistencies=tuple(
            compiled.phases[rank].key
            for rank in range(reached_count + 1, phase_count)
            if reached[rank]
        ),
        strengths=tuple(strengths),
    )
