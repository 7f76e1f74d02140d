"""Scoring an assessment's answers, and keeping the consensus that was scored."""

from assessments.models import Assessment, ConsensusAnswer
from maturity.models import AnswerValue
from maturity.scoring import score
from maturity.selectors import model_version_structure


def assessment_score_answers(*, assessment: Assessment, answers: dict):
    """Score the given answers (anything with a ``value``, by criterion id); pure computation."""
    structure = model_version_structure(version=assessment.model_version)
    by_key = {
        criterion.key: AnswerValue.to_score(answers[criterion.pk].value)
        for criterion in structure.criteria
        if criterion.pk in answers and answers[criterion.pk].value
    }
    return score(structure.spec, by_key)


def store_consensus(*, assessment: Assessment, answers: dict, user, now) -> None:
    """Write the rule's proposals as rows, so the scored answers of a submitted assessment are
    stored (reports, action plans and benchmarks read them); a reopen removes them again."""
    settled = set(
        ConsensusAnswer.objects.filter(assessment=assessment).values_list("criterion_id", flat=True)
    )
    ConsensusAnswer.objects.bulk_create(
        ConsensusAnswer(
            assessment=assessment,
            criterion_id=criterion_id,
            value=state.value,
            from_rule=True,
            updated_by=user,
            updated_at=now,
        )
        for criterion_id, state in answers.items()
        if criterion_id not in settled
    )
