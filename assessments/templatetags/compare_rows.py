"""The rows of the compare page, rendered by the Jinja2 engine (a partial of many rows)."""

from collections.abc import Sequence

from django import template
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils.formats import date_format
from django.utils.safestring import SafeString, mark_safe
from django.utils.timezone import localtime
from django.utils.translation import gettext, ngettext

from assessments.perspective_compare import CriterionRow, Settlement
from maturity.models import AnswerValue

register = template.Library()

# Stands for the criterion key in the settle address, reversed once per list instead of per row.
KEY_PLACEHOLDER = "criterion-key-placeholder"


def settled_by(settled: Settlement) -> str:
    """The words "settled by … on …", the date (local) as the reader's language writes it."""
    return gettext("settled by %(name)s on %(date)s") % {
        "name": settled.by or "?",
        "date": date_format(localtime(settled.at)),
    }


@register.simple_tag(takes_context=True)
def compare_rows(context, rows: Sequence[CriterionRow]) -> SafeString:
    """``{% compare_rows comparison.disagreements %}``: the rows as list items, one render.

    Labels are looked up once per list rather than once per answer; the template loops.
    """
    settle_url = reverse(
        "assessments:consensus_edit", args=[context["assessment"].pk, KEY_PLACEHOLDER]
    )
    steps = {row.step: row.criterion.dimension.name for row in rows}
    spreads = {row.spread for row in rows}
    html = render_to_string(
        "assessments/includes/_compare_rows.html",
        {
            "rows": rows,
            "labels": {value: str(label) for value, label in AnswerValue.choices},
            "step_labels": {
                step: gettext("Step %(number)s: %(name)s") % {"number": step, "name": name}
                for step, name in steps.items()
            },
            "spread_labels": {
                spread: ngettext("%(spread)s point apart", "%(spread)s points apart", spread)
                % {"spread": spread}
                for spread in spreads
            },
            "settled_by": settled_by,
            "settle_url": lambda key: settle_url.replace(KEY_PLACEHOLDER, key),
            "can_settle": context["can_settle"],
        },
        using="jinja2",
    )
    return mark_safe(html)  # noqa: S308  (autoescaped by the Jinja2 engine)
