"""The group's good practices next to the report's advice: a lookup, never a query.

The view reads the practices once (`trajectories.selectors.practices_for_advice`) and
`reports.page` hands them to the sections by criterion key.
"""

from django import template

register = template.Library()


@register.filter
def practices_on(practices_by_criterion: dict | None, criterion_key: str) -> list:
    """The practices shared on this criterion (an empty list when there are none)."""
    return (practices_by_criterion or {}).get(criterion_key, [])
