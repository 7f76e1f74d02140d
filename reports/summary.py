"""The top of a report: where we are, did we move, the three things to do next."""

from collections.abc import Sequence
from dataclasses import dataclass

from actions.models import Action
from assessments.models import Assessment
from maturity.figures import index_delta as index_delta_shown
from maturity.models import Criterion, Dimension, Phase
from reports.history import HistoryRow

PRIORITY_COUNT = 3
ANSWER_FIRST_COUNT = 5
MOVER_COUNT = 2


@dataclass(frozen=True)
class AdviceRow:
    """One next step: a criterion not fully met, with the answer given and its weighted gap."""

    criterion: Criterion
    answer_label: str
    gap: float
    # The organisation's open and done actions on this criterion, by due date (none: no plan).
    actions: tuple[Action, ...] = ()


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
    movers: tuple[Mover, ...]


@dataclass(frozen=True)
class Summary:
    """The summary at the top: the change and the top priorities, or what to answer first."""

    change: Change | None
    priorities: tuple[AdviceRow, ...]
    answer_first: tuple[Criterion, ...]


def _movers(dimensions: Sequence) -> tuple[Mover, ...]:
    """The dimensions that moved most (largest change first), unchanged ones left out."""
    moved = [row for row in dimensions if row.delta]
    moved.sort(key=lambda row: (-abs(row.delta), row.dimension.order))
    return tuple(Mover(dimension=row.dimension, delta=row.delta) for row in moved[:MOVER_COUNT])


def _change(
    *,
    phase: Phase,
    index: float,
    previous_row: HistoryRow,
    dimensions: Sequence,
    previous_index: float | None,
) -> Change:
    """The change since the previous assessment's history row.

    ``previous_index``: across model versions, the previous index on the comparable criteria.
    """
    before = previous_row.assessment
    base = previous_row.index if previous_index is None else previous_index
    index_delta = index_delta_shown(index, base)
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
    history: Sequence[HistoryRow],
    dimensions: Sequence,
    ranked_advice: Sequence[AdviceRow],
    steps: Sequence,
    comparable_previous_index: float | None = None,
) -> Summary:
    """The summary of a report; with too few answers, no change and no priorities are claimed.

    `ranked_advice` is the result's advice in its own order (largest weighted gap first).
    """
    if insufficient:
        missing = [c for step in steps if not step.determined for c in step.missing]
        return Summary(change=None, priorities=(), answer_first=tuple(missing[:ANSWER_FIRST_COUNT]))
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
        priorities=tuple(ranked_advice[:PRIORITY_COUNT]),
        answer_first=(),
    )
