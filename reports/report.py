"""The phase report: the stored (or, for a draft, live) result joined with the model's texts."""

from dataclasses import dataclass
from datetime import date
from fractions import Fraction
from typing import Any

from django.utils import timezone
from django.utils.timezone import localtime
from django.utils.translation import gettext as _

from actions.comparison import PlanComparison, assessment_plan_comparison
from actions.models import Action
from actions.selectors import OpenActions, action_list_by_criterion
from assessments.coverage import answered_share, coverage_by_dimension, overall_coverage
from assessments.models import Assessment, Membership
from assessments.perspective_compare import (
    PerspectiveComparison,
    perspective_comparison_if_several,
)
from assessments.perspective_selectors import (
    AnswerState,
    assessment_answer_states,
    assessment_unconfirmed,
)
from assessments.progress import Progress, answer_set_progress, consensus_progress
from assessments.selectors import organisation_submitted_assessments
from assessments.services import assessment_score_answers
from assessments.templatetags.report_format import percent
from benchmarks.selectors import Comparison as BenchmarkComparison
from benchmarks.selectors import assessment_comparison, assessment_comparison_for_organisation
from maturity.figures import index_delta
from maturity.models import AnswerValue, Criterion, Dimension, Phase
from maturity.scoring import (
    AssessmentResult,
    PhaseResult,
)
from maturity.selectors import ModelStructure, model_version_structure
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
    missing: tuple[Criterion, ...]

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
class Headline:
    """The phase claim at the top of the page and the PDF, as one text (see `headline_build`)."""

    title: str
    detail: str
    next_step: str
    # False when no phase can be claimed: too few answers, or no phase reached yet.
    phase_claimed: bool


@dataclass(frozen=True)
class OpenActionsBox:
    """The plan's open actions as of a date: page 1 of the PDF ("as of <date>")."""

    as_of: date
    actions: tuple[Action, ...]
    total: int


@dataclass(frozen=True)
class Report:
    """Everything the report page, its PDF and result.json show: built once, only read after.

    Template tags and templates format it; they never query. Built by `report_build`
    (`reports.selectors.report_get` checks access first).
    """

    assessment: Assessment
    # The reader's membership of the assessment's organisation; None: built without a reader
    # (then no action plan, benchmark or linked actions).
    membership: Membership | None
    structure: ModelStructure
    provisional: bool
    result: AssessmentResult
    phase: Phase
    focus_phase: Phase | None
    index: float
    headline: Headline
    progress: Progress
    steps: tuple[GrowthStep, ...]
    dimensions: tuple[DimensionRow, ...]
    # Per dimension (model order) the advice rows, each with the actions on its criterion.
    advice: tuple[tuple[Dimension, tuple[AdviceRow, ...]], ...]
    advice_mode: str
    find_out_first: tuple[Criterion, ...]
    strengths: tuple[Criterion, ...]
    inconsistencies: tuple[Phase, ...]
    comments: tuple[tuple[Criterion, AnswerState], ...]
    history: tuple[HistoryRow, ...]
    previous: Assessment | None
    comparison: Comparison
    # Across model versions: the questions only this version has, and those only the previous
    # assessment's version had (criteria of that version).
    only_in_current: tuple[Criterion, ...]
    only_in_previous: tuple[Criterion, ...]
    # Several perspectives: each one's result and where they disagree; None with one.
    perspectives: PerspectiveComparison | None
    # The action plan checked against this assessment ("what changed"); None: nothing to show.
    plan: PlanComparison | None
    # Where a submitted assessment stands among similar organisations; None for a draft.
    benchmark: BenchmarkComparison | None
    benchmark_level: str | None
    # The open actions as of today: only in the PDF, and only of the organisation's latest
    # assessment (an older one's page 1 would list today's actions as if they were its own).
    open_actions: OpenActionsBox | None
    is_latest: bool
    chart_data: dict[str, Any]
    coverage: float
    insufficient_dimensions: tuple[str, ...]
    answered_share: float
    insufficient_data: bool
    summary: Summary
    # Built for a share link: no reader, nothing of the organisation's other assessments (no
    # history, no previous assessment, no change since then), no links out of the report.
    shared: bool = False

    @property
    def unanswered_count(self) -> int:
        """Questions not answered (confirmed) yet; carried answers to confirm included."""
        return self.progress.remaining


def result_for_export(report: Report) -> dict[str, Any]:
    """The stored result in the documented shape, with the phase names added for readers.

    Added, not changed: `coverage` and `insufficient_data` for the whole result (below the
    model's minimum coverage no phase can be claimed) and `insufficient_dimensions`, the keys
    of dimensions with too few answers (their index says little); the documented fields stay
    as they were stored.
    """
    result = dict(report.assessment.result)
    phases = report.structure.phases_by_key
    for name in ("phase", "focus_phase"):
        if result.get(name):
            result[name] = {**result[name], "name": phases[result[name]["key"]].name}
    result["coverage"] = report.coverage
    result["insufficient_data"] = report.insufficient_data
    result["insufficient_dimensions"] = list(report.insufficient_dimensions)
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
) -> tuple[GrowthStep, ...]:
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
                missing=tuple(criteria[key] for key in item.missing if key in criteria),
            )
        )
    return tuple(steps)


def _dimension_rows(
    result: AssessmentResult,
    structure: ModelStructure,
    previous: Comparison,
    answers: dict[int, AnswerState],
) -> tuple[DimensionRow, ...]:
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
                delta=None if before is None or index is None else index_delta(index, before),
                previous_index=before,
            )
        )
    return tuple(rows)


def _advice_rows(
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
            gap=_decimal(item.gap),
            actions=actions.get(item.criterion_key, ()),
        )
        for item in result.advice
    ]


def _advice_groups(
    rows: list[AdviceRow], structure: ModelStructure
) -> tuple[tuple[Dimension, tuple[AdviceRow, ...]], ...]:
    """The ranked advice grouped by dimension, dimensions in model order."""
    grouped: dict[str, list[AdviceRow]] = {}
    for row in rows:
        grouped.setdefault(row.criterion.dimension.key, []).append(row)
    return tuple((d, tuple(grouped[d.key])) for d in structure.dimensions if d.key in grouped)


def _chart_data(
    dimensions: tuple[DimensionRow, ...],
    steps: tuple[GrowthStep, ...],
    history: tuple[HistoryRow, ...],
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
) -> tuple[tuple[Criterion, AnswerState], ...]:
    """The respondents' comments, in questionnaire order."""
    return tuple(
        (criterion, answers[criterion.pk])
        for criterion in structure.criteria
        if criterion.pk in answers and answers[criterion.pk].comment
    )


def headline_build(
    *, result: AssessmentResult, steps: tuple[GrowthStep, ...], insufficient: bool, share: float
) -> Headline:
    """The phase claim: the one text the page, the PDF and the cross-page test read.

    With too few answers no phase is known; with none reached, the first phase's fulfilment
    against its threshold ("No phase reached yet — Discover is 43 % fulfilled (threshold 70 %)"),
    never "Phase 1" with phase 1 as the next step too.
    """
    if insufficient:
        return Headline(
            title=_("Phase: not yet known"),
            detail=_("%(share)s answered: too few answers to tell the phase yet.")
            % {"share": percent(share)},
            next_step="",
            phase_claimed=False,
        )
    if result.reached_count == 0:
        first = steps[0]
        return Headline(
            title=_("No phase reached yet"),
            detail=_("%(name)s is %(fulfilment)s fulfilled (threshold %(threshold)s)")
            % {
                "name": first.phase.name,
                "fulfilment": percent(first.fulfilment),
                "threshold": percent(first.threshold),
            },
            next_step="",
            phase_claimed=False,
        )
    phase = next(step.phase for step in steps if step.state == "current")
    focus = next((step for step in steps if step.state == "focus"), None)
    if focus is None:
        next_step = _("Every phase is reached: the task now is to sustain it.")
    else:
        next_step = _("Next step: %(name)s (%(fulfilment)s fulfilled, threshold %(threshold)s)") % {
            "name": focus.phase.name,
            "fulfilment": percent(focus.fulfilment),
            "threshold": percent(focus.threshold),
        }
    return Headline(
        title=_("Phase %(order)s: %(name)s") % {"order": phase.order, "name": phase.name},
        detail=phase.summary,
        next_step=next_step,
        phase_claimed=True,
    )


def _open_actions_box(open_actions: OpenActions | None, is_latest: bool) -> OpenActionsBox | None:
    if open_actions is None or not is_latest:
        return None
    return OpenActionsBox(
        as_of=timezone.localdate(), actions=tuple(open_actions.actions), total=open_actions.total
    )


def _scored_answers(
    assessment: Assessment, answers: dict[int, AnswerState], total: int
) -> tuple[dict[int, AnswerState], Progress]:
    """The answers a report scores and its progress: a draft's confirmed answers only.

    A carried answer waiting to be confirmed says what was true at the previous assessment, so
    a provisional report claims nothing on it (one query for a re-assessment's draft).
    """
    if not assessment.is_draft:
        return answers, answer_set_progress(answers=answers, total=total)
    pending = assessment_unconfirmed(assessment=assessment)
    progress = consensus_progress(answers=answers, pending=pending, total=total)
    return {pk: state for pk, state in answers.items() if pk not in pending}, progress


def report_build(
    *,
    assessment: Assessment,
    membership: Membership | None = None,
    level: str | None = None,
    open_actions: OpenActions | None = None,
    shared: bool = False,
) -> Report:
    """Everything the report shows, in a fixed number of queries, in the active language.

    `membership` is the reader's (of the assessment's organisation): it brings the action plan,
    the actions per advised criterion and the benchmark at `level` (None: the narrowest that may
    be shown). `open_actions` (the PDF's page 1) are shown for the latest assessment only.
    `shared`: for a share link (no membership): the assessment alone, without the organisation's
    other assessments, and the benchmark only when the organisation shares it.
    """
    structure = model_version_structure(version=assessment.model_version)
    answers, progress = _scored_answers(
        assessment, assessment_answer_states(assessment=assessment), len(structure.criteria)
    )
    result = _result(assessment=assessment, answers=answers)
    coverage = overall_coverage(structure=structure, answers=answers)
    minimum = structure.spec.minimum_coverage
    insufficient = coverage < minimum
    by_dimension = coverage_by_dimension(structure=structure, answers=answers)
    phases = structure.phases_by_key
    criteria = structure.criteria_by_key
    submitted = (
        [assessment]
        if shared
        else organisation_submitted_assessments(organisation_id=assessment.organisation_id)
    )
    history = tuple(history_rows(assessment=assessment, submitted=submitted))
    previous = previous_assessment(assessment=assessment, submitted=submitted)
    is_latest = assessment.is_draft or (bool(submitted) and submitted[-1].pk == assessment.pk)
    comparison = comparison_build(
        assessment=assessment, previous=previous, structure=structure, answers=answers
    )
    steps = _growth_steps(result, structure, insufficient)
    dimensions = _dimension_rows(result, structure, comparison, answers)
    advice = _advice_rows(result, structure, membership)
    phase = phases[result.phase.key]
    index = _decimal(result.index)
    share = answered_share(structure=structure, answers=answers)
    own = membership is not None and membership.organisation_id == assessment.organisation_id
    return Report(
        assessment=assessment,
        membership=membership,
        structure=structure,
        provisional=assessment.is_draft,
        result=result,
        phase=phase,
        focus_phase=phases[result.focus_phase.key] if result.focus_phase else None,
        index=index,
        headline=headline_build(result=result, steps=steps, insufficient=insufficient, share=share),
        progress=progress,
        steps=steps,
        dimensions=dimensions,
        advice=_advice_groups(advice, structure),
        advice_mode=result.advice_mode,
        find_out_first=tuple(criteria[key] for key in result.find_out_first if key in criteria),
        strengths=tuple(criteria[key] for key in result.strengths if key in criteria),
        inconsistencies=tuple(phases[key] for key in result.inconsistencies),
        comments=_comments(structure, answers),
        history=history,
        previous=previous,
        comparison=comparison,
        only_in_current=tuple(criteria[key] for key in comparison.only_in_current),
        only_in_previous=tuple(
            previous_criteria(previous=previous, keys=comparison.only_in_previous)
        ),
        perspectives=perspective_comparison_if_several(assessment=assessment),
        plan=assessment_plan_comparison(assessment=assessment, membership=membership)
        if own
        else None,
        benchmark=_benchmark(assessment, membership, level, shared=shared),
        benchmark_level=level,
        open_actions=_open_actions_box(open_actions, is_latest),
        is_latest=is_latest,
        chart_data=_chart_data(dimensions, steps, history),
        coverage=round(float(coverage), 4),
        insufficient_dimensions=tuple(
            item.key for item in result.dimensions if by_dimension.get(item.key, 0) < minimum
        ),
        answered_share=share,
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
        shared=shared,
    )


def _benchmark(
    assessment: Assessment, membership: Membership | None, level: str | None, *, shared: bool
) -> BenchmarkComparison | None:
    """The comparison a reader of the organisation sees; a shared report's only if allowed."""
    if assessment.is_draft:
        return None
    if shared:
        organisation = assessment.organisation
        if not organisation.share_benchmark:
            return None
        return assessment_comparison_for_organisation(
            organisation=organisation, assessment=assessment, level=level
        )
    if membership is None or membership.organisation_id != assessment.organisation_id:
        return None
    return assessment_comparison(membership=membership, assessment=assessment, level=level)
