"""The report's advice: the result's ranked criteria with their answers, gaps and actions."""

from actions.selectors import action_list_by_criterion
from assessments.models import Membership
from maturity.models import AnswerValue, Dimension
from maturity.scoring import AssessmentResult
from maturity.selectors import ModelStructure
from reports.decimals import result_decimal
from reports.summary import AdviceRow

ANSWER_LABELS = dict(AnswerValue.choices)


def advice_rows_build(
    result: AssessmentResult, structure: ModelStructure, membership: Membership | None
) -> list[AdviceRow]:
    """The result's advice in its ranked order, joined with the criteria and their actions.

    The actions of every advised criterion are read in one query.
    """
    criteria = structure.criteria_by_key
    keys = [item.criterion_key for item in result.advice]
    actions = (
        action_list_by_criterion(membership=membership, criterion_keys=keys)
        if membership is not None
        else {}
    )
    return [
        AdviceRow(
            criterion=criteria[item.criterion_key],
            answer_label=ANSWER_LABELS[str(item.value)],
            gap=result_decimal(item.gap),
            actions=actions.get(item.criterion_key, ()),
        )
        for item in result.advice
    ]


def advice_by_dimension(
    rows: list[AdviceRow], structure: ModelStructure
) -> tuple[tuple[Dimension, tuple[AdviceRow, ...]], ...]:
    """The ranked advice grouped by dimension, dimensions in model order."""
    grouped: dict[str, list[AdviceRow]] = {}
    for row in rows:
        grouped.setdefault(row.criterion.dimension.key, []).append(row)
    return tuple((d, tuple(grouped[d.key])) for d in structure.dimensions if d.key in grouped)
