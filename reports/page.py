"""The report page's sections as HTML: a submitted assessment's from the cache."""

from collections.abc import Callable

from django.template.loader import render_to_string
from django.utils.translation import get_language

from actions.selectors import action_plan_signature
from assessments.models import Assessment, Membership
from assessments.selectors import organisation_history_signature
from benchmarks.disclosure import population_band
from benchmarks.selectors import benchmark_signature
from reports import caching
from reports.report import Report

REPORT_SECTIONS = ("summary", "body", "plan", "comparison")


def report_sections_render(report: Report) -> dict[str, str]:
    """The report's sections as HTML, rendered from the built report (no query)."""
    return {
        name: render_to_string(f"reports/includes/_report_{name}.html", {"report": report})
        for name in REPORT_SECTIONS
    }


def report_page_sections(
    *,
    assessment: Assessment,
    membership: Membership,
    level: str | None,
    build: Callable[[], Report],
) -> dict[str, str]:
    """The report page's sections: a submitted assessment's cached, a draft's always anew.

    `build` builds the report; on a cache hit it is never called. The key is read in three
    single-row queries (history, plan and benchmark signatures).
    """
    if assessment.is_draft:
        return report_sections_render(build())
    organisation = membership.organisation
    return caching.submitted_report(
        assessment_id=assessment.pk,
        submitted_at=assessment.submitted_at,
        history=organisation_history_signature(organisation_id=assessment.organisation_id),
        plan=action_plan_signature(membership=membership),
        benchmark=benchmark_signature(),
        profile=(
            organisation.kind,
            population_band(organisation.population),
            organisation.region.strip(),
        ),
        level=level or "",
        admin=membership.is_admin,
        can_add_actions=membership.can_answer,
        language=get_language(),
        render=lambda: report_sections_render(build()),
    )
