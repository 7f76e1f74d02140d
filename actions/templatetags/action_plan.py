"""Pieces of the action plan that other apps' pages show: a dashboard tile, a report section."""

from django import template
from django.template.loader import render_to_string
from django.utils.safestring import mark_safe
from django.utils.translation import get_language

from actions.comparison import assessment_plan_comparison
from actions.models import Action
from actions.selectors import action_counts, action_plan_signature
from maturity import caching

register = template.Library()


@register.inclusion_tag("actions/includes/_dashboard_tile_body.html")
def action_plan_tile(membership) -> dict:
    """Open, overdue and done actions of the membership's organisation."""
    return {"counts": action_counts(membership=membership), "membership": membership}


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


@register.filter
def status_label(value: str) -> str:
    """A status value as people read it; anything else as it is."""
    return Action.Status(value).label if value in Action.Status.values else value
