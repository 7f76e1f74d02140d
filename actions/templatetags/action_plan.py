"""Formatting of the action plan's values on other apps' pages: status labels, due dates.

Filters only: they format what a view put in the context and never query (the dashboard's tile
is an include of `actions/includes/_dashboard_tile.html` with `actions.selectors.action_counts`).
"""

from datetime import date

from django import template
from django.utils.formats import date_format

from actions.models import Action

register = template.Library()


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
