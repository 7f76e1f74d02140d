"""The report page's sections as HTML: a submitted assessment's from the cache."""

from collections.abc import Callable, Sequence

from django.template.loader import render_to_string
from django.utils.translation import get_language

from assessments.models import Assessment, Membership
from benchmarks.disclosure import population_band
from benchmarks.selectors import benchmark_signature
from reports import caching
from reports.report import Report
from trajectories.selectors import organisation_revision

REPORT_SECTIONS = ("summary", "body", "plan", "comparison")


def report_sections_render(
    report: Report, practices_by_criterion: dict[str, list] | None = None
) -> dict[str, str]:
    """The report's sections as HTML, rendered from the built report (no query); the group's
    practices, when given, show with the advice on their criterion."""
    context = {"report": report, "group_practices": practices_by_criterion or {}}
    return {
        name: render_to_string(f"reports/includes/_report_{name}.html", context)
        for name in REPORT_SECTIONS
    }


def _by_criterion(practices: Sequence) -> dict[str, list]:
    grouped: dict[str, list] = {}
    for practice in practices:
        grouped.setdefault(practice.criterion_key, []).append(practice)
    return grouped


def report_page_sections(
    *,
    assessment: Assessment,
    membership: Membership,
    level: str | None,
    build: Callable[[], Report],
    practices: Callable[[], Sequence],
) -> dict[str, str]:
    """The report page's sections: a submitted assessment's cached, a draft's always anew.

    `build` builds the report and `practices` reads the group's good practices on the advised
    criteria (shown with their advice item); on a cache hit neither is called. The key is read
    in two single-row queries: the organisation revision, which database triggers bump on every
    change of its history, its action plan and its groups' practices (so a practice withdrawn
    or a member leaving shows at once), and the benchmark signature.
    """
    if assessment.is_draft:
        return report_sections_render(build(), _by_criterion(practices()))
    organisation = membership.organisation
    return caching.submitted_report(
        assessment_id=assessment.pk,
        submitted_at=assessment.submitted_at,
        revision=organisation_revision(organisation_id=assessment.organisation_id),
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
        render=lambda: report_sections_render(build(), _by_criterion(practices())),
    )
