"""The perspectives side by side: each one's result, where they disagree, how the team settled it.

Read in three queries whatever the number of perspectives and criteria: the perspectives, their
answers, the settled consensus answers. Each perspective is scored with the same scoring service
as the assessment (pure, in memory).
"""

from collections import defaultdict
from dataclasses import dataclass
from datetime import datetime

from assessments.consensus import DISAGREEMENT_SPREAD, answer_spread, consensus_proposal
from assessments.coverage import overall_coverage
from assessments.models import Answer, Assessment, ConsensusAnswer, Perspective
from assessments.perspective_selectors import AnswerState
from assessments.progress import answer_set_progress
from maturity.models import AnswerValue, Criterion, Phase
from maturity.scoring import score
from maturity.selectors import ModelStructure, model_version_structure


@dataclass(frozen=True)
class PerspectiveResult:
    """One perspective scored on its own: phase and index, or None below minimum coverage."""

    perspective: Perspective
    answered: int
    total: int
    phase: Phase | None
    index: float | None


@dataclass(frozen=True)
class Cell:
    """One perspective's answer to one criterion (value empty: not answered)."""

    perspective: Perspective
    value: str
    comment: str

    @property
    def label(self) -> str:
        return str(AnswerValue(self.value).label) if self.value else ""


@dataclass(frozen=True)
class Settlement:
    """A consensus answer the team settled, with its note and who settled it when."""

    value: str
    note: str
    revision: int
    by: str
    at: datetime


@dataclass(frozen=True)
class CriterionRow:
    """One criterion: each perspective's answer and comment, the spread, the consensus."""

    criterion: Criterion
    step: int
    cells: tuple[Cell, ...]  # in the order of the perspectives
    spread: int
    proposal: str
    settled: Settlement | None

    @property
    def disagrees(self) -> bool:
        return self.spread >= DISAGREEMENT_SPREAD

    @property
    def consensus(self) -> str:
        return self.settled.value if self.settled else self.proposal

    @property
    def proposal_label(self) -> str:
        return str(AnswerValue(self.proposal).label) if self.proposal else ""

    @property
    def consensus_label(self) -> str:
        return str(AnswerValue(self.consensus).label) if self.consensus else ""


@dataclass(frozen=True)
class PerspectiveComparison:
    perspectives: list[Perspective]
    results: list[PerspectiveResult]
    rows: list[CriterionRow]  # the most disagreement first, then in questionnaire order

    @property
    def disagreements(self) -> list[CriterionRow]:
        return [row for row in self.rows if row.disagrees]

    @property
    def agreements(self) -> list[CriterionRow]:
        return [row for row in self.rows if not row.disagrees]

    @property
    def phases_differ(self) -> bool:
        """Whether the perspectives' own phases lie a phase or more apart."""
        orders = {r.phase.order for r in self.results if r.phase is not None}
        return len(orders) > 1

    @property
    def settled_count(self) -> int:
        return sum(1 for row in self.rows if row.settled)


def _score(structure: ModelStructure, answers: dict[int, AnswerState], perspective):
    """A perspective's own result on its confirmed answers (a carried answer waits to count)."""
    given = answer_set_progress(answers=answers, total=len(structure.criteria)).answered
    answers = {pk: state for pk, state in answers.items() if not state.to_confirm}
    if overall_coverage(structure=structure, answers=answers) < structure.spec.minimum_coverage:
        return PerspectiveResult(perspective, given, len(structure.criteria), None, None)
    by_key = {
        c.key: AnswerValue.to_score(answers[c.pk].value)
        for c in structure.criteria
        if c.pk in answers and answers[c.pk].value
    }
    result = score(structure.spec, by_key)
    phase = structure.phases_by_key[result.phase.key]
    index = round(float(result.index), 4)
    return PerspectiveResult(perspective, given, len(structure.criteria), phase, index)


def _settlements(assessment: Assessment) -> dict[int, Settlement]:
    rows = ConsensusAnswer.objects.filter(assessment=assessment, from_rule=False).select_related(
        "updated_by"
    )
    return {
        row.criterion_id: Settlement(
            row.value,
            row.note,
            row.revision,
            (row.updated_by.get_full_name() or row.updated_by.username) if row.updated_by else "",
            row.updated_at,
        )
        for row in rows
    }


def _rows(structure, perspectives, by_perspective, settled) -> list[CriterionRow]:
    rows = []
    for step, dimension in enumerate(structure.dimensions, start=1):
        for criterion in structure.criteria_of_dimension(dimension):
            states = [by_perspective[p.pk].get(criterion.pk) for p in perspectives]
            cells = tuple(
                Cell(p, state.value if state else "", state.comment if state else "")
                for p, state in zip(perspectives, states, strict=True)
            )
            values = [cell.value for cell in cells]
            rows.append(
                CriterionRow(
                    criterion=criterion,
                    step=step,
                    cells=cells,
                    spread=answer_spread(values),
                    proposal=consensus_proposal(values),
                    settled=settled.get(criterion.pk),
                )
            )
    # A stable sort keeps questionnaire order among equal spreads.
    return sorted(rows, key=lambda row: -row.spread)


def perspective_comparison(*, assessment: Assessment) -> PerspectiveComparison:
    """Every perspective's answers side by side, scored, with the consensus per criterion."""
    structure = model_version_structure(version=assessment.model_version)
    perspectives = list(Perspective.objects.filter(assessment=assessment))
    by_perspective: dict[int, dict[int, AnswerState]] = defaultdict(dict)
    for perspective_id, criterion_id, value, comment, revision, to_confirm in Answer.objects.filter(
        assessment=assessment
    ).values_list("perspective_id", "criterion_id", "value", "comment", "revision", "to_confirm"):
        by_perspective[perspective_id][criterion_id] = AnswerState(
            value, comment, revision, to_confirm
        )
    results = [_score(structure, by_perspective[p.pk], p) for p in perspectives]
    rows = _rows(structure, perspectives, by_perspective, _settlements(assessment))
    return PerspectiveComparison(perspectives, results, rows)


def perspective_comparison_if_several(*, assessment: Assessment) -> PerspectiveComparison | None:
    """The comparison for an assessment with several perspectives; None (no query) with one."""
    total = getattr(assessment, "perspective_total", None)
    if total is None:
        total = Perspective.objects.filter(assessment=assessment).count()
    return perspective_comparison(assessment=assessment) if total > 1 else None


def perspectives_export(comparison: PerspectiveComparison | None) -> dict:
    """The documented ``perspectives`` and ``disagreements`` of result.json (empty with one)."""
    if comparison is None:
        return {"perspectives": [], "disagreements": []}
    return {
        "perspectives": [
            {
                "name": r.perspective.name,
                "phase": r.phase.key if r.phase else None,
                "index": r.index,
                "answered": r.answered,
            }
            for r in comparison.results
        ],
        "disagreements": [
            {
                "criterion_key": row.criterion.key,
                "spread": row.spread,
                "answers": {cell.perspective.name: cell.value for cell in row.cells},
            }
            for row in comparison.disagreements
        ],
    }
