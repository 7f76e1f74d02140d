"""How far an assessment's result can be trusted: confidence, evidence and validation of answers.

Reads only. The report (``reports.report.report_build``) shows one ``AnswerAssurance``; the
validation page lists ``ValidationItem`` rows. Neither changes the score (docs/scoring.md).
"""

from dataclasses import dataclass
from datetime import date, datetime

from django.db.models import Exists, OuterRef
from django.utils.timezone import localdate

from assessments.evidence_models import Evidence
from assessments.models import Answer, Assessment
from assessments.services.outcomes import ValidationCounts, validation_counts
from maturity.models import Criterion
from maturity.selectors import ModelStructure


@dataclass(frozen=True)
class AnswerAssurance:
    """What the result rests on: "12 of 44 answers with evidence; 5 unsure", and validation.

    ``answered`` counts the given answers (every perspective, carried ones still to confirm
    left out), ``evidenced`` those with evidence, ``uncertain`` those marked unsure.
    ``validated`` is True only when validation was on and every given answer is validated;
    then ``validators`` name who did it and ``validated_on`` is the day of the last one.
    """

    answered: int
    evidenced: int
    uncertain: int
    uncertain_criterion_ids: frozenset[int]
    validation_required: bool
    validation: ValidationCounts
    validators: tuple[str, ...]
    validated_on: date | None

    @property
    def validated(self) -> bool:
        return self.validation_required and self.answered > 0 and not self.validation.pending


def _name(first: str, last: str, username: str) -> str:
    return f"{first} {last}".strip() or username


def answer_assurance(*, assessment: Assessment) -> AnswerAssurance:
    """The assurance of an assessment's answers, in one query (evidence read in it too)."""
    rows = list(
        Answer.objects.filter(assessment=assessment, to_confirm=False)
        .exclude(value="")
        .annotate(has_evidence=Exists(Evidence.objects.filter(answer=OuterRef("pk"))))
        .values_list(
            "criterion_id",
            "confidence",
            "validation_state",
            "validated_at",
            "validated_by__first_name",
            "validated_by__last_name",
            "validated_by__username",
            "has_evidence",
        )
    )
    uncertain = [row[0] for row in rows if row[1] == Answer.Confidence.UNSURE]
    counts = validation_counts([row[2] for row in rows])
    validated = [row for row in rows if row[2] == Answer.ValidationState.VALIDATED]
    validators = sorted({_name(*row[4:7]) for row in validated if row[6]})
    evidenced = sum(1 for row in rows if row[7])
    last: datetime | None = max((row[3] for row in validated if row[3]), default=None)
    return AnswerAssurance(
        answered=len(rows),
        evidenced=evidenced,
        uncertain=len(uncertain),
        uncertain_criterion_ids=frozenset(uncertain),
        validation_required=assessment.validation_required,
        validation=counts,
        validators=tuple(validators),
        validated_on=localdate(last) if last else None,
    )


@dataclass(frozen=True)
class ValidationItem:
    """One given answer on the validation page, with its criterion and step number."""

    answer: Answer
    criterion: Criterion
    step: int
    perspective_name: str

    @property
    def author(self) -> str:
        user = self.answer.updated_by
        return _name(user.first_name, user.last_name, user.username) if user else ""

    @property
    def validator(self) -> str:
        user = self.answer.validated_by
        return _name(user.first_name, user.last_name, user.username) if user else ""


def assessment_validation_items(
    *, assessment: Assessment, structure: ModelStructure, state: str | None = None
) -> list[ValidationItem]:
    """The given answers of every perspective in questionnaire order, in one query.

    ``state``: only answers in that validation state ("" for those not looked at yet).
    """
    answers = (
        Answer.objects.filter(assessment=assessment, to_confirm=False)
        .exclude(value="")
        .select_related("perspective", "updated_by", "validated_by")
    )
    if state is not None:
        answers = answers.filter(validation_state=state)
    steps = {
        c.pk: number
        for number, dimension in enumerate(structure.dimensions, start=1)
        for c in structure.criteria_of_dimension(dimension)
    }
    order = {c.pk: index for index, c in enumerate(structure.criteria)}
    criteria = {c.pk: c for c in structure.criteria}
    items = [
        ValidationItem(a, criteria[a.criterion_id], steps[a.criterion_id], a.perspective.name)
        for a in answers
        if a.criterion_id in criteria
    ]
    items.sort(key=lambda item: (item.step, order[item.criterion.pk], item.answer.perspective_id))
    return items


def assessment_answer_exists(*, assessment: Assessment, answer_pk: int) -> bool:
    """Whether ``answer_pk`` is an answer of this assessment (the user's access is checked)."""
    return (
        0 < answer_pk < 2**63
        and Answer.objects.filter(assessment=assessment, pk=answer_pk).exists()
    )
