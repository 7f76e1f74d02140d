"""The management summary as PDF: page 1 for the board, the detail as an annex (WeasyPrint).

WeasyPrint takes about 2.6 s to import, so it is imported once per process, on the first PDF,
and never by processes that serve no PDF (tests, management commands, the other pages).
"""

from dataclasses import dataclass
from functools import cache
from typing import Any

from django.template.loader import render_to_string
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.timezone import localtime
from django.utils.translation import get_language
from django.utils.translation import gettext as _

from assessments.logo import organisation_logo_data_uri
from assessments.templatetags.report_format import index_format
from reports.report import Report

PROFILE_BAR_WIDTH = 280  # the width of index 4 in the profile chart, in SVG units
PROFILE_ROW_HEIGHT = 34  # the dimension's name above its bar
# Page 1 lists at most this many open actions, under the profile chart: with the longest titles
# and owners, five fit below a chart of six dimensions; each dimension more takes one action's room.
OPEN_ACTIONS_SHOWN = 5
OPEN_ACTIONS_DIMENSIONS = 6


@dataclass(frozen=True)
class ProfileRow:
    """One dimension in the server-drawn profile chart: its bar and the previous index mark."""

    name: str
    index: float | None
    y: int
    width: float
    previous_x: float | None


@cache
def _html_class() -> Any:
    """WeasyPrint's HTML class, imported on first use (once per process)."""
    # Lazy on purpose: a 2.6 s import that only PDF requests need.
    from weasyprint import HTML

    return HTML


def profile_rows(report: Report) -> list[ProfileRow]:
    """The dimension profile as bar geometry: index 0–4 over PROFILE_BAR_WIDTH units."""
    scale = PROFILE_BAR_WIDTH / 4
    return [
        ProfileRow(
            name=row.dimension.name,
            index=row.index,
            y=place * PROFILE_ROW_HEIGHT,
            width=round((row.index or 0) * scale, 1),
            previous_x=None if row.previous_index is None else round(row.previous_index * scale, 1),
        )
        for place, row in enumerate(report.dimensions)
    ]


def profile_alt(report: Report) -> str:
    """The profile chart's alt text: every dimension's index as the table of the annex shows it."""
    values = "; ".join(
        f"{row.dimension.name} {index_format(row.index)}"
        if row.index is not None
        else f"{row.dimension.name} {_('not yet known')}"
        for row in report.dimensions
    )
    return f"{_('Maturity index per dimension (0–4)')}: {values}."


def open_actions_room(dimension_count: int) -> int:
    """How many open actions fit on page 1 under a profile chart of this many dimensions."""
    return max(1, OPEN_ACTIONS_SHOWN - max(0, dimension_count - OPEN_ACTIONS_DIMENSIONS))


def render_pdf(report: Report) -> bytes:
    """The report as PDF bytes: page 1 for the board, the annex as on the web page (no query).

    Page 1's open actions are the report's `open_actions` box ("as of" its date), absent for an
    assessment that is not the organisation's latest.
    """
    rows = profile_rows(report)
    box = report.open_actions
    html = render_to_string(
        "reports/pdf/report.html",
        {
            "report": report,
            "assessment": report.assessment,
            "profile": rows,
            "profile_alt": profile_alt(report),
            "profile_height": len(rows) * PROFILE_ROW_HEIGHT,
            "profile_ticks": [(n, n * PROFILE_BAR_WIDTH // 4) for n in range(5)],
            "open_actions": box.actions[: open_actions_room(len(rows))] if box else (),
            "open_total": box.total if box else 0,
            "open_as_of": box.as_of if box else None,
            "language": get_language(),
            "report_date": date_format(
                localtime(report.assessment.submitted_at or timezone.now()), "j F Y"
            ),
            "page_word": _("Page"),
            "logo": organisation_logo_data_uri(report.assessment.organisation),
        },
    )
    return _html_class()(string=html).write_pdf(pdf_variant="pdf/ua-1")
