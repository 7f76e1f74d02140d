"""The output of scoring: frozen result dataclasses, and their JSON form (``to_dict``)."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from fractions import Fraction
from typing import Any

from maturity.scoring.spec import PhaseSpec

ADVICE_MODE_FOCUS = "focus"
ADVICE_MODE_SUSTAIN = "sustain"


def _number(value: Fraction) -> float:
    """A Fraction as a float rounded (exactly, half to even) to 4 decimals, for JSON.

    The same as ``float(round(value, 4))``, without the intermediate Fractions.
    """
    quotient, remainder = divmod(value.numerator * 10_000, value.denominator)
    twice = 2 * remainder
    if twice > value.denominator or (twice == value.denominator and quotient % 2):
        quotient += 1
    return quotient / 10_000


def _fraction(value: float | int) -> Fraction:
    """A number written by ``_number`` as the decimal it shows (0.7 -> 7/10, not 0.69999...)."""
    return Fraction(str(value))


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

    def to_dict(self) -> dict[str, Any]:
        """This phase as it is stored in ``AssessmentResult.to_dict()["phases"]``."""
        return {
            "key": self.key,
            "order": self.order,
            "threshold": _number(self.threshold),
            "fulfilment": _number(self.fulfilment),
            "coverage": _number(self.coverage),
            "reached": self.reached,
            "insufficient_data": self.insufficient_data,
            "missing": list(self.missing),
        }

    @classmethod
    def from_dict(cls, data: Mapping[str, Any]) -> PhaseResult:
        """Read back what ``to_dict`` wrote (numbers as the 4-decimal Fractions they show)."""
        numbers = {name: _fraction(data[name]) for name in ("threshold", "fulfilment", "coverage")}
        return cls(**{**data, **numbers, "missing": tuple(data["missing"])})


@dataclass(frozen=True, slots=True)
class DimensionResult:
    """The growth path computed over the criteria of one dimension."""

    key: str
    order: int
    phase_order: int
    reached_count: int
    focus_phase_order: int | None
    index: Fraction

    def to_dict(self) -> dict[str, Any]:
        """This dimension as stored; ``order`` is left out (the list is in dimension order)."""
        return {
            "key": self.key,
            "phase": self.phase_order,
            "reached_count": self.reached_count,
            "focus_phase": self.focus_phase_order,
            "index": _number(self.index),
        }

    @classmethod
    def from_dict(cls, data: Mapping[str, Any], *, order: int) -> DimensionResult:
        """Read back what ``to_dict`` wrote; ``order`` is the place in the stored list."""
        return cls(
            key=data["key"],
            order=order,
            phase_order=data["phase"],
            reached_count=data["reached_count"],
            focus_phase_order=data["focus_phase"],
            index=_fraction(data["index"]),
        )


@dataclass(frozen=True, slots=True)
class AdviceItem:
    """A criterion not fully met, with its gap ``weight * (1 - fulfilment)``."""

    criterion_key: str
    phase: str
    dimension: str
    value: int
    gap: Fraction

    def to_dict(self) -> dict[str, Any]:
        """This advice item as stored in ``AssessmentResult.to_dict()["advice"]``."""
        return {
            "criterion_key": self.criterion_key,
            "phase": self.phase,
            "dimension": self.dimension,
            "value": self.value,
            "gap": _number(self.gap),
        }

    @classmethod
    def from_dict(cls, data: Mapping[str, Any]) -> AdviceItem:
        """Read back what ``to_dict`` wrote."""
        return cls(**{**data, "gap": _fraction(data["gap"])})


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
            "phases": [phase.to_dict() for phase in self.phases],
            "dimensions": [dimension.to_dict() for dimension in self.dimensions],
            "advice": [item.to_dict() for item in self.advice],
            "advice_mode": self.advice_mode,
            "find_out_first": list(self.find_out_first),
            "unanswered": list(self.unanswered),
            "inconsistencies": list(self.inconsistencies),
            "strengths": list(self.strengths),
            "model": {"slug": self.model_slug, "version": self.model_version},
        }

    @classmethod
    def from_dict(cls, data: Mapping[str, Any]) -> AssessmentResult:
        """Read back a stored ``to_dict()``, for display; not for computing with.

        ``to_dict`` rounds every Fraction to 4 decimals, so the numbers come back as those
        decimals (an index of 19/7 comes back as 2.7143 = 27143/10000), and a dimension's
        ``order`` as its place in the list. ``to_dict()`` of the result gives ``data`` again.
        """
        phases = tuple(PhaseResult.from_dict(phase) for phase in data["phases"])
        return cls(
            model_slug=data["model"]["slug"],
            model_version=data["model"]["version"],
            phase=_phase_spec(data["phase"], phases),
            reached_count=data["reached_count"],
            focus_phase=_phase_spec(data["focus_phase"], phases) if data["focus_phase"] else None,
            index=_fraction(data["index"]),
            phases=phases,
            dimensions=tuple(
                DimensionResult.from_dict(dimension, order=place)
                for place, dimension in enumerate(data["dimensions"], start=1)
            ),
            advice=tuple(AdviceItem.from_dict(item) for item in data["advice"]),
            advice_mode=data["advice_mode"],
            find_out_first=tuple(data["find_out_first"]),
            unanswered=tuple(data["unanswered"]),
            inconsistencies=tuple(data["inconsistencies"]),
            strengths=tuple(data["strengths"]),
        )


def _phase_spec(data: Mapping[str, Any], phases: tuple[PhaseResult, ...]) -> PhaseSpec:
    """The stored ``{"key", "order"}`` of a phase, with the threshold of its phase result."""
    threshold = next(phase.threshold for phase in phases if phase.key == data["key"])
    return PhaseSpec(data["key"], data["order"], threshold)
