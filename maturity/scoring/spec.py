"""The input of scoring: a model version as plain, exact data, and the rules it must follow."""

from __future__ import annotations

from dataclasses import dataclass, field
from decimal import Decimal
from fractions import Fraction
from typing import Any

from maturity.scoring.layout import SpecLayout

DONT_KNOW = "dk"
NOT_APPLICABLE = "na"

Answer = int | str | None
"""0..4 (fulfilment in quarters), ``"dk"``, ``"na"`` or ``None`` (unanswered)."""

# The one statement of the rule "a growth path has four phases, numbered 1 to 4". The
# database constraint on Phase.order and the model file import use these names too.
PHASE_COUNT = 4
PHASE_ORDERS = tuple(range(1, PHASE_COUNT + 1))

INVALID_NUMBER_MESSAGE = (
    "{owner} {key!r}: {name} must be exact (Fraction, int, Decimal or str), not {value!r}."
)


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


@dataclass(frozen=True, slots=True)
class SpecProblem:
    """Why a spec cannot be published: a stable ``code`` and the key concerned (or "")."""

    code: str
    subject: str = ""


@dataclass(frozen=True, slots=True)
class ModelSpec:
    """One version of a maturity model, as plain data.

    Construction also checks the spec and, when it is sound, indexes it for scoring; both are
    derived from the fields, never change afterwards and take no part in equality.
    """

    slug: str
    version: int
    phases: tuple[PhaseSpec, ...]
    dimensions: tuple[DimensionSpec, ...]
    criteria: tuple[CriterionSpec, ...]
    minimum_coverage: Fraction = Fraction(1, 2)
    problems: tuple[SpecProblem, ...] = field(init=False, repr=False, compare=False)
    layout: SpecLayout | None = field(init=False, repr=False, compare=False)

    def __post_init__(self) -> None:
        for name in ("phases", "dimensions", "criteria"):
            object.__setattr__(self, name, tuple(getattr(self, name)))
        exact = _exact(self.minimum_coverage, owner="Model", key=self.slug, name="minimum_coverage")
        object.__setattr__(self, "minimum_coverage", exact)
        problems = spec_problems(self)
        object.__setattr__(self, "problems", problems)
        layout = None if problems else SpecLayout.of(self)
        object.__setattr__(self, "layout", layout)

    def __reduce__(self) -> tuple[Any, ...]:
        """Pickle and copy the fields only; the derived state is rebuilt from them."""
        fields = (self.phases, self.dimensions, self.criteria, self.minimum_coverage)
        return (type(self), (self.slug, self.version, *fields))


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


def _model_problems(spec: ModelSpec) -> list[SpecProblem]:
    """The phase count and numbering, and the minimum coverage."""
    problems = []
    phase_count = len(spec.phases)
    if phase_count != PHASE_COUNT:
        problems.append(SpecProblem("phase_count", str(phase_count)))
    orders = tuple(sorted(phase.order for phase in spec.phases))
    # For a wrong count, orders 1..n are reported as the count only.
    if orders not in (PHASE_ORDERS, tuple(range(1, phase_count + 1))):
        problems.append(SpecProblem("phase_order"))
    if not 0 < spec.minimum_coverage <= 1:
        problems.append(SpecProblem("minimum_coverage_out_of_range"))
    return problems


def _phase_problems(spec: ModelSpec) -> list[SpecProblem]:
    """Duplicate keys, thresholds out of range and phases without criteria."""
    keys = [phase.key for phase in spec.phases]
    used = {criterion.phase for criterion in spec.criteria}
    return [
        *(SpecProblem("duplicate_phase_key", key) for key in _duplicates(keys)),
        *(
            SpecProblem("threshold_out_of_range", phase.key)
            for phase in spec.phases
            if not 0 < phase.threshold <= 1
        ),
        *(
            SpecProblem("phase_without_criteria", key)
            for key in dict.fromkeys(keys)
            if key not in used
        ),
    ]


def _criterion_problems(spec: ModelSpec) -> list[SpecProblem]:
    """Duplicate keys, references to unknown phases or dimensions, and weights not above 0."""
    phases = {phase.key for phase in spec.phases}
    dimensions = {dimension.key for dimension in spec.dimensions}
    criteria = spec.criteria
    return [
        *(
            SpecProblem("duplicate_criterion_key", key)
            for key in _duplicates([criterion.key for criterion in criteria])
        ),
        *(SpecProblem("unknown_phase", c.key) for c in criteria if c.phase not in phases),
        *(
            SpecProblem("unknown_dimension", c.key)
            for c in criteria
            if c.dimension not in dimensions
        ),
        *(SpecProblem("weight_not_positive", c.key) for c in criteria if not c.weight > 0),
    ]


def spec_problems(spec: ModelSpec) -> tuple[SpecProblem, ...]:
    """Every reason why ``spec`` cannot be published or scored (empty when it is sound).

    The order is fixed: model-level problems, then phases, dimensions and criteria, each in
    the order of the spec's tuples.
    """
    dimension_keys = [dimension.key for dimension in spec.dimensions]
    return (
        *_model_problems(spec),
        *_phase_problems(spec),
        *(SpecProblem("duplicate_dimension_key", key) for key in _duplicates(dimension_keys)),
        *_criterion_problems(spec),
    )
