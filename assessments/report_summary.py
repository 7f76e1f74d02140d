"""The top of a report: where we are, did we move, the three things to do next.

Also the measures of how much is answered, which decide what a report may claim: below the
model's minimum coverage a report names no phase, and a dimension shows no index.
"""

from dataclasses import dataclass
from decimal import Decimal
from fractions import Fraction

from assessments.models import Assessment
from assessments.perspective_selectors import AnswerState
from assessments.report_history import HistoryRow
from maturity.models import AnswerValue, Criterion, Dimension, Phase
from maturity.selectors import ModelStructure

PRIORITY_COUNT = 3
ANSWER_FIRST_COUNT = 5
MOVER_COUNT = 2
SCORED_VALUES = {"0", "1", "2", "3", "4"}


@dataclass(frozen=True)
class AdviceRow:
    """One next step: a criterion not fully met, with the answer given and its weighted gap."""

    criterion: Criterion
    answer_label: str
    gap: float


@dataclass(frozen=True)
class Mover:
    """A dimension whose index changed since the previous assessment."""

    dimension: Dimension
    delta: float


@dataclass(frozen=True)
class Change:
    """How this assessment compares with the previous submitted one, for the summary."""

    previous: Assessment
    previous_phase_order: int
    previous_phase_name: str
    direction: str  # "up", "down" or "same" (the phase; on the same phase, the index)
    phase_changed: bool
    index_delta: float
    movers: list[Mover]


@dataclass(frozen=True)
class Summary:
    """The summary at the top: the change and the top priorities, or what to answer first."""

    change: Change | None
    priorities: list[AdviceRow]
    answer_first: list[Criterion]


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


def _movers(dimensions: list) -> list[Mover]:
    """The dimensions that moved most (largest change first), unchanged ones left out."""
    moved = [row for row in dimensions if row.delta]
    moved.sort(key=lambda row: (-abs(row.delta), row.dimension.order))
    return [Mover(dimension=row.dimension, delta=row.delta) for row in moved[:MOVER_COUNT]]


def _change(
    *,
    phase: Phase,
    index: float,
    previous_row: HistoryRow,
    dimensions: list,
    previous_index: float | None,
) -> Change:
    """The change since the previous assessment's history row.

    ``previous_index``: across model versions, the previous index on the comparable criteria.
    """
    before = previous_row.assessment
    base = previous_row.index if previous_index is None else previous_index
    index_delta = round(index - base, 1)
    if phase.order != before.phase_order:
        direction = "up" if phase.order > before.phase_order else "down"
    else:
        direction = "up" if index_delta > 0 else "down" if index_delta < 0 else "same"
    return Change(
        previous=before,
        previous_phase_order=before.phase_order,
        previous_phase_name=previous_row.phase_name,
        direction=direction,
        phase_changed=phase.order != before.phase_order,
        index_delta=index_delta,
        movers=_movers(dimensions),
    )


def summary_build(
    *,
    phase: Phase,
    index: float,
    insufficient: bool,
    previous: Assessment | None,
    history: list[HistoryRow],
    dimensions: list,
    ranked_advice: list[AdviceRow],
    steps: list,
    comparable_previous_index: float | None = None,
) -> Summary:
    """The summary of a report; with too few answers, no change and no priorities are claimed.

    `ranked_advice` is the result's advice in its own order (largest weighted gap first).
    """
    if insufficient:
        missing = [c for step in steps if not step.determined for c in step.missing]
        return Summary(change=None, priorities=[], answer_first=missing[:ANSWER_FIRST_COUNT])
    previous_row = next(
        (row for row in history if previous and row.assessment.pk == previous.pk), None
    )
    return Summary(
        change=None
        if previous_row is None
        else _change(
            phase=phase,
            index=index,
            previous_row=previous_row,
            dimensions=dimensions,
            previous_index=comparable_previous_index,
        ),
        priorities=ranked_advice[:PRIORITY_COUNT],
        answer_first=[],
    )
