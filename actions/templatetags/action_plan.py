"""Pieces of the action plan that other apps' pages show: a dashboard tile, a report section."""

from django import template

from actions.comparison import assessment_plan_comparison
from actions.models import Action
from actions.selectors import action_counts

register = template.Library()


@register.inclusion_tag("actions/includes/_dashboard_tile_body.html")
def action_plan_tile(membership) -> dict:
    """Open, overdue and done actions of the membership's organisation."""
    return {"counts": action_counts(membership=membership), "membership": membership}


@register.inclusion_tag("actions/includes/_plan_changes_body.html")
def plan_changes(assessment, membership) -> dict:
    """What changed since the previous assessment for the plan's actions (rendered uncached:
    actions change without a submit, so this must not sit inside the cached report sections)."""
    return {"comparison": assessment_plan_comparison(assessment=assessment, membership=membership)}


@register.filter
def status_label(value: str) -> str:
    """A status value as people read it; anything else as it is."""
    return Action.Status(value).label if value in Action.Status.values else value
