"""The phase report: the stored (or, for a draft, live) result joined with the model's texts.

`report_build` composes the parts, each built in a module of its own: the growth path and the
headline (`growth_path`), the dimensions (`dimensions`), the advice with its actions (`advice`),
the charts (`charts`), the summary (`summary`) and the history (`history`).
"""

from dataclasses import dataclass
from datetime import date
from typing import Any

from django.utils import timezone

from actions.comparison import PlanComparison, assessment_plan_comparison
from actions.models import Action
from actions.selectors import OpenActions
from assessments.assurance import AnswerAssurance, answer_assurance
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
from benchmarks.selectors import Comparison as BenchmarkComparison
from benchmarks.selectors import assessment_comparison, assessment_comparison_for_organisation
from maturity.models import Criterion, Dimension, Phase
from maturity.scoring import AssessmentResult
from maturity.selectors import ModelStructure, model_version_structure
from reports.advice import advice_by_dimension, advice_rows_build
from reports.charts import chart_data_build
from reports.decimals import result_decimal
from reports.dimensions import DimensionRow, dimension_rows_build
from reports.growth_path import GrowthStep, Headline, growth_steps_build, headline_build
from reports.history import (
    Comparison,
    HistoryRow,
    comparison_build,
    history_rows,
    previous_assessment,
    previous_criteria,
)
from reports.summary import AdviceRow, Summary, summary_build


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
    # Answers of the focus phase (every phase when all are reached) marked unsure: listed with
    # the "Don't know" answers under "Find out first".
    uncertain_first: tuple[Criterion, ...]
    # What the result rests on: evidence, confidence, validation ("12 of 44 answers with
    # evidence; 5 unsure", "validated by X on <date>").
    assurance: AnswerAssurance
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


def _result(*, assessment: Assessment, answers: dict[int, AnswerState]) -> AssessmentResult:
    """A submitted assessment's stored result; a draft's computed live from its answers."""
    if assessment.is_draft:
        return assessment_score_answers(assessment=assessment, answers=answers)
    return AssessmentResult.from_dict(assessment.result)


def _comments(
    structure: ModelStructure, answers: dict[int, AnswerState]
) -> tuple[tuple[Criterion, AnswerState], ...]:
    """The respondents' comments, in questionnaire order."""
    return tuple(
        (criterion, answers[criterion.pk])
        for criterion in structure.criteria
        if criterion.pk in answers and answers[criterion.pk].comment
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


def _uncertain_first(
    structure: ModelStructure, focus: Phase | None, assurance: AnswerAssurance
) -> tuple[Criterion, ...]:
    """The focus phase's criteria with an answer marked unsure (all phases when none is left)."""
    return tuple(
        c
        for c in structure.criteria
        if c.pk in assurance.uncertain_criterion_ids and (focus is None or c.phase_id == focus.pk)
    )


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
    other assessments or the respondents' comments, and the benchmark only when the organisation
    shares it.
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
    steps = growth_steps_build(result, structure, insufficient)
    dimensions = dimension_rows_build(result, structure, comparison, answers)
    advice = advice_rows_build(result, structure, membership)
    phase = phases[result.phase.key]
    index = result_decimal(result.index)
    share = answered_share(structure=structure, answers=answers)
    own = membership is not None and membership.organisation_id == assessment.organisation_id
    focus_phase = phases[result.focus_phase.key] if result.focus_phase else None
    assurance = answer_assurance(assessment=assessment)
    return Report(
        assessment=assessment,
        membership=membership,
        structure=structure,
        provisional=assessment.is_draft,
        result=result,
        phase=phase,
        focus_phase=focus_phase,
        index=index,
        headline=headline_build(result=result, steps=steps, insufficient=insufficient, share=share),
        progress=progress,
        steps=steps,
        dimensions=dimensions,
        advice=advice_by_dimension(advice, structure),
        advice_mode=result.advice_mode,
        find_out_first=tuple(criteria[key] for key in result.find_out_first if key in criteria),
        uncertain_first=_uncertain_first(structure, focus_phase, assurance),
        assurance=assurance,
        strengths=tuple(criteria[key] for key in result.strengths if key in criteria),
        inconsistencies=tuple(phases[key] for key in result.inconsistencies),
        # The respondents' comments are working notes of the team, which may name colleagues:
        # a share link, which can be forwarded, carries the result without them.
        comments=() if shared else _comments(structure, answers),
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
        chart_data=chart_data_build(dimensions, steps, history),
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
