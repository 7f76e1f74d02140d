"""What ``score()`` raises; every message names the criterion or model concerned."""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from maturity.scoring.spec import ModelSpec, SpecProblem

UNKNOWN_CRITERION_MESSAGE = "Unknown criterion {key!r}: model {slug!r} v{version} has no such key."
INVALID_ANSWER_MESSAGE = (
    "Invalid answer {value!r} for criterion {key!r}: expected an integer 0-4, 'dk', 'na' or None."
)
INVALID_SPEC_MESSAGE = "Model {slug!r} v{version} cannot be scored: {problems}."


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
