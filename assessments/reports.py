"""The phase report: the stored (or, for a draft, live) result joined with the model's texts."""

from dataclasses import dataclass, field
from typing import Any

from django.utils.translation import gettext as _

from assessments.models import Answer, Assessment
from assessments.selectors import assessment_answers, organisation_submitted_assessments
from assessments.services import assessment_score_answers
from maturity.models import AnswerValue, Criterion, Dimension, Phase
from maturity.selectors import ModelStructure, model_version_structure

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
    progress: float  # share of the way to the threshold, 0..1


@dataclass(frozen=True)
class AdviceRow:
    criterion: Criterion
    answer_label: str
    gap: float


@dataclass(frozen=True)
class DimensionRow:
    dimension: Dimension
    phase: Phase
    index: float
    delta: float | None


@dataclass(frozen=True)
class HistoryRow:
    assessment: Assessment
    phase_name: str
    index: float
    is_current: bool


@dataclass
class Report:
    assessment: Assessment
    structure: ModelStructure
    provisional: bool
    result: dict[str, Any]
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
    comments: list[tuple[Criterion, Answer]]
    history: list[HistoryRow]
    previous: Assessment | None
    only_in_current: list[str] = field(default_factory=list)
    only_in_previous: list[str] = field(default_factory=list)
    chart_data: dict[str, Any] = field(default_factory=dict)
    unanswered_count: int = 0


def result_for_export(*, assessment: Assessment, structure: ModelStructure) -> dict[str, Any]:
    """The stored result in the documented shape, with the phase names added for readers."""
    result = dict(assessment.result)
    phases = structure.phases_by_key
    for name in ("phase", "focus_phase"):
        if result.get(name):
            result[name] = {**result[name], "name": phases[result[name]["key"]].name}
    return result


def _pct(value: float) -> float:
    return round(100 * value)


def _history(assessment: Assessment) -> tuple[list[HistoryRow], Assessment | None]:
    """Every submitted assessment of the organisation, and the one before this assessment."""
    submitted = organisation_submitted_assessments(organisation_id=assessment.organisation_id)
    rows = []
    for item in submitted:
        structure = model_version_structure(version=item.model_version)
        phase_name = next(p.name for p in structure.phases if p.order == item.phase_order)
        rows.append(
            HistoryRow(
                assessment=item,
                phase_name=phase_name,
                index=float(item.maturity_index),
                is_current=item.pk == assessment.pk,
            )
        )
    if assessment.is_draft:
        previous = submitted[-1] if submitted else None
    else:
        earlier = [
            item
            for item in submitted
            if (item.submitted_at, item.pk) < (assessment.submitted_at, assessment.pk)
        ]
        previous = earlier[-1] if earlier else None
    return rows, previous


def report_build(*, assessment: Assessment) -> Report:
    """Everything the report page shows, in a fixed number of queries."""
    structure = model_version_structure(version=assessment.model_version)
    answers = assessment_answers(assessment=assessment)
    if assessment.is_draft:
        result = assessment_score_answers(assessment=assessment, answers=answers).to_dict()
    else:
        result = assessment.result
    phases = {p.key: p for p in structure.phases}
    phase_by_order = {p.order: p for p in structure.phases}
    criteria = structure.criteria_by_key
    dimensions = structure.dimensions_by_key
    headline = phases[result["phase"]["key"]]
    focus = phases[result["focus_phase"]["key"]] if result["focus_phase"] else None
    reached_count = result["reached_count"]

    steps = []
    for item in result["phases"]:
        phase = phases[item["key"]]
        if item["order"] <= reached_count:
            state = "reached"
        elif focus is not None and phase.pk == focus.pk:
            state = "focus"
        else:
            state = "ahead"
        steps.append(
            GrowthStep(
                phase=phase,
                state="current" if phase.pk == headline.pk and state == "reached" else state,
                fulfilment=item["fulfilment"],
                coverage=item["coverage"],
                threshold=item["threshold"],
                reached=item["reached"],
                insufficient_data=item["insufficient_data"],
                missing=[criteria[k] for k in item["missing"] if k in criteria],
                progress=min(item["fulfilment"] / item["threshold"], 1.0)
                if item["threshold"]
                else 0,
            )
        )

    history, previous = _history(assessment)
    previous_dimensions: dict[str, float] = {}
    only_in_current: list[str] = []
    only_in_previous: list[str] = []
    if previous is not None:
        previous_dimensions = {d["key"]: d["index"] for d in previous.result["dimensions"]}
        if previous.model_version_id != assessment.model_version_id:
            previous_keys = set(
                model_version_structure(version=previous.model_version).criteria_by_key
            )
            only_in_current = sorted(set(criteria) - previous_keys)
            only_in_previous = sorted(previous_keys - set(criteria))

    dimension_rows = [
        DimensionRow(
            dimension=dimensions[item["key"]],
            phase=phase_by_order[item["phase"]],
            index=item["index"],
            delta=(
                round(item["index"] - previous_dimensions[item["key"]], 1)
                if item["key"] in previous_dimensions
                else None
            ),
        )
        for item in result["dimensions"]
    ]

    grouped: dict[str, list[AdviceRow]] = {}
    for item in result["advice"]:
        criterion = criteria[item["criterion_key"]]
        grouped.setdefault(criterion.dimension.key, []).append(
            AdviceRow(
                criterion=criterion,
                answer_label=ANSWER_LABELS[str(item["value"])],
                gap=item["gap"],
            )
        )
    advice = [(d, grouped[d.key]) for d in structure.dimensions if d.key in grouped]

    chart_data = {
        "radar": {
            "labels": [row.dimension.name for row in dimension_rows],
            "values": [round(row.index, 2) for row in dimension_rows],
            "label": _("Maturity index per dimension (0–4)"),
        },
        "phases": {
            "labels": [step.phase.name for step in steps],
            "fulfilment": [_pct(step.fulfilment) for step in steps],
            "threshold": [_pct(step.threshold) for step in steps],
            "fulfilmentLabel": _("Fulfilment (%)"),
            "thresholdLabel": _("Threshold (%)"),
        },
        "history": {
            "labels": [
                f"{row.assessment.title} ({row.assessment.submitted_at:%d-%m-%Y})"
                for row in history
            ],
            "values": [round(row.index, 2) for row in history],
            "label": _("Maturity index"),
        },
    }
    comments = [
        (criterion, answers[criterion.pk])
        for criterion in structure.criteria
        if criterion.pk in answers and answers[criterion.pk].comment
    ]
    return Report(
        assessment=assessment,
        structure=structure,
        provisional=assessment.is_draft,
        result=result,
        phase=headline,
        focus_phase=focus,
        index=result["index"],
        steps=steps,
        dimensions=dimension_rows,
        advice=advice,
        advice_mode=result["advice_mode"],
        find_out_first=[criteria[k] for k in result["find_out_first"] if k in criteria],
        strengths=[criteria[k] for k in result["strengths"] if k in criteria],
        inconsistencies=[phases[k] for k in result["inconsistencies"]],
        comments=comments,
        history=history,
        previous=previous,
        only_in_current=only_in_current,
        only_in_previous=only_in_previous,
        chart_data=chart_data,
        unanswered_count=len(result["unanswered"]),
    )
