"""The report's sections that change without a submit: the action plan's follow-up and the
benchmark comparison, each cached under the signature of the data it shows (`reports.caching`)."""

from django import template
from django.template.loader import render_to_string
from django.utils.safestring import mark_safe
from django.utils.translation import get_language

from actions.comparison import assessment_plan_comparison
from actions.selectors import action_plan_signature
from benchmarks.disclosure import LEVELS, population_band
from benchmarks.selectors import assessment_comparison, benchmark_signature
from reports import caching

register = template.Library()


@register.simple_tag
def plan_changes(assessment, membership, history=None) -> str:
    """What changed since the previous assessment for the plan's actions, as HTML.

    A submitted assessment's comes from the cache under the organisation's history signature
    (`history`, which tells the previous assessment) and the plan's signature: actions change
    without a submit. A draft's is rendered live.
    """
    if assessment.organisation_id != membership.organisation_id:
        return ""

    def render() -> str:
        comparison = assessment_plan_comparison(assessment=assessment, membership=membership)
        return render_to_string(
            "actions/includes/_plan_changes_body.html", {"comparison": comparison}
        )

    if assessment.is_draft or history is None:
        return render()
    # Our own template's output, kept as it was rendered (escaped there).
    return mark_safe(  # noqa: S308
        caching.report_plan_section(
            assessment_id=assessment.pk,
            submitted_at=assessment.submitted_at,
            history=history,
            plan=action_plan_signature(membership=membership),
            language=get_language(),
            render=render,
        )
    )


@register.simple_tag(takes_context=True)
def benchmark_comparison_section(context) -> str:
    """The report's comparison section for the page's assessment and membership, as HTML.

    Only for a submitted assessment of the membership's own organisation. It comes from the
    cache under the model slug's benchmark signature (which any opt-out, submit, reopen or
    profile change alters: see `maturity.caching`), the organisation's own profile, the level
    asked for, the reader's role and language.
    """
    assessment, membership = context.get("assessment"), context.get("membership")
    request = context.get("request")
    if assessment is None or membership is None or request is None:
        return ""
    if membership.organisation_id != assessment.organisation_id or assessment.is_draft:
        return ""
    level = request.GET.get("compare")
    level = level if level in LEVELS else None  # anything else: the default, one cache entry

    def render() -> str:
        comparison = assessment_comparison(
            membership=membership, assessment=assessment, level=level
        )
        return render_to_string(
            "benchmarks/includes/_comparison.html",
            {"comparison": comparison, "membership": membership},
        )

    organisation = membership.organisation
    # Our own template's output, kept as it was rendered (escaped there).
    return mark_safe(  # noqa: S308
        caching.report_comparison_section(
            assessment_id=assessment.pk,
            submitted_at=assessment.submitted_at,
            profile=(
                organisation.kind,
                population_band(organisation.population),
                organisation.region.strip(),
            ),
            level=level or "",
            admin=membership.is_admin,
            benchmark=benchmark_signature(),
            language=get_language(),
            render=render,
        )
    )
