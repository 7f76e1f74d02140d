"""result.json: the stored result in the documented shape, with what readers compare it to."""

from typing import Any

from assessments.models import Assessment, Membership
from assessments.perspective_compare import perspective_comparison_if_several, perspectives_export
from assessments.perspective_selectors import assessment_answer_states
from assessments.selectors import organisation_submitted_assessments
from benchmarks.selectors import assessment_benchmark_export
from maturity.selectors import model_version_structure
from reports.history import comparison_build, comparison_export, previous_assessment
from reports.report import result_for_export


def assessment_result_export(*, assessment: Assessment, membership: Membership) -> dict[str, Any]:
    """The result, its perspectives, the comparison with the previous assessment, the benchmark."""
    structure = model_version_structure(version=assessment.model_version)
    answers = assessment_answer_states(assessment=assessment)
    data = result_for_export(assessment=assessment, structure=structure, answers=answers)
    data |= perspectives_export(perspective_comparison_if_several(assessment=assessment))
    submitted = organisation_submitted_assessments(organisation_id=assessment.organisation_id)
    previous = previous_assessment(assessment=assessment, submitted=submitted)
    comparison = comparison_build(
        assessment=assessment, previous=previous, structure=structure, answers=answers
    )
    data["comparison"] = comparison_export(previous=previous, comparison=comparison)
    data |= assessment_benchmark_export(membership=membership, assessment=assessment)
    return data
