"""The phase report: the stored (or, for a draft, live) result joined with the model's texts."""

from dataclasses import dataclass
from fractions import Fraction
from typing import Any

from django.template.loader import render_to_string
from django.utils.timezone import localtime
from django.utils.translation import get_language
from django.utils.translation import gettext as _

from assessments.coverage import answered_share, coverage_by_dimension, overall_coverage
from assessments.models import Assessment
from assessments.perspective_compare import (
    PerspectiveComparison,
    perspective_comparison_if_several,
)
from assessments.perspective_selectors import AnswerState, assessment_answer_states
from assessments.selectors import (
    organisation_history_signature,
    organisation_submitted_assessments,
)
from assessments.services import assessment_score_answers
from maturity.models import AnswerValue, Criterion, Dimension, Phase
from maturity.scoring import (
    AssessmentResult,
    PhaseResult,
)
from maturity.selectors import ModelStructure, model_version_structure
from reports import caching
from reports.history import (
    Comparison,
    HistoryRow,
    comparison_build,
    history_rows,
    previous_assessment,
    previous_criteria,
)
from reports.summary import AdviceRow, Summary, summary_build

ANSWER_LABELS = dict(AnswerValue.choices)


@dataclass(frozen=True)
class GrowthStep:
    phase: Phase
    state: str  # "reached", "current", "focus" or "ahead"
    fulfilment: float
    coverage: float
    threshold: float
    reached: bool
    insufficient_data: bool
    missing: list[Criterion]

    @property
    def determined(self) -> bool:
        """False when too few answers allow no claim about this phase (reached or not)."""
        return self.reached or not self.insufficient_data

    @property
    def threshold_mark(self) -> str:
        """Where the growth path bar draws its threshold mark (1.2 wide) on its 0–100 scale."""
        return str(round(min(max(100 * self.threshold - 0.6, 0), 98.8), 1))


@dataclass(frozen=True)
class DimensionRow:
    """A dimension's phase and index; both None when too few of its criteria are answered."""

    dimension: Dimension
    phase: Phase | None
    index: float | None
    delta: float | None
    previous_index: float | None


@dataclass(frozen=True)
class Report:
    """Everything the report page shows, joined with the model's texts."""

    assessment: Assessment
    structure: ModelStructure
    provisional: bool
    result: AssessmentResult
    phase: Phase
    focus_phase: Phase | None
    index: float
    steps: list[GrowthStep]
    dimensions: list[DimensionRow]
    advice: list[tuple[Dimension, list[AdviceRow]]]
    advice_mode: str
    find_out_first: list[Criterion]
    strengths: list[Criterion]
    inconsistencies: list[Phase]
    comments: list[tuple[Criterion, AnswerState]]
    history: list[HistoryRow]
    previous: Assessment | None
    # Across model versions: the questions only this version has, and those only the previous
    # assessment's version had (criteria of that version).
    only_in_current: list[Criterion]
    only_in_previous: list[Criterion]
    # Several perspectives: each one's result and where they disagree; None with one.
    perspectives: PerspectiveComparison | None
    chart_data: dict[str, Any]
    unanswered_count: int
    answered_share: float
    insufficient_data: bool
    summary: Summary


def result_for_export(
    *, assessment: Assessment, structure: ModelStructure, answers: dict[int, AnswerState]
) -> dict[str, Any]:
    """The stored result in the documented shape, with the phase names added for readers.

    Added, not changed: `coverage` and `insufficient_data` for the whole result (below the
    model's minimum coverage no phase can be claimed) and `insufficient_dimensions`, the keys
    of dimensions with too few answers (their index says little); the documented fields stay
    as they were stored.
    """
    result = dict(assessment.result)
    phases = structure.phases_by_key
    for name in ("phase", "focus_phase"):
        if result.get(name):
            result[name] = {**result[name], "name": phases[result[name]["key"]].name}
    minimum = structure.spec.minimum_coverage
    coverage = overall_coverage(structure=structure, answers=answers)
    by_dimension = coverage_by_dimension(structure=structure, answers=answers)
    result["coverage"] = round(float(coverage), 4)
    result["insufficient_data"] = coverage < minimum
    result["insufficient_dimensions"] = [
        item["key"] for item in result["dimensions"] if by_dimension.get(item["key"], 0) < minimum
    ]
    return result


def _result(*, assessment: Assessment, answers: dict[int, AnswerState]) -> AssessmentResult:
    """A submitted assessment's stored result; a draft's computed live from its answers."""
    if assessment.is_draft:
        return assessment_score_answers(assessment=assessment, answers=answers)
    return AssessmentResult.from_dict(assessment.result)


def _decimal(value: Fraction | float) -> float:
    """A number of the result as the stored result writes it: a float with 4 decimals.

    Live (exact) and stored (rounded) results thus show the very same figures.
    """
    return float(round(Fraction(value), 4))


def _percent(value: float) -> float:
    return round(100 * value)


def _step_state(item: PhaseResult, result: AssessmentResult, insufficient: bool) -> str:
    """Where a phase stands on the growth path: current, reached, focus, ahead or unknown.

    With too few answers overall, no phase is claimed as current or as the next step.
    """
    if insufficient and not item.reached:
        return "unknown"
    if item.order <= result.reached_count:
        return "current" if item.key == result.phase.key else "reached"
    if result.focus_phase is not None and item.key == result.focus_phase.key:
        return "focus"
    return "ahead"


def _growth_steps(
    result: AssessmentResult, structure: ModelStructure, insufficient: bool
) -> list[GrowthStep]:
    """The phases as steps of the growth path, each with its state and fulfilment."""
    phases = structure.phases_by_key
    criteria = structure.criteria_by_key
    steps = []
    for item in result.phases:
        fulfilment, threshold = _decimal(item.fulfilment), _decimal(item.threshold)
        steps.append(
            GrowthStep(
                phase=phases[item.key],
                state=_step_state(item, result, insufficient),
                fulfilment=fulfilment,
                coverage=_decimal(item.coverage),
                threshold=threshold,
                reached=item.reached,
                insufficient_data=item.insufficient_data,
                missing=[criteria[key] for key in item.missing if key in criteria],
            )
        )
    return steps


def _dimension_rows(
    result: AssessmentResult,
    structure: ModelStructure,
    previous: Comparison,
    answers: dict[int, AnswerState],
) -> list[DimensionRow]:
    """Phase and index per dimension, with the change since the previous assessment.

    A dimension with too few answers gets neither: its figures would be noise.
    """
    dimensions = structure.dimensions_by_key
    phase_by_order = {p.order: p for p in structure.phases}
    coverage = coverage_by_dimension(structure=structure, answers=answers)
    minimum = structure.spec.minimum_coverage
    rows = []
    for item in result.dimensions:
        before = previous.dimension_indexes.get(item.key)
        enough = coverage.get(item.key, 0) >= minimum
        index = _decimal(item.index) if enough else None
        rows.append(
            DimensionRow(
                dimension=dimensions[item.key],
                phase=phase_by_order[item.phase_order] if enough else None,
                index=index,
                delta=None if before is None or index is None else round(index - before, 1),
                previous_index=before,
            )
        )
    return rows


def _advice_rows(result: AssessmentResult, structure: ModelStructure) -> list[AdviceRow]:
    """The result's advice in its ranked order, joined with the criteria."""
    criteria = structure.criteria_by_key
    return [
        AdviceRow(
            criterion=criteria[item.criterion_key],
            answer_label=ANSWER_LABELS[str(item.value)],
            gap=_decimal(item.gap),
        )
        for item in result.advice
    ]


def _advice_groups(
    rows: list[AdviceRow], structure: ModelStructure
) -> list[tuple[Dimension, list[AdviceRow]]]:
    """The ranked advice grouped by dimension, dimensions in model order."""
    grouped: dict[str, list[AdviceRow]] = {}
    for row in rows:
        grouped.setdefault(row.criterion.dimension.key, []).append(row)
    return [(d, grouped[d.key]) for d in structure.dimensions if d.key in grouped]


def _chart_data(
    dimensions: list[DimensionRow], steps: list[GrowthStep], history: list[HistoryRow]
) -> dict[str, Any]:
    """The data of the three charts (radar, phases, history) for the report's script.

    Fulfilment is a share of the phase's statements (not of its threshold), and dates are
    local (the site's time zone), as in the tables beside the charts.
    """
    previous = [row.previous_index for row in dimensions]
    return {
        "radar": {
            "labels": [row.dimension.name for row in dimensions],
            "values": [None if row.index is None else round(row.index, 2) for row in dimensions],
            "label": _("Maturity index per dimension (0–4)"),
            "previous": previous if any(v is not None for v in previous) else None,
            "previousLabel": _("Previous assessment"),
        },
        "phases": {
            "labels": [step.phase.name for step in steps],
            # A phase with too few answers gets no bar: its fulfilment would mislead.
            "fulfilment": [
                _percent(step.fulfilment) if step.determined else None for step in steps
            ],
            "threshold": [_percent(step.threshold) for step in steps],
            "fulfilmentLabel": _("Fulfilment (%)"),
            "thresholdLabel": _("Threshold (%)"),
        },
        "history": {
            "labels": [
                f"{row.assessment.title} ({localtime(row.assessment.submitted_at):%d-%m-%Y})"
                for row in history
            ],
            "values": [round(row.index, 2) for row in history],
            "label": _("Maturity index"),
        },
    }


def _comments(
    structure: ModelStructure, answers: dict[int, AnswerState]
) -> list[tuple[Criterion, AnswerState]]:
    """The respondents' comments, in questionnaire order."""
    return [
        (criterion, answers[criterion.pk])
        for criterion in structure.criteria
        if criterion.pk in answers and answers[criterion.pk].comment
    ]


def report_build(*, assessment: Assessment) -> Report:
    """Everything the report page shows, in a fixed number of queries."""
    structure = model_version_structure(version=assessment.model_version)
    answers = assessment_answer_states(assessment=assessment)
    result = _result(assessment=assessment, answers=answers)
    insufficient = (
        overall_coverage(structure=structure, answers=answers) < structure.spec.minimum_coverage
    )
    phases = structure.phases_by_key
    criteria = structure.criteria_by_key
    submitted = organisation_submitted_assessments(organisation_id=assessment.organisation_id)
    history = history_rows(assessment=assessment, submitted=submitted)
    previous = previous_assessment(assessment=assessment, submitted=submitted)
    comparison = comparison_build(
        assessment=assessment, previous=previous, structure=structure, answers=answers
    )
    steps = _growth_steps(result, structure, insufficient)
    dimensions = _dimension_rows(result, structure, comparison, answers)
    advice = _advice_rows(result, structure)
    phase = phases[result.phase.key]
    index = _decimal(result.index)
    return Report(
        assessment=assessment,
        structure=structure,
        provisional=assessment.is_draft,
        result=result,
        phase=phase,
        focus_phase=phases[result.focus_phase.key] if result.focus_phase else None,
        index=index,
        steps=steps,
        dimensions=dimensions,
        advice=_advice_groups(advice, structure),
        advice_mode=result.advice_mode,
        find_out_first=[criteria[key] for key in result.find_out_first if key in criteria],
        strengths=[criteria[key] for key in result.strengths if key in criteria],
        inconsistencies=[phases[key] for key in result.inconsistencies],
        comments=_comments(structure, answers),
        history=history,
        previous=previous,
        only_in_current=[criteria[key] for key in comparison.only_in_current],
        only_in_previous=previous_criteria(previous=previous, keys=comparison.only_in_previous),
        perspectives=perspective_comparison_if_several(assessment=assessment),
        chart_data=_chart_data(dimensions, steps, history),
        unanswered_count=len(result.unanswered),
        answered_share=answered_share(structure=structure, answers=answers),
        insufficient_data=insufficient,
        summary=summary_build(
            phase=phase,
            index=index,
            insufficient=insufficient,
            previous=previous,
            history=history,
            dimensions=dimensions,
            ranked_advice=advice,
            steps=steps,
            comparable_previous_index=comparison.previous_index,
        ),
    )


REPORT_SECTIONS = ("summary", "body")


def report_history_signature(*, assessment: Assessment) -> tuple[int, object] | None:
    """The organisation's history signature that keys a submitted assessment's cached report
    (None for a draft: never cached); read once per request, for every cached section."""
    if assessment.is_draft:
        return None
    return organisation_history_signature(organisation_id=assessment.organisation_id)


def report_sections(
    *, assessment: Assessment, report: Report, history: tuple[int, object] | None
) -> dict[str, str]:
    """The report's result sections as HTML: a submitted assessment's from the cache.

    `report` may be lazy: on a cache hit it is never built. `history` is
    `report_history_signature`'s answer.
    """

    def render() -> dict[str, str]:
        return {
            name: render_to_string(f"reports/includes/_report_{name}.html", {"report": report})
            for name in REPORT_SECTIONS
        }

    if assessment.is_draft or history is None:
        return render()
    return caching.submitted_report(
        assessment_id=assessment.pk,
        submitted_at=assessment.submitted_at,
        history=history,
        language=get_language(),
        render=render,
    )
