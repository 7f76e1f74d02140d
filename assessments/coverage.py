"""How much of a questionnaire is answered: what decides what a result may claim.

Below the model's minimum coverage a report names no phase, and a dimension shows no index.
"""

from decimal import Decimal
from fractions import Fraction

from assessments.perspective_selectors import AnswerState
from maturity.models import AnswerValue, Criterion
from maturity.selectors import ModelStructure

SCORED_VALUES = {"0", "1", "2", "3", "4"}


def _weights(
    answers: dict[int, AnswerState], criteria: list[Criterion]
) -> tuple[Fraction, Fraction]:
    """Weight answered 0–4 and weight applicable (not "not applicable") of these criteria."""
    # Summed as Decimals (exact: weights have two decimal places) and made Fractions once: a
    # Fraction per criterion was most of the compare page's scoring of four perspectives.
    answered = applicable = Decimal(0)
    for criterion in criteria:
        answer = answers.get(criterion.pk)
        value = answer.value if answer else ""
        if value == AnswerValue.NOT_APPLICABLE:
            continue
        applicable += criterion.weight
        if value in SCORED_VALUES:
            answered += criterion.weight
    return Fraction(answered), Fraction(applicable)


def overall_coverage(*, structure: ModelStructure, answers: dict[int, AnswerState]) -> Fraction:
    """The share of the applicable weight answered 0–4 over the whole questionnaire."""
    answered, applicable = _weights(answers, list(structure.criteria))
    return answered / applicable if applicable else Fraction(0)


def coverage_by_dimension(
    *, structure: ModelStructure, answers: dict[int, AnswerState]
) -> dict[str, Fraction]:
    """The share of the applicable weight answered 0–4, per dimension key."""
    coverage = {}
    for dimension in structure.dimensions:
        answered, applicable = _weights(answers, structure.criteria_of_dimension(dimension))
        coverage[dimension.key] = answered / applicable if applicable else Fraction(0)
    return coverage


def answered_share(*, structure: ModelStructure, answers: dict[int, AnswerState]) -> float:
    """The share of the questions with any answer ("don't know" and "not applicable" count)."""
    total = len(structure.criteria)
    given = sum(1 for c in structure.criteria if c.pk in answers and answers[c.pk].value)
    return given / total if total else 0.0
