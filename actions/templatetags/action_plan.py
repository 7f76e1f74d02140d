"""Pieces of the action plan that other apps' pages show: the dashboard tile, status labels."""

from datetime import date

from django import template
from django.utils.formats import date_format

from actions.models import Action
from actions.selectors import action_counts

register = template.Library()


@register.inclusion_tag("actions/includes/_dashboard_tile_body.html")
def action_plan_tile(membership) -> dict:
    """Open, overdue and done actions of the membership's organisation."""
    return {"counts": action_counts(membership=membership), "membership": membership}


@register.filter
def status_label(value: str) -> str:
    """A status value as people read it; anything else as it is."""
    return Action.Status(value).label if value in Action.Status.values else value


@register.filter
def has_open(actions) -> bool:
    """Whether one of these actions is still open (planned or in progress)."""
    return any(action.is_open for action in actions or ())


@register.filter
def due_date_value(value: str) -> str:
    """A due date as the history stores it (ISO, language-neutral), as the reader writes it."""
    try:
        return date_format(date.fromisoformat(value))
    except ValueError:
        return value
