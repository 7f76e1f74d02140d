"""result.json: the stored result in the documented shape, with what readers compare it to."""

from typing import Any

from assessments.perspective_compare import perspectives_export
from benchmarks.selectors import benchmark_export
from reports.history import comparison_export
from reports.report import Report


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


def assessment_result_export(report: Report) -> dict[str, Any]:
    """The result, its perspectives, the comparison with the previous assessment, the benchmark.

    Read from the built report, as the page and the PDF are (its benchmark at the default level).
    """
    data = result_for_export(report)
    data |= perspectives_export(report.perspectives)
    data["comparison"] = comparison_export(previous=report.previous, comparison=report.comparison)
    data |= benchmark_export(report.benchmark)
    data["assurance"] = assurance_export(report)
    return data


def assurance_export(report: Report) -> dict[str, Any]:
    """What the result rests on (added key): answers, with evidence, unsure, and validation."""
    assurance = report.assurance
    return {
        "answers": assurance.answered,
        "with_evidence": assurance.evidenced,
        "unsure": assurance.uncertain,
        "validation_required": assurance.validation_required,
        "validated": assurance.validated,
        "validated_by": list(assurance.validators) if assurance.validated else [],
        "validated_on": assurance.validated_on.isoformat()
        if assurance.validated and assurance.validated_on
        else None,
    }
