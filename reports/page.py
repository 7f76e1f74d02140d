"""The report page's sections as HTML: a submitted assessment's from the cache."""

from collections.abc import Callable, Sequence

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


def _practices_signature(practices: Sequence) -> tuple:
    """What the advice shows of the practices: their key changes with any of it."""
    return tuple(
        (
            p.pk,
            p.criterion_key,
            p.title,
            p.member.organisation.name,
            p.member.trajectory_id,
            p.member.trajectory.name,
        )
        for p in practices
    )


def report_page_sections(
    *,
    assessment: Assessment,
    membership: Membership,
    level: str | None,
    build: Callable[[], Report],
    practices: Sequence = (),
) -> dict[str, str]:
    """The report page's sections: a submitted assessment's cached, a draft's always anew.

    `build` builds the report; on a cache hit it is never called. The key is read in three
    single-row queries (history, plan and benchmark signatures). `practices` (the group's good
    practices on the advised criteria, read by the caller) show with their advice item; what
    they show is part of the key, so a practice withdrawn or a member leaving shows at once.
    """
    by_criterion = _by_criterion(practices)
    if assessment.is_draft:
        return report_sections_render(build(), by_criterion)
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
        practices=_practices_signature(practices),
        render=lambda: report_sections_render(build(), by_criterion),
    )
