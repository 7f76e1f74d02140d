"""The data of the report's three charts (radar, phases, history) for the page's script."""

from typing import Any

from django.utils.timezone import localtime
from django.utils.translation import gettext as _

from reports.decimals import whole_percent
from reports.dimensions import DimensionRow
from reports.growth_path import GrowthStep
from reports.history import HistoryRow


def chart_data_build(
    dimensions: tuple[DimensionRow, ...],
    steps: tuple[GrowthStep, ...],
    history: tuple[HistoryRow, ...],
) -> dict[str, Any]:
    """The data of the three charts (radar, phases, history) for the report's script.

    Fulfilment is a share of the phase's statements (not of its threshold), and dates are
    local (the site's time zone), as in the tables beside the charts.
    """
    previous = [row.previous_index for row in dimensions]
    return {
        "radar": {
            "labels": [row.dimension.name for row in dimensions],
            "values": [None if row.index is None else round(row.index, 2) for row in dimensions],
            "label": _("Maturity index per dimension (0–4)"),
            "previous": previous if any(v is not None for v in previous) else None,
            "previousLabel": _("Previous assessment"),
        },
        "phases": {
            "labels": [step.phase.name for step in steps],
            # A phase with too few answers gets no bar: its fulfilment would mislead.
            "fulfilment": [
                whole_percent(step.fulfilment) if step.determined else None for step in steps
            ],
            "threshold": [whole_percent(step.threshold) for step in steps],
            "fulfilmentLabel": _("Fulfilment (%)"),
            "thresholdLabel": _("Threshold (%)"),
        },
        "history": {
            "labels": [
                f"{row.assessment.title} ({localtime(row.assessment.submitted_at):%d-%m-%Y})"
                for row in history
            ],
            "values": [round(row.index, 2) for row in history],
            "label": _("Maturity index"),
        },
    }
